import { pageFile, paths } from '../../site/paths';
import type { OutputFile, Site } from '../../site/types';
import { paginate } from '../api/links';
import { keyedFile, OutputKeys } from '../keys';
import { filesOf, type OutputGroup } from '../plan';
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

/**
 * The pages of {@link pageFiles} as a plan: every path up front, each page made when asked, with a
 * key of what it reads besides the site settings (`config`, `url`):
 *
 * - home page `n`: the page number, the page count, its posts (title, URL, date, language, summary,
 *   comment count);
 * - post page: the post (every field, its comments);
 * - tag index: `site.tags` (name, slug, post count);
 * - tag page: the tag (name, slug, its posts' summaries).
 */
export function pagePlan(site: Site, keys = new OutputKeys(site)): OutputGroup[] {
  const plan = paginate(site.posts, site.config.postsPerPage).map((page) =>
    keyedFile(keys, site, pageFile(paths.home(page.number)), { page }, (scoped, { page }) =>
      homePage(scoped, page),
    ),
  );
  for (const post of site.posts) {
    plan.push(
      keyedFile(keys, site, pageFile(paths.post(post.slug)), { post }, (scoped, { post }) =>
        postPage(scoped, post),
      ),
    );
  }
  plan.push(
    keyedFile(keys, site, pageFile(paths.tagIndex()), { lists: { tags: site.tags } }, (scoped) =>
      tagIndexPage(scoped),
    ),
  );
  for (const tag of site.tags) {
    plan.push(
      keyedFile(keys, site, pageFile(paths.tag(tag.slug)), { tag }, (scoped, { tag }) =>
        tagPage(scoped, tag),
      ),
    );
  }
  return plan;
}
