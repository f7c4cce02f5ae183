// The unified pipelines behind render-markdown.ts. This module is imported only when a document is
// rendered (`import('./pipeline')`): unified, micromark and parse5 take a few hundred milliseconds to
// load, which a warm build whose documents all come from the cache, and `broadsheet --version`, do
// not pay.
import type { Root as HastRoot } from 'hast';
import rehypeSanitize from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import type { VFile } from 'vfile';
import { rehypeCommentLinks, remarkCommentRestrictions } from './comment-plugins';
import { documentInfo, removeComments, trimDocument } from './document-info';
import { renderData } from './file-data';
import { installLinearEditMap } from './linear-edit-map';
import { listItemHandler } from './list-item-handler';
import { parseMarkdown } from './parse-markdown';
import { rehypePostAssets } from './rehype-assets';
import { rehypeHeadingIds } from './rehype-heading-ids';
import { rehypeRawIfNeeded } from './rehype-raw-if-needed';
import { rehypeEnforceUrlProtocols, rehypeResolveUrls } from './rehype-urls';
import { remarkGfmFast } from './remark-gfm-fast';
import type { RendererOptions, RenderSteps } from './render-markdown';
import { commentSchema, postSchema } from './schemas';

// micromark's EditMap.consume copies every event for each change: n² on long documents.
installLinearEditMap();

/** The last step before stringifying: reads summary, headings and counts, then drops comments and outer white space. */
function rehypeDocumentInfo() {
  return (tree: HastRoot, file: VFile): undefined => {
    renderData(file).info = documentInfo(tree);
    removeComments(tree);
    trimDocument(tree);
  };
}

function defaultSteps(options: RendererOptions): RenderSteps {
  // Remark plugins other than ours can give the tree any shape: then parse5 always re-parses it.
  return {
    gfm: [remarkGfmFast],
    raw: [[rehypeRawIfNeeded, { always: Boolean(options.remarkPlugins?.length) }]],
  };
}

function postProcessor(options: RendererOptions, steps: RenderSteps) {
  return (
    unified()
      .use(parseMarkdown)
      .use(steps.gfm)
      .use(options.remarkPlugins ?? [])
      .use(remarkRehype, {
        allowDangerousHtml: true,
        clobberPrefix: '',
        handlers: { listItem: listItemHandler },
      })
      .use(steps.raw)
      .use(rehypeSanitize, postSchema)
      // After the sanitizer: slugs from the text that is kept, ids unique among the ids that are kept.
      .use(rehypeHeadingIds)
      .use(rehypeEnforceUrlProtocols, postSchema.protocols ?? {})
      // Before the site's plugins: the post's own files are checked and sized as the markdown gives them.
      .use(rehypePostAssets)
      .use(options.rehypePlugins ?? [])
      .use(rehypeResolveUrls)
      .use(rehypeDocumentInfo)
      .use(rehypeStringify)
      .freeze()
  );
}

function commentProcessor(steps: RenderSteps) {
  return unified()
    .use(parseMarkdown)
    .use(steps.gfm)
    .use(remarkCommentRestrictions)
    .use(remarkRehype, { handlers: { listItem: listItemHandler } })
    .use(rehypeSanitize, commentSchema)
    .use(rehypeEnforceUrlProtocols, commentSchema.protocols ?? {})
    .use(rehypeResolveUrls)
    .use(rehypeCommentLinks)
    .use(rehypeDocumentInfo)
    .use(rehypeStringify)
    .freeze();
}

/** The frozen processor of a renderer: the post or comment pipeline with `steps` in place of the defaults. */
export function buildProcessor(options: RendererOptions, steps: Partial<RenderSteps>) {
  const allSteps = { ...defaultSteps(options), ...steps };
  return options.trust === 'post' ? postProcessor(options, allSteps) : commentProcessor(allSteps);
}

/** What the pipeline modules give a renderer. */
export type RenderProcessor = ReturnType<typeof buildProcessor>;
