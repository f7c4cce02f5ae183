// Rendering the markdown an import writes gives the HTML the old blog had, as the post sanitizer
// would keep it: the two trees are compared after the same normalisation (white space, wrappers
// markdown has no syntax for, heading ids).
import type { Element, ElementContent, Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { toHtml } from 'hast-util-to-html';
import rehypeParse from 'rehype-parse';
import rehypeSanitize from 'rehype-sanitize';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { htmlToMarkdown, htmlToText } from '../../src/import/html-to-markdown';
import { expandShortcodes, wpautop } from '../../src/import/wordpress-html';
import { renderMarkdown } from '../../src/render/render-markdown';
import { postSchema } from '../../src/render/schemas';

const sanitizer = unified().use(rehypeParse, { fragment: true }).use(rehypeSanitize, postSchema);

/** The source HTML as the post sanitizer keeps it. */
function sanitized(html: string): Root {
  return sanitizer.runSync(sanitizer.parse(html)) as Root;
}

const RENAME: Record<string, string> = { b: 'strong', i: 'em', strike: 'del', s: 'del' };
/** Elements around which white space means nothing. */
const BLOCKS = new Set([
  'blockquote',
  'br',
  'dd',
  'details',
  'div',
  'dl',
  'dt',
  'figcaption',
  'figure',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'li',
  'ol',
  'p',
  'pre',
  'summary',
  'table',
  'td',
  'th',
  'tr',
  'ul',
]);

function isBlock(node: ElementContent | undefined): boolean {
  return node?.type === 'element' && BLOCKS.has(node.tagName);
}

/** A `<pre>` as markdown writes it: its text in a `<code>`, without the final line break. */
function normalizePre(node: Element): Element {
  const only = node.children.length === 1 ? node.children[0] : undefined;
  const code: Element =
    only?.type === 'element' && only.tagName === 'code'
      ? { ...only, properties: { ...only.properties } }
      : { type: 'element', tagName: 'code', properties: {}, children: node.children };
  const last = code.children.at(-1);
  if (last?.type === 'text')
    code.children = [...code.children.slice(0, -1), { type: 'text', value: last.value.replace(/\n$/, '') }];
  return { type: 'element', tagName: 'pre', properties: {}, children: [code] };
}
/** Wrappers that carry no meaning markdown could keep (and that the comparison looks through). */
const UNWRAP = new Set(['div', 'span', 'thead', 'tbody', 'tfoot']);

function normalizeChildren(nodes: readonly (ElementContent | Root['children'][number])[]): ElementContent[] {
  const out: ElementContent[] = [];
  for (const node of nodes) {
    if (node.type === 'comment' || node.type === 'doctype') continue;
    if (node.type === 'text') {
      const value = node.value.replace(/\s+/g, ' ');
      const last = out.at(-1);
      if (last?.type === 'text') last.value += value;
      else out.push({ type: 'text', value });
      continue;
    }
    if (node.type !== 'element') continue;
    if (node.tagName === 'pre') {
      out.push(normalizePre(node));
      continue;
    }
    let tagName = RENAME[node.tagName] ?? node.tagName;
    const children = normalizeChildren(node.children);
    // A `<div>` of text is a paragraph written another way; one holding only a `<br>` is an empty line.
    if (
      tagName === 'div' &&
      !children.some((child) => isBlock(child) && child.type === 'element' && child.tagName !== 'br')
    )
      tagName = 'p';
    if (
      tagName === 'p' &&
      children.every(
        (child) =>
          (child.type === 'element' && child.tagName === 'br') ||
          (child.type === 'text' && child.value.trim() === ''),
      )
    )
      continue;
    if (UNWRAP.has(tagName)) {
      out.push(...children);
      continue;
    }
    const properties = { ...node.properties };
    delete properties.id;
    if (tagName !== 'code') delete properties.className;
    out.push({ type: 'element', tagName, properties, children } as Element);
  }
  // Space next to a block boundary (or a line break) means nothing.
  for (const [index, node] of out.entries()) {
    if (node.type !== 'text') continue;
    if (index === 0 || isBlock(out[index - 1])) node.value = node.value.trimStart();
    if (index === out.length - 1 || isBlock(out[index + 1])) node.value = node.value.trimEnd();
  }
  return out.filter((node) => !(node.type === 'text' && node.value === ''));
}

function normalized(tree: Root): string {
  return toHtml({ type: 'root', children: normalizeChildren(tree.children) });
}

async function roundTrip(html: string): Promise<{ source: string; imported: string; markdown: string }> {
  const markdown = htmlToMarkdown(html, 'post');
  const rendered = await renderMarkdown(markdown, { trust: 'post' });
  return {
    source: normalized(sanitized(html)),
    // The renderer marks every image after a post's first `loading="lazy"`: not the importer's doing.
    imported: normalized(fromHtml(rendered.html.replaceAll(' loading="lazy"', ''), { fragment: true })),
    markdown,
  };
}

const samples: Record<string, string> = {
  headings:
    '<h1>One</h1><h2>Two <em>em</em></h2><h3>Three</h3><h4>Four <code>x</code></h4><h5>Five</h5><h6>Six</h6>',
  lists:
    '<ul><li>one</li><li>two<ul><li>nested <strong>bold</strong></li></ul></li></ul><ol start="3"><li>three</li><li>four</li></ol>',
  links:
    '<p>A <a href="https://example.org/a?b=1&amp;c=2" title="T">link</a>, <a href="/relative/">another</a> and <a href="mailto:a@example.org">mail</a>.</p>',
  images:
    '<p><img src="https://example.org/a.png" alt="An A" title="Title"> and <img src="/b.jpg" alt="B" width="300" height="200"></p>',
  code: '<p>Inline <code>a &lt; b</code>.</p><pre><code class="language-js">if (a &lt; b) {\n  run();\n}\n\nmore();</code></pre><pre>plain pre\n  indented</pre>',
  tables:
    '<table><thead><tr><th>Year</th><th>Posts</th></tr></thead><tbody><tr><td>2012</td><td><em>40</em></td></tr><tr><td>2013</td><td>12</td></tr></tbody></table>',
  'a table with spanning cells':
    '<table><tr><td colspan="2">wide</td></tr><tr><td>a</td><td>b</td></tr></table>',
  blockquotes: '<blockquote><p>One.</p><p>Two.</p><blockquote><p>Nested.</p></blockquote></blockquote>',
  'inline elements':
    '<p><b>b</b> <i>i</i> <del>del</del> <s>s</s> H<sub>2</sub>O x<sup>2</sup> <kbd>Ctrl</kbd> <abbr title="HyperText">HTML</abbr> <mark>marked</mark></p>',
  'a figure with a caption':
    '<figure><img src="/cat.jpg" alt="A cat"><figcaption>A cat on a <em>mat</em></figcaption></figure>',
  'line breaks': '<p>One line<br>another line<br />and a third</p>',
  'Blogger div soup':
    '<div style="text-align: justify;">First <b>part</b>.</div><div><br></div><div>Second part.</div>',
  'unsafe markup':
    '<p onclick="x()">Hi <script>alert(1)</script><a href="javascript:alert(1)">link</a> <img src="x.png" onerror="alert(1)" alt="x"></p><iframe src="https://evil.example/"></iframe>',
  'Gutenberg blocks':
    '<!-- wp:paragraph --><p>Para</p><!-- /wp:paragraph --><!-- wp:separator --><hr class="wp-block-separator"/><!-- /wp:separator -->',
  'markdown characters in text':
    '<p>*not emphasis* _nor this_ # not a heading [not](a link) 1. not a list &lt;b&gt;</p>',
  details: '<details><summary>More</summary><p>Hidden text.</p></details>',
};

describe('HTML → markdown → HTML', () => {
  it.each(Object.entries(samples))(
    '%s: the rendered markdown is the sanitised source',
    async (_name, html) => {
      const { source, imported, markdown } = await roundTrip(html);
      expect(imported, markdown).toBe(source);
    },
  );

  it('keeps the summary marker and drops every other comment', () => {
    expect(htmlToMarkdown('<p>Intro</p><!--more--><p>Rest</p><!-- wp:paragraph -->', 'post')).toBe(
      'Intro\n\n<!-- more -->\n\nRest\n',
    );
  });

  it('in a comment, keeps the words of elements markdown cannot say, not the tags', () => {
    expect(htmlToMarkdown('<p>H<sub>2</sub>O <!--more--></p>', 'comment')).toBe('H2O\n');
  });

  it('gives plain text for titles and names', () => {
    expect(htmlToText('Fish &amp; <b>chips</b>\n  to go')).toBe('Fish & chips to go');
  });
});

describe('WordPress markup', () => {
  it('turns [caption] into a figure and leaves no shortcode as text', async () => {
    const source =
      '[caption id="attachment_5" align="alignleft" width="300"]<a href="/big.jpg"><img src="/cat.jpg" alt="Cat" /></a> A cat[/caption] [gallery ids="1,2"] [embed]https://video.example/v/1[/embed]';
    const { html, dropped } = expandShortcodes(source);
    expect(dropped).toEqual(['gallery']);
    const markdown = htmlToMarkdown(wpautop(html), 'post');
    const rendered = await renderMarkdown(markdown, { trust: 'post' });
    expect(rendered.html).not.toMatch(/\[\/?(caption|gallery|embed)/);
    // The figure is raw HTML for the post sanitizer, which keeps the image, its link and the caption's text.
    expect(markdown).toContain('<figcaption>A cat</figcaption>');
    expect(rendered.html).toContain('<a href="/big.jpg"><img src="/cat.jpg" alt="Cat"></a>A cat');
    expect(rendered.html).toContain('<a href="https://video.example/v/1">');
  });

  it('adds the paragraphs and line breaks the classic editor leaves out', () => {
    expect(wpautop('One\ntwo\n\nThree\n<ul>\n<li>x</li>\n</ul>\n<pre>a\n\nb</pre>')).toBe(
      '<p>One<br>\ntwo</p>\n<p>Three</p>\n<ul>\n<li>x</li>\n</ul>\n<pre>a\n\nb</pre>',
    );
  });

  it('leaves block-editor content as it is', () => {
    const content = '<!-- wp:paragraph -->\n<p>One</p>\n<!-- /wp:paragraph -->\n\nTwo';
    expect(wpautop(content)).toBe(content);
  });
});
