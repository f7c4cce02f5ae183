import { afterEach, describe, expect, it, vi } from 'vitest';
import { BroadsheetError } from '../../src/errors';
import {
  commentFeedFiles,
  feedFiles,
  postCommentFeedFiles,
  siteFeedFiles,
  tagFeedFiles,
} from '../../src/outputs/feeds/index';
import type { OutputFile, Site } from '../../src/site/types';
import { buildSite, type PostSpec } from './site-factory';
import {
  ATOM_NS,
  attr,
  child,
  children,
  expectValidFeedFile,
  parseXml,
  RSS_NS,
  THREAD_NS,
  text,
} from './support';

const RFC_822 =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const RFC_3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function post(overrides: Partial<PostSpec> = {}): PostSpec {
  return {
    title: 'A post',
    summary: 'Its summary.',
    html: '<p>Its body.</p>',
    tags: [],
    authors: [],
    comments: [],
    ...overrides,
  };
}

function file(files: OutputFile[], path: string): string {
  const found = files.find((candidate) => candidate.path === path);
  if (!found) throw new Error(`no ${path} among ${files.map((f) => f.path).join(', ')}`);
  return found.contents;
}

/** A site with a thread: c1 on the post, c2 replying to c1, c3 replying to c2, c4 on the post. */
function threadedSite(): Site {
  return buildSite({
    title: 'Threads',
    author: { name: 'Owner', url: 'https://owner.example/' },
    posts: [
      post({
        title: 'Discussed',
        tags: ['Talk'],
        authors: [{ name: 'Ann' }],
        comments: [
          { name: 'One', html: '<p>1</p>' },
          { name: 'Two', html: '<p>2</p>', replyTo: 0 },
          { name: 'Three', html: '<p>3</p>', replyTo: 1, url: 'https://three.example/' },
          { name: 'Four', html: '<p>4</p>' },
        ],
      }),
    ],
  });
}

afterEach(() => {
  vi.useRealTimers();
});

describe('feedFiles', () => {
  it('writes three formats for the site, each tag, the comments and each post, all valid', () => {
    const site = buildSite({
      title: 'S',
      posts: [post({ tags: ['One', 'Two'] }), post({ tags: ['Two'], title: 'Second' })],
    });
    const files = feedFiles(site);
    expect(files.map((f) => f.path)).toEqual(
      [
        '',
        'tags/tag-1/',
        'tags/tag-2/',
        'comments/',
        'posts/post-2/comments/',
        'posts/post-1/comments/',
      ].flatMap((folder) => [`${folder}rss.xml`, `${folder}atom.xml`, `${folder}feed.json`]),
    );
    for (const f of files) expectValidFeedFile(f);
    expect(siteFeedFiles(site)).toEqual(files.slice(0, 3));
    expect(tagFeedFiles(site, site.tags[1]!)).toEqual(files.slice(6, 9));
    expect(commentFeedFiles(site)).toEqual(files.slice(9, 12));
    expect(postCommentFeedFiles(site, site.posts[1]!)).toEqual(files.slice(15, 18));
  });

  it('never reads the clock: the same site gives byte-identical files at any time, empty feeds too', () => {
    const sites = [
      threadedSite(),
      buildSite({ title: 'Empty', posts: [] }),
      buildSite({ title: 'S', posts: [post()] }),
    ];
    vi.useFakeTimers({ now: new Date('2001-01-01T00:00:00Z') });
    const before = sites.flatMap(feedFiles);
    vi.setSystemTime(new Date('2099-12-31T23:59:59Z'));
    expect(sites.flatMap(feedFiles)).toEqual(before);
    expect(before.map((f) => f.contents).join('')).not.toMatch(/2001|2099/);
  });

  it('throws a BroadsheetError for a comment whose post is not in the site', () => {
    const site = threadedSite();
    const broken: Site = { ...site, comments: [{ ...site.comments[0]!, postSlug: 'missing' }] };
    expect(() => feedFiles(broken)).toThrow(BroadsheetError);
  });
});

