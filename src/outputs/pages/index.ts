import { pageFile, paths } from '../../site/paths';
import type { OutputFile, Site } from '../../site/types';
import { paginate } from '../api/links';
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
  const files: OutputFile[] = paginate(site.posts, site.config.postsPerPage).map((page) => ({
    path: pageFile(paths.home(page.number)),
    contents: homePage(site, page),
  }));
  for (const post of site.posts)
    files.push({ path: pageFile(paths.post(post.slug)), contents: postPage(site, post) });
  files.push({ path: pageFile(paths.tagIndex()), contents: tagIndexPage(site) });
  for (const tag of site.tags)
    files.push({ path: pageFile(paths.tag(tag.slug)), contents: tagPage(site, tag) });
  return files;
}
