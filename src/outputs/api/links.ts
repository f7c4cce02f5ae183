import type { FeedFormat } from '../../schema/config';
import { isHttpUrl } from '../../schema/urls';
import { absoluteUrl, paths } from '../../site/paths';
import type { Site } from '../../site/types';

/** Absolute URLs of the feed set in `folder` (one of `paths.feeds.*`), in its three formats. */
export function feedLinks(siteUrl: string, folder: string): { rss: string; atom: string; json: string } {
  return {
    rss: absoluteUrl(siteUrl, folder + paths.feedFiles.rss),
    atom: absoluteUrl(siteUrl, folder + paths.feedFiles.atom),
    json: absoluteUrl(siteUrl, folder + paths.feedFiles.json),
  };
}

/**
 * Absolute URLs of one post's comment feeds, in the formats `feeds.postComments` lists only: the
 * formats a build writes. Empty when the list is `[]`.
 */
export function postCommentFeedLinks(site: Site, slug: string): Partial<Record<FeedFormat, string>> {
  const all = feedLinks(site.url, paths.feeds.postComments(slug));
  const links: Partial<Record<FeedFormat, string>> = {};
  for (const format of site.config.feeds.postComments) links[format] = all[format];
  return links;
}

/** One page of a paginated list. */
export interface Page<T> {
  /** 1 for the first page. */
  number: number;
  /** How many pages there are: at least 1, also for an empty list. */
  count: number;
  items: T[];
}

/** Splits a list into pages of `perPage` items; an empty list is one empty page. */
export function paginate<T>(items: readonly T[], perPage: number): Page<T>[] {
  const count = Math.max(1, Math.ceil(items.length / perPage));
  return Array.from({ length: count }, (_, index) => ({
    number: index + 1,
    count,
    items: items.slice(index * perPage, (index + 1) * perPage),
  }));
}

/** The URL as the URL parser writes it, if it is an absolute URL; else `undefined`. */
export function normalizeUrl(value: string | undefined, base?: string): string | undefined {
  if (value === undefined) return undefined;
  return URL.canParse(value, base) ? new URL(value, base).href : undefined;
}

/**
 * The URL as the URL parser writes it, if it is (or, against `base`, resolves to) an http(s) URL
 * that {@link isHttpUrl} accepts as written; else `undefined`.
 */
export function httpUrl(value: string | undefined, base?: string): string | undefined {
  if (value === undefined) return undefined;
  // A pure function of its text: the same URLs (a commenter's, a post's image) come back in several outputs.
  const known = base === undefined ? knownHttpUrls : knownHttpUrlsWithBase;
  const key = base === undefined ? value : `${base.length}:${base}${value}`;
  let href = known.get(key);
  if (href === undefined) {
    const normal = normalizeUrl(value, base);
    href = normal !== undefined && isHttpUrl(normal) ? normal : null;
    if (known.size >= MAX_KNOWN_URLS) known.clear();
    known.set(key, href);
  }
  return href ?? undefined;
}

/** What {@link httpUrl} gave for a value without a base (`null` for `undefined`). */
const knownHttpUrls = new Map<string, string | null>();
/** The same for a value and a base, by `<base length>:<base><value>`. */
const knownHttpUrlsWithBase = new Map<string, string | null>();
/** Either map is cleared when it holds this many URLs. */
const MAX_KNOWN_URLS = 8192;
