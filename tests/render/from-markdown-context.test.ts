// mdast-util-from-markdown gives each event's handler a context made by an object literal instead of
// `{...context, sliceSerialize}` (patches/mdast-util-from-markdown+2.1.0.patch,
// docs/decisions/render-speed.md). These tests fail if the patch is not applied, or if the patched
// context differs from what the spread gave handlers (a fresh object per event with the same keys in
// the same order and the event's own serializer).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { CompileContext, Extension, Handle } from 'mdast-util-from-markdown';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { describe, expect, it } from 'vitest';

/** The keys of `{...context, sliceSerialize}` in mdast-util-from-markdown 2.1.0, in order. */
const SPREAD_KEYS = [
  'stack',
  'tokenStack',
  'config',
  'enter',
  'exit',
  'buffer',
  'resume',
  'data',
  'sliceSerialize',
];

function installedFile(relative: string): string {
  const require = createRequire(import.meta.url);
  // index.js or, under the `development` condition (vitest), dev/index.js: up to the package's folder.
  let folder = path.dirname(require.resolve('mdast-util-from-markdown'));
  while (!existsSync(path.join(folder, 'package.json'))) folder = path.dirname(folder);
  return readFileSync(path.join(folder, relative), 'utf8');
}

describe('mdast-util-from-markdown makes one context per event without a spread', () => {
  it('is patched, in both of its builds', () => {
    for (const file of ['lib/index.js', 'dev/lib/index.js']) {
      const source = installedFile(file);
      expect(source).toContain('function eventContext(context, sliceSerialize)');
      // The three calls, in the minified and the formatted build: no spread of the context left.
      expect(source).not.toMatch(/\{\s*\.\.\.context,\s*sliceSerialize: events/);
      expect(source.match(/eventContext\(context, events\[index\]\[2\]\.sliceSerialize\)/g)).toHaveLength(3);
    }
  });

  it('gives every handler call a fresh context with the keys of the spread and the event serializer', () => {
    const seen: { context: CompileContext; text: string }[] = [];
    const record: Handle = function (this: CompileContext, token) {
      seen.push({ context: this, text: this.sliceSerialize(token) });
    };
    // Token types that have no handler of their own, in the document's flow and in its text.
    const extension: Extension = { enter: { emphasisSequence: record, lineEnding: record } };
    const tree = fromMarkdown('a *b*\nc\n\n> *d*\n> e', { mdastExtensions: [extension] });
    expect(tree.children.map((node) => node.type)).toEqual(['paragraph', 'blockquote']);
    expect(seen.map(({ text }) => text)).toEqual(['*', '*', '\n', '\n', '*', '*', '\n']);
    expect(new Set(seen.map(({ context }) => context)).size).toBe(seen.length);
    for (const { context } of seen) expect(Object.keys(context)).toEqual(SPREAD_KEYS);
    // Everything but the serializer is the document's: one stack, one data object.
    expect(new Set(seen.map(({ context }) => context.stack)).size).toBe(1);
    expect(new Set(seen.map(({ context }) => context.data)).size).toBe(1);
  });
});