describe('RSS 2.0', () => {
  it('writes a post item with guid, dates, dc:creator, category, description before content:encoded, and comment links', () => {
    const site = threadedSite();
    const channel = child(parseXml(file(feedFiles(site), 'rss.xml')), '', 'channel');
    const self = child(channel, RSS_NS.atom, 'link');
    expect([attr(self, 'rel'), attr(self, 'href'), attr(self, 'type')]).toEqual([
      'self',
      'https://example.com/blog/rss.xml',
      'application/rss+xml',
    ]);
    expect(text(child(channel, '', 'lastBuildDate'))).toMatch(RFC_822);
    const item = child(channel, '', 'item');
    expect(
      item.children.filter((node) => typeof node !== 'string').map((node) => `${node.uri} ${node.local}`),
    ).toEqual([
      ' title',
      ' link',
      ' guid',
      ' pubDate',
      `${RSS_NS.dc} creator`,
      ' category',
      ' description',
      `${RSS_NS.content} encoded`,
      ' comments',
      `${RSS_NS.wfw} commentRss`,
      `${RSS_NS.slash} comments`,
    ]);
    const postUrl = 'https://example.com/blog/posts/post-1/';
    expect(attr(child(item, '', 'guid'), 'isPermaLink')).toBe('true');
    expect(text(child(item, '', 'guid'))).toBe(postUrl);
    expect(text(child(item, '', 'pubDate'))).toBe('Mon, 01 Jan 2024 12:00:00 GMT');
    expect(text(child(item, '', 'comments'))).toBe(`${postUrl}#comments`);
    expect(text(child(item, RSS_NS.wfw, 'commentRss'))).toBe(`${postUrl}comments/rss.xml`);
    expect(text(child(item, RSS_NS.slash, 'comments'))).toBe('4');
  });

  it('writes comment items with a permalink guid and the comment HTML as description', () => {
    const items = children(
      child(parseXml(file(feedFiles(threadedSite()), 'comments/rss.xml')), '', 'channel'),
      '',
      'item',
    );
    expect(items.map((item) => text(child(item, '', 'title')))).toEqual([
      'Comment on Discussed by Four',
      'Comment on Discussed by Three',
      'Comment on Discussed by Two',
      'Comment on Discussed by One',
    ]);
    const first = items[0]!;
    expect(text(child(first, '', 'guid'))).toBe('https://example.com/blog/posts/post-1/#comment-c4');
    expect(attr(child(first, '', 'guid'), 'isPermaLink')).toBe('true');
    expect(text(child(first, '', 'description'))).toBe('<p>4</p>');
    expect(children(first, RSS_NS.content, 'encoded')).toEqual([]);
  });

  it('writes & and < in plain-text elements as hexadecimal references (RSS Best Practices Profile)', () => {
    const site = buildSite({
      title: 'Q&A <weekly>',
      posts: [post({ title: 'Tom & Jerry <3', tags: ['R&D'], authors: [{ name: 'A & B <ab>' }] })],
    });
    const rss = file(feedFiles(site), 'rss.xml');
    expect(rss).toContain('<title>Q&#x26;A &#x3C;weekly&#x3E;</title>');
    expect(rss).toContain('<title>Tom &#x26; Jerry &#x3C;3</title>');
    expect(rss).toContain('<dc:creator>A &#x26; B &#x3C;ab&#x3E;</dc:creator>');
    expect(rss).toContain('<category>R&#x26;D</category>');
    expect(rss).not.toMatch(/<(title|dc:creator|category|copyright)>[^<]*&(amp|lt|gt);/);
    const channel = child(parseXml(rss), '', 'channel');
    expect(text(child(channel, '', 'title'))).toBe('Q&A <weekly>');
    expect(text(child(child(channel, '', 'item'), '', 'title'))).toBe('Tom & Jerry <3');
    // HTML elements keep named references: their text is markup.
    expect(rss).toContain('<description>Its summary.</description>');
    expect(rss).toContain('<content:encoded>&lt;p&gt;Its body.&lt;/p&gt;</content:encoded>');
  });
});

