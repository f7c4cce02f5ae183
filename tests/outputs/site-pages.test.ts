import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSite } from '../../src/load/load-site';
import { feedFiles } from '../../src/outputs/feeds/index';
import { siteFiles } from '../../src/outputs/index';
import type { OutputFile, Site } from '../../src/site/types';
import { repoRoot } from '../feeds/support';
import { expectFilesToMatchFolder } from './fixture';
import { byTag, findAll, findOne, parsePage, text } from './hast';

const ROOT = path.join(repoRoot, 'tests/fixtures/site-shell');
const NOW = new Date('2025-01-01T00:00:00Z');

let site: Site;
let files: Map<string, OutputFile>;
const contents = (file: string) => {
  const found = files.get(file);
  if (!found) throw new Error(`no file ${file}`);
  return found.contents;
};

beforeAll(async () => {
  const result = await loadSite({ root: ROOT, now: NOW, cache: false });
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics, null, 2));
  site = result.site;
  files = new Map(siteFiles(site).map((file) => [file.path, file]));
});

describe('pages (content/pages/**/*.md)', () => {
  it('gives exactly the reviewed files', async () => {
    await expectFilesToMatchFolder([...files.values()], path.join(ROOT, 'expected'));
  });

  it('become <path>/index.html and api/pages/<slug>.json; drafts do not', () => {
    expect(site.pages.map((page) => [page.slug, page.url])).toEqual([
      ['about', 'https://shell.example/blog/about/'],
      ['contact', 'https://shell.example/blog/contact/'],
      ['docs', 'https://shell.example/blog/docs/'],
      ['docs/setup', 'https://shell.example/blog/docs/setup/'],
    ]);
    for (const page of site.pages) {
      expect(files.has(`${page.path}index.html`)).toBe(true);
      expect(JSON.parse(contents(`api/pages/${page.slug}.json`)).title).toBe(page.title);
    }
    expect([...files.keys()].filter((file) => file.includes('unfinished'))).toEqual([]);
  });

  it('are listed in api/site.json', () => {
    expect(JSON.parse(contents('api/site.json')).pages).toEqual([
      { slug: 'about', url: 'https://shell.example/blog/about/', title: 'About', menu: 1 },
      { slug: 'contact', url: 'https://shell.example/blog/contact/', title: 'Contact & <Feedback>', menu: 2 },
      { slug: 'docs', url: 'https://shell.example/blog/docs/', title: 'Documentation', menu: null },
      { slug: 'docs/setup', url: 'https://shell.example/blog/docs/setup/', title: 'Setting up', menu: 0 },
    ]);
  });

  it('with menu are in every page’s navigation, by menu order', () => {
    for (const [file, { contents: page }] of files) {
      // Every page but the redirect of an old path (`aliases`), which is no page of the site.
      if (!file.endsWith('.html') || file === 'about-us.html') continue;
      const nav = findOne(parsePage(page).tree, (element) => element.properties.ariaLabel === 'Site');
      expect(
        findAll(nav, byTag('a')).map((link) => [text(link), link.properties.href]),
        file,
      ).toEqual([
        ['Home', 'https://shell.example/blog/'],
        ['Setting up', 'https://shell.example/blog/docs/setup/'],
        ['About', 'https://shell.example/blog/about/'],
        ['Contact & <Feedback>', 'https://shell.example/blog/contact/'],
        ['Tags', 'https://shell.example/blog/tags/'],
      ]);
    }
  });

  it('render their markdown with absolute links, and are in the sitemap but not in feeds', () => {
    const docs = parsePage(contents('docs/index.html')).tree;
    expect(text(findOne(docs, byTag('h1')))).toBe('Documentation');
    expect(findAll(findOne(docs, byTag('article')), byTag('a')).map((link) => link.properties.href)).toEqual([
      'https://shell.example/blog/docs/setup/',
    ]);
    expect(contents('sitemap.xml')).toContain(
      '<loc>https://shell.example/blog/docs/setup/</loc>\n    <lastmod>2024-05-03T00:00:00Z</lastmod>',
    );
    for (const feed of feedFiles(site))
      expect(feed.contents).not.toMatch(/written by Sam|Setting up|Documentation|Letters are welcome/);
  });
});

describe('a page with aliases', () => {
  it('is where its old paths redirect', () => {
    expect(contents('_redirects')).toBe('/blog/about-us.html /blog/about/ 301\n');
    expect(contents('about-us.html')).toContain('url=https://shell.example/blog/about/');
  });
});

describe('pages that cannot be published', () => {
  it('are errors: a path the site uses, a path that is not a slug, two files for one path, bad front matter', async () => {
    const result = await loadSite({
      root: path.join(repoRoot, 'tests/fixtures/load-bad-pages'),
      cache: false,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.diagnostics).toMatchInlineSnapshot(`
      [
        {
          "code": "invalid-page-path",
          "column": 1,
          "file": "content/pages/Bad_Name.md",
          "line": 1,
          "message": "the page's path "Bad_Name" must be lower-case letters and digits joined by hyphens, in folders named the same way: rename the file",
          "severity": "error",
        },
        {
          "code": "duplicate-page-path",
          "column": 1,
          "file": "content/pages/about/index.md",
          "line": 1,
          "message": "content/pages/about.md and content/pages/about/index.md are both the page "about/"",
          "severity": "error",
        },
        {
          "code": "reserved-page-path",
          "column": 1,
          "file": "content/pages/index.md",
          "line": 1,
          "message": "the page would be at "/", a path the site's own pages use (the home page, posts/, tags/, page/, api/, comments/): move it",
          "severity": "error",
        },
        {
          "code": "reserved-page-path",
          "column": 1,
          "file": "content/pages/tags.md",
          "line": 1,
          "message": "the page would be at "tags/", a path the site's own pages use (the home page, posts/, tags/, page/, api/, comments/): move it",
          "severity": "error",
        },
        {
          "code": "missing-value",
          "column": 8,
          "file": "content/pages/untitled.md",
          "line": 2,
          "message": "title is empty",
          "severity": "error",
        },
        {
          "code": "invalid-type",
          "column": 7,
          "file": "content/pages/untitled.md",
          "line": 3,
          "message": "menu must be a number",
          "severity": "error",
        },
      ]
    `);
  });
});
