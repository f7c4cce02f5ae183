// Markdown to sanitised HTML at two trust levels. The threat model is in docs/security.md and the
// reasons for the pipeline's shape in docs/decisions/rendering.md.
import type { Root as HastRoot } from 'hast';
import type { PluggableList } from 'unified';
import { BroadsheetError } from '../errors';
import type { Heading } from '../site/types';
import { documentInfo } from './document-info';
import { renderData } from './file-data';
import type { RenderProcessor } from './pipeline';
import type { AssetProblem, PostAssets } from './rehype-assets';

/** Who wrote the markdown: the site's authors (`post`) or visitors (`comment`). */
export type Trust = 'post' | 'comment';

/** Options of {@link renderMarkdown}. */
export interface RenderOptions {
  trust: Trust;
  /**
   * Absolute URL of the page the HTML appears on; every relative `href` and `src` is resolved
   * against it. Fragment-only links (`#fn-1`) stay fragments. Without it, relative URLs stay relative.
   */
  url?: string;
  /** Trusted remark plugins, run on posts only, before the sanitizer (their output is sanitised). */
  remarkPlugins?: PluggableList;
  /** Trusted rehype plugins, run on posts only, after the sanitizer (their output is not sanitised). */
  rehypePlugins?: PluggableList;
}

/** What rendering a markdown document gives. */
export interface RenderResult {
  /** Sanitised HTML (a fragment, no comments). */
  html: string;
  /**
   * Plain text: the text before `<!-- more -->` when the document has that marker, else its first
   * paragraph with text; white space collapsed, footnote reference numbers left out.
   */
  summary: string;
  /** Every heading in document order (none in comments, whose headings become paragraphs). */
  headings: Heading[];
  /** Words of the text a reader sees (each Han, Hiragana or Katakana character counts as a word). */
  wordCount: number;
  /** Minutes at 200 words a minute, at least 1. */
  readingTime: number;
  /**
   * Only when the document was rendered with its post's files (`assets`) and some relative
   * reference cannot be published: where each is in the markdown, and why.
   */
  assetProblems?: AssetProblem[];
}

/** Options fixed for every document a renderer renders. */
export type RendererOptions = Omit<RenderOptions, 'url'>;

/** What a renderer from {@link createMarkdownRenderer} is told of one document. */
export interface RenderDocument {
  /** Absolute URL of the page the HTML appears on (see `RenderOptions.url`). */
  url?: string;
  /**
   * A post's own files (with `url`, posts only): relative references into the post's folder are
   * checked against them and images among them get `width` and `height` (`result.assetProblems`).
   */
  assets?: PostAssets;
}

/** One document's render, by a renderer from {@link createMarkdownRenderer}. */
export type MarkdownRenderer = (markdown: string, document?: RenderDocument) => Promise<RenderResult>;

/**
 * The two steps of the pipelines that stand in for a stock plugin only to be faster: GFM (remark-gfm)
 * and parsing raw HTML in posts (rehype-raw). The tests render with the stock plugins too and compare.
 */
export interface RenderSteps {
  /** Adds GitHub Flavored Markdown to remark-parse. */
  gfm: PluggableList;
  /** Parses raw HTML in posts. */
  raw: PluggableList;
}

/**
 * Markdown nested thousands of levels deep (`>>>>…`, `<div><div>…`) overflows the call stack in the
 * recursive tree utilities of unified (hast-util-from-parse5 at ~2000 levels, among others). Such a
 * document is shown as plain text instead: one paragraph per blank-line-separated block.
 */
function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}

function plainTextTree(markdown: string): HastRoot {
  const blocks = markdown
    .split(/(?:\r\n?|\n)[\t ]*(?:\r\n?|\n)/)
    .map((block) => block.trim())
    .filter(Boolean);
  const tree: HastRoot = { type: 'root', children: [] };
  for (const [index, block] of blocks.entries()) {
    if (index > 0) tree.children.push({ type: 'text', value: '\n' });
    tree.children.push({
      type: 'element',
      tagName: 'p',
      properties: {},
      children: [{ type: 'text', value: block }],
    });
  }
  return tree;
}

