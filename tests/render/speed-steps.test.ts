// The renderer's two speed steps (src/render/remark-gfm-fast.ts, src/render/rehype-raw-if-needed.ts)
// must render exactly what the stock plugins they stand in for (remark-gfm, rehype-raw) render.
// Decisions: docs/decisions/render-speed.md.
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import type { Root as HastRoot } from 'hast';
import type { Root as MdastRoot } from 'mdast';
import rehypeRaw from 'rehype-raw';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { type Data, unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { rehypeRawIfNeeded, wellFormedCommentText } from '../../src/render/rehype-raw-if-needed';
import {
  AUTOLINK_TRANSFORM_NAME,
  remarkGfmFast,
  SKIPPABLE_CONSTRUCTS,
} from '../../src/render/remark-gfm-fast';
import {
  createMarkdownRendererWithSteps,
  type RendererOptions,
  type RenderSteps,
} from '../../src/render/render-markdown';

const PAGE = 'https://example.com/blog/posts/x/';
// FC_RUNS=5000 for a longer local search.
const NUM_RUNS = Number(process.env.FC_RUNS ?? 250);
const STOCK: RenderSteps = { gfm: [remarkGfm], raw: [rehypeRaw] };

function renderers(options: RendererOptions) {
  return {
    fast: createMarkdownRendererWithSteps(options, {}),
    stock: createMarkdownRendererWithSteps(options, STOCK),
  };
}
const post = renderers({ trust: 'post' });
const comment = renderers({ trust: 'comment' });

/** Whether the fast parser (no skippable construct at all) parses `markdown`. */
function parsedWithoutSkippable(markdown: string): boolean {
  return !SKIPPABLE_CONSTRUCTS.some((construct) => construct.needs.test(markdown));
}

async function expectSameRender(markdown: string): Promise<void> {
  for (const { fast, stock } of [post, comment]) {
    for (const url of [PAGE, undefined]) {
      expect(await fast(markdown, { url })).toEqual(await stock(markdown, { url }));
    }
  }
}

/** Pieces biased to `@ . _ * \ ` < [`: emails, URLs, emphasis, code spans, escapes, links, comments. */
const piece = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.constantFrom(
      '@',
      '.',
      '_',
      '*',
      '\\',
      '`',
      '<',
      '[',
      ']',
      '(',
      ')',
      ' ',
      '\n',
      '-',
      ':',
      '|',
    ),
  },
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      'a',
      'www',
      'www.',
      'https://',
      'mailto:',
      'xmpp:',
      'a@b.com',
      'webmaster@www.example.org',
      'first.last+tag@example.co.uk',
      'https://example.com/a_b?c=d',
      'www.example.com',
      'WWW.EXAMPLE.COM',
      'Https://example.com',
      'xmpp:a@b.co/r',
      '&#64;',
      '&#x40;',
      'www&#46;example.com',
      '&#119;ww.example.com',
      'https&#58;//example.com',
      'www\\.example.com',
      '[www.example.com](u)',
      '[a@b.com][r]',
      '<https://example.org/>',
      '<a@b.co>',
      '&#64;',
      '&amp;',
      '**',
      '__',
      '~~',
      '\\_',
      '\\@',
      '\\`',
      '`code`',
      '[x](https://y.example)',
      '[x][r]',
      '\n\n[r]: /u\n',
      '[^1]',
      '\n\n[^1]: note\n',
      '![i](s.png)',
      '<b>',
      '</b>',
      '<!-- more -->',
      '\n\n<!-- more -->\n\n',
      '<!-->',
      '<!--->',
      '<!-- a --!>',
      '<!-- <!-- -->',
      '<!-- x --> y',
      '<!--\nmore\n-->',
      '<!-- a -- b -->',
      '\n- ',
      '\n  ',
      '\n1. ',
      '\n- [x] ',
      '\n> ',
      '\n# ',
      '\n```\n',
      '\n```js\n\n',
      '\n| a | b |\n|---|:-:|\n| c | d |\n',
      'a\n:--\n',
      '\r\n',
      '\u0000',
    ),
  },
  { weight: 3, arbitrary: fc.stringMatching(/^[a-z0-9._+-]{1,6}$/) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
);
const markdown = fc.array(piece, { maxLength: 40 }).map((pieces) => pieces.join(''));

