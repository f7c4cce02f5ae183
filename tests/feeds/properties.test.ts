import fc from 'fast-check';
import { fromHtml } from 'hast-util-from-html';
import { toString as hastToString } from 'hast-util-to-string';
import { describe, expect, it } from 'vitest';
import { feedFiles } from '../../src/outputs/feeds/index';
import type { Comment, Post, Site } from '../../src/site/types';
import { hostileString } from './arbitraries';
import { buildSite, type CommentSpec, type PostSpec, type SiteSpec } from './site-factory';
import {
  ATOM_NS,
  attr,
  child,
  children,
  withoutNonXmlCharacters as clean,
  expectValidFeedFile,
  parseXml,
  RSS_NS,
  THREAD_NS,
  text,
  type XElement,
} from './support';

const comments: fc.Arbitrary<CommentSpec[]> = fc
  .array(
    fc.record({
      name: hostileString(),
      html: hostileString(),
      url: fc.option(fc.constant('https://visitor.example/?a=1&b=2'), { nil: undefined }),
      replyTo: fc.option(fc.nat(), { nil: undefined }),
    }),
    { maxLength: 4 },
  )
  .map((list) =>
    list.map((comment, index) => ({
      ...comment,
      replyTo: comment.replyTo === undefined || index === 0 ? undefined : comment.replyTo % index,
    })),
  );

const post: fc.Arbitrary<PostSpec> = fc.record({
  title: hostileString(),
  summary: hostileString(),
  html: hostileString(40),
  tags: fc.array(hostileString(), { maxLength: 2 }),
  authors: fc.array(fc.record({ name: hostileString() }), { maxLength: 2 }),
  comments,
});

const siteSpec: fc.Arbitrary<SiteSpec> = fc.record({
  title: hostileString(),
  description: fc.option(hostileString(), { nil: undefined }),
  author: fc.option(fc.record({ name: hostileString() }), { nil: undefined }),
  copyright: fc.option(hostileString(), { nil: undefined }),
  fullContent: fc.boolean(),
  limit: fc.integer({ min: 1, max: 4 }),
  posts: fc.array(post, { maxLength: 3 }),
});

/** What a reader sees of an RSS `description`: it holds HTML, so it is parsed as HTML (parse5) and read as text. */
function htmlText(html: string): string {
  return hastToString(fromHtml(html, { fragment: true }));
}

function names(element: XElement, uri: string, local: string): string[] {
  return children(element, uri, local).map((person) => text(child(person, ATOM_NS, 'name')));
}

describe('any text in a site gives valid feeds that read back unchanged', () => {
  it('every feed is well-formed (Atom schema-valid) XML or valid JSON, and every text reads back', () => {
    fc.assert(
      fc.property(siteSpec, (spec) => {
        const site = buildSite(spec);
        const files = new Map(feedFiles(site).map((file) => [file.path, file.contents]));
        for (const [path, contents] of files) expectValidFeedFile({ path, contents });
        const postsBySlug = new Map(site.posts.map((p) => [p.slug, p]));
        const limit = site.config.feeds.limit;

        const postFeeds: [string, Post[], string][] = [
          ['', site.posts, site.config.site.title],
          ...site.tags.map((tag): [string, Post[], string] => [
            `tags/${tag.slug}/`,
            tag.posts,
            `${site.config.site.title}: ${tag.name}`,
          ]),
        ];
        for (const [folder, posts, title] of postFeeds) {
          const expected = posts.slice(0, limit);
          checkPostRss(files.get(`${folder}rss.xml`)!, title, expected, site);
          checkPostAtom(files.get(`${folder}atom.xml`)!, title, expected, site);
          checkPostJson(files.get(`${folder}feed.json`)!, title, expected, site);
        }

        const commentFeeds: [string, Comment[]][] = [
          ['comments/', site.comments.slice(0, limit)],
          ...site.posts.map((p): [string, Comment[]] => [
            `posts/${p.slug}/comments/`,
            [...p.comments].reverse().slice(0, limit),
          ]),
        ];
        for (const [folder, list] of commentFeeds) {
          const titles = list.map((comment) => {
            const of = postsBySlug.get(comment.postSlug)!;
            return `Comment on ${of.title} by ${comment.author.name}`;
          });
          checkCommentRss(files.get(`${folder}rss.xml`)!, list, titles);
          checkCommentAtom(files.get(`${folder}atom.xml`)!, list, titles, postsBySlug);
          checkCommentJson(files.get(`${folder}feed.json`)!, list, titles);
        }
      }),
      { numRuns: 150 },
    );
  });
});

function checkPostRss(xml: string, title: string, posts: Post[], site: Site): void {
  const channel = child(parseXml(xml), '', 'channel');
  expect(text(child(channel, '', 'title'))).toBe(clean(title));
  const items = children(channel, '', 'item');
  expect(items).toHaveLength(posts.length);
  items.forEach((item, index) => {
    const p = posts[index]!;
    expect(text(child(item, '', 'title'))).toBe(clean(p.title));
    expect(children(item, RSS_NS.dc, 'creator').map(text)).toEqual(p.authors.map((a) => clean(a.name)));
    expect(children(item, '', 'category').map(text)).toEqual(p.tags.map((t) => clean(t.name)));
    const description = text(child(item, '', 'description'));
    const encoded = children(item, RSS_NS.content, 'encoded').map(text);
    if (p.summary !== '') {
      expect(htmlText(description)).toBe(clean(p.summary));
      expect(encoded).toEqual(site.config.feeds.fullContent ? [clean(p.html)] : []);
    } else {
      expect(description).toBe(site.config.feeds.fullContent ? clean(p.html) : '');
      expect(encoded).toEqual([]);
    }
  });
}

