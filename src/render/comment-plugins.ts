// The restrictions on visitors' comments that are about markdown constructs, applied to the syntax
// trees (never to HTML strings): raw HTML, headings, images and footnotes.
import type { Element, ElementContent, Root as HastRoot, RootContent as HastRootContent } from 'hast';
import type {
  Definition,
  Link,
  Nodes,
  Paragraph,
  Parent,
  PhrasingContent,
  Root,
  RootContent,
  Text,
} from 'mdast';

/** Parents whose children are blocks: raw HTML there becomes a paragraph of text, elsewhere just text. */
const BLOCK_PARENTS = new Set(['root', 'blockquote', 'listItem', 'footnoteDefinition']);

/** `rel` of every link in a comment. */
export const COMMENT_LINK_REL = ['nofollow', 'ugc', 'noopener'];

function text(value: string, from?: Nodes): Text {
  return from?.position ? { type: 'text', value, position: from.position } : { type: 'text', value };
}

function isHttpOrRelative(url: string): boolean {
  try {
    const { protocol } = new URL(url, 'https://broadsheet.invalid/');
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * An image turned into a link to its URL (text: the alt text, else the URL), or just its alt text
 * when the URL is not http(s) or the image is already inside a link (links cannot nest).
 */
function imageReplacement(
  url: string,
  title: string | null | undefined,
  alt: string,
  from: Nodes,
  inLink: boolean,
): PhrasingContent {
  if (inLink) return text(alt || url, from);
  if (!isHttpOrRelative(url)) return text(alt, from);
  const link: Link = { type: 'link', url, title, children: [text(alt || url, from)] };
  if (from.position) link.position = from.position;
  return link;
}

function collectDefinitions(node: Nodes, into: Map<string, Definition>): void {
  if (node.type === 'definition') {
    if (!into.has(node.identifier)) into.set(node.identifier, node);
    return;
  }
  if ('children' in node) for (const child of node.children) collectDefinitions(child, into);
}

/**
 * The replacement for one node, or `undefined` to keep it (and look inside it). An array is spliced
 * into the parent.
 */
function replacement(
  node: RootContent,
  parent: Parent,
  definitions: Map<string, Definition>,
  inLink: boolean,
): RootContent | RootContent[] | undefined {
  switch (node.type) {
    case 'html': {
      const value = text(node.value, node);
      if (!BLOCK_PARENTS.has(parent.type)) return value;
      const paragraph: Paragraph = { type: 'paragraph', children: [value] };
      if (node.position) paragraph.position = node.position;
      return paragraph;
    }
    case 'heading': {
      const paragraph: Paragraph = { type: 'paragraph', children: node.children };
      if (node.position) paragraph.position = node.position;
      return paragraph;
    }
    case 'image':
      return imageReplacement(node.url, node.title, node.alt ?? '', node, inLink);
    case 'imageReference': {
      const definition = definitions.get(node.identifier);
      const alt = node.alt ?? '';
      return definition
        ? imageReplacement(definition.url, definition.title, alt, node, inLink)
        : text(alt, node);
    }
    case 'footnoteReference':
      return text(`[^${node.label ?? node.identifier}]`, node);
    case 'footnoteDefinition': {
      const marker = text(`[^${node.label ?? node.identifier}]: `, node);
      const [first, ...rest] = node.children;
      if (first?.type === 'paragraph') return [{ ...first, children: [marker, ...first.children] }, ...rest];
      return [{ type: 'paragraph', children: [marker] }, ...node.children];
    }
    default:
      return undefined;
  }
}

function restrict(parent: Parent, definitions: Map<string, Definition>, inLink: boolean): void {
  const children: RootContent[] = [];
  const pending: RootContent[] = [...parent.children];
  for (let index = 0; index < pending.length; index++) {
    const node = pending[index] as RootContent;
    const replaced = replacement(node, parent, definitions, inLink);
    if (Array.isArray(replaced)) {
      // A footnote definition's content may itself hold raw HTML, images, …: look at it again.
      pending.splice(index + 1, 0, ...replaced);
      continue;
    }
    const kept = replaced ?? node;
    if ('children' in kept) {
      restrict(kept, definitions, inLink || kept.type === 'link' || kept.type === 'linkReference');
    }
    children.push(kept);
  }
  parent.children = children;
}

/**
 * Remark plugin for comments: raw HTML becomes the text it was written as, headings become
 * paragraphs, images become links to their URL (or their alt text when the URL is not http(s)),
 * and footnote references and definitions become the text they were written as (`[^1]`).
 */
export function remarkCommentRestrictions() {
  return (tree: Root): undefined => {
    const definitions = new Map<string, Definition>();
    collectDefinitions(tree, definitions);
    restrict(tree, definitions, false);
  };
}

/**
 * Rehype plugin for comments, after the sanitizer and URL checks: a link whose URL was removed
 * becomes its text, and every remaining link gets `rel="nofollow ugc noopener"`.
 */
export function rehypeCommentLinks() {
  const visit = (parent: HastRoot | Element): void => {
    const children: HastRootContent[] = [];
    for (const node of parent.children) {
      if (node.type !== 'element') {
        children.push(node);
        continue;
      }
      visit(node);
      if (node.tagName === 'a' && typeof node.properties.href !== 'string') {
        children.push(...(node.children as ElementContent[]));
        continue;
      }
      if (node.tagName === 'a') node.properties.rel = [...COMMENT_LINK_REL];
      children.push(node);
    }
    parent.children = children as typeof parent.children;
  };
  return (tree: HastRoot): undefined => {
    visit(tree);
  };
}
