// The examples say "1 comment", never "(1 comments)".
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commentCount } from '../../examples/vite-client/src/comment-count';

const examples = path.resolve(import.meta.dirname, '../../examples');

/** Every source file of the examples (not their installed dependencies or build output). */
function sources(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) {
      return ['node_modules', 'dist', 'out', '.next', '.astro'].includes(entry.name) ? [] : sources(full);
    }
    return /\.(ts|tsx|astro|js|mjs)$/.test(entry.name) ? [full] : [];
  });
}

describe('comment counts in the examples', () => {
  it('the Vite example words a count in the singular for one', () => {
    expect([0, 1, 2, 21].map(commentCount)).toEqual(['0 comments', '1 comment', '2 comments', '21 comments']);
  });

  it('no example writes a count with a fixed plural', () => {
    const fixed = sources(examples).filter((file) =>
      /\{[^}]*(comments\.length|commentCount)\}\s*comments\b/.test(readFileSync(file, 'utf8')),
    );
    expect(fixed.map((file) => path.relative(examples, file))).toEqual([]);
  });
});
