import { rfc3339 } from './dates';
import type { FeedDocument, FeedEntry, FeedPerson } from './model';

/** A JSON Feed 1.1 author (https://www.jsonfeed.org/version/1.1/). */
export interface JsonFeedAuthor {
  name: string;
  url?: string;
}

/** A JSON Feed 1.1 item as broadsheet writes it. */
export interface JsonFeedItem {
  id: string;
  url: string;
  title: string;
  /** Present when the feed carries full content, and for comments. */
  content_html?: string;
  /** The summary, in place of `content_html` in a summaries-only feed. */
  content_text?: string;
  summary?: string;
  date_published: string;
  date_modified: string;
  tags?: string[];
  authors: JsonFeedAuthor[];
  language?: string;
}

/** A JSON Feed 1.1 document as broadsheet writes it. */
export interface JsonFeed {
  version: 'https://jsonfeed.org/version/1.1';
  title: string;
  home_page_url: string;
  feed_url: string;
  description: string;
  language: string;
  authors: JsonFeedAuthor[];
  items: JsonFeedItem[];
}

/** Writes a feed as JSON Feed 1.1. JSON carries every character, so no text is changed. */
export function renderJsonFeed(feed: FeedDocument): string {
  const document: JsonFeed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: feed.title,
    home_page_url: feed.homeUrl,
    feed_url: feed.urls.json,
    description: feed.description,
    language: feed.language,
    authors: [jsonAuthor(feed.author)],
    items: feed.entries.map(jsonItem),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

function jsonItem(entry: FeedEntry): JsonFeedItem {
  // Keys are written in this order, so the output is the same for the same content.
  return {
    id: entry.id,
    url: entry.url,
    title: entry.title,
    ...(entry.contentHtml !== undefined
      ? { content_html: entry.contentHtml }
      : { content_text: entry.summary ?? '' }),
    ...(entry.summary !== undefined ? { summary: entry.summary } : {}),
    date_published: rfc3339(entry.published),
    date_modified: rfc3339(entry.updated),
    ...(entry.categories.length > 0 ? { tags: entry.categories.map((category) => category.label) } : {}),
    authors: entry.authors.map(jsonAuthor),
    ...(entry.lang !== undefined ? { language: entry.lang } : {}),
  };
}

function jsonAuthor(person: FeedPerson): JsonFeedAuthor {
  return person.url === undefined ? { name: person.name } : { name: person.name, url: person.url };
}
