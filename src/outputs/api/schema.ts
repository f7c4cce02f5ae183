/**
 * The documents of the static JSON API, as zod schemas. This module imports zod and
 * the URL check of src/schema/urls.ts (which imports only zod), so that a browser client can
 * validate responses with it.
 *
 * Conventions: every URL is absolute; every date is an RFC 3339 date-time in UTC; a scalar field
 * that has no value is `null` (it is never left out); a person (`author`) follows JSON Feed and
 * leaves out the optional keys it has no value for.
 */
import { z } from 'zod';
import { isHttpUrl } from '../../schema/urls';

// Only http(s) URLs are published, written without white space, control characters, backslashes
// or credentials: a response holding `javascript:`, `data:`, ` https://…` or `java\tscript:` is
// refused by the client.
// (Not `z.url()`: it trims the value before checking it.)
const httpUrl = z
  .string()
  .refine(isHttpUrl, 'must be an http(s) URL without white space, control characters or credentials')
  .meta({ format: 'uri', description: 'An absolute http(s) URL.' });
const dateTime = z.iso.datetime().describe('An RFC 3339 date-time in UTC, such as 2024-01-02T10:00:00.000Z.');
const count = z.int().min(0);

/** The three formats of a feed: RSS 2.0, Atom 1.0 and JSON Feed 1.1, as absolute URLs. */
export const apiFeedLinksSchema = z
  .object({ rss: httpUrl, atom: httpUrl, json: httpUrl })
  .meta({ title: 'Feed links', description: 'Absolute URLs of one feed in its three formats.' });

/** A post's comment feeds: only the formats the config's `feeds.postComments` lists. */
export const apiPostCommentFeedLinksSchema = z
  .object({ rss: httpUrl.optional(), atom: httpUrl.optional(), json: httpUrl.optional() })
  .meta({
    title: 'Post comment feed links',
    description:
      "Absolute URLs of a post's comment feeds, in the formats the site publishes (none, some or all).",
  });

/** A tag as a post refers to it. */
export const apiTagRefSchema = z
  .object({ name: z.string(), slug: z.string(), url: httpUrl.describe("The tag page's URL.") })
  .meta({ title: 'Tag reference' });

/** A person credited on a post. Never carries an email. */
export const apiAuthorSchema = z
  .object({
    id: z.string().describe('The profile id (its file name), or `site` for the site author.'),
    name: z.string(),
    url: httpUrl.optional(),
    avatar: httpUrl.optional(),
    bio: z.string().optional(),
  })
  .meta({ title: 'Author' });

/** A post as lists show it: no HTML. */
export const apiPostSummarySchema = z
  .object({
    slug: z.string(),
    url: httpUrl.describe("The post page's URL."),
    title: z.string(),
    date: dateTime,
    updated: dateTime.nullable(),
    summary: z.string().describe('Plain text.'),
    tags: z.array(apiTagRefSchema),
    authors: z.array(apiAuthorSchema),
    commentCount: count.describe('Approved comments.'),
  })
  .meta({ title: 'Post summary' });

/** A heading of a post, for a table of contents. */
export const apiHeadingSchema = z
  .object({ depth: z.int().min(1).max(6), text: z.string(), id: z.string() })
  .meta({ title: 'Heading' });

/** A visitor as a published comment shows them: a name and maybe a web site. Never an email. */
export const apiCommentAuthorSchema = z
  .object({ name: z.string(), url: httpUrl.optional() })
  .meta({ title: 'Comment author' });

/** An approved comment. */
export const apiCommentSchema = z
  .object({
    id: z.string(),
    parent: z
      .string()
      .nullable()
      .describe('The id of the comment it replies to; null for a top-level comment.'),
    depth: count.describe('0 for a top-level comment, 1 for a reply, and so on.'),
    author: apiCommentAuthorSchema,
    date: dateTime,
    url: httpUrl.describe("The comment's URL: the post's URL with #comment-<id>."),
    html: z.string().describe('Sanitised HTML; links are absolute.'),
  })
  .meta({ title: 'Comment' });

/** A page of the site as `api/site.json` lists it. */
export const apiPageRefSchema = z
  .object({
    slug: z.string().describe('Its path without slashes at the ends: about, docs/setup.'),
    url: httpUrl.describe("The page's URL."),
    title: z.string(),
    menu: z
      .int()
      .min(0)
      .nullable()
      .describe("Its place in the site's navigation, lower first; null: not in it."),
  })
  .meta({ title: 'Page reference' });

