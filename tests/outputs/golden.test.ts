import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSite } from '../../src/load/load-site';
import { apiFiles } from '../../src/outputs/api/index';
import { pageFiles } from '../../src/outputs/pages/index';
import { expectFilesToMatchFolder, loadSmallSite, SMALL_SITE_NOW, SMALL_SITE_ROOT } from './fixture';

const EXPECTED = fileURLToPath(new URL('../fixtures/outputs-small-site/expected/', import.meta.url));

describe('the small site', () => {
  it('gives exactly the reviewed pages and API documents', async () => {
    const site = await loadSmallSite();
    await expectFilesToMatchFolder([...apiFiles(site), ...pageFiles(site)], EXPECTED);
  });

  it('gives byte-identical files from a second load, whatever the build time after the last post', async () => {
    const first = await loadSmallSite();
    const again = await loadSite({ root: SMALL_SITE_ROOT, now: new Date('2029-12-31T00:00:00Z') });
    if (!again.ok) throw new Error('the fixture site does not load');
    expect(apiFiles(again.site)).toEqual(apiFiles(first));
    expect(pageFiles(again.site)).toEqual(pageFiles(first));
  });

  it('publishes no draft, no future post, no pending or spam comment', async () => {
    const site = await loadSmallSite();
    const files = [...apiFiles(site), ...pageFiles(site)];
    for (const file of files) {
      expect(file.path).not.toMatch(/unfinished|from-the-future|drafts|future/);
      for (const unpublished of [
        'Unfinished thoughts',
        'From the future',
        'Waiting for moderation',
        'Buy now',
        'Cheap Pills',
      ]) {
        expect(file.contents, file.path).not.toContain(unpublished);
      }
    }
    expect(site.posts.map((post) => post.slug)).toEqual([
      'middle',
      'quiet',
      'leap-day',
      'tables-and-code',
      'hello-world',
    ]);
    expect(SMALL_SITE_NOW.getTime()).toBeLessThan(Date.parse('2030-01-01'));
  });

  it('writes one page for each home page, post and tag, and one document for each API resource', async () => {
    const site = await loadSmallSite();
    expect(pageFiles(site).map((file) => file.path)).toEqual([
      'index.html',
      'page/2/index.html',
      'page/3/index.html',
      'posts/middle/index.html',
      'posts/quiet/index.html',
      'posts/leap-day/index.html',
      'posts/tables-and-code/index.html',
      'posts/hello-world/index.html',
      'tags/index.html',
      'tags/announcements/index.html',
      'tags/café/index.html',
      'tags/meta/index.html',
      'tags/notes/index.html',
      'tags/notes/page/2/index.html',
      'about/index.html',
      '404.html',
    ]);
    expect(apiFiles(site).map((file) => file.path)).toEqual([
      'api/site.json',
      'api/posts.json',
      'api/posts/page/2.json',
      'api/posts/page/3.json',
      'api/posts/middle.json',
      'api/posts/quiet.json',
      'api/posts/leap-day.json',
      'api/posts/tables-and-code.json',
      'api/posts/hello-world.json',
      'api/tags.json',
      'api/tags/announcements.json',
      'api/tags/café.json',
      'api/tags/meta.json',
      'api/tags/notes.json',
      'api/tags/notes/page/2.json',
      'api/pages/about.json',
      'api/schema/site.json',
      'api/schema/posts.json',
      'api/schema/post.json',
      'api/schema/tags.json',
      'api/schema/tag.json',
      'api/schema/page.json',
    ]);
  });
});
