import type { Element } from 'hast';
import { beforeAll, describe, expect, it } from 'vitest';
import { pageFiles } from '../../src/outputs/pages/index';
import type { OutputFile, Site } from '../../src/site/types';
import { loadSmallSite } from './fixture';
import { byTag, findAll, findOne, parsePage, scriptHazards, text } from './hast';

let site: Site;
let pages: OutputFile[];
const page = (path: string) => {
  const file = pages.find((candidate) => candidate.path === path);
  if (!file) throw new Error(`no page ${path}`);
  return parsePage(file.contents).tree;
};
const attribute = (element: Element, name: string) => element.properties[name];
const linksWithRel = (tree: ReturnType<typeof page>, rel: string) =>
  findAll(
    tree,
    (element) =>
      element.tagName === 'link' && (element.properties.rel as string[] | undefined)?.join(' ') === rel,
  );

beforeAll(async () => {
  site = await loadSmallSite();
  pages = pageFiles(site);
});

describe('every page of the small site', () => {
  it('is a complete HTML5 document that parses without a single error', () => {
    for (const file of pages) {
      expect(file.contents.startsWith('<!doctype html>\n<html lang="'), file.path).toBe(true);
      expect(parsePage(file.contents).errors, file.path).toEqual([]);
    }
  });

  it('has a language, a charset, a viewport, a title, an absolute canonical URL and the stylesheet in its head', () => {
    for (const file of pages) {
      const tree = parsePage(file.contents).tree;
      const html = findOne(tree, byTag('html'));
      expect(attribute(html, 'lang'), file.path).toMatch(/^(en|fr)$/);
      const head = findOne(tree, byTag('head'));
      expect(
        findAll(head, (element) => element.tagName === 'meta' && element.properties.charSet === 'utf-8'),
      ).toHaveLength(1);
      expect(
        attribute(
          findOne(head, (element) => element.properties.name === 'viewport'),
          'content',
        ),
      ).toBe('width=device-width, initial-scale=1');
      expect(text(findOne(head, byTag('title'))).length, file.path).toBeGreaterThan(0);
      const canonical = linksWithRel(tree, 'canonical');
      if (file.path === '404.html') {
        expect(canonical).toEqual([]);
        continue;
      }
      expect(canonical, file.path).toHaveLength(1);
      const expectedCanonical = `https://example.com/gazette/${file.path.replace(/index\.html$/, '')}`;
      expect(decodeURI(String(attribute(canonical[0]!, 'href')))).toBe(expectedCanonical);
      expect(text(findOne(head, byTag('style')))).toContain('max-width:40rem');
    }
  });

  it('announces the site feeds with the right media types, and runs no script', () => {
    for (const file of pages) {
      const tree = parsePage(file.contents).tree;
      const alternates = linksWithRel(tree, 'alternate').map((link) => [
        attribute(link, 'type'),
        attribute(link, 'href'),
      ]);
      expect(alternates.slice(0, 3), file.path).toEqual([
        ['application/atom+xml', 'https://example.com/gazette/atom.xml'],
        ['application/rss+xml', 'https://example.com/gazette/rss.xml'],
        ['application/feed+json', 'https://example.com/gazette/feed.json'],
      ]);
      expect(scriptHazards(tree), file.path).toEqual([]);
      // The one script element is the post's JSON-LD, a data block whose JSON holds no `<`.
      expect(file.contents.replace(/<script type="application\/ld\+json">[^<]*<\/script>/g, '')).not.toMatch(
        /<script|javascript:/i,
      );
    }
  });
});

describe('the home page', () => {
  it('lists postsPerPage summaries a page, newest first, with newer and older links', () => {
    const titles = ['index.html', 'page/2/index.html', 'page/3/index.html'].map((path) =>
      findAll(page(path), byTag('article', 'summary')).map((article) => text(findOne(article, byTag('h2')))),
    );
    expect(titles).toEqual([
      ['The middle of spring', 'Tom & Jerry\'s "<b>best</b>" episode'],
      ['A late post on leap day', 'Tables & code'],
      ['Hello, world'],
    ]);
    const relLinks = (path: string) =>
      findAll(
        page(path),
        (element) =>
          element.tagName === 'a' && element.properties.rel !== undefined && element.properties.rel !== null,
      )
        .filter((link) => ['prev', 'next'].includes(String(link.properties.rel)))
        .map((link) => `${link.properties.rel} ${link.properties.href}`);
    expect(relLinks('index.html')).toEqual(['next https://example.com/gazette/page/2/']);
    expect(relLinks('page/2/index.html')).toEqual([
      'prev https://example.com/gazette/',
      'next https://example.com/gazette/page/3/',
    ]);
    expect(relLinks('page/3/index.html')).toEqual(['prev https://example.com/gazette/page/2/']);
  });

  it('marks a summary in another language with its lang', () => {
    const articles = findAll(page('index.html'), byTag('article', 'summary'));
    expect(articles.map((article) => attribute(article, 'lang') ?? null)).toEqual([null, 'fr']);
  });
});