/** `api/pages/<slug>.json`: one page of `content/pages/`, with its HTML. */
export const apiPageSchema = apiPageRefSchema
  .extend({
    summary: z.string().describe('Plain text.'),
    lang: z.string().describe('BCP 47 language tag.'),
    updated: dateTime.nullable(),
    image: httpUrl.nullable(),
    html: z.string().describe('Sanitised HTML; links are absolute.'),
    headings: z.array(apiHeadingSchema),
    data: z.record(z.string(), z.unknown()).describe("The page's validated front matter."),
  })
  .meta({ title: 'Page', description: 'api/pages/<slug>.json' });

/** `api/site.json`: the site settings as written, its feeds and counts. */
export const apiSiteSchema = z
  .object({
    title: z.string(),
    url: httpUrl.describe("The site's URL, ending with /."),
    description: z.string().nullable(),
    language: z.string().describe('BCP 47 language tag.'),
    timezone: z.string().describe('IANA time zone.'),
    author: z.object({ name: z.string(), url: httpUrl.optional() }).nullable(),
    copyright: z.string().nullable(),
    postsPerPage: z.int().min(1),
    feeds: apiFeedLinksSchema.describe("The site's feeds: the newest posts."),
    commentFeeds: apiFeedLinksSchema.describe("The site's comment feeds: the newest approved comments."),
    comments: z
      .object({
        endpoint: httpUrl
          .nullable()
          .describe('Where comments are posted (form-urlencoded or JSON); null when the site takes none.'),
        maxLength: z.int().min(1).describe('The longest comment body, in characters.'),
      })
      .describe("Comment intake; whether a post takes comments is its document's commentsOpen."),
    counts: z.object({ posts: count, comments: count, tags: count, authors: count }),
    pages: z
      .array(apiPageRefSchema)
      .describe('Every page of content/pages/, by path; api/pages/<slug>.json has each.'),
  })
  .meta({ title: 'Site', description: 'api/site.json' });

/** Where a page of a list sits among the others (Ghost's shape). */
export const apiPaginationSchema = z
  .object({
    page: z.int().min(1),
    limit: z.int().min(1).describe('Posts a page: the config `postsPerPage`.'),
    pages: z.int().min(1),
    total: count,
    next: z.int().min(2).nullable().describe('The next (older) page number, or null on the last page.'),
    prev: z.int().min(1).nullable().describe('The previous (newer) page number, or null on the first page.'),
  })
  .meta({ title: 'Pagination' });

/** Why a page of `count` items disagrees with its pagination, or undefined when it agrees. */
function pageProblem(count: number, pagination: z.infer<typeof apiPaginationSchema>): string | undefined {
  const { page, limit, pages, total, next, prev } = pagination;
  const expectedPages = Math.max(1, Math.ceil(total / limit));
  const expectedCount = page < pages ? limit : total - (pages - 1) * limit;
  if (pages !== expectedPages)
    return `pages is ${pages}, but ${total} posts at ${limit} a page make ${expectedPages}`;
  if (page > pages) return `page ${page} is past the last page (${pages})`;
  if (next !== (page < pages ? page + 1 : null) || prev !== (page > 1 ? page - 1 : null)) {
    return 'next and prev do not follow from page and pages';
  }
  if (count !== expectedCount) {
    return `the page holds ${count} posts; page ${page} of ${total} posts at ${limit} a page holds ${expectedCount}`;
  }
  return undefined;
}

/** `api/posts.json` and `api/posts/page/<n>.json`: a page of post summaries, newest first. */
export const apiPostListSchema = z
  .object({
    posts: z.array(apiPostSummarySchema),
    meta: z.object({ pagination: apiPaginationSchema }),
  })
  .superRefine(({ posts, meta: { pagination } }, context) => {
    const problem = pageProblem(posts.length, pagination);
    if (problem) context.addIssue({ code: 'custom', path: ['meta', 'pagination'], message: problem });
  })
  .meta({ title: 'Post list', description: 'api/posts.json and api/posts/page/<n>.json' });

