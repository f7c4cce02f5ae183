import { compareText } from '../../common/text';
import { BroadsheetError } from '../../errors';
import { absoluteUrl, paths } from '../../site/paths';
import type { Comment, Post, Site, Tag } from '../../site/types';
import { postCommentFeedLinks } from '../api/links';

/** A person as a feed credits them: a post's author, a visitor, or the site. Never an email. */
export interface FeedPerson {
  name: string;
  url?: string;
}

/** A tag as a feed categorises by it. */
export interface FeedCategory {
  /** The tag's slug: the stable identifier (Atom `term`). */
  term: string;
  /** The tag's display name (Atom `label`, RSS `category`, JSON Feed `tags`). */
  label: string;
}

/** The URLs of one feed in its three formats. */
export interface FeedUrls {
  rss: string;
  atom: string;
  json: string;
}

/** One entry of a feed: a post or a comment, in terms every format can write. */
export interface FeedEntry {
  /** Permanent, unique id: the post's URL, or the comment's URL (`…#comment-<id>`). */
  id: string;
  /** The page the entry is shown on. */
  url: string;
  /** Plain text. */
  title: string;
  published: Date;
  updated: Date;
  authors: FeedPerson[];
  categories: FeedCategory[];
  /** The entry's language when it differs from the feed's. */
  lang?: string;
  /** Plain text; left out when empty. */
  summary?: string;
  /** Sanitised HTML with absolute links; left out when the feed carries summaries only. */
  contentHtml?: string;
  /** A post's comments and its comment feeds (RFC 4685 `replies`, RSS `wfw:commentRss`, `slash:comments`). */
  replies?: { count: number; updated?: Date; pageUrl: string; feeds: Partial<FeedUrls> };
  /** What a comment answers (RFC 4685 `thr:in-reply-to`): its post, or the comment it replies to. */
  inReplyTo?: { ref: string; href: string };
}

/** A feed before it is written in a format. */
export interface FeedDocument {
  /** The folder the three files go in, relative to the output folder: '' or ending with `/`. */
  folder: string;
  urls: FeedUrls;
  /** The HTML page the feed follows. */
  homeUrl: string;
  title: string;
  description: string;
  /** BCP 47 tag. */
  language: string;
  /** The newest `updated` of its entries; for an empty feed the newest date relevant to it. */
  updated: Date;
  /** Who publishes the feed: `site.author`, else the site itself. Every entry without authors falls back to it. */
  author: FeedPerson;
  copyright?: string;
  categories: FeedCategory[];
  /** Newest first, at most `feeds.limit`. */
  entries: FeedEntry[];
}

/** The date of a feed with no entries and nothing else to date it by: the Unix epoch, never the clock. */
const NO_DATE = new Date(0);

/** The feed set of the whole site: its newest published posts. */
export function siteFeed(site: Site): FeedDocument {
  const folder = paths.feeds.site();
  const { description, title } = site.config.site;
  return postFeed(site, folder, {
    title,
    description: description ?? title,
    homeUrl: site.url,
    categories: [],
    posts: site.posts,
  });
}

/** The feed set of one tag: its newest posts. */
export function tagFeed(site: Site, tag: Tag): FeedDocument {
  const siteTitle = site.config.site.title;
  return postFeed(site, paths.feeds.tag(tag.slug), {
    title: `${siteTitle}: ${tag.name}`,
    description: `Posts tagged “${tag.name}” on ${siteTitle}`,
    homeUrl: tag.url,
    categories: [{ term: tag.slug, label: tag.name }],
    posts: tag.posts,
  });
}

/** The feed set of the whole site's newest approved comments. */
export function commentsFeed(site: Site): FeedDocument {
  const folder = paths.feeds.comments();
  const postsBySlug = new Map(site.posts.map((post) => [post.slug, post]));
  const siteTitle = site.config.site.title;
  const entries = site.comments.slice(0, site.config.feeds.limit).map((comment) => {
    const post = postsBySlug.get(comment.postSlug);
    if (!post) {
      throw new BroadsheetError(
        'invalid-site',
        `comment "${comment.id}" belongs to "${comment.postSlug}", which is not a published post of the site`,
      );
    }
    return commentEntry(comment, post);
  });
  return {
    folder,
    urls: feedUrls(site, folder),
    homeUrl: site.url,
    title: `Comments on ${siteTitle}`,
    description: `The newest comments on ${siteTitle}`,
    language: site.config.site.language,
    updated: newest(entries) ?? newestPostDate(site.posts) ?? NO_DATE,
    author: siteAuthor(site),
    copyright: site.config.site.copyright,
    categories: [],
    entries,
  };
}

