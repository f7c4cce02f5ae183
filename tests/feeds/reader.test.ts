// The feeds as a feed reader sees them: @rowanmanning/feed-parser (RSS and Atom) and JSON.parse
// (JSON Feed) read back every feed of the fixture sites.
import path from 'node:path';
import { parseFeed } from '@rowanmanning/feed-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSite } from '../../src/load/load-site';
import { feedFiles } from '../../src/outputs/feeds/index';
import type { OutputFile, Site } from '../../src/site/types';
import { repoRoot } from './support';

interface ExpectedItem {
  id: string;
  url: string;
  title: string;
  published: Date;
  updated: Date;
  authors: { name: string; url?: string }[];
  categories: string[];
}

interface ExpectedFeed {
  folder: string;
  title: string;
  home: string;
  /** The site's language; a post's comment feeds take the post's. */
  language: string;
  updated: Date;
  items: ExpectedItem[];
  /** The file names written: all three, or for a post's comments those `feeds.postComments` lists. */
  files: string[];
}

const ALL_FILES = ['rss.xml', 'atom.xml', 'feed.json'];
const FILE_OF = { rss: 'rss.xml', atom: 'atom.xml', json: 'feed.json' } as const;

/** What each feed of a site should hold, worked out from the Site itself. */
function expectedFeeds(site: Site): ExpectedFeed[] {
  const limit = site.config.feeds.limit;
  const siteTitle = site.config.site.title;
  const language = site.config.site.language;
  const postItems = (posts: Site['posts']): ExpectedItem[] =>
    posts.slice(0, limit).map((post) => ({
      id: post.url,
      url: post.url,
      title: post.title,
      published: post.date,
      updated: post.updated ?? post.date,
      authors: post.authors.map((author) =>
        author.url ? { name: author.name, url: author.url } : { name: author.name },
      ),
      categories: post.tags.map((tag) => tag.name),
    }));
  const commentItems = (comments: Site['comments']): ExpectedItem[] =>
    comments.slice(0, limit).map((comment) => {
      const post = site.posts.find((candidate) => candidate.slug === comment.postSlug)!;
      return {
        id: comment.url,
        url: comment.url,
        title: `Comment on ${post.title} by ${comment.author.name}`,
        published: comment.date,
        updated: comment.date,
        authors: [comment.author],
        categories: [],
      };
    });
  const newest = (items: ExpectedItem[], fallback: Date) =>
    new Date(Math.max(...items.map((item) => item.updated.getTime()), fallback.getTime()));
  const feeds: ExpectedFeed[] = [];
  const siteItems = postItems(site.posts);
  feeds.push({
    folder: '',
    title: siteTitle,
    home: site.url,
    language,
    updated: newest(siteItems, new Date(0)),
    items: siteItems,
    files: ALL_FILES,
  });
  for (const tag of site.tags) {
    const items = postItems(tag.posts);
    feeds.push({
      folder: `tags/${tag.slug}/`,
      title: `${siteTitle}: ${tag.name}`,
      home: tag.url,
      language,
      updated: newest(items, new Date(0)),
      items,
      files: ALL_FILES,
    });
  }
  const allComments = commentItems(site.comments);
  feeds.push({
    folder: 'comments/',
    title: `Comments on ${siteTitle}`,
    home: site.url,
    language,
    // With no comments at all, the newest post date dates the feed.
    updated: allComments.length > 0 ? newest(allComments, new Date(0)) : newest(siteItems, new Date(0)),
    items: allComments,
    files: ALL_FILES,
  });
  for (const post of site.posts) {
    const items = commentItems([...post.comments].reverse());
    feeds.push({
      folder: `posts/${post.slug}/comments/`,
      title: `Comments on ${post.title}`,
      home: post.url,
      language: post.lang,
      updated: items.length > 0 ? newest(items, new Date(0)) : post.date,
      items,
      files: site.config.feeds.postComments.map((format) => FILE_OF[format]),
    });
  }
  return feeds;
}

