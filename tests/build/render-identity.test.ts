import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { keyPlan } from '../../src/build/output-keys';
import { buildSite, loadSite } from '../../src/index';
import { renderKeyOf, sourceIdentityOf } from '../../src/load/render-identity';
import { siteFilePlan } from '../../src/outputs/index';
import type { Site } from '../../src/site/types';
import { copyGoldenSite, copyShellSite, GOLDEN_NOW, hashTree, temporaryFolder, writeText } from './helpers';

/**
 * A post's render key stands for its HTML in the output keys (docs/decisions/output-keys.md, "A
 * render key for the HTML"): recorded by the load for each document rendered under a render cache
 * key, taken only while the document still holds the HTML of that render.
 */

beforeEach(async () => {
  process.env.BROADSHEET_CACHE_DIR = await temporaryFolder();
});

async function load(root: string, cache = true): Promise<Site> {
  const loaded = await loadSite({ root, now: GOLDEN_NOW, workers: 0, cache });
  if (!loaded.ok) throw new Error(`the site does not load: ${JSON.stringify(loaded.diagnostics)}`);
  return loaded.site;
}

/** Each group's key by its first path. */
function keys(site: Site): Map<string, string | undefined> {
  return new Map(keyPlan(site, siteFilePlan(site)).map((group) => [group.paths[0]!, group.key]));
}

/** The golden site's post with the most comments, and its page's path. */
function commented(site: Site) {
  const post = [...site.posts].sort((a, b) => b.comments.length - a.comments.length)[0]!;
  expect(post.comments.length).toBeGreaterThan(0);
  return { post, page: `posts/${post.slug}/index.html` };
}

describe('render keys in the post fingerprints', () => {
  it('a load with the cache records a render key for every post and comment, rendered now or taken from the cache; without the cache none', async () => {
    const root = await copyGoldenSite();
    const documents = (site: Site) => site.posts.flatMap((post) => [post, ...post.comments]);
    const rendered = await load(root);
    const cached = await load(root);
    expect(documents(rendered).every((document) => renderKeyOf(document) !== undefined)).toBe(true);
    expect(documents(cached).map(renderKeyOf)).toEqual(documents(rendered).map(renderKeyOf));
    // The same keys, whether the HTML was rendered now or read from the cache.
    expect(keys(cached)).toEqual(keys(rendered));
    const uncached = await load(root, false);
    expect(documents(uncached).some((document) => renderKeyOf(document) !== undefined)).toBe(false);
  });

  it("a post's or comment's HTML replaced after the load is hashed, not taken for its render key", async () => {
    const site = await load(await copyGoldenSite());
    const { post, page } = commented(site);
    const base = keys(site).get(page);
    const html = post.html;
    post.html = `${html}<p>added</p>`;
    expect(renderKeyOf(post)).toBeUndefined();
    const edited = keys(site).get(page);
    expect(edited).not.toBe(base);
    // The same text again (another string object) is the HTML of the render: its key again.
    post.html = `${html} `.slice(0, -1);
    expect(keys(site).get(page)).toBe(base);

    const comment = post.comments[0]!;
    const commentHtml = comment.html;
    comment.html = commentHtml.replace(/<\/p>/, ' (edited)</p>');
    expect(comment.html).not.toBe(commentHtml);
    expect(keys(site).get(page)).not.toBe(base);
    comment.html = commentHtml;
    expect(keys(site).get(page)).toBe(base);
  });

  it('a post loaded without a render key has other keys than the same post with one, and the same without the cache twice', async () => {
    const root = await copyGoldenSite();
    const keyed = keys(await load(root));
    const hashed = keys(await load(root, false));
    const { page } = commented(await load(root));
    expect(hashed.get(page)).not.toBe(keyed.get(page));
    expect(keys(await load(root, false))).toEqual(hashed);
  });

  it('an image of a post folder that changes size, its markdown unchanged, makes the page again, as a build from scratch', async () => {
    const root = await copyShellSite();
    const out = path.join(root, 'public');
    const now = new Date('2025-01-01T00:00:00Z');
    const page = path.join(out, 'posts/tide-pools/index.html');
    expect((await buildSite({ root, now, workers: 0 })).ok).toBe(true);
    expect(await readFile(page, 'utf8')).not.toContain('width="48" height="40"');
    await writeFile(
      path.join(root, 'content/posts/2024-05-03-tide-pools/sketches/star.svg'),
      '<svg xmlns="http://www.w3.org/2000/svg" width="48" height="40"></svg>\n',
    );
    let groups = { made: 0, reused: 0, stored: 0 };
    const warm = await buildSite({
      root,
      now,
      workers: 0,
      onProgress: (event) => {
        if (event.phase === 'swap') groups = event.groups;
      },
    });
    expect(warm.ok).toBe(true);
    expect(groups.made).toBeGreaterThan(0);
    expect(groups.reused).toBeGreaterThan(0);
    expect(await readFile(page, 'utf8')).toContain('width="48" height="40"');
    const fresh = path.join(await temporaryFolder(), 'fresh');
    expect((await buildSite({ root, out: fresh, now, cache: false, workers: 0 })).ok).toBe(true);
    expect(await hashTree(out)).toEqual(await hashTree(fresh));
  });
});

