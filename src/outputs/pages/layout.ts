import { absoluteUrl, paths } from '../../site/paths';
import type { Site } from '../../site/types';
import { feedLinks } from '../api/links';
import { type SocialCard, socialMeta } from './head';
import { HtmlFragment, html, htmlSafeText, joinHtml, trustedHtml } from './html';

/** Absolute URLs of one feed in its three formats. */
export type FeedLinks = ReturnType<typeof feedLinks>;

/** A feed set a page announces with `<link rel="alternate">`, and names in "Subscribe to:" links. */
export interface FeedSet {
  /** What the feeds hold, for the link titles: `Posts`, `Post Comments`, a tag's name. */
  label: string;
  /** The formats the site publishes for this set; a page links only these. */
  links: Partial<FeedLinks>;
}

/** What {@link layout} needs to make a whole page. */
export interface PageShell {
  site: Site;
  /** The page's path relative to the site root (`posts/a/`); its canonical URL unless `canonical` is set. */
  path: string;
  canonical?: string;
  /** The whole `<title>`. */
  title: string;
  lang: string;
  description?: string;
  /** Feeds announced on this page besides the site's own. */
  feeds?: FeedSet[];
  /** The home page shows the site title as its `<h1>`; other pages have their own. */
  siteTitleIsHeading?: boolean;
  /** Open Graph and Twitter card; default: a `website` card titled `title`, with `description`. */
  social?: SocialCard;
  /** More of the page's own `<head>`: JSON-LD, `rel="prev"`/`"next"` links. */
  head?: HtmlFragment;
  /** A page no search engine should index, with no canonical URL (the 404 page). */
  noindex?: boolean;
  main: HtmlFragment;
  /** CSS the page adds after the {@link STYLESHEET} (trusted: written by broadsheet, not by content). */
  style?: string;
}

const FEED_TYPES = [
  { key: 'atom', type: 'application/atom+xml', name: 'Atom' },
  { key: 'rss', type: 'application/rss+xml', name: 'RSS' },
  { key: 'json', type: 'application/feed+json', name: 'JSON Feed' },
] as const;

/**
 * The stylesheet of every page: a readable column on a desktop, the full width less a margin on a
 * phone, system fonts, light and dark, replies indented under their parents.
 */
export const STYLESHEET = `
:root{color-scheme:light dark;--muted:#5f6368;--rule:#d5d5d5;--code:#f3f3f3}
@media (prefers-color-scheme:dark){:root{--muted:#a9adb1;--rule:#474747;--code:#202020}}
body{max-width:40rem;margin:0 auto;padding:1rem 1.25rem 3rem;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;font-size:1.0625rem;line-height:1.65;overflow-wrap:break-word;-webkit-text-size-adjust:100%;text-size-adjust:100%}
h1,h2,h3,h4{line-height:1.25}
img,video{max-width:100%;height:auto}
pre{overflow-x:auto;padding:.75rem 1rem;background:var(--code);border-radius:4px;line-height:1.45}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
table{display:block;overflow-x:auto;border-collapse:collapse}
th,td{border:1px solid var(--rule);padding:.25rem .5rem}
blockquote{margin:1rem 0;padding-left:1rem;border-left:3px solid var(--rule);color:var(--muted)}
.site-header{margin-bottom:2rem;border-bottom:1px solid var(--rule)}
.site-title{margin:0;font-size:1.25rem;font-weight:700}
.site-title a{color:inherit;text-decoration:none}
.site-description,.meta,.site-footer{color:var(--muted);font-size:.9375rem}
.site-description{margin:.25rem 0}
.summary{margin:0 0 2rem}
.summary h2{margin:0 0 .25rem;font-size:1.375rem}
.summary h2 a{text-decoration:none}
.summary h2 a:hover{text-decoration:underline}
.summary p{margin:.25rem 0}
.comments{margin-top:3rem;border-top:1px solid var(--rule)}
.comment-list{list-style:none;margin:0;padding:0}
.comment{margin:1.25rem 0}
.comment .comment-list{padding-left:clamp(.75rem,4vw,1.5rem);border-left:2px solid var(--rule)}
.comment .meta{margin:0}
.comment-author{color:CanvasText}
.comment-body>:first-child{margin-top:.25rem}
.comment-body>:last-child{margin-bottom:0}
.pagination{display:flex;justify-content:space-between;gap:1rem;margin:2rem 0}
.site-footer{margin-top:3rem;border-top:1px solid var(--rule)}
`.trim();

/** The CSS of a site's pages: the default, the theme's appended to it, or the theme's alone. */
export function stylesheetOf(site: Site): string {
  const theme = site.stylesheet;
  if (!theme) return STYLESHEET;
  return theme.mode === 'replace' ? theme.css : `${STYLESHEET}\n${theme.css}`;
}

/** `<link rel="alternate">` autodiscovery for a feed set. */
function alternateLinks(site: Site, feeds: FeedSet): HtmlFragment[] {
  return FEED_TYPES.flatMap(({ key, type, name }) => {
    const href = feeds.links[key];
    return href === undefined
      ? []
      : [
          html`<link rel="alternate" type="${type}" title="${site.config.site.title}: ${feeds.label} (${name})" href="${href}">\n`,
        ];
  });
}

/**
 * "Subscribe to: Posts (Atom), Posts (RSS), Posts (JSON Feed)", as Blogger words it; nothing when
 * the set has no format.
 */