/** The same text with every possible email (`x@y`) and table (`|`, `:-`, `-:`) taken apart. */
function withoutSkippable(text: string): string {
  let result = text;
  for (let previous = ''; previous !== result; ) {
    previous = result;
    result = result
      .replaceAll('|', '!')
      .replaceAll(':-', ': -')
      .replaceAll('-:', '- :')
      .replace(/([\w+.-])@/g, '$1 @')
      .replace(/@([\w.-])/g, '@ $1');
  }
  return result;
}
const fastMarkdown = markdown.map(withoutSkippable);

describe('the speed steps render what remark-gfm and rehype-raw render', () => {
  it('on text full of emails, URLs, emphasis, code, escapes, links and comments', async () => {
    await fc.assert(fc.asyncProperty(markdown, expectSameRender), { numRuns: NUM_RUNS });
  });

  it('on such text without emails or tables, which the fast parser parses', async () => {
    await fc.assert(
      fc.asyncProperty(fastMarkdown, async (text) => {
        expect(parsedWithoutSkippable(text)).toBe(true);
        await expectSameRender(text);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('parses to the tree remark-gfm parses to, positions included', () => {
    const fastParser = unified().use(remarkParse).use(remarkGfmFast).freeze();
    const stockParser = unified().use(remarkParse).use(remarkGfm).freeze();
    fc.assert(
      fc.property(fc.oneof(markdown, fastMarkdown), (text) => {
        expect(fastParser.runSync(fastParser.parse(text))).toEqual(
          stockParser.runSync(stockParser.parse(text)),
        );
      }),
      { numRuns: NUM_RUNS * 4 },
    );
  });

  it('links URLs and emails that only the text, not the source, spells out', async () => {
    // The autolink transform runs only where a text node it looks at has `@`, `www.` or `http(s)://`:
    // character references and escapes make those from other source text, and case does not matter.
    const documents = [
      'a&#64;b.com and a&#x40;b.com',
      'WWW.EXAMPLE.COM and HTTPS://EXAMPLE.COM, WWW&#46;EXAMPLE.COM and HTTPS&#58;//EXAMPLE.COM',
      'www&#46;example.com, &#119;ww.example.com and https&#58;//example.com',
      'www\\.example.com',
      '[www.example.com](/u), [a@b.com][r] and <https://example.org/>\n\n[r]: /v',
      'Thanks for post 1, **really** useful. See https://example.net/1.',
      '_see www.example.com_ and `www.example.com`',
    ];
    for (const document of documents) await expectSameRender(document);
    const { html } = await post.fast('a&#64;b.com, WWW&#46;EXAMPLE.COM, www&#46;example.com');
    expect(html).toBe(
      '<p><a href="mailto:a@b.com">a@b.com</a>, <a href="http://WWW.EXAMPLE.COM">WWW.EXAMPLE.COM</a>, <a href="http://www.example.com">www.example.com</a></p>',
    );
  });

  it('where leaving the email construct out of every document would not', async () => {
    // Each of these renders differently when the email construct is dropped and
    // mdast-util-gfm-autolink-literal's transform alone finds emails (docs/decisions/render-speed.md).
    const documents = [
      'Write to webmaster@www.w3.org today.',
      'me+www.x@example.com',
      'foo@example.org.-x',
      'foo@example.com._',
      'mailto:a@b.com and xmpp:a@b.com/home',
      'x _a@b.com y_',
      'www.x@example.com',
    ];
    for (const document of documents) {
      expect(parsedWithoutSkippable(document)).toBe(false);
      await expectSameRender(document);
    }
    const { html } = await post.fast('Write to webmaster@www.w3.org today.');
    expect(html).toBe(
      '<p>Write to <a href="mailto:webmaster@www.w3.org">webmaster@www.w3.org</a> today.</p>',
    );
  });

  it('on comments between text in list items (parse5 merges adjacent text nodes)', async () => {
    const documents = [
      '- a\n  <!-- more -->\n- b',
      '- a\n  <!-- more -->\n  c\n- b',
      '1. a\n   <!-- x --><!-- y -->\n2. b',
      'a\n<!-- more -->\nb',
      '> a\n> <!-- more -->\n> b',
    ];
    for (const document of documents) await expectSameRender(document);
    // The output does not depend on raw HTML elsewhere in the post (which sends it through parse5).
    const { html } = await post.fast('- a\n  <!-- more -->\n- b');
    const withRaw = await post.fast('- a\n  <!-- more -->\n- b\n\n<b>x</b>');
    expect(html).toBe('<ul>\n<li>a\n\n</li>\n<li>b</li>\n</ul>');
    expect(withRaw.html.startsWith(html)).toBe(true);
  });

  it('on the bench posts and every render fixture', async () => {
    const generator = String(new URL('../../bench/generate.mjs', import.meta.url));
    const { postBody }: { postBody: (index: number) => string } = await import(generator);
    for (let index = 0; index < 20; index++) await expectSameRender(postBody(index));
    const fixtures = new URL('../fixtures/', import.meta.url);
    for (const name of readdirSync(fixtures).filter((entry) => entry.startsWith('render-'))) {
      await expectSameRender(readFileSync(new URL(`${name}/input.md`, fixtures), 'utf8'));
    }
  });
});

describe('remarkGfmFast', () => {
  function micromarkTextAndFlow(processor: { freeze(): unknown; data(): Data }): unknown[] {
    processor.freeze();
    return (processor.data().micromarkExtensions ?? []).flatMap((extension) =>
      [extension.text, extension.flow].flatMap((record) => Object.values(record ?? {}).flat()),
    );
  }
  const names = (constructs: unknown[]) =>
    new Set(constructs.map((construct) => (construct as { name?: string }).name));

  it("leaves out of the processor's own parser constructs that remark-gfm has (so a rename is noticed)", () => {
    const stock = names(micromarkTextAndFlow(unified().use(remarkParse).use(remarkGfm)));
    const fast = names(micromarkTextAndFlow(unified().use(remarkParse).use(remarkGfmFast)));
    for (const { name } of SKIPPABLE_CONSTRUCTS) {
      expect(stock.has(name)).toBe(true);
      expect(fast.has(name)).toBe(false);
    }
    expect([...stock].filter((name) => !fast.has(name))).toEqual(
      SKIPPABLE_CONSTRUCTS.map(({ name }) => name),
    );
  });

  it("wraps remark-gfm's autolink transform, its only tree transform (so a rename is noticed)", () => {
    const transformsOf = (processor: { freeze(): unknown; data(): Data }) => {
      processor.freeze();
      return (processor.data().fromMarkdownExtensions ?? [])
        .flat()
        .flatMap((extension) => extension.transforms ?? []);
    };
    const stock = transformsOf(unified().use(remarkParse).use(remarkGfm));
    expect(stock.map((transform) => transform.name)).toEqual([AUTOLINK_TRANSFORM_NAME]);
    const fast = transformsOf(unified().use(remarkParse).use(remarkGfmFast));
    expect(fast).toHaveLength(1);
    expect(fast[0]).not.toBe(stock[0]);
  });

  it('parses each document with the constructs its source may need', async () => {
    const { html: table } = await post.fast('a\n:--\n\n| b |\n| - |');
    expect(table).toContain('<th align="left">a</th>');
    expect(table).toContain('<th>b</th>');
    const { html: emails } = await post.fast('a@b.com, @alice and `x@y.z`');
    expect(emails).toBe('<p><a href="mailto:a@b.com">a@b.com</a>, @alice and <code>x@y.z</code></p>');
    const { html: both } = await post.fast('| a@b.com |\n| - |');
    expect(both).toContain('<th><a href="mailto:a@b.com">a@b.com</a></th>');
  });

  it('must come after remark-parse', () => {
    expect(() => unified().use(remarkGfmFast).freeze()).toThrowError(
      expect.objectContaining({ code: 'internal' }),
    );
  });
});

describe('rehypeRawIfNeeded', () => {
  it('knows a well-formed comment, and refuses what an HTML parser reads otherwise', () => {
    expect(wellFormedCommentText('<!-- more -->')).toBe(' more ');
    expect(wellFormedCommentText('<!---->')).toBe('');
    expect(wellFormedCommentText('<!--\nmore\n-->')).toBe('\nmore\n');
    expect(wellFormedCommentText('<!-- a -- b -->')).toBe(' a -- b ');
    for (const trap of [
      '<!-->',
      '<!--->',
      '<!--->-->',
      '<!-- a --!>',
      '<!-- a --!> b -->',
      '<!-- <!-- -->',
      '<!-- a <!--->',
      '<!-- more --> text',
      'text <!-- more -->',
      '<!-- a --><!-- b -->',
      '<!-- a --> <!-- b -->',
      '<!--\r\nmore\r\n-->',
      '<!-- \u0000 -->',
      '<!-- more ->',
      '<!- more -->',
      '<div><!-- more --></div>',
    ]) {
      expect(wellFormedCommentText(trap), trap).toBeUndefined();
    }
  });

  /** The tree before rehype-raw, for a post, and what the step returns for it. */
  function rawStep(markdown: string, always = false): { before: HastRoot; after: HastRoot } {
    const toHast = unified()
      .use(remarkParse)
      .use(remarkGfm)
      .use(remarkRehype, { allowDangerousHtml: true, clobberPrefix: '' });
    const before = toHast.runSync(toHast.parse(markdown)) as HastRoot;
    const after = unified().use(rehypeRawIfNeeded, { always }).runSync(before) as HastRoot;
    return { before, after };
  }

  it('keeps the tree, with comment nodes, when its raw HTML is only well-formed comments', () => {
    const { before, after } = rawStep('One.\n\n<!-- more -->\n\nTwo <!--MORE--> three[^1].\n\n[^1]: Note.');
    expect(after).toBe(before);
    expect(after.children.filter((node) => node.type === 'comment')).toEqual([
      expect.objectContaining({ type: 'comment', value: ' more ' }),
    ]);
    expect(JSON.stringify(after)).not.toContain('"raw"');
    const plain = rawStep('No raw HTML at all.');
    expect(plain.after).toBe(plain.before);
  });

  it('hands anything else to rehype-raw', () => {
    for (const markdown of [
      'a <b>b</b>',
      '<!-- more --> text',
      'a <!--> b',
      '[a[^1]](https://x.example)\n\n[^1]: n',
      '[<https://a.example>](https://b.example)',
      '```\n\ncode after a blank line\n```',
    ]) {
      const { before, after } = rawStep(markdown);
      expect(after, markdown).not.toBe(before);
    }
    const { before, after } = rawStep('<!-- more -->', true);
    expect(after).not.toBe(before);
  });

  it('renders posts with remark plugins through rehype-raw, whatever shape the plugins give the tree', async () => {
    // A paragraph inside a paragraph: parse5 splits it, as browsers do.
    const nestParagraphs = () => (tree: MdastRoot) => {
      for (const node of tree.children) {
        if (node.type !== 'paragraph') continue;
        for (const child of node.children) if (child.type === 'emphasis') child.data = { hName: 'p' };
      }
    };
    const options: RendererOptions = { trust: 'post', remarkPlugins: [nestParagraphs] };
    const fast = createMarkdownRendererWithSteps(options, {});
    const stock = createMarkdownRendererWithSteps(options, STOCK);
    const markdown = 'a *b* c\n\n<!-- more -->';
    expect(await fast(markdown)).toEqual(await stock(markdown));
    expect((await fast(markdown)).html).toBe('<p>a </p><p>b</p> c<p></p>');
  });
});
