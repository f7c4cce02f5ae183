import { readFileSync } from 'node:fs';
import type { Element, Root } from 'hast';
import type { Root as MdastRoot } from 'mdast';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  BroadsheetError,
  createMarkdownRenderer,
  type Heading,
  type MarkdownRenderer,
  type PostAssets,
  type RenderResult,
  renderMarkdown,
} from '../../src/index';
import { elementsOf, findViolations, parseHtml } from './safety';

const PAGE = 'https://example.com/blog/posts/x/';

describe('createMarkdownRenderer', () => {
  it('reuses one pipeline without leaking state from one document to the next', async () => {
    const render = createMarkdownRenderer({ trust: 'post' });
    const first = await render('# Intro\n\nA note[^a].\n\n[^a]: A.\n\n[rel](../y/)', { url: PAGE });
    const second = await render('# Intro\n\nB note[^b].\n\n[^b]: B.\n\n[rel](../y/)');
    expect(first.headings).toEqual([{ depth: 1, text: 'Intro', id: 'intro' }]);
    expect(second.headings).toEqual([{ depth: 1, text: 'Intro', id: 'intro' }]);
    expect(first.html).toContain('<h1 id="intro">Intro</h1>');
    expect(second.html).toContain('<h1 id="intro">Intro</h1>');
    expect(second.html).toContain('<a href="#fn-b" id="fnref-b"');
    expect(first.html).toContain('<a href="https://example.com/blog/posts/y/">rel</a>');
    expect(second.html).toContain('<a href="../y/">rel</a>');
  });

  it('sets the pipeline up once, not once per document', async () => {
    let setUps = 0;
    let runs = 0;
    const countingPlugin = () => {
      setUps++;
      return () => {
        runs++;
      };
    };
    const render = createMarkdownRenderer({ trust: 'post', remarkPlugins: [countingPlugin] });
    for (const markdown of ['a', 'b', 'c']) await render(markdown);
    expect({ setUps, runs }).toEqual({ setUps: 1, runs: 3 });
  });

  it('renders documents concurrently with one renderer as it does one at a time', async () => {
    const render = createMarkdownRenderer({ trust: 'post' });
    const documents = Array.from({ length: 20 }, (_, i) => ({
      markdown: `# Intro\n\n## Part ${i % 3}\n\n## Part ${i % 3}\n\nText ${i} [link](../p${i}/)`,
      url: `https://example.com/posts/p${i}/`,
    }));
    const sequential: RenderResult[] = [];
    for (const { markdown, url } of documents) sequential.push(await render(markdown, { url }));
    const concurrent = await Promise.all(documents.map(({ markdown, url }) => render(markdown, { url })));
    expect(concurrent).toEqual(sequential);
    expect(sequential[4]?.html).toContain('href="https://example.com/posts/p4/"');
  });

  it('throws BroadsheetError for programmer errors, never for content', async () => {
    expect(() => createMarkdownRenderer({ trust: 'visitor' as never })).toThrow(BroadsheetError);
    expect(() => createMarkdownRenderer({ trust: 'comment', rehypePlugins: [() => () => {}] })).toThrowError(
      expect.objectContaining({ code: 'invalid-argument' }),
    );
    const render = createMarkdownRenderer({ trust: 'post' });
    await expect(render(42 as never)).rejects.toThrow(BroadsheetError);
    await expect(render('x', { url: '/posts/x/' })).rejects.toThrowError(
      expect.objectContaining({ code: 'invalid-argument' }),
    );
    await expect(render('\u0000<<[](<>)\ud800')).resolves.toBeDefined();
  });

  it('has the types users see', () => {
    expectTypeOf(createMarkdownRenderer).returns.toEqualTypeOf<MarkdownRenderer>();
    expectTypeOf<MarkdownRenderer>().toEqualTypeOf<
      (markdown: string, document?: { url?: string; assets?: PostAssets }) => Promise<RenderResult>
    >();
    expectTypeOf<PostAssets>().toEqualTypeOf<{
      siteUrl: string;
      files: Readonly<Record<string, { width?: number; height?: number }>>;
    }>();
    expectTypeOf<RenderResult>().toEqualTypeOf<{
      html: string;
      summary: string;
      headings: Heading[];
      wordCount: number;
      readingTime: number;
      assetProblems?: { line: number; column: number; reference: string; reason: 'missing' | 'outside' }[];
    }>();
    expectTypeOf(renderMarkdown).parameter(1).toHaveProperty('trust').toEqualTypeOf<'post' | 'comment'>();
  });
});