describe('Atom 1.0', () => {
  it('links a post to its comment feed with rel="replies", thr:count and thr:updated', () => {
    const site = threadedSite();
    const feed = parseXml(file(feedFiles(site), 'atom.xml'));
    expect(attr(feed, 'lang', 'http://www.w3.org/XML/1998/namespace')).toBe('en');
    const entry = child(feed, ATOM_NS, 'entry');
    const replies = children(entry, ATOM_NS, 'link').filter((link) => attr(link, 'rel') === 'replies');
    expect(replies).toHaveLength(1);
    expect(attr(replies[0]!, 'href')).toBe('https://example.com/blog/posts/post-1/comments/atom.xml');
    expect(attr(replies[0]!, 'type')).toBe('application/atom+xml');
    expect(attr(replies[0]!, 'count', THREAD_NS)).toBe('4');
    expect(attr(replies[0]!, 'updated', THREAD_NS)).toBe(
      site.posts[0]!.comments.at(-1)!.date.toISOString().replace('.000', ''),
    );
    expect(children(entry, ATOM_NS, 'category').map((c) => [attr(c, 'term'), attr(c, 'label')])).toEqual([
      ['tag-1', 'Talk'],
    ]);
    for (const name of ['published', 'updated']) expect(text(child(entry, ATOM_NS, name))).toMatch(RFC_3339);
  });

  it('leaves thr:updated out for a post without comments', () => {
    const entry = child(
      parseXml(file(feedFiles(buildSite({ title: 'S', posts: [post()] })), 'atom.xml')),
      ATOM_NS,
      'entry',
    );
    const replies = children(entry, ATOM_NS, 'link').find((link) => attr(link, 'rel') === 'replies')!;
    expect(attr(replies, 'count', THREAD_NS)).toBe('0');
    expect(attr(replies, 'updated', THREAD_NS)).toBeUndefined();
  });

  it('points a top-level comment at its post and a reply (also a reply to a reply) at its parent comment', () => {
    const postUrl = 'https://example.com/blog/posts/post-1/';
    const feed = parseXml(file(feedFiles(threadedSite()), 'posts/post-1/comments/atom.xml'));
    const inReplyTo = children(feed, ATOM_NS, 'entry').map((entry) => {
      const target = child(entry, THREAD_NS, 'in-reply-to');
      return [
        text(child(entry, ATOM_NS, 'id')),
        attr(target, 'ref'),
        attr(target, 'href'),
        attr(target, 'type'),
      ];
    });
    expect(inReplyTo).toEqual([
      [`${postUrl}#comment-c4`, postUrl, postUrl, 'text/html'],
      [`${postUrl}#comment-c3`, `${postUrl}#comment-c2`, `${postUrl}#comment-c2`, 'text/html'],
      [`${postUrl}#comment-c2`, `${postUrl}#comment-c1`, `${postUrl}#comment-c1`, 'text/html'],
      [`${postUrl}#comment-c1`, postUrl, postUrl, 'text/html'],
    ]);
    // The ref of a top-level comment is the atom:id of its post's entry (RFC 4685 §3).
    const postEntry = child(parseXml(file(feedFiles(threadedSite()), 'atom.xml')), ATOM_NS, 'entry');
    expect(text(child(postEntry, ATOM_NS, 'id'))).toBe(postUrl);
  });

  it('credits the site when there is no site author, and marks an entry in another language', () => {
    const site = buildSite({ title: 'No author', language: 'en', posts: [post({ lang: 'de-AT' })] });
    const xml = file(feedFiles(site), 'atom.xml');
    expectValidFeedFile({ path: 'atom.xml', contents: xml });
    const feed = parseXml(xml);
    const author = child(feed, ATOM_NS, 'author');
    expect([text(child(author, ATOM_NS, 'name')), text(child(author, ATOM_NS, 'uri'))]).toEqual([
      'No author',
      'https://example.com/blog/',
    ]);
    const entry = child(feed, ATOM_NS, 'entry');
    expect(children(entry, ATOM_NS, 'author')).toEqual([]);
    expect(attr(entry, 'lang', 'http://www.w3.org/XML/1998/namespace')).toBe('de-AT');
    expect(JSON.parse(file(feedFiles(site), 'feed.json')).items[0].language).toBe('de-AT');
  });
});

