import { absoluteUrl, paths } from '../../site/paths';
import type { OutputFile, Post, Site } from '../../site/types';
import { httpUrl } from '../api/links';
import { rfc3339 } from '../feeds/dates';
import { newestPostDate } from '../feeds/model';
import { serializeXml, xml } from '../feeds/xml';

const SITEMAP_NS = 'http://www.sitemaps.org/schemas/sitemap/0.9';

/** The most URLs one sitemap file may list (sitemaps.org protocol 0.9). */
export const SITEMAP_URL_LIMIT = 50_000;

/** One `<url>` of a sitemap. */
export interface SitemapUrl {
  /** Absolute URL of the page. */
  loc: string;
  /** When its content last changed, from the content (never the clock). */
  lastmod?: Date;
}

/** Whether a post's page is its own canonical page (not one whose `canonical` names another URL). */
export function isCanonical(post: Post): boolean {
  const canonical = httpUrl(post.canonical);
  return canonical === undefined || canonical === post.url;
}

/**
 * The pages a sitemap lists: the home page, each post (unless its `canonical` names another URL),
 * each page of `content/pages/` (with its `updated`, if any),
 * the tag index and each tag's first page, with the date their content last changed. Older pages
 * of paginated lists are left out, as their content moves with every new post.
 */
export function sitemapUrls(site: Site): SitemapUrl[] {
  const urls: SitemapUrl[] = [{ loc: site.url, lastmod: newestPostDate(site.posts) }];
  for (const post of site.posts) {
    if (isCanonical(post)) urls.push({ loc: post.url, lastmod: post.updated ?? post.date });
  }
  for (const page of site.pages) urls.push({ loc: page.url, lastmod: page.updated });
  if (site.tags.length > 0) {
    urls.push({
      loc: absoluteUrl(site.url, paths.tagIndex()),
      lastmod: newestPostDate(site.tags.flatMap((tag) => tag.posts)),
    });
  }
  for (const tag of site.tags) {
    urls.push({ loc: absoluteUrl(site.url, paths.tag(tag.slug)), lastmod: newestPostDate(tag.posts) });
  }
  return urls;
}

function urlset(urls: readonly SitemapUrl[]): string {
  return serializeXml(
    xml(
      'urlset',
      { xmlns: SITEMAP_NS },
      urls.map((url) =>
        xml('url', {}, xml('loc', {}, url.loc), url.lastmod && xml('lastmod', {}, rfc3339(url.lastmod))),
      ),
    ),
  );
}

/**
 * `sitemap.xml` (sitemaps.org 0.9) listing {@link sitemapUrls} with `lastmod`. Past `perFile` URLs
 * (50,000, the protocol's limit) the URLs go in `sitemap-<n>.xml` files and `sitemap.xml` is their
 * sitemap index. Pure: dates come from the content.
 *
 * @example
 * ```ts
 * const [sitemap] = sitemapFiles(site); // { path: 'sitemap.xml', contents: '<?xml …<urlset …' }
 * ```
 */
export function sitemapFiles(site: Site, perFile = SITEMAP_URL_LIMIT): OutputFile[] {
  return sitemapDocuments(site.url, sitemapUrls(site), perFile);
}

/** The files of {@link sitemapFiles} for these URLs of the site at `siteUrl`. */
export function sitemapDocuments(
  siteUrl: string,
  urls: readonly SitemapUrl[],
  perFile = SITEMAP_URL_LIMIT,
): OutputFile[] {
  if (urls.length <= perFile) return [{ path: paths.sitemap(), contents: urlset(urls) }];
  const parts: OutputFile[] = [];
  const index: SitemapUrl[] = [];
  for (let start = 0; start < urls.length; start += perFile) {
    const chunk = urls.slice(start, start + perFile);
    const path = paths.sitemapPart(parts.length + 1);
    parts.push({ path, contents: urlset(chunk) });
    index.push({ loc: absoluteUrl(siteUrl, path), lastmod: newestDate(chunk) });
  }
  const contents = serializeXml(
    xml(
      'sitemapindex',
      { xmlns: SITEMAP_NS },
      index.map((part) =>
        xml(
          'sitemap',
          {},
          xml('loc', {}, part.loc),
          part.lastmod && xml('lastmod', {}, rfc3339(part.lastmod)),
        ),
      ),
    ),
  );
  return [{ path: paths.sitemap(), contents }, ...parts];
}

/** The paths {@link sitemapDocuments} writes for `count` URLs, without making them. */
export function sitemapPaths(count: number, perFile = SITEMAP_URL_LIMIT): string[] {
  if (count <= perFile) return [paths.sitemap()];
  const parts = Array.from({ length: Math.ceil(count / perFile) }, (_, index) =>
    paths.sitemapPart(index + 1),
  );
  return [paths.sitemap(), ...parts];
}

function newestDate(urls: readonly SitemapUrl[]): Date | undefined {
  let newest: Date | undefined;
  for (const url of urls)
    if (url.lastmod && (newest === undefined || url.lastmod > newest)) newest = url.lastmod;
  return newest;
}

/**
 * `robots.txt`: every crawler may read every page, and the sitemap's absolute URL. (Crawlers read
 * it only at the root of a host: for a site under a path, copy its lines to the host's own.)
 */
export function robotsTxt(site: Site): string {
  return `User-agent: *\nAllow: /\n\nSitemap: ${absoluteUrl(site.url, paths.sitemap())}\n`;
}
