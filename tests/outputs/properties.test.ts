import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apiFiles } from '../../src/outputs/api/index';
import { apiDocumentSchemas } from '../../src/outputs/api/schema';
import { jsonLdScript } from '../../src/outputs/pages/head';
import { escapeHtml } from '../../src/outputs/pages/html';
import { pageFiles } from '../../src/outputs/pages/index';
import { byTag, findAll, findOne, parsePage, scriptHazards, text } from './hast';
import { buildSite, type SiteSpec } from './site-builder';

/** Runs of each site-wide property; raise it locally with PROPERTY_RUNS=1000. */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 60);

/** Pieces of text that break naive escaping, XML, JSON or HTML parsers. */
const NASTY = [
  '<',
  '>',
  '&',
  '"',
  "'",
  '`',
  '=',
  '/',
  '\\',
  '\u0000',
  '\u0001',
  '\u0008',
  '\u000B',
  '\u000C',
  '\u001F',
  '\u007F',
  '\u0085',
  '\u009F',
  '\r',
  '\n',
  '\r\n',
  '\t',
  ' ',
  '\u00A0',
  '\u2028',
  '\u2029',
  '\u200B',
  '\uFEFF',
  '\uD800',
  '\uDBFF',
  '\uDC00',
  '\uDFFF',
  '\uFFFE',
  '\uFFFF',
  '\uFDD0',
  '\u{1FFFE}',
  '\u{10FFFF}',
  'é',
  '😀',
  ']]>',
  '<!--',
  '-->',
  '&amp;',
  '&#0;',
  '&lt;',
  '<script>alert(1)</script>',
  '</title>',
  '</style>',
  '</textarea>',
  '<img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '[x](javascript:alert(1))',
  '<a href="javascript:alert(1)">x</a>',
  '{{x}}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template placeholder as literal text is the point
  '${x}',
  '*',
  '_',
  '#',
];
const character = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.constantFrom('a', 'b', 'Z', '1') },
);
const nastyText = (minLength = 0) => fc.string({ unit: character, minLength, maxLength: 12 });

const siteSpec: fc.Arbitrary<SiteSpec> = fc.record({
  title: nastyText(1),
  description: fc.option(nastyText(), { nil: undefined }),
  copyright: fc.option(nastyText(), { nil: undefined }),
  postsPerPage: fc.integer({ min: 1, max: 3 }),
  posts: fc.array(
    fc.record({
      title: nastyText(1),
      summary: fc.option(nastyText(), { nil: undefined }),
      body: nastyText(),
      tags: fc.array(nastyText(1), { maxLength: 3 }),
      lang: fc.constantFrom('en', 'fr', 'de-CH'),
      commentsOpen: fc.boolean(),
      comments: fc.array(
        fc.record({
          name: nastyText(1),
          url: fc.option(
            fc.constantFrom(
              'https://visitor.example/?a=<b>&c="d"',
              'javascript:alert(1)',
              'data:text/html,<script>',
            ),
            {
              nil: undefined,
            },
          ),
          body: nastyText(),
          parent: fc.option(fc.nat({ max: 4 }), { nil: undefined }),
        }),
        { maxLength: 4 },
      ),
    }),
    { maxLength: 4 },
  ),
});

/**
 * What an HTML page can carry of a text, written from the HTML standard rather than from the
 * implementation: lone surrogates become U+FFFD, CR and CRLF become LF, controls other than
 * tab, LF and FF and noncharacters are dropped.
 */
function carriedText(value: string): string {
  let result = '';
  for (const unit of value.replace(/\r\n?/g, '\n')) {
    const code = unit.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) result += '\uFFFD';
    else if ((code < 0x20 && !['\t', '\n', '\f'].includes(unit)) || (code >= 0x7f && code <= 0x9f)) continue;
    else if ((code >= 0xfdd0 && code <= 0xfdef) || (code & 0xfffe) === 0xfffe) continue;
    else result += unit;
  }
  return result;
}