describe('plugins', () => {
  it('sanitises what remark plugins add, and not what rehype plugins add', async () => {
    const remarkAddsScript = () => (tree: MdastRoot) => {
      tree.children.push({ type: 'html', value: '<script>alert(1)</script><p onclick="x">remark</p>' });
    };
    const rehypeAddsClass = () => (tree: Root) => {
      for (const node of tree.children)
        if (node.type === 'element') node.properties.className = ['from-plugin'];
    };
    const { html } = await renderMarkdown('Hello', {
      trust: 'post',
      remarkPlugins: [remarkAddsScript],
      rehypePlugins: [rehypeAddsClass],
    });
    expect(html).toBe('<p class="from-plugin">Hello</p>\n<p class="from-plugin">remark</p>');
  });

  it('writes raw nodes from rehype plugins as escaped text', async () => {
    const addRaw = () => (tree: Root) => {
      tree.children.push({ type: 'raw', value: '<script>alert(1)</script>' });
    };
    const { html } = await renderMarkdown('x', { trust: 'post', rehypePlugins: [addRaw] });
    expect(html).toBe('<p>x</p>&#x3C;script>alert(1)&#x3C;/script>');
  });

  it('resolves relative URLs that rehype plugins add', async () => {
    const addLink = () => (tree: Root) => {
      const link: Element = { type: 'element', tagName: 'a', properties: { href: 'tags/' }, children: [] };
      tree.children.push(link);
    };
    const { html } = await renderMarkdown('x', { trust: 'post', url: PAGE, rehypePlugins: [addLink] });
    expect(html).toContain('<a href="https://example.com/blog/posts/x/tags/"></a>');
  });
});

describe('posts', () => {
  it('keeps ids as written so that anchors work, and prefixes name (it clobbers document properties)', async () => {
    const { html } = await renderMarkdown('<a id="top" name="cookie" href="#top">top</a>\n\n# Top', {
      trust: 'post',
    });
    expect(html).toBe(
      '<p><a id="top" name="user-content-cookie" href="#top">top</a></p>\n<h1 id="top-1">Top</h1>',
    );
  });

  it('leaves the ids the post page uses for comments (comments, comment-<id>) to the page', async () => {
    const { html } = await renderMarkdown('## Comments\n\n## Comment 7\n\n<b id="comment-7">x</b>', {
      trust: 'post',
    });
    expect(html).toBe(
      '<h2 id="user-content-comments">Comments</h2>\n<h2 id="user-content-comment-7-1">Comment 7</h2>\n<p><b id="user-content-comment-7">x</b></p>',
    );
  });

  it('gives heading ids after sanitizing: from the text that is kept, avoiding only ids that are kept', async () => {
    // `<font>` is not allowed: it goes, with its id, so nothing takes `intro` from the heading.
    const font = await renderMarkdown('# Intro\n\n<font id="intro">x</font>', { trust: 'post' });
    expect(font.html).toBe('<h1 id="intro">Intro</h1>\n<p>x</p>');
    expect(font.headings).toEqual([{ depth: 1, text: 'Intro', id: 'intro' }]);
    // The script's text is dropped, so it is not in the slug.
    const script = await renderMarkdown('# a <script>evil</script> b', { trust: 'post' });
    expect(script.html).toBe('<h1 id="a--b">a  b</h1>');
    expect(script.headings).toEqual([{ depth: 1, text: 'a b', id: 'a--b' }]);
  });

  it('keeps fragment-only links as fragments when resolving against the page URL', async () => {
    const { html } = await renderMarkdown('[a](#x) [b](./#x) [c]()', { trust: 'post', url: PAGE });
    expect(html).toBe(`<p><a href="#x">a</a> <a href="${PAGE}#x">b</a> <a href="${PAGE}">c</a></p>`);
  });

  it('drops script and style elements with their text', async () => {
    const { html, wordCount } = await renderMarkdown(
      '<style>p { color: red }</style><script>alert(1)</script>ok',
      {
        trust: 'post',
      },
    );
    expect(html).toBe('ok');
    expect(wordCount).toBe(1);
  });

  it('drops URLs a browser would not parse, or would parse to a scheme the schema does not allow', async () => {
    const { html } = await renderMarkdown('<a href="http://[::1">a</a> <img src="https://exa mple.com/%">', {
      trust: 'post',
    });
    expect(elementsOf(parseHtml(html)).map((node) => node.properties)).toEqual([{}, {}, {}]);
  });

  it('summarises with the text before <!-- more -->, inline or on its own line', async () => {
    expect((await renderMarkdown('One *two*.\n\n<!-- more -->\n\nThree.', { trust: 'post' })).summary).toBe(
      'One two.',
    );
    expect((await renderMarkdown('One <!--MORE--> two.\n\nThree.', { trust: 'post' })).summary).toBe('One');
    expect((await renderMarkdown('> Quote.\n\nFirst.\n\nSecond.', { trust: 'post' })).summary).toBe('First.');
    expect((await renderMarkdown('> Only a quote.', { trust: 'post' })).summary).toBe('Only a quote.');
    expect((await renderMarkdown('```\n<!-- more -->\n```\n\nText.', { trust: 'post' })).summary).toBe(
      'Text.',
    );
  });

  it('counts words and reading time at 200 words a minute, at least one minute', async () => {
    const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');
    expect(await renderMarkdown('', { trust: 'post' })).toMatchObject({ wordCount: 0, readingTime: 1 });
    expect(await renderMarkdown(words(200), { trust: 'post' })).toMatchObject({
      wordCount: 200,
      readingTime: 1,
    });
    expect(await renderMarkdown(words(401), { trust: 'post' })).toMatchObject({
      wordCount: 401,
      readingTime: 3,
    });
    expect((await renderMarkdown("Don't count *em*phasis twice, café.", { trust: 'post' })).wordCount).toBe(
      5,
    );
    expect((await renderMarkdown('日本語の文章です。', { trust: 'post' })).wordCount).toBe(8);
    expect((await renderMarkdown('A note[^1].\n\n[^1]: Two words.', { trust: 'post' })).wordCount).toBe(4);
  });

  it('lists headings with depth, plain text and id, leaving out the footnotes label', async () => {
    const { headings } = await renderMarkdown('# A *b* `c`\n\n### D\n\nx[^1]\n\n[^1]: y', { trust: 'post' });
    expect(headings).toEqual([
      { depth: 1, text: 'A b c', id: 'a-b-c' },
      { depth: 3, text: 'D', id: 'd' },
    ]);
  });
});