describe('JSON Feed 1.1', () => {
  it('writes the 1.1 fields for the feed, its post items and its comment items', () => {
    const files = feedFiles(threadedSite());
    const feed = JSON.parse(file(files, 'feed.json'));
    expect(Object.keys(feed)).toEqual([
      'version',
      'title',
      'home_page_url',
      'feed_url',
      'description',
      'language',
      'authors',
      'items',
    ]);
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed.feed_url).toBe('https://example.com/blog/feed.json');
    expect(feed.authors).toEqual([{ name: 'Owner', url: 'https://owner.example/' }]);
    expect(feed.items[0]).toEqual({
      id: 'https://example.com/blog/posts/post-1/',
      url: 'https://example.com/blog/posts/post-1/',
      title: 'Discussed',
      content_html: '<p>Its body.</p>',
      summary: 'Its summary.',
      date_published: '2024-01-01T12:00:00Z',
      date_modified: '2024-01-01T12:00:00Z',
      tags: ['Talk'],
      authors: [{ name: 'Ann' }],
    });
    const comment = JSON.parse(file(files, 'comments/feed.json')).items[1];
    expect(comment).toEqual({
      id: 'https://example.com/blog/posts/post-1/#comment-c3',
      url: 'https://example.com/blog/posts/post-1/#comment-c3',
      title: 'Comment on Discussed by Three',
      content_html: '<p>3</p>',
      date_published: '2024-01-01T12:03:00Z',
      date_modified: '2024-01-01T12:03:00Z',
      authors: [{ name: 'Three', url: 'https://three.example/' }],
    });
  });
});

describe('feeds.limit and feeds.fullContent', () => {
  it('keeps the newest `limit` posts and comments, newest first', () => {
    const site = buildSite({
      title: 'S',
      limit: 2,
      posts: [
        post({ title: 'Oldest', tags: ['T'] }),
        post({ title: 'Middle', tags: ['T'] }),
        post({
          title: 'Newest',
          tags: ['T'],
          comments: [1, 2, 3].map((n) => ({ name: `N${n}`, html: `${n}` })),
        }),
      ],
    });
    const files = feedFiles(site);
    const titles = (path: string) =>
      JSON.parse(file(files, path)).items.map((item: { title: string }) => item.title);
    expect(titles('feed.json')).toEqual(['Newest', 'Middle']);
    expect(titles('tags/tag-1/feed.json')).toEqual(['Newest', 'Middle']);
    expect(titles('comments/feed.json')).toEqual(['Comment on Newest by N3', 'Comment on Newest by N2']);
    expect(titles('posts/post-3/comments/feed.json')).toEqual([
      'Comment on Newest by N3',
      'Comment on Newest by N2',
    ]);
    const atomEntries = children(parseXml(file(files, 'atom.xml')), ATOM_NS, 'entry');
    expect(atomEntries.map((entry) => text(child(entry, ATOM_NS, 'title')))).toEqual(['Newest', 'Middle']);
  });

  it('carries summaries only with fullContent: false', () => {
    const site = buildSite({
      title: 'S',
      fullContent: false,
      posts: [post({ summary: 'Just <this> & that' })],
    });
    const files = feedFiles(site);
    const item = child(child(parseXml(file(files, 'rss.xml')), '', 'channel'), '', 'item');
    expect(text(child(item, '', 'description'))).toBe('Just &lt;this&gt; &amp; that');
    expect(children(item, RSS_NS.content, 'encoded')).toEqual([]);
    const entry = child(parseXml(file(files, 'atom.xml')), ATOM_NS, 'entry');
    expect(text(child(entry, ATOM_NS, 'summary'))).toBe('Just <this> & that');
    expect(children(entry, ATOM_NS, 'content')).toEqual([]);
    const jsonItem = JSON.parse(file(files, 'feed.json')).items[0];
    expect(jsonItem.content_html).toBeUndefined();
    expect(jsonItem.content_text).toBe('Just <this> & that');
    for (const f of files) expectValidFeedFile(f);
  });
});

