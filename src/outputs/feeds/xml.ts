/**
 * A small XML 1.0 writer for the RSS and Atom feeds: a tree of elements and text, serialised with
 * one escaping function. No CDATA sections anywhere, so no `]]>` can ever end one early.
 */

/**
 * Every character XML 1.0 cannot carry, even as a character reference: C0 controls other than tab,
 * line feed and carriage return, lone surrogates, U+FFFE and U+FFFF (XML 1.0 §2.2, production `Char`).
 * With the `u` flag a lone surrogate is one code point and falls outside every allowed range.
 */
const NOT_XML_CHARACTER = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
/** Text without these (most text) has no character to drop: the `u`-flag scan above is skipped. */
const MAY_NEED_DROPPING = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD]/;

/** Characters that change meaning inside XML character data (`>` too, so that `]]>` never appears). */
const TEXT_SPECIAL = /[&<>\r]/g;
/** Inside a double-quoted attribute value, white space is also normalised by parsers, so it is escaped. */
const ATTRIBUTE_SPECIAL = /[&<>"\t\n\r]/g;

/**
 * Any character {@link escapeXml} may change in text: `TEXT_SPECIAL` and those of `MAY_NEED_DROPPING`
 * (a surrogate, even of a pair, is only a character that may need dropping). Text without one is
 * returned as it is, after a single scan.
 */
const TEXT_MAY_CHANGE = /[&<>\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;
/** The same for attribute values: `ATTRIBUTE_SPECIAL` and those of `MAY_NEED_DROPPING`. */
const ATTRIBUTE_MAY_CHANGE = /[&<>"\t\n\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

const REFERENCES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\t': '&#9;',
  '\n': '&#10;',
  // A raw carriage return is turned into a line feed by every XML parser (XML 1.0 §2.11).
  '\r': '&#13;',
};

/**
 * Drops the characters XML 1.0 cannot carry and leaves every other character as it is.
 *
 * @example
 * ```ts
 * xmlCharacters('a\u0000b\uFFFFc'); // 'abc'
 * ```
 */
export function xmlCharacters(text: string): string {
  return MAY_NEED_DROPPING.test(text) ? text.replace(NOT_XML_CHARACTER, '') : text;
}

/**
 * The same characters as hexadecimal character references, for RSS elements that hold plain text:
 * the RSS Best Practices Profile asks for `&#x26;` and `&#x3C;` there, which readers that take an RSS
 * title for HTML still show as `&` and `<` (the W3C validator warns `CharacterData` otherwise).
 */
const HEX_REFERENCES: Record<string, string> = {
  ...REFERENCES,
  '&': '&#x26;',
  '<': '&#x3C;',
  '>': '&#x3E;',
};

/**
 * Escapes text for an XML document: drops what XML 1.0 cannot carry, then writes `&`, `<`, `>`
 * (and in attribute values `"`, tab and line feed) as references, and a carriage return as `&#13;`,
 * so that a conforming parser reads back exactly `xmlCharacters(text)`.
 *
 * @example
 * ```ts
 * escapeXml('a ]]> & <b>', 'text'); // 'a ]]&gt; &amp; &lt;b&gt;'
 * escapeXml('say "hi"', 'attribute'); // 'say &quot;hi&quot;'
 * escapeXml('Tom & <Jerry>', 'plain-text'); // 'Tom &#x26; &#x3C;Jerry&#x3E;'
 * ```
 */
export function escapeXml(text: string, context: 'text' | 'attribute' | 'plain-text'): string {
  // Most text (a URL, a date, a name) has nothing to change: one scan finds that.
  if (!(context === 'attribute' ? ATTRIBUTE_MAY_CHANGE : TEXT_MAY_CHANGE).test(text)) return text;
  const pattern = context === 'attribute' ? ATTRIBUTE_SPECIAL : TEXT_SPECIAL;
  const references = context === 'plain-text' ? HEX_REFERENCES : REFERENCES;
  return xmlCharacters(text).replace(pattern, (character) => references[character]!);
}

/** An XML element: a qualified name, attributes in order, and children (elements or text). */
export interface XmlElement {
  name: string;
  attributes: [name: string, value: string][];
  children: XmlNode[];
  /** Its text is plain text written with hexadecimal references (see {@link plainTextElement}). */
  plainText?: true;
}

/** A child of an element: another element, or text. */
export type XmlNode = XmlElement | string;

/** An attribute value, or `undefined` to leave the attribute out. */
export type XmlAttributeValue = string | number | undefined;

/**
 * Builds an element. Attributes whose value is `undefined` are left out; children that are
 * `undefined`, `null` or `false` are left out, and arrays are flattened, so optional parts read inline.
 *
 * @example
 * ```ts
 * xml('link', { rel: 'self', href: 'https://example.com/atom.xml' });
 * xml('title', {}, 'Tom & Jerry');
 * ```
 */
export function xml(
  name: string,
  attributes: Record<string, XmlAttributeValue> = {},
  ...children: XmlChild[]
): XmlElement {
  const kept: [string, string][] = [];
  for (const key in attributes) {
    if (!Object.hasOwn(attributes, key)) continue;
    const value = attributes[key];
    if (value !== undefined) kept.push([key, String(value)]);
  }
  return { name, attributes: kept, children: flatten(children) };
}

/**
 * An element holding plain text, whose `&`, `<` and `>` are written as hexadecimal character references
 * (`&#x26;`, `&#x3C;`, `&#x3E;`), as the RSS Best Practices Profile asks of RSS titles, names and
 * categories. XML parsers read back the same text.
 *
 * @example
 * ```ts
 * serializeXml(plainTextElement('title', 'Q&A'));
 * // '<?xml version="1.0" encoding="utf-8"?>\n<title>Q&#x26;A</title>\n'
 * ```
 */
export function plainTextElement(name: string, text: string): XmlElement {
  return { name, attributes: [], children: [text], plainText: true };
}

/** What {@link xml} accepts as children. */
export type XmlChild = XmlNode | undefined | null | false | XmlChild[];

function flatten(children: XmlChild[]): XmlNode[] {
  const nodes: XmlNode[] = [];
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) nodes.push(...flatten(child));
    else nodes.push(child);
  }
  return nodes;
}

