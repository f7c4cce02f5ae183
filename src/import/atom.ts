import { htmlToText } from './html-to-markdown';
import { child, children, childText, type XmlElement } from './xml-stream';

/** The Atom 1.0 namespace. */
export const ATOM_NS = 'http://www.w3.org/2005/Atom';

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;');
}

/** XHTML content back to HTML text: the children of the `<div>` Atom wraps it in. */
function serialize(parts: Array<XmlElement | string>): string {
  return parts
    .map((part) => {
      if (typeof part === 'string') return escapeText(part);
      const attributes = Object.entries(part.attributes)
        .map(([name, value]) => ` ${name}="${escapeAttribute(value)}"`)
        .join('');
      return `<${part.local}${attributes}>${serialize(part.parts)}</${part.local}>`;
    })
    .join('');
}

/**
 * The HTML of an Atom text construct (RFC 4287 §3.1): `type="html"` as it is, `"xhtml"` serialized
 * from its `<div>`, `"text"` (the default) escaped into a paragraph.
 */
export function atomHtml(element: XmlElement): string {
  const type = element.attributes.type ?? 'text';
  if (type === 'html' || type === 'text/html') return element.text;
  if (type === 'xhtml') {
    const div = child(element, 'div');
    return div ? serialize(div.parts) : serialize(element.parts);
  }
  return element.text.trim() === '' ? '' : `<p>${escapeText(element.text)}</p>`;
}

/** The plain text of an Atom text construct (a title): text as it is, HTML and XHTML without tags. */
export function atomText(element: XmlElement | undefined): string {
  if (!element) return '';
  const type = element.attributes.type ?? 'text';
  if (type === 'text') return element.text.trim();
  return htmlToText(atomHtml(element));
}

/** The `href` of an entry's first link with this `rel` (`alternate` when a link has none). */
export function atomLink(entry: XmlElement, rel: string): string | undefined {
  const link = children(entry, 'link', ATOM_NS).find((node) => (node.attributes.rel ?? 'alternate') === rel);
  return link?.attributes.href;
}

/** An entry's first author: its name and, when it has one, its `uri`. */
export function atomAuthor(entry: XmlElement): { name: string; url?: string } | undefined {
  const author = child(entry, 'author', ATOM_NS);
  const name = author ? childText(author, 'name', ATOM_NS) : undefined;
  if (!author || !name) return undefined;
  const url = childText(author, 'uri', ATOM_NS);
  return url ? { name, url } : { name };
}
