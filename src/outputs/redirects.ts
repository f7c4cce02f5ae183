import type { OutputFile, Post, Site } from '../site/types';
import { html } from './pages/html';
import type { OutputGroup } from './plan';

/** One old path and where it now lives. */
export interface Redirect {
  /** The old path from the site root, as written in `aliases` (`/2012/03/old.html`). */
  from: string;
  /** The file the redirect page is written to, relative to the output folder. */
  file: string;
  /** Absolute URL of the post. */
  to: string;
}

/** The file an old path's redirect page is written to: `/a.html` → `a.html`, `/a/` or `/a` → `a/index.html`. */
function redirectFile(alias: string): string {
  const relative = alias.replace(/^\/+/, '');
  if (relative.endsWith('/')) return `${relative}index.html`;
  return /\.[A-Za-z0-9]+$/.test(relative) ? relative : `${relative}/index.html`;
}

/**
 * Every redirect the published posts ask for in `aliases`, in post order (newest first). An old path
 * whose file is already one of `taken` (a path another output writes) or an earlier redirect is left
 * out: generated pages always win.
 */
export function siteRedirects(site: Site, taken: ReadonlySet<string> = new Set()): Redirect[] {
  const redirects: Redirect[] = [];
  const files = new Set<string>();
  // Posts, then pages (content/pages/): both may list the old paths they were published at.
  for (const post of [...(site.posts as Post[]), ...site.pages]) {
    const aliases = (post.data as { aliases?: unknown }).aliases;
    if (!Array.isArray(aliases)) continue;
    for (const from of aliases) {
      if (typeof from !== 'string') continue;
      const file = redirectFile(from);
      if (taken.has(file) || files.has(file)) continue;
      files.add(file);
      redirects.push({ from, file, to: post.url });
    }
  }
  return redirects;
}

/** The redirect page at an old path: a meta refresh and a link, which every static host can serve. */
function redirectPage(site: Site, redirect: Redirect): string {
  return `<!DOCTYPE html>\n${html`<html lang="${site.config.site.language}"><head><meta charset="utf-8"><title>Moved</title><link rel="canonical" href="${redirect.to}"><meta name="robots" content="noindex"><meta http-equiv="refresh" content="0; url=${redirect.to}"><meta name="viewport" content="width=device-width, initial-scale=1"></head><body><p>This page has moved to <a href="${redirect.to}">${redirect.to}</a>.</p></body></html>`.markup}\n`;
}

/**
 * `_redirects` in the format Netlify and Cloudflare Pages read (`/old /new 301`, one a line), paths
 * under the site's own path.
 */
function redirectsFile(site: Site, redirects: readonly Redirect[]): string {
  const base = new URL(site.url).pathname.replace(/\/$/, '');
  return redirects
    .map((redirect) => `${encodeURI(`${base}${redirect.from}`)} ${new URL(redirect.to).pathname} 301\n`)
    .join('');
}

/**
 * The redirects of the posts' `aliases` as output files: an HTML redirect page at each old path and
 * one `_redirects` file. Pure: no I/O, no clock. No aliases, no files.
 *
 * @example
 * ```ts
 * for (const file of redirectFiles(site)) console.log(file.path); // _redirects, 2012/03/old.html
 * ```
 */
export function redirectFiles(site: Site, taken: ReadonlySet<string> = new Set()): OutputFile[] {
  const redirects = siteRedirects(site, taken);
  if (redirects.length === 0) return [];
  return [
    { path: '_redirects', contents: redirectsFile(site, redirects) },
    ...redirects.map((redirect) => ({ path: redirect.file, contents: redirectPage(site, redirect) })),
  ];
}

/** {@link redirectFiles} as one output group of the build's plan. */
export function redirectPlan(site: Site, taken: ReadonlySet<string>): OutputGroup[] {
  const redirects = siteRedirects(site, taken);
  if (redirects.length === 0) return [];
  const files = redirectFiles(site, taken);
  // Its inputs: every post and page (their aliases and URLs) and the paths other outputs take.
  return [
    {
      paths: files.map((file) => file.path),
      inputs: { lists: { posts: site.posts, pages: site.pages }, taken: [...taken] },
      make: () => files,
    },
  ];
}
