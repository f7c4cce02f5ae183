import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadSite } from '../../src/load/load-site';
import {
  checkMarkdownLimits,
  MARKDOWN_LIMITS,
  type MarkdownLimits,
  scanMarkdownLimits,
} from '../../src/load/markdown-limits';
import { lines, NOW, temporarySite } from './helpers';

const VALID_POST = '---\ntitle: Fine\ndate: 2020-01-01\n---\n\nFine.\n';
const comment = (body: string, status = '') =>
  `---\nauthor: Visitor\ndate: 2020-01-02T00:00:00Z\n${status}---\n${body}`;
const post = (body: string) => `---\ntitle: Hostile\ndate: 2020-01-01\n---\n\n${body}`;

/** The inputs of the outside attack (issue #13), at their reported sizes. */
const HOSTILE_POSTS: Record<string, string> = {
  'nested emphasis': `${'**'.repeat(10_000)}x${'**'.repeat(10_000)}`,
  'nested lists': `${'- '.repeat(20_000)}x`,
  'nested quotes': '>'.repeat(100_000),
  'open links': '[a]('.repeat(100_000),
  'nested ordered lists': `${'1. '.repeat(30_000)}x`,
  'setext headings': 'a\n=\n'.repeat(100_000),
  strikethrough: '~~a'.repeat(200_000),
  'task items': '- [ ] a\n'.repeat(100_000),
  'reference links': '[a][b]'.repeat(100_000),
  table: `| a | b |\n|---|---|\n${'| x | y |\n'.repeat(60_000)}`,
};