export function subscribeLinks(feeds: FeedSet): HtmlFragment {
  const links = FEED_TYPES.flatMap(({ key, name }) => {
    const href = feeds.links[key];
    return href === undefined ? [] : [html`<a href="${href}">${feeds.label} (${name})</a>`];
  });
  return links.length === 0 ? html`` : html`<p class="subscribe">Subscribe to: ${joinHtml(links, ', ')}</p>`;
}

/** The feeds every page announces. */
export function siteFeeds(site: Site): { posts: FeedSet; comments: FeedSet } {
  return {
    posts: { label: 'Posts', links: feedLinks(site.url, paths.feeds.site()) },
    comments: { label: 'Comments', links: feedLinks(site.url, paths.feeds.comments()) },
  };
}

/**
 * The parts of a page that are the same on every page of a site: its feeds, their autodiscovery
 * links and "Subscribe to:" links, the site header's title and navigation, the stylesheet, the theme's
 * head and the footer's copyright. They are made once and kept while the site's settings stay the
 * same objects with the same values ({@link siteChrome}): a cold build of 4,000 posts made them
 * for each of its ~8,000 pages (docs/decisions/performance.md, "Round six").
 */
interface SiteChrome {
  config: Site['config'];
  url: string;
  menu: Site['menu'];
  stylesheet: Site['stylesheet'];
  title: string;
  description: string | undefined;
  copyright: string | undefined;
  themeHead: string | undefined;
  feedLinks: string;
  css: string;
  headerTitle: string;
  headingTitle: string;
  headerRest: string;
  footer: string;
}

let lastChrome: SiteChrome | undefined;

/** The {@link SiteChrome} of `site`: the last one made when `site`'s settings are still the same. */
function siteChrome(site: Site): SiteChrome {
  const settings = site.config.site;
  const themeHead = site.config.theme?.head;
  const last = lastChrome;
  if (
    last !== undefined &&
    last.config === site.config &&
    last.url === site.url &&
    last.menu === site.menu &&
    last.stylesheet === site.stylesheet &&
    last.title === settings.title &&
    last.description === settings.description &&
    last.copyright === settings.copyright &&
    last.themeHead === themeHead
  ) {
    return last;
  }
  const feeds = siteFeeds(site);
  const siteTitle = html`<a href="${site.url}">${settings.title}</a>`;
  const nav = joinHtml(
    [
      html`<a href="${site.url}">Home</a>`,
      ...site.menu.map((item) => html`<a href="${item.url}">${item.title}</a>`),
      html`<a href="${absoluteUrl(site.url, paths.tagIndex())}">Tags</a>`,
    ],
    ' · ',
  );
  lastChrome = {
    config: site.config,
    url: site.url,
    menu: site.menu,
    stylesheet: site.stylesheet,
    title: settings.title,
    description: settings.description,
    copyright: settings.copyright,
    themeHead,
    feedLinks: html`${alternateLinks(site, feeds.posts)}`.markup,
    css: stylesheetOf(site),
    headerTitle: html`<p class="site-title">${siteTitle}</p>`.markup,
    headingTitle: html`<h1 class="site-title">${siteTitle}</h1>`.markup,
    headerRest:
      html`${settings.description ? html`<p class="site-description">${settings.description}</p>\n` : ''}<nav aria-label="Site"><p>${nav}</p></nav>`
        .markup,
    footer: html`${subscribeLinks(feeds.posts)}
${subscribeLinks(feeds.comments)}
${settings.copyright ? html`<p>${settings.copyright}</p>\n` : ''}`.markup,
  };
  return lastChrome;
}

/** `text` without the line feeds at its end (a scan from the end, not a regular expression over all of it). */
function withoutFinalNewlines(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0x0a) end -= 1;
  return end === text.length ? text : text.slice(0, end);
}

/** A whole HTML page: head, site header, the page's `<main>`, site footer. */
export function layout(page: PageShell): string {
  const { site } = page;
  const chrome = siteChrome(site);
  // A title of nothing but characters a page cannot carry would be empty, which HTML forbids.
  const title = htmlSafeText(page.title).trim() === '' ? site.url : page.title;
  const canonical = page.canonical ?? absoluteUrl(site.url, page.path);
  const head = page.noindex
    ? html`<meta name="robots" content="noindex">\n`
    : html`<link rel="canonical" href="${canonical}">\n${socialMeta(
        site,
        canonical,
        page.social ?? { type: 'website', title, description: page.description },
      )}`;
  const document = html`<!doctype html>
<html lang="${page.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
${page.description ? html`<meta name="description" content="${page.description}">\n` : ''}${head}${page.head ?? ''}${new HtmlFragment(chrome.feedLinks)}${(page.feeds ?? []).map((set) => alternateLinks(site, set))}<style>
${new HtmlFragment(chrome.css + (page.style ?? '').replace(/\n$/, ''))}
</style>
${chrome.themeHead ? html`${trustedHtml(chrome.themeHead.trim())}\n` : ''}</head>
<body>
<header class="site-header">
${new HtmlFragment(page.siteTitleIsHeading ? chrome.headingTitle : chrome.headerTitle)}
${new HtmlFragment(chrome.headerRest)}
</header>
<main>
${new HtmlFragment(withoutFinalNewlines(page.main.markup))}
</main>
<footer class="site-footer">
${new HtmlFragment(chrome.footer)}</footer>
</body>
</html>
`;
  return document.markup;
}
