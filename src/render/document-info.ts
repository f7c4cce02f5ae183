// What a rendered document says about itself: summary, headings, word count. Read from the final
// hast tree (after the sanitizer and the user's plugins), so it describes the HTML that is written.
import type { Element, ElementContent, Root, RootContent } from 'hast';
import type { Heading } from '../site/types';

/** Words a minute used for {@link DocumentInfo.readingTime}: a common figure for reading prose on screen. */
export const WORDS_PER_MINUTE = 200;

/** The computed parts of a render result. */
export interface DocumentInfo {
  summary: string;
  headings: Heading[];
  wordCount: number;
  readingTime: number;
}

const BLOCK_ELEMENTS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'br',
  'dd',
  'details',
  'div',
  'dl',
  'dt',
  'figcaption',
  'figure',
  'footer',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'ul',
]);

const HEADING_DEPTH: Record<string, number> = { h1: 1, h2: 2, h3: 3, h4: 4, h5: 5, h6: 6 };

/** Scripts written without spaces between words: each character counts as a word. */
const CHARACTER_WORDS = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/gu;
const HAS_CHARACTER_WORDS = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
/** A word in a script with spaces: letters, marks and digits, with inner apostrophes (`don't`). */
const SPACED_WORD = /[\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}\p{N}]+)*/gu;

type Node = Root | RootContent | ElementContent;

function isElement(node: Node): node is Element {
  return node.type === 'element';
}

function hasClass(node: Element, name: string): boolean {
  const value = node.properties.className;
  return Array.isArray(value) ? value.includes(name) : value === name;
}

/** The footnotes section markdown adds at the end of a post (`<section data-footnotes>`). */
function isFootnotesSection(node: Element): boolean {
  return node.tagName === 'section' && node.properties.dataFootnotes !== undefined;
}

/** Pieces of markup that are navigation, not prose: footnote reference numbers and back-links. */
function isApparatus(node: Element): boolean {
  return (
    (node.tagName === 'a' &&
      (node.properties.dataFootnoteRef !== undefined || node.properties.dataFootnoteBackref !== undefined)) ||
    hasClass(node, 'sr-only')
  );
}

/** Whether `node` is the `<!-- more -->` marker. */
function isMoreMarker(node: Node): boolean {
  return node.type === 'comment' && node.value.trim().toLowerCase() === 'more';
}

/**
 * Collects the reader-visible text of `nodes`, with a space at block boundaries, until `stop`
 * returns true for a node. Returns the text and whether it stopped.
 */
function collectText(
  nodes: readonly Node[],
  stop?: (node: Node) => boolean,
): { text: string; stopped: boolean } {
  const parts: string[] = [];
  let stopped = false;
  const walk = (list: readonly Node[]): void => {
    for (const node of list) {
      if (stopped) return;
      if (stop?.(node)) {
        stopped = true;
        return;
      }
      if (node.type === 'text') parts.push(node.value);
      else if (isElement(node)) {
        if (isApparatus(node)) continue;
        const block = BLOCK_ELEMENTS.has(node.tagName);
        if (block) parts.push(' ');
        walk(node.children);
        if (block) parts.push(' ');
      } else if (node.type === 'root') walk(node.children);
    }
  };
  walk(nodes);
  return { text: parts.join(''), stopped };
}

/** Collapses every run of white space to one space and trims. */
function normalizeSpace(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

/** Whether a UTF-16 code unit below 128 is a letter or digit (`[\p{L}\p{M}\p{N}]` among ASCII characters). */
function isAsciiWordCharacter(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57);
}

/** {@link countWords} for any text: the scripts without spaces, then one `match` of the words. */
function countWordsByPattern(text: string): number {
  let count = 0;
  // Most text has no such characters: one test is cheaper than a replace that finds nothing.
  const spaced = HAS_CHARACTER_WORDS.test(text)
    ? text.replace(CHARACTER_WORDS, () => {
        count++;
        return ' ';
      })
    : text;
  return count + (spaced.match(SPACED_WORD)?.length ?? 0);
}

/**
 * Counts words: runs of letters and digits (an inner apostrophe does not split one), and each
 * Han, Hiragana or Katakana character, as those scripts do not put spaces between words.
 */
export function countWords(text: string): number {
  // ASCII text (most of it) in one pass without a regular expression: a word starts at a letter or
  // digit that follows neither another one nor an apostrophe that follows one. The first other
  // character hands the whole text to the patterns, which give the same count for ASCII text.
  let count = 0;
  let inWord = false;
  let afterApostrophe = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 128) return countWordsByPattern(text);
    if (isAsciiWordCharacter(code)) {
      if (!inWord && !afterApostrophe) count++;
      inWord = true;
      afterApostrophe = false;
    } else {
      afterApostrophe = inWord && code === 39; // '
      inWord = false;
    }
  }
  return count;
}

function summaryOf(tree: Root): string {
  const beforeMarker = collectText([tree], isMoreMarker);
  if (beforeMarker.stopped) return normalizeSpace(beforeMarker.text);
  const paragraphs = tree.children.filter((node): node is Element => isElement(node) && node.tagName === 'p');
  for (const paragraph of paragraphs) {
    const text = normalizeSpace(collectText([paragraph]).text);
    if (text) return text;
  }
  let found = '';
  const search = (nodes: readonly Node[]): void => {
    for (const node of nodes) {
      if (found || !isElement(node) || isFootnotesSection(node)) continue;
      if (node.tagName === 'p') found = normalizeSpace(collectText([node]).text);
      else search(node.children);
    }
  };
  search(tree.children);
  return found;
}

function headingsOf(tree: Root): Heading[] {
  const headings: Heading[] = [];
  const walk = (nodes: readonly Node[]): void => {
    for (const node of nodes) {
      if (!isElement(node) || isFootnotesSection(node)) continue;
      const depth = HEADING_DEPTH[node.tagName];
      if (depth === undefined) {
        walk(node.children);
        continue;
      }
      const id = node.properties.id;
      headings.push({
        depth,
        text: normalizeSpace(collectText([node]).text),
        id: typeof id === 'string' ? id : '',
      });
    }
  };
  walk(tree.children);
  return headings;
}

/** Reads summary, headings, word count and reading time from a finished tree. */
export function documentInfo(tree: Root): DocumentInfo {
  const wordCount = countWords(collectText([tree]).text);
  return {
    summary: summaryOf(tree),
    headings: headingsOf(tree),
    wordCount,
    readingTime: Math.max(1, Math.ceil(wordCount / WORDS_PER_MINUTE)),
  };
}

/** Removes white space text before the first and after the last node of the document. */
export function trimDocument(tree: Root): void {
  const isBlank = (node: Node | undefined): boolean => node?.type === 'text' && node.value.trim() === '';
  while (isBlank(tree.children[0])) tree.children.shift();
  while (isBlank(tree.children.at(-1))) tree.children.pop();
}

/** Removes every comment node (the sanitizer keeps them in posts only for `<!-- more -->`). */
export function removeComments(parent: Root | Element): void {
  const isBlank = (node: Node | undefined): boolean => node?.type === 'text' && node.value.trim() === '';
  const kept: Node[] = [];
  const children: readonly Node[] = parent.children;
  for (let index = 0; index < children.length; index++) {
    const node = children[index] as Node;
    if (node.type !== 'comment') {
      kept.push(node);
      if (isElement(node)) removeComments(node);
      continue;
    }
    // A comment on its own line leaves the line breaks on either side: keep one of them.
    if (isBlank(kept.at(-1)) && isBlank(children[index + 1])) index++;
  }
  parent.children = kept as typeof parent.children;
}