describe("the source identities in the post fingerprints (the loaded-post cache's file keys)", () => {
  it('a load with the cache records one for every post and comment, the same whether validated now or taken from the cache; without the cache none', async () => {
    const root = await copyGoldenSite();
    const documents = (site: Site) => site.posts.flatMap((post) => [post, ...post.comments]);
    const validated = await load(root);
    const restored = await load(root);
    expect(documents(validated).every((document) => sourceIdentityOf(document) !== undefined)).toBe(true);
    expect(documents(restored).map(sourceIdentityOf)).toEqual(documents(validated).map(sourceIdentityOf));
    expect(keys(restored)).toEqual(keys(validated));
    const uncached = await load(root, false);
    expect(documents(uncached).some((document) => sourceIdentityOf(document) !== undefined)).toBe(false);
  });

  it('a field of a post or comment set, added or removed after the load drops the identity: the fields are fingerprinted', async () => {
    const site = await load(await copyGoldenSite());
    const { post, page } = commented(site);
    const base = keys(site).get(page);
    const comment = post.comments[0]!;
    const record = post as unknown as Record<string, unknown>;
    const edits: [Record<string, unknown>, string, unknown][] = [
      [record, 'data', { ...post.data, extra: 1 }],
      [record, 'commentsOpen', !post.commentsOpen],
      [record, 'headings', [...post.headings, { depth: 2, text: 'x', id: 'x' }]],
      [record, 'extra', 1],
      [comment as unknown as Record<string, unknown>, 'data', { ...comment.data, extra: 1 }],
      [comment as unknown as Record<string, unknown>, 'file', `${comment.file}x`],
    ];
    for (const [document, field, value] of edits) {
      const had = Object.hasOwn(document, field);
      const before = document[field];
      document[field] = value;
      expect(sourceIdentityOf(document as unknown as typeof post), field).toBeUndefined();
      expect(keys(site).get(page), field).not.toBe(base);
      if (had) document[field] = before;
      else delete document[field];
      expect(sourceIdentityOf(document as unknown as typeof post), field).toBeDefined();
      expect(keys(site).get(page), field).toBe(base);
    }
    // A field removed, and another added with its value: not the fields the post was made with.
    const canonical = record.file;
    delete record.file;
    record.zzz = canonical;
    expect(sourceIdentityOf(post)).toBeUndefined();
    expect(keys(site).get(page)).not.toBe(base);
  });
});

describe('render keys and the config file', () => {
  const config = (mark: string) => `
const MARK = '${mark}';
function rehypeMark() {
  return (tree: { children: { type: string; properties?: object }[] }) => {
    for (const node of tree.children) {
      if (node.type === 'element') node.properties = { ...node.properties, dataMark: MARK };
    }
  };
}
export default {
  site: { title: 'Plugins', url: 'https://plugins.example/' },
  markdown: { rehypePlugins: [rehypeMark] },
};
`;

  it('a constant of the config file that a plugin closes over is in the render key: the page is made again, as a build from scratch', async () => {
    const root = path.join(await temporaryFolder(), 'site');
    await writeText(path.join(root, 'broadsheet.config.ts'), config('one'));
    await writeText(
      path.join(root, 'content/posts/a.md'),
      '---\ntitle: A\ndate: 2024-01-01\n---\n\nHello.\n',
    );
    const out = path.join(root, 'public');
    const page = path.join(out, 'posts/a/index.html');
    const build = async (options: { out?: string; cache?: boolean } = {}) =>
      expect((await buildSite({ root, now: GOLDEN_NOW, workers: 0, ...options })).ok).toBe(true);
    await build();
    expect(await readFile(page, 'utf8')).toContain('<p data-mark="one">Hello.</p>');
    // The plugin's source and options are the same: only the config file's text tells the renders apart.
    await writeText(path.join(root, 'broadsheet.config.ts'), config('two'));
    await build();
    expect(await readFile(page, 'utf8')).toContain('<p data-mark="two">Hello.</p>');
    const fresh = path.join(await temporaryFolder(), 'fresh');
    await build({ out: fresh, cache: false });
    expect(await hashTree(out)).toEqual(await hashTree(fresh));
  });
});
