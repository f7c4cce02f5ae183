import { pageFile, paths } from '../../site/paths';
import type { OutputFile, Site } from '../../site/types';
import { paginate } from '../api/links';
import { listsPostListings, postListing, tagListing } from '../listing';
import { fileGroup, filesOf, type OutputGroup } from '../plan';
import {
  homePage,
  notFoundPage,
  postNeighbours,
  postPage,
  standalonePage,
  tagIndexPage,
  tagPage,
} from './templates';

/**
 * Every HTML page of the site: the home page and its older pages, a page for each post with its
 * threaded approved comments, the tag index, the pages of each tag, each page of `content/pages/`,
 * and `404.html`. Pure: the same site gives byte-identical files. The pages hold no JavaScript and
 * link to each other by absolute URL.
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
 * The pages of {@link pageFiles} as a plan: every path up front, each page made when asked, from
 * what it reads besides the site settings (`config`, `url`, and `menu` and `stylesheet`, which
 * every page shows):
 *
 * - home page `n`: the page number, the page count, its posts (title, URL, date, language, summary,
 *   comment count);
 * - post page: the post (every field, its comments), the title and URL of the posts before and after it;
 * - tag index: `site.tags` (name, slug, post count);
 * - tag page `n` (`postsPerPage` posts a page): the tag (name, slug, its posts' summaries), the page;
 * - a page of `content/pages/`: the page;
 * - `404.html`: nothing but the site settings.
 */
export function pagePlan(site: Site): OutputGroup[] {
  // Listings stand for whole posts where the page shows only their listing fields (src/outputs/listing.ts).
  const homePosts = listsPostListings(site, 'home') ? site.posts.map(postListing) : site.posts;
  const plan: OutputGroup[] = paginate(homePosts, site.config.postsPerPage).map((page) =>
    fileGroup(pageFile(paths.home(page.number)), { page }, (scoped, { page }) => homePage(scoped, page)),
  );
  site.posts.forEach((post, index) => {
    const neighbours = postNeighbours(site.posts, index);
    plan.push(
      fileGroup(pageFile(paths.post(post.slug)), { post, neighbours }, (scoped, inputs) =>
        postPage(scoped, inputs.post, inputs.neighbours),
      ),
    );
  });
  plan.push(
    fileGroup(
      pageFile(paths.tagIndex()),
      { lists: { tags: listsPostListings(site, 'tagIndex') ? site.tags.map(tagListing) : site.tags } },
      (scoped) => tagIndexPage(scoped),
    ),
  );
  const tagListings = listsPostListings(site, 'tag');
  for (const siteTag of site.tags) {
    const tag = tagListings ? tagListing(siteTag) : siteTag;
    for (const page of paginate(tag.posts, site.config.postsPerPage)) {
      plan.push(
        fileGroup(pageFile(paths.tag(tag.slug, page.number)), { tag, page }, (scoped, inputs) =>
          tagPage(scoped, inputs.tag, inputs.page),
        ),
      );
    }
  }
  for (const page of site.pages) {
    plan.push(
      fileGroup(pageFile(page.path), { page }, (scoped, inputs) => standalonePage(scoped, inputs.page)),
    );
  }
  plan.push(fileGroup(paths.notFound(), {}, (scoped) => notFoundPage(scoped)));
  return plan;
}
