import { rfc822 } from './dates';
import type { FeedDocument, FeedEntry } from './model';
import { plainTextElement, serializeXml, xml } from './xml';

/** Namespaces of the RSS modules the feeds use. */
const NAMESPACES = {
  'xmlns:atom': 'http://www.w3.org/2005/Atom',
  'xmlns:content': 'http://purl.org/rss/1.0/modules/content/',
  'xmlns:dc': 'http://purl.org/dc/elements/1.1/',
  'xmlns:slash': 'http://purl.org/rss/1.0/modules/slash/',
  'xmlns:wfw': 'http://wellformedweb.org/CommentAPI/',
} as const;

const HTML_SPECIAL = /[&<>\r]/g;
const HTML_REFERENCES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' };

/** Plain text as HTML that shows exactly that text (an RSS `description` holds HTML). */
function plainTextHtml(text: string): string {
  return text.replace(HTML_SPECIAL, (character) => HTML_REFERENCES[character]!);
}

/**
 * Writes a feed as RSS 2.0 with the Atom (`atom:link rel="self"`), content, Dublin Core, Slash and
 * Well-Formed Web modules.
 */
export function renderRss(feed: FeedDocument): string {
  return serializeXml(
    xml(
      'rss',
      { version: '2.0', ...NAMESPACES },
      xml(
        'channel',
        {},
        plainTextElement('title', feed.title),
        xml('link', {}, feed.homeUrl),
        plainTextElement('description', feed.description),
        xml('language', {}, feed.language),
        feed.copyright !== undefined && plainTextElement('copyright', feed.copyright),
        xml('lastBuildDate', {}, rfc822(feed.updated)),
        xml('generator', {}, 'broadsheet'),
        xml('atom:link', { href: feed.urls.rss, rel: 'self', type: 'application/rss+xml' }),
        feed.entries.map(renderItem),
      ),
    ),
  );
}

function renderItem(entry: FeedEntry) {
  // A post has a plain-text summary (as HTML in `description`) and its HTML in `content:encoded`;
  // a comment, or a post in a summaries-only feed, has one of the two, which goes in `description`.
  const description = entry.summary !== undefined ? plainTextHtml(entry.summary) : (entry.contentHtml ?? '');
  const encoded = entry.summary !== undefined ? entry.contentHtml : undefined;
  return xml(
    'item',
    {},
    plainTextElement('title', entry.title),
    xml('link', {}, entry.url),
    xml('guid', { isPermaLink: 'true' }, entry.id),
    xml('pubDate', {}, rfc822(entry.published)),
    entry.authors.map((author) => plainTextElement('dc:creator', author.name)),
    entry.categories.map((category) => plainTextElement('category', category.label)),
    xml('description', {}, description),
    encoded !== undefined && xml('content:encoded', {}, encoded),
    entry.replies && [
      xml('comments', {}, entry.replies.pageUrl),
      entry.replies.feeds.rss !== undefined && xml('wfw:commentRss', {}, entry.replies.feeds.rss),
      xml('slash:comments', {}, String(entry.replies.count)),
    ],
  );
}