describe('a post page', () => {
  it('shows the title, dates as <time datetime>, authors, tags and the body', () => {
    const tree = page('posts/leap-day/index.html');
    expect(text(findOne(tree, byTag('h1')))).toBe('A late post on leap day');
    const times = findAll(findOne(tree, byTag('article', 'post')), byTag('time')).map((time) => [
      attribute(time, 'dateTime'),
      text(time),
    ]);
    // 23:30 on 29 February in New York is already 1 March in UTC: the reader sees the site's day.
    expect(times).toEqual([
      ['2024-03-01T04:30:00.000Z', '2024-02-29'],
      ['2024-03-02T08:00:00.000Z', '2024-03-02'],
    ]);
    expect(text(findOne(tree, byTag('div', 'post-body')))).toContain('Posted late in the evening');
    const tagLinks = findAll(
      tree,
      (element) => element.tagName === 'a' && String(element.properties.rel) === 'tag',
    );
    expect(tagLinks.map((link) => [text(link), link.properties.href])).toEqual([
      ['Meta', 'https://example.com/gazette/tags/meta/'],
    ]);
  });

  it("takes the post's language", () => {
    expect(attribute(findOne(page('posts/quiet/index.html'), byTag('html')), 'lang')).toBe('fr');
    expect(attribute(findOne(page('posts/hello-world/index.html'), byTag('html')), 'lang')).toBe('en');
  });

  it('threads the approved comments as nested lists, replies under their parents, oldest first', () => {
    const tree = page('posts/hello-world/index.html');
    const section = findOne(tree, byTag('section', 'comments'));
    const outline = (list: Element): unknown[] =>
      list.children
        .filter((child): child is Element => child.type === 'element' && child.tagName === 'li')
        .map((item) => {
          const replies = item.children.find(
            (child): child is Element => child.type === 'element' && child.tagName === 'ol',
          );
          return replies ? [item.properties.id, outline(replies)] : item.properties.id;
        });
    const topList = section.children.find(
      (child): child is Element => child.type === 'element' && child.tagName === 'ol',
    );
    expect(outline(topList!)).toEqual([
      ['comment-first', [['comment-second', ['comment-third']]]],
      'comment-fourth',
      'comment-orphan-reply',
    ]);
    expect(text(section)).not.toContain('No comments');
    expect(text(section)).not.toContain('Comments are closed');
  });

  it('links a commenter with a web site with rel="nofollow ugc noopener", and no one else', () => {
    const tree = page('posts/hello-world/index.html');
    const authors = findAll(tree, byTag('b', 'comment-author')).map((author) => {
      const link = findAll(author, byTag('a'))[0];
      return link
        ? [text(author), link.properties.href, (link.properties.rel as string[]).join(' ')]
        : [text(author)];
    });
    expect(authors).toEqual([
      ['Alan Turing'],
      ['Barbara', 'https://barbara.example/', 'nofollow ugc noopener'],
      ['Claude'],
      ['Dana'],
      ['Eve'],
    ]);
  });

  it('gives each comment its time and its html', () => {
    const comment = findOne(
      page('posts/hello-world/index.html'),
      (element) => element.properties.id === 'comment-second',
    );
    const time = findAll(comment, byTag('time'))[0]!;
    expect([attribute(time, 'dateTime'), text(time)]).toEqual([
      '2024-01-11T10:30:00.000Z',
      '2024-01-11 05:30 UTC-05:00',
    ]);
    const body = findAll(comment, byTag('div', 'comment-body'))[0]!;
    expect(findAll(body, byTag('strong')).map(text)).toEqual(['Alan']);
  });

  it('says "No comments" when there are none', () => {
    const section = findOne(page('posts/quiet/index.html'), byTag('section', 'comments'));
    expect(findAll(section, byTag('li'))).toEqual([]);
    expect(findAll(section, byTag('p')).map(text)).toContain('No comments');
  });

  it('says "Comments are closed" when comments: false, and still shows the approved ones', () => {
    const section = findOne(page('posts/leap-day/index.html'), byTag('section', 'comments'));
    expect(findAll(section, byTag('li')).map((item) => item.properties.id)).toEqual([
      'comment-before-closing',
    ]);
    expect(findAll(section, byTag('p')).map(text)).toContain('Comments are closed.');
    expect(text(section)).not.toContain('No comments');
  });

  it('links its comment feeds: "Subscribe to: Post Comments (Atom)" and autodiscovery', () => {
    const tree = page('posts/hello-world/index.html');
    const subscribe = findAll(tree, byTag('p', 'subscribe')).find((paragraph) =>
      text(paragraph).includes('Post Comments'),
    )!;
    expect(text(subscribe)).toBe('Subscribe to: Post Comments (Atom)');
    expect(findAll(subscribe, byTag('a')).map((link) => link.properties.href)).toEqual([
      'https://example.com/gazette/posts/hello-world/comments/atom.xml',
    ]);
    expect(
      linksWithRel(tree, 'alternate')
        .slice(3)
        .map((link) => [link.properties.type, link.properties.href]),
    ).toEqual([['application/atom+xml', 'https://example.com/gazette/posts/hello-world/comments/atom.xml']]);
  });

  it('links only the comment feed formats feeds.postComments lists, and none for []', () => {
    const withFormats = (postComments: ('rss' | 'atom' | 'json')[]) => {
      const variant: Site = {
        ...site,
        config: { ...site.config, feeds: { ...site.config.feeds, postComments } },
      };
      const file = pageFiles(variant).find((candidate) => candidate.path === 'posts/hello-world/index.html')!;
      const tree = parsePage(file.contents).tree;
      const subscribe = findAll(tree, byTag('p', 'subscribe')).filter((paragraph) =>
        text(paragraph).includes('Post Comments'),
      );
      return {
        subscribe: subscribe.map(text),
        alternates: linksWithRel(tree, 'alternate')
          .slice(3)
          .map((link) => link.properties.href),
      };
    };
    expect(withFormats([])).toEqual({ subscribe: [], alternates: [] });
    expect(withFormats(['json', 'rss'])).toEqual({
      subscribe: ['Subscribe to: Post Comments (RSS), Post Comments (JSON Feed)'],
      alternates: [
        'https://example.com/gazette/posts/hello-world/comments/rss.xml',
        'https://example.com/gazette/posts/hello-world/comments/feed.json',
      ],
    });
  });
});

