/**
 * Where every output lives, relative to the output folder and to `site.url`. Outputs and pages
 * link to each other through these, so a path is spelled once.
 */
export const paths = {
  home: (page = 1) => (page <= 1 ? '' : `page/${page}/`),
  post: (slug: string) => `posts/${slug}/`,
  tagIndex: () => 'tags/',
  tag: (slug: string) => `tags/${slug}/`,
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
    tag: (slug: string) => `api/tags/${slug}.json`,
    schema: (name: string) => `api/schema/${name}.json`,
  },
} as const;

/** The file a page path is written to: `posts/a/` → `posts/a/index.html`. */
export function pageFile(pagePath: string): string {
  return `${pagePath}index.html`;
}

/** An absolute URL for a path relative to the site root. `siteUrl` ends with `/`. */
export function absoluteUrl(siteUrl: string, relativePath: string): string {
  return new URL(relativePath, siteUrl).href;
}
