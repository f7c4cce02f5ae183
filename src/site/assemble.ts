import { compareText } from '../common/text';
import type { ResolvedConfig } from '../schema/config';
import type { Author, Post, Site, SitePage, Tag } from './types';

/** Newest first; posts of the same instant by slug. */
export function compareNewestFirst(a: { date: Date; slug: string }, b: { date: Date; slug: string }): number {
  return b.date.getTime() - a.date.getTime() || compareText(a.slug, b.slug);
}

/** Code-unit order, the same on every machine and locale. */

/**
 * Puts a `Site` together from its published, rendered posts: posts newest first, the tags they
 * carry (by slug, each with its posts newest first), every approved comment newest first, and the
 * author profiles by id. The one place these orders are decided.
 */
export function assembleSite<TPostData, TCommentData>(
  config: ResolvedConfig,
  published: readonly Post<TPostData, TCommentData>[],
  authors: readonly Author[],
): Site<TPostData, TCommentData> {
  const posts = [...published].sort(compareNewestFirst);
  const tagsBySlug = new Map<string, Tag<TPostData>>();
  for (const post of posts) {
    for (const ref of post.tags) {
      let tag = tagsBySlug.get(ref.slug);
      if (!tag) {
        tag = { ...ref, posts: [] };
        tagsBySlug.set(ref.slug, tag);
      }
      tag.posts.push(post as Post<TPostData>);
    }
  }
  const comments = posts
    .flatMap((post) => post.comments)
    .sort(
      (a, b) =>
        b.date.getTime() - a.date.getTime() || compareText(a.postSlug, b.postSlug) || compareText(a.id, b.id),
    );
  return {
    config,
    url: config.site.url,
    posts,
    tags: [...tagsBySlug.values()].sort((a, b) => compareText(a.slug, b.slug)),
    authors: [...authors].sort((a, b) => compareText(a.id, b.id)),
    comments,
    pages: [],
    menu: [],
  };
}

/**
 * The site with its pages (`content/pages/`), by path, and its navigation: the pages with `menu`,
 * by `menu` then path.
 */
export function withPages<TPostData, TCommentData>(
  site: Site<TPostData, TCommentData>,
  pages: readonly SitePage[],
): Site<TPostData, TCommentData> {
  return {
    ...site,
    pages: [...pages].sort((a, b) => compareText(a.slug, b.slug)),
    menu: pages
      .filter((page) => page.menu !== undefined)
      .sort((a, b) => a.menu! - b.menu! || compareText(a.slug, b.slug))
      .map((page) => ({ title: page.title, url: page.url })),
  };
}
