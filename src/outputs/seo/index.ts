import { paths } from '../../site/paths';
import type { OutputFile, Site } from '../../site/types';
import { fileGroup, filesOf, type OutputGroup } from '../plan';
import { robotsTxt, sitemapDocuments, sitemapPaths, sitemapUrls } from './sitemap';

export {
  isCanonical,
  robotsTxt,
  SITEMAP_URL_LIMIT,
  type SitemapUrl,
  sitemapFiles,
  sitemapUrls,
} from './sitemap';

/**
 * The files for search engines: `sitemap.xml` (sitemaps.org 0.9, with `lastmod`; a
 * sitemap index of `sitemap-<n>.xml` past 50,000 URLs) and `robots.txt` naming it. Pure.
 *
 * @example
 * ```ts
 * const result = await loadSite({ root: '.' });
 * if (result.ok) for (const file of seoFiles(result.site)) console.log(file.path); // sitemap.xml, robots.txt
 * ```
 */
export function seoFiles(site: Site): OutputFile[] {
  return filesOf(site, seoPlan(site));
}

/**
 * The files of {@link seoFiles} as a plan, with a key of what each reads besides the site settings:
 * the sitemap reads each listed page's URL and date; `robots.txt` nothing.
 */
export function seoPlan(site: Site): OutputGroup[] {
  // The sitemap reads only each page's URL and date: its key is made of those, not of whole posts.
  const urls = sitemapUrls(site);
  return [
    {
      paths: sitemapPaths(urls.length),
      inputs: { urls },
      make: (scoped, inputs) => sitemapDocuments(scoped.url, inputs.urls),
    } satisfies OutputGroup<{ urls: typeof urls }> as OutputGroup,
    fileGroup(paths.robots(), {}, (scoped) => robotsTxt(scoped)),
  ];
}
