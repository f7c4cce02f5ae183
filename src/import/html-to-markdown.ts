import type { Comment, Element, Root as HastRoot } from 'hast';
import { toHtml } from 'hast-util-to-html';
import { defaultHandlers, type Handle, type NodeHandle, type State } from 'hast-util-to-mdast';
import { toString as hastToString } from 'hast-util-to-string';
import type { Html, Nodes as MdastNodes, Root as MdastRoot } from 'mdast';
import rehypeParse from 'rehype-parse';
import rehypeRemark from 'rehype-remark';
import remarkGfm from 'remark-gfm';
import remarkStringify from 'remark-stringify';
import { unified } from 'unified';

/**
 * Elements markdown has no syntax for, kept as raw HTML in a post so that the post sanitizer judges
 * them (it keeps `<sup>`, `<details>`, `<figure>`…, drops what is unsafe). In a comment, where raw
 * HTML shows as text, only their content is kept.
 */
const RAW_ELEMENTS = [
  'abbr',
  'cite',
  'details',
  'dfn',
  'dl',
  'ins',
  'kbd',
  'mark',
  'ruby',
  'samp',
  'small',
  'sub',
  'sup',
  'u',
  'var',
];

/** A table whose cells span rows or columns cannot be a GFM table: it stays HTML. */
function spans(node: Element): boolean {
  const stack: Element[] = [node];
  for (let element = stack.pop(); element; element = stack.pop()) {
    const { colSpan, rowSpan } = element.properties;
    if ((colSpan !== undefined && Number(colSpan) > 1) || (rowSpan !== undefined && Number(rowSpan) > 1))
      return true;
    for (const child of element.children) if (child.type === 'element') stack.push(child);
  }
  return false;
}

/** The raw HTML of an element, on as few lines as it can (a blank line would end an HTML block). */
function rawHtml(state: State, node: Element): Html {
  const result: Html = {
    type: 'html',
    value: toHtml(node)
      .replace(/\n[ \t]*(?=\n)/g, '')
      .replace(/\n{2,}/g, '\n'),
  };
  state.patch(node, result);
  return result;
}

/** `<!--more-->` is WordPress's summary marker and broadsheet's; every other comment is dropped. */
function comment(_state: State, node: Comment): Html | undefined {
  return /^\s*more\b/i.test(node.value) ? { type: 'html', value: '<!-- more -->' } : undefined;
}

/** Who will read the markdown: a post keeps raw HTML for its sanitizer, a comment cannot. */
export type MarkdownTrust = 'post' | 'comment';

const processors = new Map<MarkdownTrust, ReturnType<typeof createProcessor>>();

function createProcessor(trust: MarkdownTrust) {
  const handlers: Record<string, Handle> = {};
  if (trust === 'post') {
    for (const name of RAW_ELEMENTS) handlers[name] = rawHtml as Handle;
    const { table, figure, img } = handlersOf();
    // Markdown's image has a source, a text and a title: an image sized or aligned stays HTML (its
    // classes, `srcset` and the like would not pass the sanitizer anyway).
    handlers.img = ((state: State, node: Element) =>
      ['width', 'height', 'align'].some((name) => node.properties[name] !== undefined)
        ? rawHtml(state, node)
        : img?.(state, node, undefined)) as Handle;
    // A figure with a caption stays one; WordPress's `<figure class="wp-block-table">` around a
    // table or an image is only a wrapper.
    handlers.figure = ((state: State, node: Element) =>
      node.children.some((child) => child.type === 'element' && child.tagName === 'figcaption')
        ? rawHtml(state, node)
        : figure?.(state, node, undefined)) as Handle;
    handlers.table = ((state: State, node: Element) =>
      spans(node) ? rawHtml(state, node) : table?.(state, node, undefined)) as Handle;
  }
  return unified()
    .use(rehypeParse, { fragment: true })
    .use(rehypeRemark, {
      handlers,
      nodeHandlers: { comment: (trust === 'post' ? comment : () => undefined) as NodeHandle },
      newlines: false,
    })
    .use(remarkGfm)
    .use(remarkStringify, {
      bullet: '-',
      emphasis: '_',
      strong: '*',
      fences: true,
      rule: '-',
      listItemIndent: 'one',
    });
}

// hast-util-to-mdast's own handlers, for the cases a custom handler passes on.
function handlersOf(): Record<string, Handle | undefined> {
  return defaultHandlers as Record<string, Handle | undefined>;
}

/**
 * Turns the HTML of an exported post or comment into markdown with unified (rehype-parse →
 * rehype-remark → remark-gfm → remark-stringify): headings, lists, links, images, code, tables and
 * quotes become markdown; in a post, what markdown cannot say (`<sup>`, `<figure>`, a table with
 * spanning cells…) stays raw HTML for the post sanitizer to judge. HTML comments are dropped, except
 * `<!--more-->`, which becomes broadsheet's summary marker `<!-- more -->`.
 *
 * @example
 * ```ts
 * htmlToMarkdown('<h2>Hi</h2><p>A <a href="https://a.example/">link</a>.</p>', 'post');
 * // '## Hi\n\nA [link](https://a.example/).\n'
 * ```
 */
export function htmlToMarkdown(html: string, trust: MarkdownTrust): string {
  let processor = processors.get(trust);
  if (!processor) {
    processor = createProcessor(trust);
    processors.set(trust, processor);
  }
  const tree = processor.runSync(processor.parse(html) as HastRoot) as MdastRoot;
  dropEmpty(tree);
  const markdown = processor.stringify(tree as MdastNodes as MdastRoot);
  return markdown.trim() === '' ? '' : `${markdown.trim()}\n`;
}

/** Paragraphs left with nothing in them (a `<p>` that only held a dropped comment). */
function dropEmpty(tree: MdastRoot): void {
  tree.children = tree.children.filter((node) => !(node.type === 'paragraph' && node.children.length === 0));
}

const textParser = unified().use(rehypeParse, { fragment: true });

/**
 * The plain text of an HTML fragment (a title, an excerpt, a visitor's name): tags dropped, entities
 * decoded, white space collapsed.
 *
 * @example
 * ```ts
 * htmlToText('Fish &amp; <b>chips</b>'); // 'Fish & chips'
 * ```
 */
export function htmlToText(html: string): string {
  const text = /[<&]/.test(html) ? hastToString(textParser.parse(html)) : html;
  return text.replace(/\s+/g, ' ').trim();
}
