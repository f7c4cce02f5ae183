import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BroadsheetError, buildSite, loadSite } from '../../src/index';
import {
  copyGoldenSite,
  expectTreeToEqualExpected,
  GOLDEN_NOW,
  goldenRoot,
  listFiles,
  temporaryFolder,
} from '../build/helpers';

const ORIGIN = 'http://127.0.0.1:4321';
const LOCAL = `${ORIGIN}/blog/`;

describe('loadSite({preview})', () => {
  it('includes drafts and future posts, marked, with every URL on the preview origin', async () => {
    const result = await loadSite({ root: goldenRoot, now: GOLDEN_NOW, preview: { origin: ORIGIN } });
    if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
    const { site } = result;
    expect(site.url).toBe(LOCAL);
    expect(site.config.site.url).toBe(LOCAL);
    const marks = Object.fromEntries(site.posts.map((post) => [post.slug, post.unpublished ?? 'published']));
    expect(marks['draft-idea']).toBe('draft');
    expect(marks['from-the-future']).toBe('future');
    expect(Object.values(marks).filter((mark) => mark === 'published').length).toBeGreaterThan(2);
    for (const post of site.posts) expect(post.url.startsWith(`${LOCAL}posts/`)).toBe(true);
    for (const tag of site.tags) expect(tag.url.startsWith(`${LOCAL}tags/`)).toBe(true);
    for (const comment of site.comments) expect(comment.url.startsWith(LOCAL)).toBe(true);
  });

  it('without preview, a site has neither drafts nor future posts nor any unpublished mark', async () => {
    const result = await loadSite({ root: goldenRoot, now: GOLDEN_NOW });
    if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
    expect(result.site.posts.map((post) => post.slug)).not.toContain('draft-idea');
    expect(result.site.posts.map((post) => post.slug)).not.toContain('from-the-future');
    for (const post of result.site.posts) expect('unpublished' in post).toBe(false);
  });

  it('preview: true keeps site.url; future: true publishes future posts unmarked', async () => {
    const result = await loadSite({ root: goldenRoot, now: GOLDEN_NOW, preview: true, future: true });
    if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
    expect(result.site.url).toBe('https://gazette.example/blog/');
    const future = result.site.posts.find((post) => post.slug === 'from-the-future');
    expect(future && 'unpublished' in future).toBe(false);
  });

  it('takes an origin with or without its final slash, and refuses anything but an http(s) origin', async () => {
    const result = await loadSite({
      root: goldenRoot,
      now: GOLDEN_NOW,
      preview: { origin: 'http://[::1]:8080/' },
    });
    expect(result.ok && result.site.url).toBe('http://[::1]:8080/blog/');
    for (const origin of ['file:///tmp/', 'http://localhost:8080/blog/', 'localhost:8080']) {
      await expect(loadSite({ root: goldenRoot, preview: { origin } })).rejects.toThrow(BroadsheetError);
    }
  });
});

describe('buildSite({preview})', () => {
  it('marks drafts and future posts on their pages and in lists, with links to the preview origin', async () => {
    const out = path.join(await temporaryFolder(), 'preview');
    const result = await buildSite({ root: goldenRoot, out, now: GOLDEN_NOW, preview: { origin: ORIGIN } });
    expect(result.ok).toBe(true);
    const draft = await readFile(path.join(out, 'posts/draft-idea/index.html'), 'utf8');
    expect(draft).toContain('<p class="meta"><mark>Draft</mark> This post is a draft');
    const future = await readFile(path.join(out, 'posts/from-the-future/index.html'), 'utf8');
    expect(future).toContain('<mark>Scheduled</mark> This post is dated in the future');
    const home = await readFile(path.join(out, 'index.html'), 'utf8');
    expect(home).toContain('<mark>Scheduled</mark> · <time');
    const lists = await Promise.all(
      ['page/2/index.html', 'page/3/index.html'].map((file) => readFile(path.join(out, file), 'utf8')),
    );
    expect([home, ...lists].join('')).toMatch(
      /<h2><a href="http:\/\/127\.0\.0\.1:4321\/blog\/posts\/draft-idea\/">[^<]*<\/a><\/h2>\n<p class="meta"><mark>Draft<\/mark> · /,
    );
    // Every link to the site points at the preview: none at the production origin's site path.
    for (const file of await listFiles(out)) {
      const text = await readFile(path.join(out, file), 'utf8');
      expect(text, file).not.toContain('https://gazette.example/blog/');
    }
  });

  it('refuses to build a preview into the config’s out, and a build after a preview is the reviewed tree', async () => {
    const root = await copyGoldenSite();
    await expect(buildSite({ root, now: GOLDEN_NOW, preview: true })).rejects.toThrow(BroadsheetError);
    await expect(
      buildSite({ root, out: path.join(root, 'public'), now: GOLDEN_NOW, preview: true }),
    ).rejects.toThrow(/never built into the site's out folder/);
    expect(await listFiles(root)).not.toContain('public/index.html');

    const previewOut = path.join(await temporaryFolder(), 'preview');
    expect(
      (await buildSite({ root, out: previewOut, now: GOLDEN_NOW, preview: { origin: ORIGIN } })).ok,
    ).toBe(true);
    const built = await buildSite({ root, now: GOLDEN_NOW });
    expect(built.ok).toBe(true);
    await expectTreeToEqualExpected(path.join(root, 'public'), path.join(goldenRoot, 'expected'));
    // A second preview (warm, from its own cache) after the build, then a warm build: still the tree.
    expect(
      (await buildSite({ root, out: previewOut, now: GOLDEN_NOW, preview: { origin: ORIGIN } })).ok,
    ).toBe(true);
    expect((await buildSite({ root, now: GOLDEN_NOW })).ok).toBe(true);
    await expectTreeToEqualExpected(path.join(root, 'public'), path.join(goldenRoot, 'expected'));
  });
});
