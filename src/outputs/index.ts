import { z } from 'zod';
import { pageFile, paths } from '../site/paths';
import type { OutputFile, Site } from '../site/types';
import {
  apiFiles,
  apiPostDocument,
  apiPostListDocuments,
  apiSiteDocument,
  apiTagDocument,
  apiTagListDocument,
} from './api/index';
import { jsonText } from './api/json';
import { paginate } from './api/links';
import { apiDocumentSchemas } from './api/schema';
import {
  commentFeedFiles,
  feedFiles,
  postCommentFeedFiles,
  siteFeedFiles,
  tagFeedFiles,
} from './feeds/index';
import { pageFiles } from './pages/index';
import { homePage, postPage, tagIndexPage, tagPage } from './pages/templates';

/**
 * Every output file of a site: pages, the JSON API and the feeds. Pure: no I/O, no clock.
 *
 * @example
 * ```ts
 * const result = await loadSite({ root: '.' });
 * if (result.ok) for (const file of siteFiles(result.site)) console.log(file.path);
 * ```
 */
export function siteFiles(site: Site): OutputFile[] {
  return [...pageFiles(site), ...apiFiles(site), ...feedFiles(site)].sort((a, b) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
  );
}

/**
 * Some output files whose paths are known before their contents are made: `make()` returns files
 * with exactly `paths`, in that order. See {@link siteFilePlan}.
 */
export interface OutputGroup {
  paths: string[];
  make(): OutputFile[];
}

/**
 * The same files as {@link siteFiles}, as a plan: every path up front (a few bytes per file), each
 * group's contents made only when asked. A build checks the paths, then makes and writes one group
 * at a time, so its memory holds the site's metadata and the files being written, not every file.
 * Pure, like {@link siteFiles}: making every group gives exactly its files (in another order).
 *
 * @example
 * ```ts
 * const plan = siteFilePlan(site);
 * console.log(plan.reduce((sum, group) => sum + group.paths.length, 0), 'files');
 * for (const group of plan) for (const file of group.make()) await write(file);
 * ```
 */
export function siteFilePlan(site: Site): OutputGroup[] {
  const groups: OutputGroup[] = [];
  const one = (path: string, contents: () => string) =>
    groups.push({ paths: [path], make: () => [{ path, contents: contents() }] });
  const feeds = (folder: string, make: () => OutputFile[]) =>
    groups.push({
      paths: [paths.feedFiles.rss, paths.feedFiles.atom, paths.feedFiles.json].map((name) => folder + name),
      make,
    });

  // Pages (as pageFiles).
  for (const page of paginate(site.posts, site.config.postsPerPage)) {
    one(pageFile(paths.home(page.number)), () => homePage(site, page));
  }
  for (const post of site.posts) one(pageFile(paths.post(post.slug)), () => postPage(site, post));
  one(pageFile(paths.tagIndex()), () => tagIndexPage(site));
  for (const tag of site.tags) one(pageFile(paths.tag(tag.slug)), () => tagPage(site, tag));

  // The JSON API (as apiFiles).
  one(paths.api.site(), () => jsonText(apiSiteDocument(site)));
  const listPages = paginate(site.posts, site.config.postsPerPage).length;
  groups.push({
    paths: Array.from({ length: listPages }, (_, index) => paths.api.posts(index + 1)),
    make: () =>
      apiPostListDocuments(site).map((page) => ({
        path: paths.api.posts(page.meta.pagination.page),
        contents: jsonText(page),
      })),
  });
  for (const post of site.posts) one(paths.api.post(post.slug), () => jsonText(apiPostDocument(site, post)));
  one(paths.api.tags(), () => jsonText(apiTagListDocument(site)));
  for (const tag of site.tags) one(paths.api.tag(tag.slug), () => jsonText(apiTagDocument(site, tag)));
  for (const [name, schema] of Object.entries(apiDocumentSchemas)) {
    one(paths.api.schema(name), () => jsonText(z.toJSONSchema(schema, { io: 'input' })));
  }

  // Feeds (as feedFiles).
  feeds(paths.feeds.site(), () => siteFeedFiles(site));
  for (const tag of site.tags) feeds(paths.feeds.tag(tag.slug), () => tagFeedFiles(site, tag));
  feeds(paths.feeds.comments(), () => commentFeedFiles(site));
  for (const post of site.posts) {
    feeds(paths.feeds.postComments(post.slug), () => postCommentFeedFiles(site, post));
  }
  return groups;
}

/**
 * The files of {@link siteFiles} one at a time, made as they are asked for (pages, then the JSON
 * API, then the feeds; not sorted by path). For writing a large site without holding every file.
 *
 * @example
 * ```ts
 * for (const file of siteFileStream(site)) await writeFile(path.join(out, file.path), file.contents);
 * ```
 */
export function* siteFileStream(site: Site): Generator<OutputFile, void, undefined> {
  for (const group of siteFilePlan(site)) yield* group.make();
}
