import { readFileSync } from 'node:fs';
import path from 'node:path';
import { XmlDocument, XsdValidator } from 'libxml2-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { siteFiles } from '../../src/outputs/index';
import { sitemapFiles } from '../../src/outputs/seo/index';
import type { OutputFile, Site } from '../../src/site/types';
import { repoRoot } from '../feeds/support';
import { loadSmallSite } from './fixture';
import { byTag, findAll, findOne, parsePage, text } from './hast';

const validators = new Map<string, XsdValidator>();

/** Validates XML against a schema of tests/standards with libxml2; throws with its errors. */
function validate(xml: string, schemaFile: 'sitemap.xsd' | 'siteindex.xsd'): void {
  let validator = validators.get(schemaFile);
  if (!validator) {
    const schema = XmlDocument.fromString(
      readFileSync(path.join(repoRoot, 'tests/standards', schemaFile), 'utf8'),
    );
    try {
      validator = XsdValidator.fromDoc(schema);
    } finally {
      schema.dispose();
    }
    validators.set(schemaFile, validator);
  }
  const document = XmlDocument.fromString(xml);
  try {
    validator.validate(document);
  } finally {
    document.dispose();
  }
}

let site: Site;
let files: Map<string, OutputFile>;
const contents = (file: string) => {
  const found = files.get(file);
  if (!found) throw new Error(`no file ${file}`);
  return found.contents;
};
const head = (file: string) => findOne(parsePage(contents(file)).tree, byTag('head'));
const metaContents = (file: string, attribute: 'property' | 'name') =>
  findAll(
    head(file),
    (element) => element.tagName === 'meta' && typeof element.properties[attribute] === 'string',
  ).map((element) => [element.properties[attribute], element.properties.content]);

beforeAll(async () => {
  site = await loadSmallSite();
  files = new Map(siteFiles(site).map((file) => [file.path, file]));
});

describe('sitemap.xml', () => {
  it('validates against the sitemaps.org 0.9 schema (which a wrong lastmod fails)', () => {
    validate(contents('sitemap.xml'), 'sitemap.xsd');
    const broken = contents('sitemap.xml').replace(/<lastmod>[^<]*</, '<lastmod>April 2024<');
    expect(() => validate(broken, 'sitemap.xsd')).toThrow();
  });

  it('lists the home page, every post, the tag index and every tag, each with its lastmod', () => {
    const urls = [
      ...contents('sitemap.xml').matchAll(/<loc>([^<]*)<\/loc>\s*<lastmod>([^<]*)<\/lastmod>/g),
    ].map(([, loc, lastmod]) => [loc, lastmod]);
    expect(urls).toEqual([
      ['https://example.com/gazette/', '2024-04-01T09:00:00Z'],
      ...site.posts.map((post) => [
        post.url,
        (post.updated ?? post.date).toISOString().replace('.000Z', 'Z'),
      ]),
      ['https://example.com/gazette/tags/', '2024-04-01T09:00:00Z'],
      ...site.tags.map((tag) => [tag.url, expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)]),
    ]);
  });

  it('splits past the URL limit into parts under a sitemap index, all valid', () => {
    const parts = sitemapFiles(site, 4);
    expect(parts.map((file) => file.path)).toEqual([
      'sitemap.xml',
      'sitemap-1.xml',
      'sitemap-2.xml',
      'sitemap-3.xml',
    ]);
    validate(parts[0]!.contents, 'siteindex.xsd');
    expect(parts[0]!.contents).toContain('<loc>https://example.com/gazette/sitemap-3.xml</loc>');
    for (const part of parts.slice(1)) validate(part.contents, 'sitemap.xsd');
    const listed = parts
      .slice(1)
      .flatMap((part) => [...part.contents.matchAll(/<loc>([^<]*)<\/loc>/g)].map((m) => m[1]));
    expect(listed).toEqual([...contents('sitemap.xml').matchAll(/<loc>([^<]*)<\/loc>/g)].map((m) => m[1]));
  });
});

describe('robots.txt', () => {
  it('allows every crawler and names the sitemap by its absolute URL', () => {
    expect(contents('robots.txt')).toBe(
      'User-agent: *\nAllow: /\n\nSitemap: https://example.com/gazette/sitemap.xml\n',
    );
  });
});

describe('404.html', () => {
  it('is a page that asks not to be indexed, has no canonical URL, and links home by absolute URL', () => {
    const { tree, errors } = parsePage(contents('404.html'));
    expect(errors).toEqual([]);
    expect(metaContents('404.html', 'name')).toContainEqual(['robots', 'noindex']);
    expect(
      findAll(
        tree,
        (element) => element.tagName === 'link' && String(element.properties.rel) === 'canonical',
      ),
    ).toEqual([]);
    expect(text(findOne(tree, byTag('h1')))).toBe('Page not found');
    expect(findAll(findOne(tree, byTag('main')), byTag('a')).map((link) => link.properties.href)).toEqual([
      'https://example.com/gazette/',
      'https://example.com/gazette/tags/',
    ]);
  });
});