describe('markdown limits, checked before parsing', () => {
  it('refuse every hostile post of the attack', () => {
    const refusals = Object.entries(HOSTILE_POSTS).map(
      ([name, markdown]) => `${name}: ${checkMarkdownLimits(markdown, 'post')?.message}`,
    );
    expect(refusals).toMatchInlineSnapshot(`
      [
        "nested emphasis: the block that starts on line 1 has more than 2000 emphasis marks (*, _, ~) by line 1",
        "nested lists: line 1 opens 20000 nested lists or quotes; the limit is 32",
        "nested quotes: line 1 opens 100000 nested lists or quotes; the limit is 32",
        "open links: the markdown is 400000 characters long; the limit for a post is 150000",
        "nested ordered lists: line 1 opens 30000 nested lists or quotes; the limit is 32",
        "setext headings: the markdown is 400000 characters long; the limit for a post is 150000",
        "strikethrough: the markdown is 600000 characters long; the limit for a post is 150000",
        "task items: the markdown is 800000 characters long; the limit for a post is 150000",
        "reference links: the markdown is 600000 characters long; the limit for a post is 150000",
        "table: the markdown is 600020 characters long; the limit for a post is 150000",
      ]
    `);
  });

  it('accept real documents: the seed post, the README, the docs', () => {
    for (const file of ['README.md', 'docs/security.md', 'docs/cli.md', 'docs/api.md']) {
      const text = readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
      expect(checkMarkdownLimits(text, 'post'), file).toBeUndefined();
    }
  });

  it('thematic breaks and setext headings within the limits are fine', () => {
    expect(
      checkMarkdownLimits('a\n\n- - - - - - - - - - - -\n\n* * * * * * * * * *\n', 'comment'),
    ).toBeUndefined();
    expect(checkMarkdownLimits('Title\n=====\n\nText\n-----\n', 'comment')).toBeUndefined();
    expect(checkMarkdownLimits('a\n---\n'.repeat(21), 'comment')?.line).toBe(42);
  });

  it('blank lines start a new count of delimiters in a block, not in the document', () => {
    const block = `${'*a* '.repeat(100)}\n`;
    expect(checkMarkdownLimits(`${block}\n`.repeat(4), 'comment')).toBeUndefined();
    expect(checkMarkdownLimits(block.repeat(3), 'comment')?.message).toMatchInlineSnapshot(
      `"the block that starts on line 1 has more than 500 emphasis marks (*, _, ~) by line 3"`,
    );
    expect(checkMarkdownLimits(`${block}\n`.repeat(40), 'comment')?.message).toMatchInlineSnapshot(
      `"by line 9 the document uses 1% (5 of 400 blocks other than list items, quotes and table rows), 100% (1000 of 1000 emphasis marks *, _, ~) of its markup budget: more than 100% in all (each may take up to its limit, or a mix up to 100%)"`,
    );
  });

  // Regression: under the first limits (500 KB, counts per block) these took seconds to render.
  it('count costly constructs in the whole document, sharing one budget', () => {
    const cases: Record<string, string> = {
      'list items': '- a\n'.repeat(10_000),
      paragraphs: 'a\n\n'.repeat(20_000),
      'table cells': `|a|b|c|d|\n|-|-|-|-|\n${'|a|b|c|d|\n'.repeat(5_000)}`,
      links: `${'[a](b) '.repeat(500)}\n\n`.repeat(20),
      'inline HTML': '<b>a</b> '.repeat(10_000),
      // Each within its own limit, together over the budget.
      'list items and a table': `${'- a\n'.repeat(600)}\n|a|b|\n|-|-|\n${'|a|b|\n'.repeat(400)}`,
    };
    const refusals = Object.entries(cases).map(
      ([name, markdown]) => `${name}: ${checkMarkdownLimits(markdown, 'post')?.message}`,
    );
    expect(refusals).toMatchInlineSnapshot(`
      [
        "list items: the document has more than 700 list items and quotes by line 701",
        "paragraphs: the document has more than 1800 blocks other than list items, quotes and table rows by line 3601",
        "table cells: by line 280 the document uses 0% (1 of 1800 blocks other than list items, quotes and table rows), 100% (1400 of 1400 table cell separators "|") of its markup budget: more than 100% in all (each may take up to its limit, or a mix up to 100%)",
        "links: the document has more than 700 "[" by line 3",
        "inline HTML: the document has more than 3000 inline marks <, &, backticks and autolinks by line 1",
        "list items and a table: by line 668 the document uses 86% (600 of 700 list items and quotes), 0% (1 of 1800 blocks other than list items, quotes and table rows), 14% (201 of 1400 table cell separators "|") of its markup budget: more than 100% in all (each may take up to its limit, or a mix up to 100%)",
      ]
    `);
    expect(
      checkMarkdownLimits(`${'- a\n'.repeat(300)}\n|a|b|\n|-|-|\n${'|a|b|\n'.repeat(150)}`, 'post'),
    ).toBeUndefined();
  });

  it('a refusal names the line of the file, for a comment, a post and a page', async () => {
    const root = await temporarySite({
      'content/posts/fine.md': VALID_POST,
      'content/pages/about.md': `---\ntitle: About\n---\n\n${'> '.repeat(40)}x\n`,
      'content/posts/lists.md': post(`Intro.\n\n${'- '.repeat(40)}x\n`),
      'content/comments/fine/lists.md': comment(`${'- '.repeat(9_997)}x`),
      'content/comments/fine/pending.md': comment(`${'- '.repeat(9_997)}x`, 'status: pending\n'),
      'content/comments/fine/reply.md': `---\nauthor: B\ndate: 2020-01-03T00:00:00Z\nparent: lists\n---\nHi\n`,
    });
    const result = await loadSite({ root, now: NOW, cache: false });
    expect(lines(result)).toMatchInlineSnapshot(`
      [
        "content/comments/fine/lists.md:5:1: error markdown-too-complex: line 5 opens 9997 nested lists or quotes; the limit is 8",
        "content/pages/about.md:5:1: error markdown-too-complex: line 5 opens 40 nested lists or quotes; the limit is 32; the config's markdown.limits.nesting raises it",
        "content/posts/lists.md:8:1: error markdown-too-complex: line 8 opens 40 nested lists or quotes; the limit is 32; the config's markdown.limits.nesting raises it",
      ]
    `);
  });

  it('any text within the limits of a comment is accepted by the post limits too', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('-', ' ', '>', '*', '[', '\n', 'a', '1', '.', '=') }),
        (text) => {
          if (checkMarkdownLimits(text, 'comment') === undefined) {
            expect(checkMarkdownLimits(text, 'post')).toBeUndefined();
          }
        },
      ),
    );
  });

  it('give the verdict of the line-by-line scan, its shortcut for documents far within them included', () => {
    // Markup of every kind the scan counts, with limits small enough (or the defaults) to be reached.
    const markdown = fc
      .array(
        fc.constantFrom(
          '-',
          ' ',
          '   ',
          '\t',
          '>',
          '*',
          '_',
          '~',
          '[',
          '|',
          '<',
          '&',
          '`',
          '@',
          '://',
          ':',
          '/',
          'www.',
          'w',
          '=',
          '#',
          '\n',
          '\n\n',
          'a',
          'text ',
          '1.',
          '1)',
          '123456789.',
          '---',
          '***',
          '___',
          '- - -',
          '===',
          'é',
          '中',
        ),
        { maxLength: 120 },
      )
      .map((parts) => parts.join(''));
    const names = Object.keys(MARKDOWN_LIMITS.post) as (keyof MarkdownLimits)[];
    const limits = fc.oneof(
      fc.constantFrom(MARKDOWN_LIMITS.post, MARKDOWN_LIMITS.comment),
      fc
        .tuple(
          ...names.map(() => fc.oneof(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 30, max: 400 }))),
        )
        .map(
          (values) =>
            Object.fromEntries(names.map((name, at) => [name, values[at]])) as unknown as MarkdownLimits,
        ),
    );
    let refused = 0;
    let accepted = 0;
    fc.assert(
      fc.property(
        markdown,
        fc.constantFrom('post' as const, 'comment' as const),
        fc.integer({ min: 1, max: 50 }),
        limits,
        (text, trust, firstLine, chosen) => {
          const scanned = scanMarkdownLimits(text, trust, firstLine, chosen);
          expect(checkMarkdownLimits(text, trust, firstLine, chosen)).toEqual(scanned);
          if (scanned === undefined) accepted++;
          else refused++;
        },
      ),
      { numRuns: 3000 },
    );
    // Both verdicts are common, so the shortcut is tried on both sides of every limit.
    expect(Math.min(accepted, refused)).toBeGreaterThan(300);
  });

  it('the post limits are above the comment limits', () => {
    for (const key of Object.keys(MARKDOWN_LIMITS.post) as (keyof typeof MARKDOWN_LIMITS.post)[]) {
      expect(MARKDOWN_LIMITS.post[key]).toBeGreaterThan(MARKDOWN_LIMITS.comment[key]);
    }
  });
});
