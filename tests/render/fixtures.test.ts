// Fixture folders tests/fixtures/render-<case>/: input.md, optional options.json ({trust, url}),
// expected.html (the HTML) and expected.json (summary, headings, wordCount, readingTime).
// `UPDATE=1 npx vitest run tests/render/fixtures.test.ts` rewrites the expected files; otherwise
// they are compared exactly.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type RenderOptions, renderMarkdown } from '../../src/index';

const FIXTURES = new URL('../fixtures/', import.meta.url).pathname;
const update = process.env.UPDATE === '1';

const cases = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name.startsWith('render-'))
  .map((entry) => entry.name)
  .sort();

/** Compares `actual` with the file, or writes it when UPDATE=1. */
function expectFile(file: string, actual: string): void {
  if (update) {
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) throw new Error(`${file} is missing: run with UPDATE=1 to create it`);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

describe('render fixtures', () => {
  it('exist', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
  });

  for (const name of cases) {
    it(name, async () => {
      const dir = join(FIXTURES, name);
      const markdown = readFileSync(join(dir, 'input.md'), 'utf8');
      const optionsFile = join(dir, 'options.json');
      const options: RenderOptions = existsSync(optionsFile)
        ? JSON.parse(readFileSync(optionsFile, 'utf8'))
        : { trust: 'post' };
      const { html, ...info } = await renderMarkdown(markdown, options);
      expectFile(join(dir, 'expected.html'), `${html}\n`);
      expectFile(join(dir, 'expected.json'), `${JSON.stringify(info, null, 2)}\n`);
    });
  }
});
