import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMarkdownRenderer } from '../../src/index';
import { elementsOf, findViolations, parseHtml } from './safety';

const payloads = (
  JSON.parse(readFileSync(new URL('./xss-payloads.json', import.meta.url), 'utf8')) as { payload: string }[]
).map(({ payload }) => payload);

const PAGE = 'https://example.com/blog/posts/x/';
// FC_RUNS=5000 for a longer local search.
const NUM_RUNS = Number(process.env.FC_RUNS ?? 250);

const controlCharacter = fc
  .oneof(fc.integer({ min: 0, max: 0x1f }), fc.integer({ min: 0x7f, max: 0x9f }))
  .map((code) => String.fromCharCode(code));
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));
const entity = fc.constantFrom(
  '&amp;',
  '&lt;',
  '&gt;',
  '&quot;',
  '&#0;',
  '&#x0;',
  '&#106;',
  '&#x6A;',
  '&#0000106',
  '&colon;',
  '&Tab;',
  '&NewLine;',
  '&#x09;',
  '&#xD800;',
  '&#1114112;',
  '&notanentity;',
  '&',
);
const syntax = fc.constantFrom(
  '# ',
  '## ',
  '\n===\n',
  '> ',
  '- ',
  '1. ',
  '- [ ] ',
  '- [x] ',
  '*',
  '**',
  '_',
  '~~',
  '`',
  '```',
  '\n```js\n',
  '    ',
  '|',
  '\n| a | b |\n|---|:-:|\n',
  '---',
  '[',
  ']',
  '(',
  ')',
  '![',
  '](',
  '[^1]',
  '[^1]: ',
  '[a]: ',
  '<',
  '>',
  '"',
  "'",
  '\\',
  '<!-- more -->',
  '<!--',
  '-->',
  '<https://',
  'www.',
  '@',
  'javascript:',
  'JaVaScRiPt:',
  'vbscript:',
  'data:text/html,',
  'mailto:',
  '//',
  '#',
  '?',
  '\n',
  '\n\n',
  ' ',
  '<script>',
  '</script>',
  '<img src=x onerror=alert(1)>',
  '<svg>',
  '<math>',
  '<a href="',
  ' onclick=',
  '<style>',
  '<iframe ',
  '<form action=',
  '<base href=',
);
const corpusFragment = fc
  .tuple(fc.constantFrom(...payloads), fc.nat(), fc.nat())
  .map(([payload, a, b]) =>
    payload.slice(Math.min(a, b) % (payload.length + 1), Math.max(a, b) % (payload.length + 1)),
  );

/** Nested links and images: `[a [b](c) d](e)`, `![x](y "t")`, with arbitrary parts. */
const { bracketed } = fc.letrec<{ bracketed: string }>((tie) => ({
  bracketed: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.string({ maxLength: 6 }),
    fc
      .tuple(
        fc.constantFrom('[', '!['),
        tie('bracketed'),
        fc.constantFrom('](', ']('),
        tie('bracketed'),
        fc.constantFrom(')', ' "t")', ''),
      )
      .map((parts) => parts.join('')),
  ),
}));

/** Strings that look a little like markdown, a little like HTML, and a lot like trouble. */
const markdownLike = fc
  .array(
    fc.oneof(
      fc.string({ unit: 'binary', maxLength: 12 }),
      fc.string({ unit: 'grapheme', maxLength: 8 }),
      controlCharacter,
      loneSurrogate,
      entity,
      syntax,
      syntax,
      corpusFragment,
      bracketed,
      bracketed,
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));

const renderPost = createMarkdownRenderer({ trust: 'post' });
const renderComment = createMarkdownRenderer({ trust: 'comment' });
const url = fc.constantFrom(PAGE, undefined);

describe('rendering arbitrary markdown-like text', () => {
  it('yields safe HTML in a post, never throws, and keeps every id unique', async () => {
    await fc.assert(
      fc.asyncProperty(markdownLike, url, async (markdown, page) => {
        const result = await renderPost(markdown, { url: page });
        expect(findViolations(result.html)).toEqual([]);
        const ids = elementsOf(parseHtml(result.html)).flatMap((node) =>
          typeof node.properties.id === 'string' ? [node.properties.id] : [],
        );
        expect(new Set(ids).size).toBe(ids.length);
        expect(new Set(result.headings.map((heading) => heading.id)).size).toBe(result.headings.length);
        expect(result.readingTime).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('yields safe, restricted HTML in a comment and never throws', async () => {
    await fc.assert(
      fc.asyncProperty(markdownLike, url, async (markdown, page) => {
        const result = await renderComment(markdown, { url: page });
        expect(findViolations(result.html)).toEqual([]);
        expect(result.headings).toEqual([]);
        for (const node of elementsOf(parseHtml(result.html))) {
          expect(['img', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'section', 'sup']).not.toContain(node.tagName);
          expect(node.properties.id).toBeUndefined();
          if (node.tagName !== 'a') continue;
          const href = String(node.properties.href);
          expect(node.properties.rel).toEqual(['nofollow', 'ugc', 'noopener']);
          if (!href.startsWith('#')) {
            expect(['http:', 'https:', 'mailto:']).toContain(new URL(href, 'https://base.example/').protocol);
          }
          if (page && !href.startsWith('#')) expect(URL.canParse(href)).toBe(true);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('resolves every href and src in a post to an absolute URL, fragments excepted', async () => {
    await fc.assert(
      fc.asyncProperty(markdownLike, async (markdown) => {
        const { html } = await renderPost(markdown, { url: PAGE });
        for (const node of elementsOf(parseHtml(html))) {
          for (const name of ['href', 'src'] as const) {
            const value = node.properties[name];
            if (typeof value === 'string' && !value.startsWith('#')) expect(URL.canParse(value)).toBe(true);
          }
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