/**
 * Serialises a document: the XML declaration, then the root element. Elements holding only elements
 * are indented by two spaces a level; an element holding text is written on one line, and its text
 * is written exactly (no white space is added inside it).
 *
 * @example
 * ```ts
 * serializeXml(xml('feed', { xmlns: 'http://www.w3.org/2005/Atom' }, xml('title', {}, 'a < b')));
 * // '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n  <title>a &lt; b</title>\n</feed>\n'
 * ```
 */
export function serializeXml(root: XmlElement): string {
  // One string built as it goes (no array of pieces joined at the end).
  return writeElement(root, '', '<?xml version="1.0" encoding="utf-8"?>\n');
}

/** `out` followed by the element, indented by `indent`, and a line feed. */
function writeElement(element: XmlElement, indent: string, out: string): string {
  const { children } = element;
  if (children.length > 0 && children.every((child) => typeof child !== 'string')) {
    let written = `${out}${indent}${startTag(element)}\n`;
    const inner = `${indent}  `;
    for (const child of children) written = writeElement(child as XmlElement, inner, written);
    return `${written}${indent}</${element.name}>\n`;
  }
  return `${writeInline(element, out + indent)}\n`;
}

/** `out` followed by the element on one line, its text exactly as it is. */
function writeInline(element: XmlElement, out: string): string {
  if (element.children.length === 0) return out + startTag(element, '/>');
  let written = out + startTag(element);
  const context = element.plainText ? 'plain-text' : 'text';
  for (const child of element.children) {
    written = typeof child === 'string' ? written + escapeXml(child, context) : writeInline(child, written);
  }
  return `${written}</${element.name}>`;
}

function startTag(element: XmlElement, end = '>'): string {
  let tag = `<${element.name}`;
  for (const [name, value] of element.attributes) tag += ` ${name}="${escapeXml(value, 'attribute')}"`;
  return tag + end;
}
