import { slug } from 'github-slugger';
import type { Element, Root, RootContent } from 'hast';
import { toString as hastToString } from 'hast-util-to-string';
import rehypeSlug from 'rehype-slug';

/** Used when a heading's text gives an empty slug (for example `# !!!`), so every heading has an anchor. */
const EMPTY_SLUG_FALLBACK = 'heading';

/** Every element in document order, and which of them belong to markdown's footnotes. */
function elementsOf(tree: Root): { elements: Element[]; footnoteParts: Set<Element> } {
  const elements: Element[] = [];
  const footnoteParts = new Set<Element>();
  const walk = (nodes: readonly RootContent[], inFootnotes: boolean): void => {
    for (const node of nodes) {
      if (node.type !== 'element') continue;
      elements.push(node);
      const footnotes =
        inFootnotes || (node.tagName === 'section' && node.properties.dataFootnotes !== undefined);
      if (footnotes || node.properties.dataFootnoteRef !== undefined) footnoteParts.add(node);
      walk(node.children, footnotes);
    }
  };
  walk(tree.children, false);
  return { elements, footnoteParts };
}

/**
 * Ids the post page itself uses: `comment-<id>` is every comment's anchor (`Comment.url`) and
 * `comments` the comments section. A post's id there gets the `user-content-` prefix instead.
 */
const PAGE_ID = /^comment(?:s$|-)/;
const PAGE_ID_PREFIX = 'user-content-';

function uniqueId(wanted: string, taken: Set<string>): string {
  const base = PAGE_ID.test(wanted) ? PAGE_ID_PREFIX + wanted : wanted;
  let id = base;
  for (let n = 1; taken.has(id); n++) id = `${base}-${n}`;
  taken.add(id);
  return id;
}

/**
 * Gives every heading without an `id` one from its text with rehype-slug (GitHub's slugs), then makes
 * every id in the document unique, in this order of precedence: the ids of markdown's footnotes
 * (`fn-1`, `fnref-1`, `footnote-label`), so footnote links always work; then ids the author wrote in
 * raw HTML, where the first keeps its id and a later duplicate gets `-1`, `-2`, … appended (a browser
 * follows `#x` to the first anyway); then heading slugs, which avoid every id already taken. An id
 * the page uses for comments (`comments`, `comment-…`) is prefixed with `user-content-`.
 */
export function rehypeHeadingIds() {
  const addSlugs = rehypeSlug();
  return (tree: Root): undefined => {
    const { elements, footnoteParts } = elementsOf(tree);
    const named = elements.filter((node) => node.properties.id !== undefined);
    addSlugs(tree);
    const taken = new Set<string>();
    const byPrecedence = [
      ...named.filter((node) => footnoteParts.has(node)),
      ...named.filter((node) => !footnoteParts.has(node)),
    ];
    for (const node of byPrecedence) node.properties.id = uniqueId(String(node.properties.id), taken);
    const namedSet = new Set(named);
    for (const node of elements) {
      if (namedSet.has(node) || node.properties.id === undefined) continue;
      const base = slug(hastToString(node)) === '' ? EMPTY_SLUG_FALLBACK : String(node.properties.id);
      node.properties.id = uniqueId(base, taken);
    }
  };
}
