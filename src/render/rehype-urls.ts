// URL handling after the sanitizer: a second, WHATWG-parser-based protocol check, and resolving
// relative URLs against the page's URL. Decisions: docs/decisions/rendering.md.
import type { Element, Root, RootContent } from 'hast';
import type { VFile } from 'vfile';
import { renderData } from './file-data';
import { URL_PROPERTIES } from './schemas';

/** Base used only to parse relative URLs when a document has no URL of its own. */
const PLACEHOLDER_BASE = 'https://broadsheet.invalid/';

/** Calls `visit` on every element of `tree`, in document order (a parent before its children). */
export function forEachElement(tree: Root, visit: (node: Element) => void): void {
  const walk = (nodes: readonly RootContent[]): void => {
    for (const node of nodes) {
      if (node.type !== 'element') continue;
      visit(node);
      walk(node.children);
    }
  };
  walk(tree.children);
}

function isFragment(value: string): boolean {
  return value.startsWith('#');
}

function parse(value: string, base: string): URL | undefined {
  try {
    return new URL(value, base);
  } catch {
    return undefined;
  }
}

/**
 * Parses every URL the sanitizer kept the way a browser does (against the document's URL, or a
 * placeholder when there is none) and removes the attribute when it cannot be parsed or its
 * scheme is not one `protocols` allows for it. Defence in depth: the sanitizer's own check works
 * on the raw string.
 */
export function rehypeEnforceUrlProtocols(
  protocols: Readonly<Record<string, readonly string[] | null | undefined>>,
) {
  return (tree: Root, file: VFile): undefined => {
    const base = renderData(file).baseUrl ?? PLACEHOLDER_BASE;
    forEachElement(tree, (node) => {
      for (const name of URL_PROPERTIES) {
        const value = node.properties[name];
        if (value === undefined || value === null) continue;
        const allowed = protocols[name];
        const url = typeof value === 'string' ? parse(value, base) : undefined;
        if (!allowed || !url || !allowed.includes(url.protocol.slice(0, -1))) delete node.properties[name];
      }
    });
  };
}

/**
 * Resolves every relative `href`, `src`, `cite` and `longdesc` against the document's URL. Fragment-only
 * URLs (`#fn-1`) stay as they are, so that in-page links keep working wherever the HTML is shown;
 * absolute URLs are left untouched. Does nothing when the document has no URL.
 */
export function rehypeResolveUrls() {
  return (tree: Root, file: VFile): undefined => {
    const base = renderData(file).baseUrl;
    if (base === undefined) return;
    forEachElement(tree, (node) => {
      for (const name of URL_PROPERTIES) {
        const value = node.properties[name];
        if (typeof value !== 'string' || isFragment(value) || URL.canParse(value)) continue;
        const url = parse(value, base);
        if (url) node.properties[name] = url.href;
        else delete node.properties[name];
      }
    });
  };
}
