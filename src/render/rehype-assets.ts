// A post's own files (a post folder's images, PDFs…): relative references to them are checked
// (a missing one is a problem at its line and column), images get their size, and every image but
// the first loads lazily. Runs on posts only, after the sanitizer and before URLs are made absolute.
// Decisions: docs/decisions/post-assets.md.
import type { Element, Root } from 'hast';
import type { VFile } from 'vfile';
import { renderData } from './file-data';
import { forEachElement } from './rehype-urls';

/** What the build knows of one file of a post's folder: an image's size, read from its header. */
export interface AssetFact {
  width?: number;
  height?: number;
}

/**
 * A post's files, handed to its render (the render reads no file itself: worker threads render too).
 * `files` is keyed by the path inside the post's folder (`pic.png`, `files/a.pdf`), `/`-separated.
 */
export interface PostAssets {
  /** `site.url`: a relative reference that climbs above it leads out of the site. */
  siteUrl: string;
  files: Readonly<Record<string, AssetFact>>;
}

/**
 * A relative reference that cannot be published: to a file of the post's folder that is not there
 * (`missing`), or climbing above the site's root (`outside`). Line and column are in the markdown.
 */
export interface AssetProblem {
  line: number;
  column: number;
  /** The reference as the HTML had it (`./pic.png`). */
  reference: string;
  reason: 'missing' | 'outside';
}

/** Paths inside a post's folder that the build writes itself: links to them are not to files of the post. */
function isGeneratedPath(inside: string): boolean {
  return inside === 'index.html' || inside.startsWith('comments/');
}

/** A path segment percent-decoded, as a static host finds the file; kept as written when that would split it. */
function decodeSegment(segment: string): string {
  try {
    const decoded = decodeURIComponent(segment);
    return /[/\\]/.test(decoded) ? segment : decoded;
  } catch {
    return segment;
  }
}

/** The path segments of `url` below the path of `siteUrl`, or `undefined` when it is not below it. */
function segmentsBelow(url: string, siteUrl: string): string[] | undefined {
  const page = URL.canParse(url) ? new URL(url) : undefined;
  const site = URL.canParse(siteUrl) ? new URL(siteUrl) : undefined;
  if (!page || !site || page.origin !== site.origin) return undefined;
  const sitePath = site.pathname.endsWith('/') ? site.pathname : `${site.pathname}/`;
  if (!page.pathname.startsWith(sitePath)) return undefined;
  return page.pathname
    .slice(sitePath.length)
    .split('/')
    .filter((segment) => segment !== '')
    .map(decodeSegment);
}

/**
 * Where a relative reference leads from a post's page, as a path inside the post's folder:
 * `{inside}` for a file of the folder, `{outside: true}` when it climbs above the site's root,
 * `undefined` for what is not the post's (an absolute URL, a path from the root, a fragment, a
 * query, another post or page, the post's own generated files).
 */
export function postFileOf(
  reference: string,
  pageSegments: readonly string[],
): { inside: string } | { outside: true } | undefined {
  if (reference === '' || /^[#?/]/.test(reference) || URL.canParse(reference)) return undefined;
  // A reference of scheme-like shape that does not parse (`a:b` with odd characters) is no path either.
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(reference)) return undefined;
  const pathPart = reference.replace(/[?#][\s\S]*$/, '');
  const segments = pathPart.split('/');
  const at = [...pageSegments];
  for (const [index, raw] of segments.entries()) {
    const segment = decodeSegment(raw);
    if (segment === '.' || (segment === '' && index < segments.length - 1)) continue;
    if (segment === '..') {
      if (at.length === 0) return { outside: true };
      at.pop();
      continue;
    }
    // A trailing `/` is the folder's `index.html`, as a static host serves it.
    at.push(segment === '' ? 'index.html' : segment);
  }
  const isOwn =
    at.length > pageSegments.length && pageSegments.every((segment, index) => at[index] === segment);
  if (!isOwn) return undefined;
  const inside = at.slice(pageSegments.length).join('/');
  return isGeneratedPath(inside) ? undefined : { inside };
}

/** 1-based line and column of `offset` in `text`. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (
    let index = text.indexOf('\n');
    index !== -1 && index < offset;
    index = text.indexOf('\n', index + 1)
  ) {
    line += 1;
    lineStart = index + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** Where `reference` is written in the markdown: inside the node's source when found there, else the node's start. */
function positionOf(node: Element, reference: string, markdown: string): { line: number; column: number } {
  const start = node.position?.start;
  if (!start) return { line: 1, column: 1 };
  const end = node.position?.end;
  if (start.offset !== undefined && end?.offset !== undefined) {
    const source = markdown.slice(start.offset, end.offset);
    for (const written of new Set([reference, decodeSegment(reference), encodeURI(reference)])) {
      const found = source.lastIndexOf(written);
      if (found !== -1) return lineAndColumn(markdown, start.offset + found);
    }
  }
  return { line: start.line, column: start.column };
}

/**
 * The rehype plugin: every `<img>` after the first gets `loading="lazy"`; with the post's files
 * (`renderData(file).assets`) and its page's URL, each relative `href` and `src` that leads into
 * the post's folder must name one of its files (an image among them gets `width` and `height`
 * unless it has either), and none may climb above the site's root; the others are recorded in
 * `renderData(file).assetProblems`.
 */
export function rehypePostAssets() {
  return (tree: Root, file: VFile): undefined => {
    const data = renderData(file);
    const { assets, baseUrl } = data;
    const pageSegments = assets && baseUrl ? segmentsBelow(baseUrl, assets.siteUrl) : undefined;
    const problems: AssetProblem[] = [];
    const markdown = String(file.value);
    let images = 0;
    forEachElement(tree, (node) => {
      if (assets && pageSegments) checkReferences(node, assets.files, pageSegments, markdown, problems);
      if (node.tagName === 'img') {
        images += 1;
        if (images > 1 && node.properties.loading == null) node.properties.loading = 'lazy';
      }
    });
    if (problems.length > 0) data.assetProblems = problems;
  };
}

/**
 * Checks an element's `href` and `src` against a post's files: a reference into the post's folder
 * must name one of them (an image among them is sized unless it has a width or height), and none
 * may climb above the site's root; the others go to `problems`.
 */
function checkReferences(
  node: Element,
  files: PostAssets['files'],
  pageSegments: readonly string[],
  markdown: string,
  problems: AssetProblem[],
): void {
  for (const name of ['href', 'src'] as const) {
    const value = node.properties[name];
    if (typeof value !== 'string') continue;
    const target = postFileOf(value, pageSegments);
    if (!target) continue;
    const fact = 'inside' in target && Object.hasOwn(files, target.inside) ? files[target.inside] : undefined;
    if (!fact) {
      const at = positionOf(node, value, markdown);
      problems.push({ ...at, reference: value, reason: 'outside' in target ? 'outside' : 'missing' });
      continue;
    }
    const sized = node.properties.width != null || node.properties.height != null;
    if (node.tagName === 'img' && name === 'src' && !sized && fact.width && fact.height) {
      node.properties.width = fact.width;
      node.properties.height = fact.height;
    }
  }
}