for (const fixture of ['feeds-small-site', 'feeds-seed']) {
  describe(`a feed reader reads every feed of ${fixture}`, () => {
    let site: Site;
    let files: Map<string, OutputFile>;
    beforeAll(async () => {
      const result = await loadSite({
        root: path.join(repoRoot, 'tests/fixtures', fixture),
        now: new Date('2025-01-01T00:00:00Z'),
      });
      if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
      site = result.site;
      files = new Map(feedFiles(site).map((file) => [file.path, file]));
    });

    it('covers every feed file', () => {
      const paths = expectedFeeds(site).flatMap((feed) => feed.files.map((name) => feed.folder + name));
      expect([...files.keys()].sort()).toEqual(paths.sort());
    });

    it('reads RSS: titles, links, self link, dates, authors, categories and item counts', () => {
      for (const expected of expectedFeeds(site).filter((feed) => feed.files.includes('rss.xml'))) {
        const self = new URL(`${expected.folder}rss.xml`, site.url).href;
        const feed = parseFeed(files.get(`${expected.folder}rss.xml`)!.contents);
        expect(feed.meta.type).toBe('rss');
        expect(feed.title).toBe(expected.title);
        expect(feed.url).toBe(expected.home);
        expect(feed.self).toBe(self);
        expect(feed.language).toBe(expected.language);
        expect(feed.updated).toEqual(expected.updated);
        expect(feed.items).toHaveLength(expected.items.length);
        feed.items.forEach((item, index) => {
          const want = expected.items[index]!;
          expect(item.id).toBe(want.id);
          expect(item.url).toBe(want.url);
          expect(item.title).toBe(want.title);
          expect(item.published).toEqual(want.published);
          expect(item.authors.map((author) => author.name)).toEqual(
            want.authors.map((author) => author.name),
          );
          expect(item.categories.map((category) => category.label)).toEqual(want.categories);
          expect(item.content ?? item.description).toBeTruthy();
        });
      }
    });

    it('reads Atom: titles, links, self link, dates, authors with URLs, categories and entry counts', () => {
      const siteAuthor = site.config.site.author!;
      for (const expected of expectedFeeds(site).filter((feed) => feed.files.includes('atom.xml'))) {
        const self = new URL(`${expected.folder}atom.xml`, site.url).href;
        const feed = parseFeed(files.get(`${expected.folder}atom.xml`)!.contents);
        expect(feed.meta.type).toBe('atom');
        expect(feed.title).toBe(expected.title);
        expect(feed.language).toBe(expected.language);
        expect(feed.url).toBe(expected.home);
        expect(feed.self).toBe(self);
        expect(feed.updated).toEqual(expected.updated);
        expect(feed.authors.map((author) => [author.name, author.url])).toEqual([
          [siteAuthor.name, siteAuthor.url ?? null],
        ]);
        expect(feed.items).toHaveLength(expected.items.length);
        feed.items.forEach((item, index) => {
          const want = expected.items[index]!;
          expect(item.id).toBe(want.id);
          expect(item.url).toBe(want.url);
          expect(item.title).toBe(want.title);
          expect(item.published).toEqual(want.published);
          expect(item.updated).toEqual(want.updated);
          expect(item.authors.map((author) => ({ name: author.name, url: author.url ?? undefined }))).toEqual(
            want.authors.map((author) => ({ name: author.name, url: author.url })),
          );
          expect(item.categories.map((category) => category.label)).toEqual(want.categories);
          expect(item.content).toBeTruthy();
        });
      }
    });

    it('reads JSON Feed 1.1: version, title, links, language, dates, authors, tags and item counts', () => {
      for (const expected of expectedFeeds(site).filter((feed) => feed.files.includes('feed.json'))) {
        const feed = JSON.parse(files.get(`${expected.folder}feed.json`)!.contents);
        expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
        expect(feed.title).toBe(expected.title);
        expect(feed.home_page_url).toBe(expected.home);
        expect(feed.feed_url).toBe(new URL(`${expected.folder}feed.json`, site.url).href);
        expect(feed.language).toBe(expected.language);
        expect(feed.authors).toHaveLength(1);
        expect(feed.items).toHaveLength(expected.items.length);
        feed.items.forEach((item: Record<string, unknown>, index: number) => {
          const want = expected.items[index]!;
          expect(item.id).toBe(want.id);
          expect(item.url).toBe(want.url);
          expect(item.title).toBe(want.title);
          expect(new Date(item.date_published as string)).toEqual(want.published);
          expect(new Date(item.date_modified as string)).toEqual(want.updated);
          expect(item.authors).toEqual(
            want.authors.map((author) => (author.url ? author : { name: author.name })),
          );
          expect(item.tags ?? []).toEqual(want.categories);
          expect(typeof item.content_html).toBe('string');
        });
      }
    });
  });
}
