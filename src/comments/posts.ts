/** What the intake needs to know about a published post. */
export interface PostEntry {
  /** The post's page, absolute. */
  url: string;
  /** Whether it takes comments (`comments: false` in its front matter closes it). */
  open: boolean;
  /** The ids of its approved (published) comments: the only valid `parent`s. */
  approvedCommentIds: readonly string[];
}

/**
 * Where the intake looks posts up: `get(slug)` resolves with the published post or `undefined`
 * (unknown, draft or future post). Built in: {@link postsFromApi}, which reads the site's own
 * static JSON API, so the handler knows exactly what the published site shows.
 */
export interface PostDirectory {
  get(slug: string): Promise<PostEntry | undefined>;
}

/**
 * A {@link PostDirectory} that reads `api/posts/<slug>.json` of the published site:
 * `commentsOpen`, `url` and the ids of `comments`. `fetch` defaults to the global one; a server
 * that has the built files at hand passes one that reads them (as `broadsheet serve` does).
 * Answers are not cached: an approved comment becomes a valid parent once the site is rebuilt.
 *
 * @example
 * ```ts
 * const posts = postsFromApi({ siteUrl: 'https://example.com/blog/' });
 * await posts.get('hello-world'); // { url, open: true, approvedCommentIds: ['c1'] }
 * ```
 */
export function postsFromApi(options: {
  siteUrl: string;
  fetch?: (url: string) => Promise<Response>;
}): PostDirectory {
  const fetchJson = options.fetch ?? ((url: string) => fetch(url));
  const base = options.siteUrl.endsWith('/') ? options.siteUrl : `${options.siteUrl}/`;
  return {
    async get(slug) {
      const response = await fetchJson(new URL(`api/posts/${encodeURIComponent(slug)}.json`, base).href);
      if (response.status === 404) {
        await response.body?.cancel();
        return undefined;
      }
      if (!response.ok) throw new Error(`the post API answered ${response.status} for ${slug}`);
      const document = (await response.json()) as {
        url?: unknown;
        commentsOpen?: unknown;
        comments?: { id?: unknown }[];
      };
      return {
        url: typeof document.url === 'string' ? document.url : new URL(`posts/${slug}/`, base).href,
        open: document.commentsOpen !== false,
        approvedCommentIds: (document.comments ?? [])
          .map((comment) => comment.id)
          .filter((id): id is string => typeof id === 'string'),
      };
    },
  };
}

/**
 * A {@link PostDirectory} over a fixed list, for tests and for sites that know their posts at
 * start-up (such as from `loadSite`: `site.posts.map((post) => ({slug: post.slug, url: post.url,
 * open: post.commentsOpen, approvedCommentIds: post.comments.map((c) => c.id)}))`).
 *
 * @example
 * ```ts
 * const posts = postsFromList([{ slug: 'hello', url: 'https://example.com/posts/hello/', open: true, approvedCommentIds: [] }]);
 * ```
 */
export function postsFromList(entries: readonly (PostEntry & { slug: string })[]): PostDirectory {
  const bySlug = new Map(entries.map((entry) => [entry.slug, entry]));
  return { get: async (slug) => bySlug.get(slug) };
}