function checkOptions(options: RendererOptions): void {
  if (options?.trust !== 'post' && options?.trust !== 'comment') {
    throw new BroadsheetError(
      'invalid-argument',
      `trust must be 'post' or 'comment', got ${String(options?.trust)}`,
    );
  }
  if (options.trust === 'comment' && (options.remarkPlugins?.length || options.rehypePlugins?.length)) {
    throw new BroadsheetError('invalid-argument', 'plugins run on posts only: a comment renderer takes none');
  }
}

function checkUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  if (typeof url !== 'string' || !URL.canParse(url)) {
    throw new BroadsheetError('invalid-argument', `url must be an absolute URL, got ${JSON.stringify(url)}`);
  }
  return url;
}

/**
 * Builds the pipeline for a trust level once and returns a function that renders many documents
 * with it (what `loadSite` does for a whole site). Throws {@link BroadsheetError} for an unknown
 * trust level, for plugins given to a comment renderer and, per document, for a non-string
 * document or a URL that is not absolute; any markdown text renders.
 *
 * @example
 * ```ts
 * const renderPost = createMarkdownRenderer({ trust: 'post' });
 * const { html, summary, headings } = await renderPost('# Hi\n\nSee [the next post](../next/).', {
 *   url: 'https://example.com/blog/posts/hi/',
 * });
 * // html: '<h1 id="hi">Hi</h1>\n<p>See <a href="https://example.com/blog/posts/next/">the next post</a>.</p>'
 * ```
 */
export function createMarkdownRenderer(options: RendererOptions): MarkdownRenderer {
  return createMarkdownRendererWithSteps(options, {});
}

/**
 * {@link createMarkdownRenderer} with some of its {@link RenderSteps} replaced: how the tests render
 * with the stock plugins (`{ gfm: [remarkGfm], raw: [rehypeRaw] }`) to compare. Not part of the
 * package's API.
 */
export function createMarkdownRendererWithSteps(
  options: RendererOptions,
  steps: Partial<RenderSteps>,
): MarkdownRenderer {
  checkOptions(options);
  // The lists as they are now: the pipeline is built later.
  const fixed: RendererOptions = {
    ...options,
    remarkPlugins: options.remarkPlugins && [...options.remarkPlugins],
    rehypePlugins: options.rehypePlugins && [...options.rehypePlugins],
  };
  // Built at the first render: the pipeline's modules are loaded only when something is rendered.
  let building: Promise<RenderProcessor> | undefined;
  return async (markdown, document) => {
    if (typeof markdown !== 'string') {
      throw new BroadsheetError('invalid-argument', `markdown must be a string, got ${typeof markdown}`);
    }
    const baseUrl = checkUrl(document?.url);
    building ??= import('./pipeline').then((pipeline) => pipeline.buildProcessor(fixed, steps));
    const processor = await building;
    try {
      const assets = options.trust === 'post' ? document?.assets : undefined;
      const file = await processor.process({ value: markdown, data: { broadsheet: { baseUrl, assets } } });
      const { info, assetProblems } = renderData(file);
      if (!info) throw new BroadsheetError('internal', 'the render pipeline did not finish');
      return { html: String(file.value), ...info, ...(assetProblems ? { assetProblems } : {}) };
    } catch (error) {
      if (!isStackOverflow(error)) throw error;
      const tree = plainTextTree(markdown);
      return { html: processor.stringify(tree), ...documentInfo(tree) };
    }
  };
}

/**
 * Renders one markdown document to sanitised HTML at a trust level. Builds the pipeline each
 * call: to render many documents, use {@link createMarkdownRenderer}.
 *
 * @example
 * ```ts
 * const { html } = await renderMarkdown('Nice post! <script>alert(1)</script>', { trust: 'comment' });
 * // html: '<p>Nice post! &#x3C;script>alert(1)&#x3C;/script></p>'
 * ```
 */
export function renderMarkdown(markdown: string, options: RenderOptions): Promise<RenderResult> {
  const { url, ...rendererOptions } = options ?? ({} as RenderOptions);
  return createMarkdownRenderer(rendererOptions)(markdown, { url });
}
