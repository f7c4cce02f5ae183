import type { Element, Root, RootContent } from 'hast';
import rehypeSlug from 'rehype-slug';

/** Used when a heading's text gives an empty slug (for example `# !!!`), so every heading has an anchor. */
const EMPTY_SLUG_FALLBACK = 'heading';

function elementsOf(tree: Root): Element[] {
  const elements: Element[] = [];
  const walk = (nodes: readonly RootContent[]): void => {
    for (const node of nodes) {
      if (node.type !== 'element') continue;
      elements.push(node);
      walk(node.children);
    }
  };
  walk(tree.children);
  return elements;
}

/**
 * Gives every heading without an `id` one from its text with rehype-slug (GitHub's slugs), then makes
 * those ids unique within the document: an id already used by an element the author or markdown
 * named (a raw-HTML `id`, a footnote's `fn-1`) or by an earlier heading gets `-1`, `-2`, … appended,
 * so footnote links and the author's own anchors keep pointing where they did.
 */
export function rehypeHeadingIds() {
  const slug = rehypeSlug();
  return (tree: Root): undefined => {
    const elements = elementsOf(tree);
    const named = new Set(elements.filter((node) => node.properties.id !== undefined));
    slug(tree);
    const taken = new Set<string>();
    for (const node of named) taken.add(String(node.properties.id));
    for (const node of elements) {
      if (named.has(node) || node.properties.id === undefined) continue;
      const base = String(node.properties.id) || EMPTY_SLUG_FALLBACK;
      let id = base;
      for (let n = 1; taken.has(id); n++) id = `${base}-${n}`;
      taken.add(id);
      node.properties.id = id;
    }
  };
}