/** `api/posts/<slug>.json`: one post with its HTML and its approved comments. */
export const apiPostSchema = apiPostSummarySchema
  .extend({
    lang: z.string().describe('BCP 47 language tag.'),
    canonical: httpUrl.nullable(),
    image: httpUrl.nullable(),
    commentsOpen: z.boolean(),
    html: z.string().describe('Sanitised HTML; links are absolute.'),
    headings: z.array(apiHeadingSchema),
    wordCount: count,
    readingTime: z.int().min(1).describe('Minutes.'),
    commentFeeds: apiPostCommentFeedLinksSchema.describe(
      "The post's comment feeds, in the formats the site publishes (config feeds.postComments).",
    ),
    comments: z.array(apiCommentSchema).describe('Approved comments, oldest first.'),
    data: z
      .record(z.string(), z.unknown())
      .describe("The post's validated front matter, with fields that schema extensions add."),
  })
  .meta({ title: 'Post', description: 'api/posts/<slug>.json' });

/** A tag with the number of its published posts. */
export const apiTagSummarySchema = apiTagRefSchema
  .extend({ count: z.int().min(1).describe('Published posts with this tag.') })
  .meta({ title: 'Tag summary' });

/** `api/tags.json`: every tag, ordered by slug. */
export const apiTagListSchema = z
  .object({ tags: z.array(apiTagSummarySchema) })
  .meta({ title: 'Tag list', description: 'api/tags.json' });

/** `api/tags/<slug>.json`: one tag, its feeds and its post summaries, newest first. */
export const apiTagSchema = z
  .object({
    tag: apiTagSummarySchema.extend({ feeds: apiFeedLinksSchema.describe("The tag's feeds.") }),
    posts: z
      .array(apiPostSummarySchema)
      .describe("A page of the tag's posts (postsPerPage a page), newest first."),
    meta: z.object({ pagination: apiPaginationSchema }),
  })
  .superRefine(({ tag, posts, meta: { pagination } }, context) => {
    if (tag.count !== pagination.total) {
      context.addIssue({
        code: 'custom',
        path: ['tag', 'count'],
        message: `the count (${tag.count}) differs from the pagination's total (${pagination.total})`,
      });
    }
    const problem = pageProblem(posts.length, pagination);
    if (problem) context.addIssue({ code: 'custom', path: ['meta', 'pagination'], message: problem });
  })
  .meta({ title: 'Tag', description: 'api/tags/<slug>.json and api/tags/<slug>/page/<n>.json' });

/**
 * Every document schema, by the name of its JSON Schema file (`api/schema/<name>.json`).
 *
 * @example
 * ```ts
 * const response = await fetch('https://example.com/api/posts.json');
 * const list = apiDocumentSchemas.posts.parse(await response.json());
 * ```
 */
export const apiDocumentSchemas = {
  site: apiSiteSchema,
  posts: apiPostListSchema,
  post: apiPostSchema,
  tags: apiTagListSchema,
  tag: apiTagSchema,
  page: apiPageSchema,
} as const;

/** The name of an API document kind, as its JSON Schema file is named. */
export type ApiDocumentName = keyof typeof apiDocumentSchemas;

/** Absolute URLs of one feed in RSS, Atom and JSON Feed. */
export type ApiFeedLinks = z.output<typeof apiFeedLinksSchema>;
/** A tag as a post refers to it. */
export type ApiTagRef = z.output<typeof apiTagRefSchema>;
/** A person credited on a post. */
export type ApiAuthor = z.output<typeof apiAuthorSchema>;
/** A post in a list: no HTML. */
export type ApiPostSummary = z.output<typeof apiPostSummarySchema>;
/** A heading of a post. */
export type ApiHeading = z.output<typeof apiHeadingSchema>;
/** A visitor as a comment shows them. */
export type ApiCommentAuthor = z.output<typeof apiCommentAuthorSchema>;
/** An approved comment. */
export type ApiComment = z.output<typeof apiCommentSchema>;
/** `api/site.json`. */
export type ApiSite = z.output<typeof apiSiteSchema>;
/** `meta.pagination` of a post list. */
export type ApiPagination = z.output<typeof apiPaginationSchema>;
/** `api/posts.json` and `api/posts/page/<n>.json`. */
export type ApiPostList = z.output<typeof apiPostListSchema>;
/** `api/posts/<slug>.json`. */
export type ApiPost = z.output<typeof apiPostSchema>;
/** A tag with its post count. */
export type ApiTagSummary = z.output<typeof apiTagSummarySchema>;
/** `api/tags.json`. */
export type ApiTagList = z.output<typeof apiTagListSchema>;
/** `api/tags/<slug>.json`. */
export type ApiTag = z.output<typeof apiTagSchema>;
/** A page as `api/site.json` lists it. */
export type ApiPageRef = z.output<typeof apiPageRefSchema>;
/** `api/pages/<slug>.json`. */
export type ApiPage = z.output<typeof apiPageSchema>;
