import { paths } from '../../site/paths';
import type { OutputFile, Post, Site, Tag } from '../../site/types';
import { type GroupInputs, keyedGroup, OutputKeys } from '../keys';
import { filesOf, type OutputGroup } from '../plan';
import { renderAtom } from './atom';
import { renderJsonFeed } from './json-feed';
import { commentsFeed, type FeedDocument, postCommentsFeed, siteFeed, tagFeed } from './model';
import { renderRss } from './rss';

export type { JsonFeed, JsonFeedAuthor, JsonFeedItem } from './json-feed';

/** The three files of one feed: `rss.xml` (RSS 2.0), `atom.xml` (Atom 1.0), `feed.json` (JSON Feed 1.1). */
function formats(feed: FeedDocument): OutputFile[] {
  return [
    { path: feed.folder + paths.feedFiles.rss, contents: renderRss(feed) },
    { path: feed.folder + paths.feedFiles.atom, contents: renderAtom(feed) },
    { path: feed.folder + paths.feedFiles.json, contents: renderJsonFeed(feed) },
  ];
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

/** One post's comment feeds under `posts/<slug>/comments/`; valid, empty feeds when it has no comments. */
export function postCommentFeedFiles(site: Site, post: Post): OutputFile[] {
  return formats(postCommentsFeed(site, post));
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
  return filesOf(feedPlan(site));
}

/**
 * The feeds of {@link feedFiles} as a plan: one group per feed folder, its three formats, with a key
 * of what it reads besides the site settings (`config`, `url`):
 *
 * - the site feeds: the newest `feeds.limit` posts (every field a feed entry shows, their comments);
 * - a tag's feeds: the tag (name, slug, its posts);
 * - the site's comment feeds: the newest `feeds.limit` comments, and every post (the post a comment
 *   is on, and the newest post date when there is no comment);
 * - a post's comment feeds: the post (title, URL, language, date, its comments).
 */
export function feedPlan(site: Site, keys = new OutputKeys(site)): OutputGroup[] {
  const folder = <T extends GroupInputs>(
    path: string,
    inputs: T,
    make: (scoped: Site, inputs: T) => OutputFile[],
  ): OutputGroup =>
    keyedGroup(
      keys,
      site,
      [paths.feedFiles.rss, paths.feedFiles.atom, paths.feedFiles.json].map((name) => path + name),
      inputs,
      make,
    );
  const { limit } = site.config.feeds;
  return [
    folder(paths.feeds.site(), { lists: { posts: site.posts.slice(0, limit) } }, (scoped) =>
      siteFeedFiles(scoped),
    ),
    ...site.tags.map((tag) =>
      folder(paths.feeds.tag(tag.slug), { tag }, (scoped, { tag }) => tagFeedFiles(scoped, tag)),
    ),
    folder(
      paths.feeds.comments(),
      { lists: { comments: site.comments.slice(0, limit), posts: site.posts } },
      (scoped) => commentFeedFiles(scoped),
    ),
    ...site.posts.map((post) =>
      folder(paths.feeds.postComments(post.slug), { post }, (scoped, { post }) =>
        postCommentFeedFiles(scoped, post),
      ),
    ),
  ];
}
