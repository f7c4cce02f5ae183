import GithubSlugger, { slug } from 'github-slugger';
import type { Element, Root, RootContent } from 'hast';
import { toString as hastToString } from 'hast-util-to-string';

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

const HEADING = /^h[1-6]$/i;

/**
 * Gives every heading without an `id` one from its text, GitHub's way: what rehype-slug does (every
 * `h1`–`h6` whose `id` is missing or empty, in document order, with one github-slugger per document),
 * without its tree walk, which cost more than the slugs (unist-util-visit builds a closure and an
 * array of parents per node). Returns the headings that got an id and whose text gives an empty slug.
 */
function addSlugs(elements: readonly Element[]): Set<Element> {
  const slugger = new GithubSlugger();
  const emptySlug = new Set<Element>();
  for (const node of elements) {
    if (!HEADING.test(node.tagName) || node.properties.id) continue;
    const text = hastToString(node);
    node.properties.id = slugger.slug(text);
    if (slug(text) === '') emptySlug.add(node);
  }
  return emptySlug;
}

/**
 * Gives every heading without an `id` one from its text (GitHub's slugs, see {@link addSlugs}), then makes
 * every id in the document unique, in this order of precedence: the ids of markdown's footnotes
 * (`fn-1`, `fnref-1`, `footnote-label`), so footnote links always work; then ids the author wrote in
 * raw HTML, where the first keeps its id and a later duplicate gets `-1`, `-2`, … appended (a browser
 * follows `#x` to the first anyway); then heading slugs, which avoid every id already taken. An id
 * the page uses for comments (`comments`, `comment-…`) is prefixed with `user-content-`.
 */
export function rehypeHeadingIds() {
  return (tree: Root): undefined => {
    const { elements, footnoteParts } = elementsOf(tree);
    const named = elements.filter((node) => node.properties.id !== undefined);
    const emptySlug = addSlugs(elements);
    const taken = new Set<string>();
    const byPrecedence = [
      ...named.filter((node) => footnoteParts.has(node)),
      ...named.filter((node) => !footnoteParts.has(node)),
    ];
    for (const node of byPrecedence) node.properties.id = uniqueId(String(node.properties.id), taken);
    const namedSet = new Set(named);
    for (const node of elements) {
      if (namedSet.has(node) || node.properties.id === undefined) continue;
      const base = emptySlug.has(node) ? EMPTY_SLUG_FALLBACK : String(node.properties.id);
      node.properties.id = uniqueId(base, taken);
    }
  };
}