describe('comments', () => {
  const render = createMarkdownRenderer({ trust: 'comment' });

  it('shows raw HTML as text and gives every link rel="nofollow ugc noopener"', async () => {
    const { html } = await render('<b>hi</b> [a](https://a.example) <i>', { url: PAGE });
    expect(html).toBe(
      '<p>&#x3C;b>hi&#x3C;/b> <a href="https://a.example" rel="nofollow ugc noopener">a</a> &#x3C;i></p>',
    );
  });

  it('has no ids, headings, images or footnotes', async () => {
    const { html, headings } = await render('# H\n\n![i](https://i.example/a.png)[^1]\n\n[^1]: n');
    expect(headings).toEqual([]);
    expect(html).toBe(
      '<p>H</p>\n<p><a href="https://i.example/a.png" rel="nofollow ugc noopener">i</a>[^1]</p>\n<p>[^1]: n</p>',
    );
  });
});

describe('hostile input', () => {
  it('shows markdown nested too deeply for the tree utilities as plain text, and does not throw', async () => {
    const quotes = `${'>'.repeat(5000)} <img src=x onerror=alert(1)>\n\nnext`;
    const divs = `${'<div>'.repeat(5000)}<script>alert(1)</script>`;
    for (const trust of ['post', 'comment'] as const) {
      const quoted = await renderMarkdown(quotes, { trust });
      expect(quoted.html).toBe(`<p>${'>'.repeat(5000)} &#x3C;img src=x onerror=alert(1)></p>\n<p>next</p>`);
      expect(quoted).toMatchObject({
        summary: `${'>'.repeat(5000)} <img src=x onerror=alert(1)>`,
        headings: [],
      });
      expect(findViolations((await renderMarkdown(divs, { trust })).html)).toEqual([]);
    }
  });
});

describe('dependencies', () => {
  it('keeps mdast-util-to-hast at 13.2.1 or later (CVE-2025-66400)', () => {
    const { version } = JSON.parse(
      readFileSync(new URL('../../node_modules/mdast-util-to-hast/package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    const [major = 0, minor = 0, patch = 0] = version.split(/[.-]/).map(Number);
    expect(major).toBe(13);
    expect(minor > 2 || (minor === 2 && patch >= 1)).toBe(true);
  });
});
