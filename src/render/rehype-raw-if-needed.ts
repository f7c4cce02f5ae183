// rehype-raw re-parses the whole tree with parse5, and posts usually have no raw HTML at all but the
// `<!-- more -->` comment. Decision and the exact conditions: docs/decisions/render-speed.md.
import type { Comment, Element, Properties, Root, RootContent } from 'hast';
import rehypeRaw from 'rehype-raw';
import type { VFile } from 'vfile';

/** Options of {@link rehypeRawIfNeeded}. */
export interface RawIfNeededOptions {
  /**
   * Always run rehype-raw. Set it when remark plugins other than broadsheet's own ran: they can give
   * the tree any shape (`data.hName`), and only parse5 knows what an HTML parser makes of every shape.
   */
  always?: boolean;
}

const COMMENT_OPEN = '<!--';
const COMMENT_CLOSE = '-->';

/**
 * The text of `value` when `value` is exactly one comment that the HTML syntax allows, which an HTML
 * parser turns into one comment node with that text and nothing else; `undefined` otherwise.
 * The syntax (HTML Living Standard, 13.1.6 Comments): `<!--`, then text that does not start with `>`
 * or `->`, does not contain `<!--`, `-->` or `--!>` and does not end with `<!-`, then `-->`. Also
 * refused: NUL and CR, which the parser rewrites (to U+FFFD and LF). So `<!-->`, `<!--->`,
 * `<!-- a --!>`, `<!-- <!-- -->`, `<!-- more --> text` and `<!-- a --><!-- b -->` all go to parse5.
 */
export function wellFormedCommentText(value: string): string | undefined {
  if (!value.startsWith(COMMENT_OPEN) || !value.endsWith(COMMENT_CLOSE)) return undefined;
  if (value.length < COMMENT_OPEN.length + COMMENT_CLOSE.length) return undefined;
  const text = value.slice(COMMENT_OPEN.length, -COMMENT_CLOSE.length);
  if (text.startsWith('>') || text.startsWith('->') || text.endsWith('<!-')) return undefined;
  if (text.includes('<!--') || text.includes('-->') || text.includes('--!>')) return undefined;
  if (text.includes('\u0000') || text.includes('\r')) return undefined;
  return text;
}

/**
 * Whether a `pre` is a code block as mdast-util-to-hast writes it (`pre > code > text`) whose text does
 * not start with a line feed: parse5 drops a line feed that comes right after `<pre>` (and here, as
 * hast-util-raw feeds it tokens, after `<pre><code>`), so a code block that starts with a blank line
 * loses that line.
 */
function isPlainCodeBlock(pre: Element): boolean {
  const [code, ...rest] = pre.children;
  if (rest.length > 0 || code?.type !== 'element' || code.tagName !== 'code') return false;
  let text = '';
  for (const child of code.children) {
    if (child.type !== 'text') return false;
    text += child.value;
  }
  return !text.startsWith('\n');
}

/**
 * Whether parse5 (through hast-util-raw) would give a tree other than this one, tidied by
 * {@link tidyLikeParse5}. Meant for the hast that mdast-util-to-hast makes of remark-parse and
 * remark-gfm's mdast (well-nested block and phrasing elements), where parse5 changes only these
 * (tests/render/speed-steps.test.ts compares with rehype-raw on generated markdown):
 * - raw nodes are parsed (a well-formed comment alone is taken care of here);
 * - an `a` inside an `a` (a footnote call or an autolink in a link's text) is split, as browsers do;
 * - a code block's leading line feed is dropped (see {@link isPlainCodeBlock}).
 */
function needsParse5(nodes: readonly RootContent[], inLink: boolean): boolean {
  for (const node of nodes) {
    if (node.type === 'raw') {
      if (wellFormedCommentText(node.value) === undefined) return true;
      continue;
    }
    if (node.type !== 'element') continue;
    if (node.tagName === 'a' && inLink) return true;
    if (node.tagName === 'pre' && !isPlainCodeBlock(node)) return true;
    if (needsParse5(node.children, inLink || node.tagName === 'a')) return true;
  }
  return false;
}

/** Property values as parse5's round trip (hast-util-to-parse5, hast-util-from-parse5) leaves them. */
function tidyProperties(properties: Properties): void {
  for (const [name, value] of Object.entries(properties)) {
    if (value === undefined || value === null || value === false) delete properties[name];
    // `data-*` attributes are never boolean: `true` is written as the empty string and read back so.
    // (The other `true`s mdast-util-to-hast writes, `checked` and `disabled`, are boolean and stay.)
    else if (value === true && /^data[A-Z]/.test(name)) properties[name] = '';
  }
}

/**
 * Makes the tree what hast-util-raw would give for it, when {@link needsParse5} says parse5 changes
 * nothing else: well-formed comments become comment nodes, adjacent text nodes become one (parse5
 * makes one text node of a run of characters: steps after this one, as `removeComments`, look at
 * text nodes and must see the same ones on both paths), properties are tidied, node data is dropped
 * (parse5 does not carry it over).
 */
function tidyLikeParse5(parent: Root | Element): void {
  const kept: RootContent[] = [];
  for (const node of parent.children as RootContent[]) {
    const previous = kept.at(-1);
    if (node.type === 'text' && previous?.type === 'text') {
      previous.value += node.value;
      if (previous.position && node.position) previous.position.end = node.position.end;
      else delete previous.position;
      continue;
    }
    if (node.type === 'raw') {
      const comment: Comment = { type: 'comment', value: wellFormedCommentText(node.value) ?? '' };
      if (node.position) comment.position = node.position;
      kept.push(comment);
      continue;
    }
    if (node.type === 'element') {
      delete node.data;
      tidyProperties(node.properties);
      tidyLikeParse5(node);
    }
    kept.push(node);
  }
  parent.children = kept as typeof parent.children;
}

/**
 * Rehype plugin, in place of rehype-raw: runs rehype-raw (parse5 re-parses the whole tree) only when
 * the tree holds raw HTML other than well-formed comments, or a shape that parse5 would change;
 * otherwise turns each comment into a comment node itself. The result is the same tree either way
 * (but for positions).
 */
export function rehypeRawIfNeeded(options: RawIfNeededOptions = {}) {
  const parse = rehypeRaw();
  return (tree: Root, file: VFile): Root => {
    if (options.always || needsParse5(tree.children, false)) return parse(tree, file);
    tidyLikeParse5(tree);
    return tree;
  };
}
