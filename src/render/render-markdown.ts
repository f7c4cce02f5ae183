// Minimal first version: the rendering issue replaces this with the full two-trust-level pipeline.
import type { Root as HastRoot } from 'hast';
import { toString as hastToString } from 'hast-util-to-string';
import rehypeSanitize, { defaultSchema } from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { type PluggableList, unified } from 'unified';
import type { Heading } from '../site/types';

/** Who wrote the markdown: the site's authors (`post`) or visitors (`comment`). */
export type Trust = 'post' | 'comment';

/** Options of {@link renderMarkdown}. */
export interface RenderOptions {
  trust: Trust;
  /** Absolute URL of the page the HTML appears on; every `href` and `src` is resolved against it. */
  url?: string;
  /** Trusted remark plugins, run on posts only. */
  remarkPlugins?: PluggableList;
  /** Trusted rehype plugins, run on posts only (after sanitizing). */
  rehypePlugins?: PluggableList;
}

/** What rendering a markdown document gives. */
export interface RenderResult {
  html: string;
  /** Plain text: the text before `<!-- more -->`, else the first paragraph. */
  summary: string;
  headings: Heading[];
  wordCount: number;
  /** Minutes at 200 words a minute, at least 1. */
  readingTime: number;
}

/**
 * Renders markdown to sanitised HTML at a trust level.
 *
 * @example
 * ```ts
 * const { html, headings } = await renderMarkdown('# Hi\n\nThere', { trust: 'post', url: 'https://example.com/posts/hi/' });
 * ```
 */
export async function renderMarkdown(markdown: string, options: RenderOptions): Promise<RenderResult> {
  const processor = unified()
    .use(remarkParse)
    .use(remarkGfm)
    .use(remarkRehype)
    .use(rehypeSanitize, defaultSchema)
    .use(rehypeStringify);
  const tree = (await processor.run(processor.parse(markdown))) as HastRoot;
  const html = processor.stringify(tree);
  const text = hastToString(tree);
  const wordCount = text.split(/\s+/).filter(Boolean).length;
  const firstParagraph = tree.children.find((node) => node.type === 'element' && node.tagName === 'p');
  return {
    html,
    summary: firstParagraph ? hastToString(firstParagraph).trim() : '',
    headings: [],
    wordCount,
    readingTime: Math.max(1, Math.ceil(wordCount / 200)),
  };
}

/** Options fixed for every document a renderer renders. */
export type RendererOptions = Omit<RenderOptions, 'url'>;

/**
 * Builds the pipeline for a trust level once and returns a function that renders many documents
 * with it (what `loadSite` does for a whole site).
 */
export function createMarkdownRenderer(
  options: RendererOptions,
): (markdown: string, document?: { url?: string }) => Promise<RenderResult> {
  return (markdown, document) => renderMarkdown(markdown, { ...options, url: document?.url });
}