function checkPostAtom(xml: string, title: string, posts: Post[], site: Site): void {
  const feed = parseXml(xml);
  expect(text(child(feed, ATOM_NS, 'title'))).toBe(clean(title));
  const siteAuthor = site.config.site.author?.name ?? site.config.site.title;
  expect(names(feed, ATOM_NS, 'author')).toEqual([clean(siteAuthor)]);
  const copyright = site.config.site.copyright;
  expect(children(feed, ATOM_NS, 'rights').map(text)).toEqual(
    copyright === undefined ? [] : [clean(copyright)],
  );
  const entries = children(feed, ATOM_NS, 'entry');
  expect(entries).toHaveLength(posts.length);
  entries.forEach((entry, index) => {
    const p = posts[index]!;
    expect(text(child(entry, ATOM_NS, 'title'))).toBe(clean(p.title));
    expect(names(entry, ATOM_NS, 'author')).toEqual(p.authors.map((a) => clean(a.name)));
    expect(children(entry, ATOM_NS, 'category').map((c) => attr(c, 'label'))).toEqual(
      p.tags.map((t) => clean(t.name)),
    );
    expect(children(entry, ATOM_NS, 'summary').map(text)).toEqual(p.summary === '' ? [] : [clean(p.summary)]);
    expect(children(entry, ATOM_NS, 'content').map(text)).toEqual(
      site.config.feeds.fullContent ? [clean(p.html)] : [],
    );
    const replies = children(entry, ATOM_NS, 'link').filter((link) => attr(link, 'rel') === 'replies');
    expect(replies.map((link) => attr(link, 'count', THREAD_NS))).toEqual([String(p.comments.length)]);
  });
}

function checkPostJson(json: string, title: string, posts: Post[], site: Site): void {
  const feed = JSON.parse(json);
  expect(feed.title).toBe(title);
  expect(feed.items).toHaveLength(posts.length);
  feed.items.forEach((item: Record<string, unknown>, index: number) => {
    const p = posts[index]!;
    expect(item.title).toBe(p.title);
    expect(item.summary).toBe(p.summary === '' ? undefined : p.summary);
    if (site.config.feeds.fullContent) expect(item.content_html).toBe(p.html);
    else expect(item.content_text).toBe(p.summary);
    expect(item.authors).toEqual(p.authors.map((a) => ({ name: a.name })));
    expect(item.tags).toEqual(p.tags.length === 0 ? undefined : p.tags.map((t) => t.name));
  });
}

function checkCommentRss(xml: string, list: Comment[], titles: string[]): void {
  const items = children(child(parseXml(xml), '', 'channel'), '', 'item');
  expect(items).toHaveLength(list.length);
  items.forEach((item, index) => {
    const comment = list[index]!;
    expect(text(child(item, '', 'title'))).toBe(clean(titles[index]!));
    expect(text(child(item, RSS_NS.dc, 'creator'))).toBe(clean(comment.author.name));
    expect(text(child(item, '', 'description'))).toBe(clean(comment.html));
    expect(text(child(item, '', 'guid'))).toBe(comment.url);
  });
}

function checkCommentAtom(xml: string, list: Comment[], titles: string[], posts: Map<string, Post>): void {
  const entries = children(parseXml(xml), ATOM_NS, 'entry');
  expect(entries).toHaveLength(list.length);
  entries.forEach((entry, index) => {
    const comment = list[index]!;
    expect(text(child(entry, ATOM_NS, 'title'))).toBe(clean(titles[index]!));
    expect(names(entry, ATOM_NS, 'author')).toEqual([clean(comment.author.name)]);
    expect(text(child(entry, ATOM_NS, 'content'))).toBe(clean(comment.html));
    const target = comment.parent
      ? `${posts.get(comment.postSlug)!.url}#comment-${comment.parent}`
      : posts.get(comment.postSlug)!.url;
    const inReplyTo = child(entry, THREAD_NS, 'in-reply-to');
    expect([attr(inReplyTo, 'ref'), attr(inReplyTo, 'href')]).toEqual([target, target]);
  });
}

function checkCommentJson(json: string, list: Comment[], titles: string[]): void {
  const feed = JSON.parse(json);
  expect(feed.items.map((item: { title: string }) => item.title)).toEqual(titles);
  expect(feed.items.map((item: { content_html: string }) => item.content_html)).toEqual(
    list.map((c) => c.html),
  );
  expect(feed.items.map((item: { authors: unknown }) => item.authors)).toEqual(
    list.map((c) => [c.author.url ? { name: c.author.name, url: c.author.url } : { name: c.author.name }]),
  );
}
