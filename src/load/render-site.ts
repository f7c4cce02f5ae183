import type { DiagnosticCollector } from '../diagnostics/collector';
import { addHtmlOf, withRenderedComments } from '../render/deferred-html';
import type { PostAssets } from '../render/rehype-assets';
import type { RenderResult } from '../render/render-markdown';
import type { RenderSession } from '../render/render-session';
import { type RenderJob, type RenderStageOptions, renderDocuments } from '../render/render-stage';
import type { ResolvedConfig } from '../schema/config';
import { assembleSite } from '../site/assemble';
import { absoluteUrl, paths } from '../site/paths';
import { approvedThread, publishComments } from '../site/threads';
import type { Author, Post, PostAsset, Site } from '../site/types';
import { type AssetSource, type LoadedAssets, loadPostAssets, missingAssetDiagnostics } from './post-assets';
import { recordRenders } from './render-identity';
import type { PublishedPost } from './resolve';
import type { CommentSource, PostSource } from './sources';

let lastNoFiles: LoadedAssets | undefined;

/**
 * What a post without files (a post file) has of them on the site at `siteUrl`: no facts, no assets
 * (what loadPostAssets gives a post without files). One frozen value per site URL, shared by such
 * posts' render jobs (renderSite's and the early renders', which then compare as the same).
 */
export function postFileAssets(siteUrl: string): LoadedAssets {
  if (lastNoFiles?.facts.siteUrl !== siteUrl) {
    lastNoFiles = Object.freeze({
      facts: Object.freeze({ siteUrl, files: Object.freeze({}) }),
      assets: Object.freeze([]) as unknown as PostAsset[],
    });
  }
  return lastNoFiles;
}

/** The render job of a post at `url` whose files have these facts (renderSite's, and the early renders'). */
export function postRenderJob(post: PostSource, url: string, assets: PostAssets): RenderJob {
  return { trust: 'post', url, markdown: post.parsed.body, file: post.parsed.file, assets };
}

/** The render job of a comment on the post at `url`. */
export function commentRenderJob(comment: CommentSource, url: string): RenderJob {
  return { trust: 'comment', url, markdown: comment.parsed.body, file: comment.parsed.file };
}

/**
 * The last stage of a load: renders the published posts and their approved comments (one render
 * job each, handed to the render stage with its cache and worker threads, see src/render) and puts
 * the `Site` together. The render cache's `cache-corrupt` warnings go to `problems`. With a
 * `session` (a build that started rendering while it loaded, see src/load/early-renders.ts), the
 * jobs are rendered through it: the same results, some of them rendered already.
 */
export async function renderSite(
  published: readonly PublishedPost[],
  commentsByPost: ReadonlyMap<string, Map<string, CommentSource>>,
  profiles: readonly Author[],
  stage: RenderStageOptions,
  problems: DiagnosticCollector,
  assetSources: ReadonlyMap<string, AssetSource[]> = new Map(),
  session?: RenderSession,
): Promise<Site> {
  const { config } = stage;
  // Every document to render, posts each followed by their approved comments, rendered in one go
  // (from the cache, on worker threads or here), then put together in the same order.
  const jobs: RenderJob[] = [];
  // A folder post's files are read and sized; a post file has none (one shared value for all).
  const folders = published.flatMap(({ post }) => {
    const sources = assetSources.get(post.parsed.file);
    return sources === undefined ? [] : [{ file: post.parsed.file, sources }];
  });
  const loadedAssets = await loadPostAssets(stage.root, config.site.url, folders);
  const noFiles = postFileAssets(config.site.url);
  const threads = published.map(({ post }) => {
    const url = absoluteUrl(config.site.url, paths.post(post.slug));
    // A post's files (a folder post's; none for a file) are checked and sized by its render.
    const assets = loadedAssets.get(post.parsed.file) ?? noFiles;
    jobs.push(postRenderJob(post, url, assets.facts));
    const thread = approvedThread(commentsByPost.get(post.slug));
    for (const { comment } of thread) jobs.push(commentRenderJob(comment, url));
    return { url, thread, assets: assets.assets, isFolderPost: assetSources.has(post.parsed.file) };
  });
  const { results, warnings, errors, keys } = await (session
    ? session.render(jobs)
    : renderDocuments(jobs, stage));
  problems.addAll(warnings);
  problems.addAll(errors);
  let next = 0;
  const posts: Post[] = [];
  // A build's posts and comments take the HTML of cached renders undecoded (addHtmlOf, below).
  const deferred = stage.deferHtml === true;
  const htmlOf = (rendered: RenderResult) => (deferred ? '' : rendered.html);
  for (const [index, { post, authors, tags, unpublished }] of published.entries()) {
    const { url, thread, assets, isFolderPost } = threads[index]!;
    const at = next;
    const rendered = results[next++]!;
    if (rendered.assetProblems) {
      problems.addAll(missingAssetDiagnostics(post.parsed, isFolderPost, rendered.assetProblems));
    }
    const comments = publishComments(post.slug, thread, url, () => htmlOf(results[next++]!));
    const { data } = post;
    const made = {
      slug: post.slug,
      title: data.title,
      date: post.date,
      updated: post.updated,
      url,
      file: post.parsed.file,
      summary: data.summary ?? rendered.summary,
      tags,
      authors,
      commentsOpen: data.comments !== false,
      lang: data.lang ?? config.site.language,
      canonical: data.canonical,
      image: data.image,
    } as Post;
    // The HTML, then the fields after it, in this order. A build's posts and comments take the HTML
    // of cached renders undecoded (src/render/deferred-html.ts).
    addHtmlOf(made, rendered, deferred);
    made.headings = rendered.headings;
    made.wordCount = rendered.wordCount;
    made.readingTime = rendered.readingTime;
    made.comments = deferred ? withRenderedComments(comments, results, at) : comments;
    made.data = post.data;
    // The last fields, only when the post has them.
    if (assets.length > 0) made.assets = assets;
    if (unpublished) made.unpublished = unpublished;
    posts.push(made);
    // The render keys of the post (job `at`) and its comments (the jobs after it) stand for their HTML,
    // and the identities of their files for the fields made of them.
    recordRenders(posts[posts.length - 1]!, keys, at, post, thread);
  }
  return assembleSite(config as ResolvedConfig, posts, [...profiles]);
}
