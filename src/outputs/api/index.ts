import { z } from 'zod';
import { absoluteUrl, paths } from '../../site/paths';
import type { Author, Comment, OutputFile, Post, Site, SitePage, Tag, TagRef } from '../../site/types';
import { postListing, tagListing } from '../listing';
import { fileGroup, filesOf, type OutputGroup } from '../plan';
import { jsonText, toJsonValue } from './json';
import { feedLinks, httpUrl, type Page, paginate, postCommentFeedLinks } from './links';
import {
  type ApiAuthor,
  type ApiComment,
  type ApiPage,
  type ApiPageRef,
  type ApiPagination,
  type ApiPost,
  type ApiPostList,
  type ApiPostSummary,
  type ApiSite,
  type ApiTag,
  type ApiTagList,
  type ApiTagRef,
  type ApiTagSummary,
  apiDocumentSchemas,
} from './schema';

/**
 * Every document of the static JSON API (the site, pages of post summaries, each post, the tag list, each tag), with a JSON Schema for each kind of document
 * in `api/schema/`. Pure: the same site gives byte-identical files.
 *
 * @example
 * ```ts
 * const result = await loadSite({ root: '.' });
 * if (result.ok) {
 *   const posts = apiFiles(result.site).find((file) => file.path === 'api/posts.json');
 *   console.log(JSON.parse(posts!.contents).meta.pagination.total);
 * }
 * ```
 */
export function apiFiles(site: Site): OutputFile[] {
  return filesOf(site, apiPlan(site));
}

/**
 * The documents of {@link apiFiles} as a plan: every path up front, each document made when asked,
 * with the inputs it reads besides the site settings (`config`, `url`):
 *
 * - `api/site.json`: the counts of posts, comments, tags and authors (its inputs are the lists themselves);
 * - each page of `api/posts.json`: the page number and count, the number of posts, its posts'
 *   summaries (title, dates, summary, tags, authors, comment count);
 * - a post: the post (every field, its comments, its front matter);
 * - `api/tags.json`: `site.tags` (name, slug, post count);
 * - a tag: the tag (name, slug, its posts' summaries);
 * - the JSON Schemas: nothing from the site.
 */
export function apiPlan(site: Site): OutputGroup[] {
  const { posts, tags, comments, authors, pages } = site;
  const plan: OutputGroup[] = [
    fileGroup(paths.api.site(), { lists: { posts, tags, comments, authors, pages } }, (scoped) =>
      jsonText(apiSiteDocument(scoped)),
    ),
  ];
  // The lists show post summaries: listings stand for whole posts (src/outputs/listing.ts).
  for (const page of paginate(site.posts.map(postListing), site.config.postsPerPage)) {
    const path = paths.api.posts(page.number);
    plan.push(
      fileGroup(path, { page, total: site.posts.length }, (scoped, { page, total }) =>
        jsonText(apiPostListDocument(scoped, page, total)),
      ),
    );
  }
  for (const post of site.posts) {
    plan.push(
      fileGroup(paths.api.post(post.slug), { post }, (scoped, { post }) =>
        jsonText(apiPostDocument(scoped, post)),
      ),
    );
  }
  plan.push(
    fileGroup(paths.api.tags(), { lists: { tags: tags.map(tagListing) } }, (scoped) =>
      jsonText(apiTagListDocument(scoped)),
    ),
  );
  for (const tag of site.tags.map(tagListing)) {
    for (const page of paginate(tag.posts, site.config.postsPerPage)) {
      plan.push(
        fileGroup(paths.api.tag(tag.slug, page.number), { tag, page }, (scoped, inputs) =>
          jsonText(apiTagDocument(scoped, inputs.tag, inputs.page)),
        ),
      );
    }
  }
  for (const page of site.pages) {
    plan.push(
      fileGroup(paths.api.page(page.slug), { page }, (scoped, inputs) =>
        jsonText(apiPageDocument(scoped, inputs.page)),
      ),
    );
  }
  for (const [name, schema] of Object.entries(apiDocumentSchemas)) {
    plan.push(
      fileGroup(paths.api.schema(name), { name }, () => jsonText(z.toJSONSchema(schema, { io: 'input' }))),
    );
  }
  return plan;
}

/** `api/site.json`: the site settings as written (not HTML-escaped), its feeds and counts. */
export function apiSiteDocument(site: Site): ApiSite {
  const { title, description, language, timezone, author, copyright } = site.config.site;
  const authorUrl = httpUrl(author?.url);
  return {
    title,
    url: site.url,
    description: description ?? null,
    language,
    timezone,
    // The site author's email is left out: the API publishes no email.
    author: author ? { name: author.name, ...(authorUrl ? { url: authorUrl } : {}) } : null,
    copyright: copyright ?? null,
    postsPerPage: site.config.postsPerPage,
    feeds: feedLinks(site.url, paths.feeds.site()),
    commentFeeds: feedLinks(site.url, paths.feeds.comments()),
    // Where a custom frontend posts comments, absolute; null when the site takes none.
    comments: {
      endpoint: site.config.comments.endpoint ? new URL(site.config.comments.endpoint, site.url).href : null,
      maxLength: site.config.comments.maxLength,
    },
    counts: {
      posts: site.posts.length,
      comments: site.comments.length,
      tags: site.tags.length,
      authors: site.authors.length,
    },
    pages: site.pages.map(apiPageRef),
  };
}