describe('dates come from the content', () => {
  it('dates a feed by its newest item, counting a post’s updated date', () => {
    const site = buildSite({
      title: 'S',
      posts: [
        post({ title: 'Old but edited', minutes: 0, updatedMinutes: 600 }),
        post({ title: 'New', minutes: 60 }),
      ],
    });
    const files = feedFiles(site);
    const edited = '2024-01-01T22:00:00Z';
    expect(text(child(parseXml(file(files, 'atom.xml')), ATOM_NS, 'updated'))).toBe(edited);
    expect(text(child(child(parseXml(file(files, 'rss.xml')), '', 'channel'), '', 'lastBuildDate'))).toBe(
      'Mon, 01 Jan 2024 22:00:00 GMT',
    );
  });

  it('dates an empty comment feed by its post, and the empty site comment feed by the newest post', () => {
    const site = buildSite({ title: 'S', posts: [post({ minutes: 0 }), post({ minutes: 90 })] });
    const files = feedFiles(site);
    const updated = (path: string) => text(child(parseXml(file(files, path)), ATOM_NS, 'updated'));
    expect(updated('posts/post-1/comments/atom.xml')).toBe('2024-01-01T12:00:00Z');
    expect(updated('posts/post-2/comments/atom.xml')).toBe('2024-01-01T13:30:00Z');
    expect(updated('comments/atom.xml')).toBe('2024-01-01T13:30:00Z');
    expect(JSON.parse(file(files, 'posts/post-1/comments/feed.json')).items).toEqual([]);
    for (const f of files) expectValidFeedFile(f);
  });

  it('dates the feeds of a site without posts at the Unix epoch, the only date that is not the clock', () => {
    const files = feedFiles(buildSite({ title: 'Empty', posts: [] }));
    expect(files.map((f) => f.path)).toEqual([
      'rss.xml',
      'atom.xml',
      'feed.json',
      'comments/rss.xml',
      'comments/atom.xml',
      'comments/feed.json',
    ]);
    for (const f of files) expectValidFeedFile(f);
    expect(text(child(parseXml(file(files, 'atom.xml')), ATOM_NS, 'updated'))).toBe('1970-01-01T00:00:00Z');
  });
});

describe('feeds.postComments', () => {
  const comments = [{ name: 'Ann', html: '<p>Hi</p>' }];
  const formats = (postComments: ('rss' | 'atom' | 'json')[]) =>
    feedFiles(buildSite({ title: 'S', postComments, posts: [post({ comments })] }))
      .map((f) => f.path)
      .filter((path) => path.startsWith('posts/'));

  it('writes a post comment feed in each listed format only, and none for []', () => {
    expect(formats(['atom'])).toEqual(['posts/post-1/comments/atom.xml']);
    expect(formats(['json', 'rss'])).toEqual([
      'posts/post-1/comments/feed.json',
      'posts/post-1/comments/rss.xml',
    ]);
    expect(formats([])).toEqual([]);
  });

  it('links from post entries only the comment feeds that exist', () => {
    const entryLinks = (postComments: ('rss' | 'atom' | 'json')[]) => {
      const files = feedFiles(buildSite({ title: 'S', postComments, posts: [post({ comments })] }));
      for (const f of files) expectValidFeedFile(f);
      const item = child(child(parseXml(file(files, 'rss.xml')), '', 'channel'), '', 'item');
      const entry = child(parseXml(file(files, 'atom.xml')), ATOM_NS, 'entry');
      const replies = children(entry, ATOM_NS, 'link').find((link) => attr(link, 'rel') === 'replies')!;
      return {
        commentRss: children(item, RSS_NS.wfw, 'commentRss').map(text),
        slash: text(child(item, RSS_NS.slash, 'comments')),
        replies: [attr(replies, 'type'), attr(replies, 'href'), attr(replies, 'count', THREAD_NS)],
      };
    };
    expect(entryLinks(['atom'])).toEqual({
      commentRss: [],
      slash: '1',
      replies: ['application/atom+xml', 'https://example.com/blog/posts/post-1/comments/atom.xml', '1'],
    });
    expect(entryLinks(['rss'])).toEqual({
      commentRss: ['https://example.com/blog/posts/post-1/comments/rss.xml'],
      slash: '1',
      replies: ['text/html', 'https://example.com/blog/posts/post-1/#comments', '1'],
    });
  });
});
