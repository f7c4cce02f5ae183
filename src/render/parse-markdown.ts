import type { Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import type { Plugin, Processor } from 'unified';

// broadsheet's parser step, in place of remark-parse (which is these few lines around the same
// `fromMarkdown` call). It exists so that the parser is the copy of mdast-util-from-markdown, and of
// micromark under it, that dist/ bundles with their patches applied (docs/decisions/package-shape.md,
// "The patched parser"); remark-parse would import the user's unpatched copies.

/** What remark plugins register on a processor for the parser (remark-parse's `Data` fields). */
export interface ParserData {
  settings?: Record<string, unknown>;
  micromarkExtensions?: NonNullable<Parameters<typeof fromMarkdown>[1]>['extensions'];
  fromMarkdownExtensions?: NonNullable<Parameters<typeof fromMarkdown>[1]>['mdastExtensions'];
}

/**
 * Parses markdown into mdast with the processor's micromark and mdast extensions (the ones remark
 * plugins such as remark-gfm register on its data), exactly as remark-parse does.
 *
 * @example
 * ```ts
 * const processor = unified().use(parseMarkdown).use(remarkGfm).use(remarkRehype).use(rehypeStringify);
 * ```
 */
export const parseMarkdown: Plugin<[], string, Root> = function parseMarkdown(this: Processor): undefined {
  this.parser = (document): Root => {
    const { settings, micromarkExtensions, fromMarkdownExtensions } = this.data() as ParserData;
    return fromMarkdown(document, {
      ...settings,
      extensions: micromarkExtensions ?? [],
      mdastExtensions: fromMarkdownExtensions ?? [],
    });
  };
};
