import { pageFile, paths } from '../../site/paths';
import type { OutputFile, Site } from '../../site/types';
import { paginate } from '../api/links';
import { fileGroup, filesOf, type OutputGroup } from '../plan';
import { homePage, postPage, tagIndexPage, tagPage } from './templates';

/**
 * Every HTML page of the site: the home page and its older pages, a page for each post
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
  return filesOf(site, pagePlan(site));
}

/**
 * The pages of {@link pageFiles} as a plan: every path up front, each page made when asked, with
 * the inputs it reads besides the site settings (`config`, `url`):
 *
 * - home page `n`: the page number, the page count, its posts (title, URL, date, language, summary,
 *   comment count);
 * - post page: the post (every field, its comments);
 * - tag index: `site.tags` (name, slug, post count);
 * - tag page: the tag (name, slug, its posts' summaries).
 */
export function pagePlan(site: Site): OutputGroup[] {
  const plan: OutputGroup[] = paginate(site.posts, site.config.postsPerPage).map((page) =>
    fileGroup(pageFile(paths.home(page.number)), { page }, (scoped, { page }) => homePage(scoped, page)),
  );
  for (const post of site.posts) {
    plan.push(
      fileGroup(pageFile(paths.post(post.slug)), { post }, (scoped, { post }) => postPage(scoped, post)),
    );
  }
  plan.push(
    fileGroup(pageFile(paths.tagIndex()), { lists: { tags: site.tags } }, (scoped) => tagIndexPage(scoped)),
  );
  for (const tag of site.tags) {
    plan.push(fileGroup(pageFile(paths.tag(tag.slug)), { tag }, (scoped, { tag }) => tagPage(scoped, tag)));
  }
  return plan;
}
