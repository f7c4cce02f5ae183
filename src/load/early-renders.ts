// What a load hands the render stage while it validates (docs/decisions/performance.md, "Rendering
// while loading"): each post it will publish and each approved comment on one, as soon as the file is
// validated. Beside the simple path: renderSite makes the same jobs again from the resolved site, and
// takes the early renders of those it was offered.
import type { RenderSession } from '../render/render-session';
import type { ResolvedConfig } from '../schema/config';
import { absoluteUrl, paths } from '../site/paths';
import type { SourceFile } from './files';
import type { FrontMatterStore } from './front-matter-cache';
import type { LoadedPostStore } from './loaded-post-cache';
import type { AssetSource } from './post-assets';
import { commentRenderJob, postFileAssets, postRenderJob } from './render-site';
import { type PublishOptions, unpublishedReason } from './resolve';
import type { FileOutcome } from './validate-files';

/**
 * The `onOutcome` of validateFiles for a load with a render session: offers the session the render
 * job of each post it validates that the load publishes (not a draft, nor dated after `now` unless
 * `future`; every post in a preview) and of each approved comment on such a post, the same job
 * renderSite makes. A folder post is left to renderSite: its job needs its files' facts, read later.
 * The checks across files come later: a job offered here may never be asked for (a slug collision
 * fails the load), which costs a render, never a wrong page.
 *
 * @example
 * ```ts
 * const onOutcome = offerEarlyRenders(session, config, { now, future: false, preview: false }, assets);
 * const validated = validateFiles(files, { ...context, onOutcome }, problems);
 * ```
 */
export function offerEarlyRenders(
  session: RenderSession,
  config: ResolvedConfig,
  publishing: PublishOptions,
  assetSources: ReadonlyMap<string, AssetSource[]>,
): (outcome: FileOutcome) => void {
  const siteUrl = config.site.url;
  // The URL of each post published so far, by slug: content/comments/<slug>/ follows content/posts/.
  const urls = new Map<string, string>();
  return ({ post, comment }) => {
    if (post && (publishing.preview || !unpublishedReason(post, publishing))) {
      const url = absoluteUrl(siteUrl, paths.post(post.slug));
      urls.set(post.slug, url);
      if (assetSources.has(post.parsed.file)) return;
      // A post file's facts: it has no files.
      session.offer(postRenderJob(post, url, postFileAssets(siteUrl).facts));
    }
    if (comment && comment.status === 'approved') {
      const url = urls.get(comment.postSlug);
      if (url) session.offer(commentRenderJob(comment, url));
    }
  };
}

/**
 * How many post and comment files of `files` changed since the last load (the loaded-post cache does
 * not have them) with their front matter as it was (the front matter cache has it): their body
 * changed, so their render is most likely not in the render cache, and a warm build's render session
 * starts its thread now. A file whose front matter changed too (or a new one) starts it only if its
 * render is missing, when the load offers its job: an edit of front matter alone (a title, tags)
 * renders nothing, and starting a thread that loads the unified stack would be work for nothing.
 * None without the cache (a watch loop keeps its own outcomes).
 */
export function changedDocuments(
  files: readonly SourceFile[],
  outcomes: LoadedPostStore | undefined,
  frontMatter: FrontMatterStore,
): number {
  if (!outcomes) return 0;
  let changed = 0;
  for (let index = 0; index < files.length; index++) {
    if (files[index]!.kind !== 'author' && !outcomes.has(index) && frontMatter.has(index)) changed++;
  }
  return changed;
}