function apiPageRef(page: SitePage): ApiPageRef {
  return { slug: page.slug, url: page.url, title: page.title, menu: page.menu ?? null };
}

/** `api/pages/<slug>.json`: a page of `content/pages/` with its HTML and headings. */
export function apiPageDocument(_site: Site, page: SitePage): ApiPage {
  return {
    ...apiPageRef(page),
    summary: page.summary,
    lang: page.lang,
    updated: page.updated?.toISOString() ?? null,
    image: httpUrl(page.image, page.url) ?? null,
    html: page.html,
    headings: page.headings.map(({ depth, text, id }) => ({ depth, text, id })),
    data: toJsonValue(page.data) as Record<string, unknown>,
  };
}

/** `api/posts.json` or `api/posts/page/<n>.json` (`page`) of a list of `total` posts: summaries newest first. */
function apiPostListDocument(site: Site, page: Page<Post>, total: number): ApiPostList {
  return {
    posts: page.items.map((post) => apiPostSummary(site, post)),
    meta: { pagination: pagination(site, page, total) },
  };
}

/** `api/posts/<slug>.json`: one post with its HTML, headings and approved comments. */
export function apiPostDocument(site: Site, post: Post): ApiPost {
  // The summary's fields first: added to its object rather than spread into a copy of it.
  return Object.assign(apiPostSummary(site, post), {
    lang: post.lang,
    canonical: httpUrl(post.canonical) ?? null,
    image: httpUrl(post.image, post.url) ?? null,
    commentsOpen: post.commentsOpen,
    html: post.html,
    headings: post.headings.map(({ depth, text, id }) => ({ depth, text, id })),
    wordCount: post.wordCount,
    readingTime: post.readingTime,
    commentFeeds: postCommentFeedLinks(site, post.slug),
    comments: post.comments.map(apiComment),
    data: toJsonValue(post.data) as Record<string, unknown>,
  });
}

/** `api/tags.json`: every tag with its post count, ordered by slug. */
export function apiTagListDocument(site: Site): ApiTagList {
  return { tags: site.tags.map((tag) => apiTagSummary(site, tag)) };
}

/**
 * `api/tags/<slug>.json` and `api/tags/<slug>/page/<n>.json`: one tag, its feeds and a page of its
 * post summaries (`postsPerPage` a page), newest first, with `meta.pagination`.
 */
export function apiTagDocument(
  site: Site,
  tag: Tag,
  page: Page<Post> = { number: 1, count: 1, items: tag.posts },
): ApiTag {
  return {
    tag: { ...apiTagSummary(site, tag), feeds: feedLinks(site.url, paths.feeds.tag(tag.slug)) },
    posts: page.items.map((post) => apiPostSummary(site, post)),
    meta: { pagination: pagination(site, page, tag.posts.length) },
  };
}

/** Where `page` of a list of `total` items sits among the others. */
function pagination(site: Site, page: Page<unknown>, total: number): ApiPagination {
  return {
    page: page.number,
    limit: site.config.postsPerPage,
    pages: page.count,
    total,
    next: page.number < page.count ? page.number + 1 : null,
    prev: page.number > 1 ? page.number - 1 : null,
  };
}

/** A post as lists show it; {@link apiPostDocument} starts with the same fields. */
function apiPostSummary(site: Site, post: Post): ApiPostSummary {
  return {
    slug: post.slug,
    url: post.url,
    title: post.title,
    date: post.date.toISOString(),
    updated: post.updated?.toISOString() ?? null,
    summary: post.summary,
    tags: post.tags.map((tag) => apiTagRef(site, tag)),
    authors: post.authors.map((author) => apiAuthor(site, author)),
    commentCount: post.comments.length,
  };
}

function apiTagRef(site: Site, tag: TagRef): ApiTagRef {
  return { name: tag.name, slug: tag.slug, url: absoluteUrl(site.url, paths.tag(tag.slug)) };
}

function apiTagSummary(site: Site, tag: Tag): ApiTagSummary {
  return { ...apiTagRef(site, tag), count: tag.posts.length };
}

/** A post author without the email. */
function apiAuthor(site: Site, author: Author): ApiAuthor {
  const url = httpUrl(author.url);
  const avatar = httpUrl(author.avatar, site.url);
  return {
    id: author.id,
    name: author.name,
    ...(url ? { url } : {}),
    ...(avatar ? { avatar } : {}),
    ...(author.bio !== undefined ? { bio: author.bio } : {}),
  };
}

function apiComment(comment: Comment): ApiComment {
  const url = httpUrl(comment.author.url);
  return {
    id: comment.id,
    parent: comment.parent ?? null,
    depth: comment.depth,
    author: { name: comment.author.name, ...(url ? { url } : {}) },
    date: comment.date.toISOString(),
    url: comment.url,
    html: comment.html,
  };
}
