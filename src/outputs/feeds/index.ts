import { FEED_FORMATS, type FeedFormat } from '../../schema/config';
import { paths } from '../../site/paths';
import type { OutputFile, Post, Site, Tag } from '../../site/types';
import { filesOf, type GroupInputs, type OutputGroup } from '../plan';
import { renderAtom } from './atom';
import { renderJsonFeed } from './json-feed';
import { commentsFeed, type FeedDocument, postCommentsFeed, siteFeed, tagFeed } from './model';
import { renderRss } from './rss';

export type { JsonFeed, JsonFeedAuthor, JsonFeedItem } from './json-feed';

const RENDER: Record<FeedFormat, (feed: FeedDocument) => string> = {
  rss: renderRss,
  atom: renderAtom,
  json: renderJsonFeed,
};

/**
 * The files of one feed in `only` these formats (default all three): `rss.xml` (RSS 2.0), `atom.xml`
 * (Atom 1.0), `feed.json` (JSON Feed 1.1).
 */
function formats(feed: FeedDocument, only: readonly FeedFormat[] = FEED_FORMATS): OutputFile[] {
  return only.map((format) => ({
    path: feed.folder + paths.feedFiles[format],
    contents: RENDER[format](feed),
  }));
}

/**
 * The site feeds `rss.xml`, `atom.xml` and `feed.json`: the newest `feeds.limit` published posts,
 * with full HTML content, or their summaries only when `feeds.fullContent` is `false`.
 *
 * @example
 * ```ts
 * const result = await loadSite({ root: '.' });
 * if (result.ok) for (const file of siteFeedFiles(result.site)) console.log(file.path); // rss.xml, atom.xml, feed.json
 * ```
 */
export function siteFeedFiles(site: Site): OutputFile[] {
  return formats(siteFeed(site));
}

/** One tag's feeds under `tags/<slug>/`: its newest `feeds.limit` posts. */
export function tagFeedFiles(site: Site, tag: Tag): OutputFile[] {
  return formats(tagFeed(site, tag));
}

/**
 * The site's comment feeds under `comments/`: the newest `feeds.limit` approved comments, each titled
 * "Comment on <post title> by <name>" and pointing at what it answers (`thr:in-reply-to` in Atom).
 */
export function commentFeedFiles(site: Site): OutputFile[] {
  return formats(commentsFeed(site));
}

/**
 * One post's comment feeds under `posts/<slug>/comments/`, in the formats `feeds.postComments` lists
 * (default Atom only; none for `[]`); valid, empty feeds when it has no comments.
 */
export function postCommentFeedFiles(site: Site, post: Post): OutputFile[] {
  const only = site.config.feeds.postComments;
  return only.length === 0 ? [] : formats(postCommentsFeed(site, post), only);
}

/**
 * Every feed of the site, in RSS 2.0, Atom 1.0 and JSON Feed 1.1: the site feeds, each tag's, the
 * site's comment feeds and each post's comment feeds. Pure: the same site gives byte-identical files;
 * every date comes from the content, never from the clock. Any text gives well-formed XML (characters
 * XML 1.0 cannot carry are dropped from the XML files only) and valid JSON.
 *
 * @example
 * ```ts
 * import { feedFiles, loadSite } from 'broadsheet';
 *
 * const result = await loadSite({ root: '.' });
 * if (result.ok) {
 *   for (const file of feedFiles(result.site)) console.log(file.path);
 *   // rss.xml, atom.xml, feed.json, tags/<slug>/rss.xml, …, comments/rss.xml, …, posts/<slug>/comments/feed.json
 * }
 * ```
 */
export function feedFiles(site: Site): OutputFile[] {
  return filesOf(site, feedPlan(site));
}

/**
 * The feeds of {@link feedFiles} as a plan: one group per feed folder, its three formats, with the
 * inputs it reads besides the site settings (`config`, `url`):
 *
 * - the site feeds: the newest `feeds.limit` posts (every field a feed entry shows, their comments);
 * - a tag's feeds: the tag (name, slug, URL, its newest `feeds.limit` posts);
 * - the site's comment feeds: the newest `feeds.limit` comments, and every post (the post a comment
 *   is on, and the newest post date when there is no comment);
 * - a post's comment feeds (in the formats `feeds.postComments` lists; none for `[]`): the post
 *   (title, URL, language, date, its comments).
 */
export function feedPlan(site: Site): OutputGroup[] {
  const folder = <T extends GroupInputs>(
    path: string,
    inputs: T,
    make: (scoped: Site, inputs: T) => OutputFile[],
    only: readonly FeedFormat[] = FEED_FORMATS,
  ): OutputGroup<T> => ({
    paths: only.map((format) => path + paths.feedFiles[format]),
    inputs,
    make,
  });
  const { limit, postComments } = site.config.feeds;
  return [
    folder(paths.feeds.site(), { lists: { posts: site.posts.slice(0, limit) } }, (scoped) =>
      siteFeedFiles(scoped),
    ),
    // A tag's feeds show its newest `limit` posts: the tag is declared with those alone.
    ...site.tags.map(({ name, slug, url, posts }) =>
      folder(
        paths.feeds.tag(slug),
        { tag: { name, slug, url, posts: posts.slice(0, limit) } },
        (scoped, { tag }) => tagFeedFiles(scoped, tag),
      ),
    ),
    folder(
      paths.feeds.comments(),
      { lists: { comments: site.comments.slice(0, limit), posts: site.posts } },
      (scoped) => commentFeedFiles(scoped),
    ),
    ...(postComments.length === 0 ? [] : site.posts).map((post) =>
      folder(
        paths.feeds.postComments(post.slug),
        { post },
        (scoped, { post }) => postCommentFeedFiles(scoped, post),
        postComments,
      ),
    ),
  ];
}
