import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSite } from '../../src/load/load-site';
import type { html } from '../../src/outputs/pages/html';
import { pageFiles } from '../../src/outputs/pages/index';
import { STYLESHEET } from '../../src/outputs/pages/layout';
import type { BroadsheetConfig } from '../../src/schema/config';
import type { OutputFile, Post, Site, Tag } from '../../src/site/types';
import { repoRoot } from '../feeds/support';
import { byTag, findAll, findOne, parsePage, text } from './hast';

const ROOT = path.join(repoRoot, 'tests/fixtures/site-shell');
const NOW = new Date('2025-01-01T00:00:00Z');

async function load(config?: BroadsheetConfig): Promise<Site> {
  const result = await loadSite({
    root: ROOT,
    now: NOW,
    cache: false,
    workers: 0,
    ...(config ? { config } : {}),
  });
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics, null, 2));
  return result.site;
}

let pages: Map<string, OutputFile>;
const tree = (file: string) => parsePage(pages.get(file)!.contents).tree;
const style = (file: string) => text(findOne(tree(file), byTag('style')));

beforeAll(async () => {
  pages = new Map(pageFiles(await load()).map((file) => [file.path, file]));
});

describe('a theme in the TS config', () => {
  it('extends the default stylesheet with its CSS file, on every page', () => {
    for (const file of pages.keys()) {
      expect(style(file), file).toContain(STYLESHEET);
      expect(style(file), file).toContain(
        '.shell-page{border-left:4px solid var(--accent);padding-left:1rem}',
      );
    }
  });

  it('adds its trusted head HTML to every page', () => {
    for (const file of pages.keys()) {
      const icons = findAll(findOne(tree(file), byTag('head')), byTag('link')).filter(
        (link) => String(link.properties.rel) === 'icon',
      );
      expect(
        icons.map((link) => link.properties.href),
        file,
      ).toEqual(['https://shell.example/blog/favicon.svg']);
    }
  });

  it('wraps a page kind with a template that gets the default’s data, escaped by default', () => {
    const main = findOne(tree('contact/index.html'), byTag('main'));
    const frame = findOne(main, byTag('div', 'shell-page'));
    expect(frame.properties.dataTitle).toBe('Contact & <Feedback>');
    expect(pages.get('contact/index.html')!.contents).toContain(
      'data-title="Contact &amp; &lt;Feedback&gt;"',
    );
    expect(text(findOne(frame, byTag('h1')))).toBe('Contact & <Feedback>');
    // Other kinds keep the default template.
    expect(findAll(findOne(tree('index.html'), byTag('main')), byTag('div', 'shell-page'))).toEqual([]);
  });

  it('replaces a page kind outright, keeping the page around it', () => {
    const notFound = tree('404.html');
    expect(text(findOne(notFound, byTag('h1')))).toBe('Lost at sea');
    expect(text(findOne(notFound, byTag('title')))).toBe('Page not found — The Shell Gazette');
    expect(parsePage(pages.get('404.html')!.contents).errors).toEqual([]);
  });

  it('replaces the stylesheet with mode: replace, and shows a template’s non-fragment result as text', async () => {
    const site = await load({
      site: { title: 'Replaced', url: 'https://shell.example/blog/' },
      theme: {
        stylesheet: { file: 'theme/shell.css', mode: 'replace' },
        templates: {
          tagIndex: (() => '<b>not markup</b>') as unknown as () => ReturnType<typeof html>,
        },
      },
    });
    const files = new Map(pageFiles(site).map((file) => [file.path, file.contents]));
    const home = parsePage(files.get('index.html')!).tree;
    expect(text(findOne(home, byTag('style')))).not.toContain('max-width:40rem');
    expect(text(findOne(home, byTag('style')))).toContain('--accent:#0b6e99');
    expect(files.get('tags/index.html')).toContain('<main>\n&lt;b&gt;not markup&lt;/b&gt;\n</main>');
  });

  it('gives the home and tag templates whole posts (a listing of a post has no body), their HTML included', async () => {
    const { html } = await import('../../src/outputs/pages/html');
    const site = await load({
      site: { title: 'Bodies', url: 'https://shell.example/blog/' },
      theme: {
        templates: {
          home: (({ page }: { page: { items: Post[] } }) =>
            html`${page.items.map((post) => html`<p>${post.wordCount} words</p>`)}`) as never,
          tag: (({ tag, page }: { tag: Tag; page: { items: Post[] } }) =>
            html`${tag.posts.length}${page.items.map((post) => html`<p>${post.html}</p>`)}`) as never,
        },
      },
    });
    const files = new Map(pageFiles(site).map((file) => [file.path, file.contents]));
    const tagged = site.tags[0]!;
    expect(files.get('index.html')).toContain(`<p>${site.posts[0]!.wordCount} words</p>`);
    expect(files.get(`tags/${tagged.slug}/index.html`)).toContain('&lt;p');
  });

  it('reports a stylesheet file that cannot be read at the config file', async () => {
    const result = await loadSite({
      root: ROOT,
      cache: false,
      config: {
        site: { title: 'T', url: 'https://t.example/' },
        theme: { stylesheet: { file: 'theme/missing.css' } },
      },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.diagnostics).toMatchInlineSnapshot(`
      [
        {
          "code": "missing-theme-file",
          "column": 1,
          "file": "theme/missing.css",
          "line": 1,
          "message": "theme.stylesheet.file "theme/missing.css" cannot be read: ENOENT",
          "severity": "error",
        },
      ]
    `);
  });
});