describe('a post page for link previews and search engines', () => {
  it('has Open Graph and Twitter card tags from the title, summary and image', () => {
    const file = 'posts/middle/index.html';
    expect(metaContents(file, 'property')).toEqual([
      ['og:site_name', 'The Small & Curious Gazette'],
      ['og:type', 'article'],
      ['og:title', 'The middle of spring'],
      ['og:url', 'https://example.com/gazette/posts/middle/'],
      ['og:description', 'Nothing much happened in April, which is worth a note in itself.'],
      ['og:image', 'https://images.example/spring.jpg'],
      ['article:published_time', '2024-04-01T09:00:00.000Z'],
      ['article:tag', 'Notes'],
    ]);
    expect(metaContents(file, 'name').filter(([name]) => String(name).startsWith('twitter:'))).toEqual([
      ['twitter:card', 'summary_large_image'],
      ['twitter:title', 'The middle of spring'],
      ['twitter:description', 'Nothing much happened in April, which is worth a note in itself.'],
      ['twitter:image', 'https://images.example/spring.jpg'],
    ]);
  });

  it('has a summary card without an image, and website cards on other pages', () => {
    expect(metaContents('posts/quiet/index.html', 'name')).toContainEqual(['twitter:card', 'summary']);
    expect(metaContents('posts/quiet/index.html', 'property').map(([name]) => name)).not.toContain(
      'og:image',
    );
    expect(metaContents('index.html', 'property').slice(0, 4)).toEqual([
      ['og:site_name', 'The Small & Curious Gazette'],
      ['og:type', 'website'],
      ['og:title', 'The Small & Curious Gazette'],
      ['og:url', 'https://example.com/gazette/'],
    ]);
  });

  it('carries a JSON-LD BlogPosting with its headline, dates, authors, image and URL', () => {
    const script = findOne(head('posts/middle/index.html'), byTag('script'));
    expect(script.properties.type).toBe('application/ld+json');
    const posting = JSON.parse(text(script));
    expect(posting).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'BlogPosting',
      headline: 'The middle of spring',
      datePublished: '2024-04-01T09:00:00.000Z',
      dateModified: '2024-04-01T09:00:00.000Z',
      image: 'https://images.example/spring.jpg',
      url: 'https://example.com/gazette/posts/middle/',
      keywords: ['Notes'],
      author: [{ '@type': 'Person', name: 'Ada Editor', url: 'https://ada.example/' }],
    });
  });

  it('links the older and the newer post, in the head and on the page', () => {
    site.posts.forEach((post, index) => {
      const tree = parsePage(contents(`posts/${post.slug}/index.html`)).tree;
      const links = (rel: string) =>
        findAll(tree, (element) => String(element.properties.rel) === rel && element.tagName !== 'link').map(
          (element) => element.properties.href,
        );
      const older = site.posts[index + 1]?.url;
      const newer = site.posts[index - 1]?.url;
      expect(links('prev'), post.slug).toEqual(older ? [older] : []);
      expect(links('next'), post.slug).toEqual(newer ? [newer] : []);
      const headLinks = findAll(findOne(tree, byTag('head')), byTag('link'))
        .filter((link) => ['prev', 'next'].includes(String(link.properties.rel)))
        .map((link) => [String(link.properties.rel), link.properties.href]);
      expect(headLinks).toEqual([...(older ? [['prev', older]] : []), ...(newer ? [['next', newer]] : [])]);
    });
  });
});

describe('paginated tags', () => {
  it('split a tag past postsPerPage into tags/<slug>/page/<n>/ and api/tags/<slug>/page/<n>.json', () => {
    const notes = site.tags.find((tag) => tag.slug === 'notes')!;
    expect(notes.posts).toHaveLength(3);
    const first = JSON.parse(contents('api/tags/notes.json'));
    const second = JSON.parse(contents('api/tags/notes/page/2.json'));
    expect(first.posts.map((post: { slug: string }) => post.slug)).toEqual(
      notes.posts.slice(0, 2).map((p) => p.slug),
    );
    expect(second.posts.map((post: { slug: string }) => post.slug)).toEqual([notes.posts[2]!.slug]);
    expect(first.meta.pagination).toEqual({ page: 1, limit: 2, pages: 2, total: 3, next: 2, prev: null });
    expect(second.meta.pagination).toEqual({ page: 2, limit: 2, pages: 2, total: 3, next: null, prev: 1 });
    const older = findAll(parsePage(contents('tags/notes/index.html')).tree, byTag('a')).filter(
      (link) => String(link.properties.rel) === 'next',
    );
    expect(older.map((link) => link.properties.href)).toEqual([
      'https://example.com/gazette/tags/notes/page/2/',
    ]);
  });
});
