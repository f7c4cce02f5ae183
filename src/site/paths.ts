/**
 * Where every output lives, relative to the output folder and to `site.url`. Outputs and pages
 * link to each other through these, so a path is spelled once.
 */
export const paths = {
  home: (page = 1) => (page <= 1 ? '' : `page/${page}/`),
  post: (slug: string) => `posts/${slug}/`,
  tagIndex: () => 'tags/',
  /** A tag's page `page` (1 for its first page, `tags/<slug>/`). */
  tag: (slug: string, page = 1) => (page <= 1 ? `tags/${slug}/` : `tags/${slug}/page/${page}/`),
  sitemap: () => 'sitemap.xml',
  /** A part of a sitemap split in parts (more than 50,000 URLs); `sitemap.xml` is then their index. */
  sitemapPart: (number: number) => `sitemap-${number}.xml`,
  robots: () => 'robots.txt',
  notFound: () => '404.html',
  /** The folder of a feed set: '' for the site, `tags/<slug>/`, `comments/`, `posts/<slug>/comments/`. */
  feeds: {
    site: () => '',
    tag: (slug: string) => `tags/${slug}/`,
    comments: () => 'comments/',
    postComments: (slug: string) => `posts/${slug}/comments/`,
  },
  /** File names of the three feed formats inside a feed folder. */
  feedFiles: { rss: 'rss.xml', atom: 'atom.xml', json: 'feed.json' },
  api: {
    site: () => 'api/site.json',
    posts: (page = 1) => (page <= 1 ? 'api/posts.json' : `api/posts/page/${page}.json`),
    post: (slug: string) => `api/posts/${slug}.json`,
    tags: () => 'api/tags.json',
    /** A page's document: `api/pages/about.json`, `api/pages/docs/setup.json`. */
    page: (slug: string) => `api/pages/${slug}.json`,
    /** A tag's document, page `page` of its posts (1: `api/tags/<slug>.json`). */
    tag: (slug: string, page = 1) =>
      page <= 1 ? `api/tags/${slug}.json` : `api/tags/${slug}/page/${page}.json`,
    schema: (name: string) => `api/schema/${name}.json`,
  },
} as const;

/** The file a page path is written to: `posts/a/` → `posts/a/index.html`. */
export function pageFile(pagePath: string): string {
  return `${pagePath}index.html`;
}

/**
 * Relative paths that WHATWG URL resolution leaves as they are: `/`-separated segments of unreserved
 * ASCII characters, none empty or starting with a dot (so no `.` or `..` segment). Every path this
 * module spells for an ASCII slug is one.
 */
const PLAIN_RELATIVE_PATH = /^(?:[A-Za-z0-9_~-][A-Za-z0-9._~-]*(?:\/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*\/?)?$/;

/** An absolute URL for a path relative to the site root. `siteUrl` ends with `/`. */
export function absoluteUrl(siteUrl: string, relativePath: string): string {
  // Parsing a URL costs microseconds and a build makes several per output file; a plain path under
  // a plain base resolves to the concatenation, which is what `new URL` would give.
  if (PLAIN_RELATIVE_PATH.test(relativePath) && isPlainBase(siteUrl)) return siteUrl + relativePath;
  return new URL(relativePath, siteUrl).href;
}

let lastBase: { url: string; plain: boolean } | undefined;

/** Whether `url` is already in URL-standard form and ends with a `/` path, with no query or fragment. */
function isPlainBase(url: string): boolean {
  if (lastBase?.url !== url) {
    const plain =
      url.endsWith('/') &&
      !url.includes('?') &&
      !url.includes('#') &&
      URL.canParse(url) &&
      new URL(url).href === url;
    lastBase = { url, plain };
  }
  return lastBase.plain;
}