/** The feed set of one post's approved comments; a valid, empty feed when it has none. */
export function postCommentsFeed(site: Site, post: Post): FeedDocument {
  const folder = paths.feeds.postComments(post.slug);
  const entries = [...post.comments]
    .sort(compareNewestFirst)
    .slice(0, site.config.feeds.limit)
    .map((comment) => commentEntry(comment, post));
  return {
    folder,
    urls: feedUrls(site, folder),
    homeUrl: post.url,
    title: `Comments on ${post.title}`,
    description: `Comments on “${post.title}” on ${site.config.site.title}`,
    language: post.lang,
    updated: newest(entries) ?? post.date,
    author: siteAuthor(site),
    copyright: site.config.site.copyright,
    categories: [],
    entries,
  };
}

function postFeed(
  site: Site,
  folder: string,
  feed: { title: string; description: string; homeUrl: string; categories: FeedCategory[]; posts: Post[] },
): FeedDocument {
  const language = site.config.site.language;
  const entries = feed.posts.slice(0, site.config.feeds.limit).map((post) => postEntry(site, post, language));
  return {
    folder,
    urls: feedUrls(site, folder),
    homeUrl: feed.homeUrl,
    title: feed.title,
    description: feed.description,
    language,
    updated: newest(entries) ?? NO_DATE,
    author: siteAuthor(site),
    copyright: site.config.site.copyright,
    categories: feed.categories,
    entries,
  };
}

function postEntry(site: Site, post: Post, feedLanguage: string): FeedEntry {
  const lastComment = post.comments.reduce<Date | undefined>(
    (latest, comment) => (latest === undefined || comment.date > latest ? comment.date : latest),
    undefined,
  );
  return {
    id: post.url,
    url: post.url,
    title: post.title,
    published: post.date,
    updated: post.updated ?? post.date,
    authors: post.authors.map((author) => person(author.name, author.url)),
    categories: post.tags.map((tag) => ({ term: tag.slug, label: tag.name })),
    lang: post.lang === feedLanguage ? undefined : post.lang,
    summary: post.summary === '' ? undefined : post.summary,
    contentHtml: site.config.feeds.fullContent ? post.html : undefined,
    replies: {
      count: post.comments.length,
      updated: lastComment,
      pageUrl: `${post.url}#comments`,
      feeds: postCommentFeedLinks(site, post.slug),
    },
  };
}

function commentEntry(comment: Comment, post: Post): FeedEntry {
  const parent =
    comment.parent === undefined ? undefined : post.comments.find((c) => c.id === comment.parent);
  const target = parent ? parent.url : post.url;
  return {
    id: comment.url,
    url: comment.url,
    title: `Comment on ${post.title} by ${comment.author.name}`,
    published: comment.date,
    updated: comment.date,
    authors: [person(comment.author.name, comment.author.url)],
    categories: [],
    contentHtml: comment.html,
    inReplyTo: { ref: target, href: target },
  };
}

function feedUrls(site: Site, folder: string): FeedUrls {
  return {
    rss: absoluteUrl(site.url, folder + paths.feedFiles.rss),
    atom: absoluteUrl(site.url, folder + paths.feedFiles.atom),
    json: absoluteUrl(site.url, folder + paths.feedFiles.json),
  };
}

function siteAuthor(site: Site): FeedPerson {
  const { author, title } = site.config.site;
  return author ? person(author.name, author.url) : { name: title, url: site.url };
}

function person(name: string, url: string | undefined): FeedPerson {
  return url === undefined ? { name } : { name, url };
}

function newest(entries: FeedEntry[]): Date | undefined {
  let latest: Date | undefined;
  for (const entry of entries) if (latest === undefined || entry.updated > latest) latest = entry.updated;
  return latest;
}

/** The newest `updated ?? date` of some posts; `undefined` for none. */
export function newestPostDate(posts: readonly Post[]): Date | undefined {
  let latest: Date | undefined;
  for (const post of posts) {
    const date = post.updated ?? post.date;
    if (latest === undefined || date > latest) latest = date;
  }
  return latest;
}

function compareNewestFirst(a: Comment, b: Comment): number {
  return b.date.getTime() - a.date.getTime() || compareText(a.id, b.id);
}
