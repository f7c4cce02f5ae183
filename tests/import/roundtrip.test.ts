// A site's own feeds imported back give the same posts: the property that `import feed` keeps what a
// feed can carry (titles, dates, the text of the body).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { fromHtml } from 'hast-util-from-html';
import { toString as hastToString } from 'hast-util-to-string';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { importExport } from '../../src/import/run-import';
import { loadSite } from '../../src/load/load-site';
import { siteFiles } from '../../src/outputs/index';
import type { Site } from '../../src/site/types';
import { FIXTURE_CONFIG, NOW } from '../load/helpers';

const folders: string[] = [];
afterAll(async () => {
  await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
});

async function freshRoot(): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'broadsheet-import-'));
  folders.push(root);
  await writeFile(path.join(root, 'broadsheet.config.json'), FIXTURE_CONFIG);
  return root;
}

/** What a reader sees of a post: its title, its instant and the text of its body. */
function seen(site: Site) {
  return site.posts
    .map((post) => ({
      title: post.title,
      date: post.date.toISOString(),
      text: hastToString(fromHtml(post.html, { fragment: true }))
        .replace(/\s+/g, ' ')
        .trim(),
    }))
    .sort((a, b) => (a.date + a.title < b.date + b.title ? -1 : 1));
}

const word = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9]{0,9}$/);
const inline = fc.oneof(
  word,
  word.map((w) => `**${w}**`),
  word.map((w) => `_${w}_`),
  word.map((w) => `\`${w}\``),
  word.map((w) => `[${w}](https://example.org/${w})`),
);
const paragraph = fc.array(inline, { minLength: 1, maxLength: 10 }).map((parts) => parts.join(' '));
const block = fc.oneof(
  paragraph,
  paragraph.map((text) => `## ${text}`),
  paragraph.map((text) => `> ${text}`),
  fc
    .array(paragraph, { minLength: 1, maxLength: 4 })
    .map((items) => items.map((item) => `- ${item}`).join('\n')),
  fc.array(word, { minLength: 1, maxLength: 4 }).map((lines) => `\`\`\`\n${lines.join('\n')}\n\`\`\``),
);
const body = fc.array(block, { minLength: 1, maxLength: 5 }).map((blocks) => blocks.join('\n\n'));
/** Titles of letters, digits, punctuation, symbols and spaces in any script, with markup in them. */
const titleUnit = fc.oneof(
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
  fc.constantFrom('<script>alert(1)</script>', '&amp;', ']]>', '"', "'", '<', '&', ': ', '- ', '#', '[x]'),
);
const title = fc
  .string({ unit: titleUnit, minLength: 1, maxLength: 24 })
  .filter((text) => text.trim() !== '' && /^[\p{L}\p{M}\p{N}\p{P}\p{S}\p{Zs}]+$/u.test(text));
const posts = fc.array(fc.record({ title, body, minutes: fc.integer({ min: 0, max: 7_000_000 }) }), {
  minLength: 1,
  maxLength: 6,
});

describe('a site → its feeds → import feed', () => {
  it.each(['atom.xml', 'feed.json'])(
    '%s gives back the same titles, dates and text',
    async (feedName) => {
      await fc.assert(
        fc.asyncProperty(posts, async (specs) => {
          const source = await freshRoot();
          await mkdir(path.join(source, 'content/posts'), { recursive: true });
          for (const [index, spec] of specs.entries()) {
            const date = new Date(Date.UTC(2010, 0, 1) + spec.minutes * 60_000)
              .toISOString()
              .replace('.000Z', 'Z');
            const frontMatter = stringify({ title: spec.title, date }, { lineWidth: 0 });
            await writeFile(
              path.join(source, `content/posts/p${index}.md`),
              `---\n${frontMatter}---\n\n${spec.body}\n`,
            );
          }
          const original = await loadSite({ root: source, now: NOW });
          if (!original.ok) throw new Error(JSON.stringify(original.diagnostics));
          const feed = siteFiles(original.site).find((file) => file.path === feedName);
          const feedFile = path.join(source, feedName);
          await writeFile(feedFile, feed?.contents ?? '');

          const target = await freshRoot();
          const imported = await importExport({ format: 'feed', file: feedFile, root: target });
          expect(imported.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
          const result = await loadSite({ root: target, now: NOW });
          if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
          expect(result.warnings).toEqual([]);
          expect(seen(result.site)).toEqual(seen(original.site));
        }),
        { numRuns: 12 },
      );
    },
    120_000,
  );
});
