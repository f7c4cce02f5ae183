import type { Element, Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { toString as hastToString } from 'hast-util-to-string';
import { visit } from 'unist-util-visit';

/** A page parsed as a browser would, with every parse error the HTML parser reports. */
export function parsePage(markup: string): { tree: Root; errors: string[] } {
  const errors: string[] = [];
  const tree = fromHtml(markup, {
    onerror: (error) => {
      errors.push(`${error.ruleId ?? 'parse-error'} at ${error.place ? JSON.stringify(error.place) : '?'}`);
    },
  });
  return { tree, errors };
}

/** Every element that matches, in document order. */
export function findAll(tree: Root | Element, test: (element: Element) => boolean): Element[] {
  const found: Element[] = [];
  visit(tree, 'element', (element: Element) => {
    if (test(element)) found.push(element);
  });
  return found;
}

/** The one element that matches; throws when there is none or more than one. */
export function findOne(tree: Root | Element, test: (element: Element) => boolean): Element {
  const found = findAll(tree, test);
  if (found.length !== 1) throw new Error(`expected one matching element, found ${found.length}`);
  return found[0]!;
}

/** Elements by tag name and, optionally, class. */
export function byTag(tagName: string, className?: string): (element: Element) => boolean {
  return (element) =>
    element.tagName === tagName &&
    (className === undefined ||
      (Array.isArray(element.properties.className) && element.properties.className.includes(className)));
}

/** The text of an element, as `textContent` gives it. */
export function text(node: Root | Element): string {
  return hastToString(node);
}

/** The URL-valued attributes of HTML, as hast names them. */
const URL_PROPERTIES = [
  'href',
  'src',
  'action',
  'formAction',
  'cite',
  'poster',
  'data',
  'background',
  'longDesc',
  'manifest',
  'ping',
  'srcSet',
  'itemId',
];

/** What could run script in a page: script elements, event handler attributes, javascript: URLs. */
/** A `<script type="application/ld+json">` data block holding JSON and nothing else. */
function isJsonLd(element: Element): boolean {
  if (element.properties.type !== 'application/ld+json') return false;
  if (element.children.some((child) => child.type !== 'text')) return false;
  const json = element.children.map((child) => (child.type === 'text' ? child.value : '')).join('');
  try {
    JSON.parse(json);
    return true;
  } catch {
    return false;
  }
}

export function scriptHazards(tree: Root): string[] {
  const hazards: string[] = [];
  visit(tree, 'element', (element: Element) => {
    // A JSON-LD data block is not run; any other script is a hazard, and so is a data block whose
    // text is not JSON (the page's markup would then have reached into it).
    if (element.tagName === 'script' && !isJsonLd(element)) hazards.push('<script>');
    for (const [name, value] of Object.entries(element.properties)) {
      if (/^on/i.test(name)) hazards.push(`${element.tagName}[${name}]`);
      if (!URL_PROPERTIES.includes(name)) continue;
      for (const item of Array.isArray(value) ? value : [value]) {
        // Browsers drop tabs, newlines and leading controls or spaces before they read the scheme.
        const url = String(item)
          .replace(/[\t\n\r]/g, '')
          .replace(/^[\u0000-\u0020]+/, '');
        if (/^(javascript|vbscript|data):/i.test(url)) hazards.push(`${element.tagName}[${name}=${url}]`);
      }
    }
  });
  return hazards;
}