describe('the tag pages', () => {
  it('list every tag with its number of posts', () => {
    const items = findAll(findOne(page('tags/index.html'), byTag('ul', 'tag-list')), byTag('li')).map(text);
    expect(items).toEqual(['Announcements (1 post)', 'Café (1 post)', 'Meta (2 posts)', 'Notes (3 posts)']);
  });

  it("show a tag's posts, newest first, and its feeds", () => {
    const tree = page('tags/meta/index.html');
    expect(text(findOne(tree, byTag('h1')))).toBe('Posts tagged “Meta”');
    expect(
      findAll(tree, byTag('article', 'summary')).map((article) => text(findOne(article, byTag('h2')))),
    ).toEqual(['A late post on leap day', 'Hello, world']);
    expect(
      linksWithRel(tree, 'alternate')
        .slice(3)
        .map((link) => link.properties.href),
    ).toEqual([
      'https://example.com/gazette/tags/meta/atom.xml',
      'https://example.com/gazette/tags/meta/rss.xml',
      'https://example.com/gazette/tags/meta/feed.json',
    ]);
  });
});

describe('a site with no posts', () => {
  it('still has a home page and a tag index', async () => {
    const { buildSite } = await import('./site-builder');
    const empty = await buildSite({ title: 'Empty', posts: [] });
    const files = pageFiles(empty);
    expect(files.map((file) => file.path)).toEqual(['index.html', 'tags/index.html', '404.html']);
    for (const file of files) expect(parsePage(file.contents).errors).toEqual([]);
    expect(files[0]!.contents).toContain('<p>No posts yet.</p>');
    expect(files[1]!.contents).toContain('<p>No tags yet.</p>');
  });

  it('titles a page with the site URL when the site title has nothing a page can show', async () => {
    const { buildSite } = await import('./site-builder');
    const home = pageFiles(await buildSite({ title: '\u0001\u0002 ', posts: [] }))[0]!;
    expect(text(findOne(parsePage(home.contents).tree, byTag('title')))).toBe('https://example.com/blog/');
  });
});
