// Checks rendered HTML the way a browser would see it: parse it again (hast-util-from-html, the same
// HTML parsing algorithm browsers use) and walk the tree. Never regular expressions over HTML.
import type { Element, Root, RootContent } from 'hast';
import { fromHtml } from 'hast-util-from-html';

/** Elements that can run script, load or embed content, or restyle or redirect the page. */
export const FORBIDDEN_ELEMENTS = new Set([
  'applet',
  'base',
  'embed',
  'form',
  'frame',
  'frameset',
  'iframe',
  'link',
  'math',
  'meta',
  'object',
  'script',
  'style',
  'svg',
  'template',
]);

/** Properties holding URLs that a browser fetches or navigates to (hast names, lower-cased). */
export const URL_PROPERTIES = new Set([
  'action',
  'background',
  'cite',
  'codebase',
  'data',
  'formaction',
  'href',
  'icon',
  'longdesc',
  'manifest',
  'ping',
  'poster',
  'src',
  'srcset',
  'xlinkhref',
]);

/** Parses a fragment of HTML as a browser would inside `<body>`. */
export function parseHtml(html: string): Root {
  return fromHtml(html, { fragment: true });
}

/** Every element of a tree, in document order (template contents included). */
export function elementsOf(tree: Root): Element[] {
  const found: Element[] = [];
  const walk = (nodes: readonly RootContent[]): void => {
    for (const node of nodes) {
      if (node.type !== 'element') continue;
      found.push(node);
      walk(node.children);
      if (node.content) walk(node.content.children);
    }
  };
  walk(tree.children);
  return found;
}

/** Whether a browser would treat `value` as a `javascript:`, `vbscript:` or `data:` URL. */
export function isDangerousUrl(value: string): boolean {
  // Browsers ignore leading and trailing C0 controls and spaces, and tabs and newlines anywhere.
  const squeezed = value.replace(/[\u0000-\u0020\u007f]/g, '').toLowerCase();
  if (/^(?:javascript|vbscript|data):/.test(squeezed)) return true;
  try {
    return ['javascript:', 'vbscript:', 'data:'].includes(new URL(value, 'https://base.example/').protocol);
  } catch {
    return false;
  }
}

/** Everything unsafe in `html`, described; empty when it is safe. */
export function findViolations(html: string): string[] {
  const violations: string[] = [];
  for (const element of elementsOf(parseHtml(html))) {
    if (FORBIDDEN_ELEMENTS.has(element.tagName)) violations.push(`<${element.tagName}> element`);
    for (const [name, value] of Object.entries(element.properties)) {
      const key = name.toLowerCase();
      if (key.startsWith('on')) violations.push(`${name} attribute on <${element.tagName}>`);
      if (key === 'style') violations.push(`style attribute on <${element.tagName}>`);
      if (!URL_PROPERTIES.has(key) || value === null || value === undefined) continue;
      const values = Array.isArray(value) ? value.map(String) : [String(value)];
      if (key === 'srcset') values.push(...values.flatMap((v) => v.split(',').map((part) => part.trim())));
      for (const url of values) {
        if (isDangerousUrl(url)) violations.push(`${name}=${JSON.stringify(url)} on <${element.tagName}>`);
      }
    }
  }
  return violations;
}
