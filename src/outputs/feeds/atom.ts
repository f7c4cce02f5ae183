import { rfc3339 } from './dates';
import type { FeedDocument, FeedEntry, FeedPerson } from './model';
import { serializeXml, xml } from './xml';

const ATOM = 'http://www.w3.org/2005/Atom';
const THREADING = 'http://purl.org/syndication/thread/1.0';

/**
 * Writes a feed as Atom 1.0 (RFC 4287) with the threading extension (RFC 4685): posts link to
 * their comment feed with `rel="replies"`, `thr:count` and `thr:updated`; comments carry
 * `thr:in-reply-to`.
 */
export function renderAtom(feed: FeedDocument): string {
  return serializeXml(
    xml(
      'feed',
      { xmlns: ATOM, 'xmlns:thr': THREADING, 'xml:lang': feed.language },
      xml('id', {}, feed.urls.atom),
      xml('title', {}, feed.title),
      xml('subtitle', {}, feed.description),
      xml('updated', {}, rfc3339(feed.updated)),
      renderPerson(feed.author),
      xml('link', { rel: 'self', type: 'application/atom+xml', href: feed.urls.atom }),
      xml('link', { rel: 'alternate', type: 'text/html', href: feed.homeUrl }),
      feed.categories.map((category) => xml('category', { term: category.term, label: category.label })),
      feed.copyright !== undefined && xml('rights', {}, feed.copyright),
      xml('generator', {}, 'broadsheet'),
      feed.entries.map(renderEntry),
    ),
  );
}

function renderEntry(entry: FeedEntry) {
  const { replies, inReplyTo } = entry;
  return xml(
    'entry',
    { 'xml:lang': entry.lang },
    xml('id', {}, entry.id),
    xml('title', {}, entry.title),
    xml('link', { rel: 'alternate', type: 'text/html', href: entry.url }),
    xml('published', {}, rfc3339(entry.published)),
    xml('updated', {}, rfc3339(entry.updated)),
    entry.authors.map(renderPerson),
    entry.categories.map((category) => xml('category', { term: category.term, label: category.label })),
    entry.summary !== undefined && xml('summary', {}, entry.summary),
    entry.contentHtml !== undefined && xml('content', { type: 'html' }, entry.contentHtml),
    // RFC 4685: `replies` points at the post's Atom comment feed, or at the comments on its page
    // when `feeds.postComments` leaves Atom out.
    replies &&
      xml('link', {
        rel: 'replies',
        type: replies.feeds.atom !== undefined ? 'application/atom+xml' : 'text/html',
        href: replies.feeds.atom ?? replies.pageUrl,
        'thr:count': replies.count,
        'thr:updated': replies.updated && rfc3339(replies.updated),
      }),
    inReplyTo && xml('thr:in-reply-to', { ref: inReplyTo.ref, href: inReplyTo.href, type: 'text/html' }),
  );
}

function renderPerson(person: FeedPerson) {
  return xml(
    'author',
    {},
    xml('name', {}, person.name),
    person.url !== undefined && xml('uri', {}, person.url),
  );
}
