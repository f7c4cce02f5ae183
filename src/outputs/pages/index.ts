import { pageFile, paths } from '../../site/paths';
import type { OutputFile, Site } from '../../site/types';
import { paginate } from '../api/links';
import { filesOf, type OutputGroup, singleFile } from '../plan';
import { homePage, postPage, tagIndexPage, tagPage } from './templates';

/**
 * Every HTML page of the site (SPEC §4): the home page and its older pages, a page for each post
 * with its threaded approved comments, the tag index and a page for each tag. Pure: the same site
 * gives byte-identical files. The pages hold no JavaScript and link to each other by absolute URL.
 *
 * @example
 * ```ts
 * const result = await loadSite({ root: '.' });
 * if (result.ok) for (const page of pageFiles(result.site)) console.log(page.path);
 * // index.html, page/2/index.html, posts/hello/index.html, tags/index.html, …
 * ```
 */
export function pageFiles(site: Site): OutputFile[] {
  return filesOf(pagePlan(site));
}

/** The pages of {@link pageFiles} as a plan: every path up front, each page made when asked. */
export function pagePlan(site: Site): OutputGroup[] {
  const plan = paginate(site.posts, site.config.postsPerPage).map((page) =>
    singleFile(pageFile(paths.home(page.number)), () => homePage(site, page)),
  );
  for (const post of site.posts)
    plan.push(singleFile(pageFile(paths.post(post.slug)), () => postPage(site, post)));
  plan.push(singleFile(pageFile(paths.tagIndex()), () => tagIndexPage(site)));
  for (const tag of site.tags) plan.push(singleFile(pageFile(paths.tag(tag.slug)), () => tagPage(site, tag)));
  return plan;
}