describe('any text in titles, names, bodies and tags', () => {
  it('gives JSON documents that parse and validate against their schemas, and read back exactly', async () => {
    await fc.assert(
      fc.asyncProperty(siteSpec, async (spec) => {
        const site = await buildSite(spec);
        for (const file of apiFiles(site)) {
          const document = JSON.parse(file.contents);
          if (file.path.startsWith('api/schema/')) continue;
          const name =
            file.path === 'api/site.json'
              ? 'site'
              : file.path === 'api/posts.json' || file.path.startsWith('api/posts/page/')
                ? 'posts'
                : file.path.startsWith('api/posts/')
                  ? 'post'
                  : file.path === 'api/tags.json'
                    ? 'tags'
                    : 'tag';
          const result = apiDocumentSchemas[name].safeParse(document);
          expect(result.success, `${file.path}: ${result.error?.message}`).toBe(true);
        }
        for (const post of site.posts) {
          const file = apiFiles(site).find((candidate) => candidate.path === `api/posts/${post.slug}.json`)!;
          const document = JSON.parse(file.contents);
          expect(document.title).toBe(post.title);
          expect(
            document.comments.map((comment: { author: { name: string } }) => comment.author.name),
          ).toEqual(post.comments.map((comment) => comment.author.name));
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('gives pages that parse without error, run no script, and show the titles and names unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(siteSpec, async (spec) => {
        const site = await buildSite(spec);
        const pages = pageFiles(site);
        for (const file of pages) {
          const { tree, errors } = parsePage(file.contents);
          expect(errors, file.path).toEqual([]);
          expect(scriptHazards(tree), file.path).toEqual([]);
          expect(findAll(tree, byTag('title')), file.path).toHaveLength(1);
        }
        for (const post of site.posts) {
          const { tree } = parsePage(
            pages.find((file) => file.path === `posts/${post.slug}/index.html`)!.contents,
          );
          expect(text(findOne(tree, byTag('title')))).toBe(carriedText(`${post.title} — ${spec.title}`));
          // The post's title is the first <h1> of the article; its body may hold more.
          expect(text(findAll(findOne(tree, byTag('article', 'post')), byTag('h1'))[0]!)).toBe(
            carriedText(post.title),
          );
          // JSON-LD and Open Graph carry the title as the page shows it, whatever it holds (`</script>`).
          const scripts = findAll(tree, byTag('script'));
          expect(scripts).toHaveLength(1);
          expect(JSON.parse(text(scripts[0]!)).headline).toBe(carriedText(post.title));
          const ogTitle = findOne(tree, (element) => element.properties.property === 'og:title');
          expect(ogTitle.properties.content).toBe(carriedText(post.title));
          expect(findAll(tree, byTag('li', 'comment'))).toHaveLength(post.comments.length);
          for (const comment of post.comments) {
            const item = findOne(tree, (element) => element.properties.id === `comment-${comment.id}`);
            // The first author name in a comment's item is its own; its replies' come after.
            expect(text(findAll(item, byTag('b', 'comment-author'))[0]!)).toBe(
              carriedText(comment.author.name),
            );
          }
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe('scriptJson', () => {
  it('gives a script element whose text is the JSON of any value, which nothing can close or break', () => {
    fc.assert(
      fc.property(nastyText(), fc.string({ unit: 'binary' }), (nasty, binary) => {
        const value = { a: nasty, b: [binary, `</script>${nasty}<!--`] };
        const markup = `<!doctype html><html lang="en"><head><title>t</title>${jsonLdScript(value).markup}</head><body><p>after</p></body></html>`;
        const { tree, errors } = parsePage(markup);
        expect(errors).toEqual([]);
        const scripts = findAll(tree, byTag('script'));
        expect(scripts).toHaveLength(1);
        expect(JSON.parse(text(scripts[0]!))).toEqual(JSON.parse(JSON.stringify(value)));
        expect(text(findOne(tree, byTag('p')))).toBe('after');
      }),
      { numRuns: 300 },
    );
  });
});

describe('escapeHtml', () => {
  it('escapes the five characters that matter in text and attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>Tom & Jerry</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;Tom &amp; Jerry&lt;/a&gt;',
    );
    expect(escapeHtml('&amp;')).toBe('&amp;amp;');
  });

  it('drops what HTML cannot carry and keeps everything else', () => {
    expect(escapeHtml('a\u0000b\u0001c\u007Fd\u0085e\uFDD0f\uFFFEg\u{1FFFF}h')).toBe('abcdefgh');
    expect(escapeHtml('line\r\nbreak\rhere')).toBe('line\nbreak\nhere');
    expect(escapeHtml('lone \uD800 and \uDC00')).toBe('lone \uFFFD and \uFFFD');
    expect(escapeHtml('tab\tform\ffeed é 😀 \u2028 \u00A0')).toBe('tab\tform\ffeed é 😀 \u2028 \u00A0');
  });

  it('reads back as the carried text, as an attribute value and as text, for any string', () => {
    fc.assert(
      fc.property(nastyText(), fc.string({ unit: 'binary' }), (nasty, binary) => {
        for (const value of [nasty, binary]) {
          const markup = `<!doctype html><html lang="en"><head><title>${escapeHtml(value)}</title></head><body><p title="${escapeHtml(value)}" data-x='${escapeHtml(value)}'>${escapeHtml(value)}</p></body></html>`;
          const { tree, errors } = parsePage(markup);
          expect(errors).toEqual([]);
          const paragraph = findOne(tree, byTag('p'));
          expect(text(paragraph)).toBe(carriedText(value));
          expect(paragraph.properties.title).toBe(carriedText(value));
          expect(paragraph.properties.dataX).toBe(carriedText(value));
          expect(text(findOne(tree, byTag('title')))).toBe(carriedText(value));
        }
      }),
      { numRuns: 300 },
    );
  });
});
