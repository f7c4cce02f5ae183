// A build's load keeps the HTML of cached renders as its bytes until an output reads it
// (src/render/deferred-html.ts, docs/decisions/render-speed.md, "Round five"): the keys never decode
// it, a made group reads the same string as a load without the cache, nothing read later depends on
// the cache's files, and the public loadSite still returns plain strings.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { keyPlan } from '../../src/build/output-keys';
import { outputCodeIdentity, readOutputManifest } from '../../src/build/output-manifest';
import { stagePlan } from '../../src/build/write-tree';
import { cacheFolder } from '../../src/cache/location';
import { buildSite, loadSite } from '../../src/index';
import { loadSiteWith } from '../../src/load/load-site';
import { renderKeyOf } from '../../src/load/render-identity';
import { siteFilePlan } from '../../src/outputs/index';
import { heldHtml } from '../../src/render/deferred-html';
import type { Comment, Post, Site } from '../../src/site/types';
import { copyGoldenSite, GOLDEN_NOW, goldenBuild, temporaryFolder } from '../build/helpers';
import { applyEdit, builtSite, editArbitrary, nowOf, siteArbitrary, writeSite } from '../build/site-model';
import { packFolder } from './helpers';

beforeEach(async () => {
  process.env.BROADSHEET_CACHE_DIR = await temporaryFolder();
});

/** A load as a build makes it: cached HTML deferred. */
async function buildLoad(root: string, now = GOLDEN_NOW): Promise<Site> {
  const loaded = await loadSiteWith({ root, now, workers: 0 }, undefined, true);
  if (!loaded.ok) throw new Error(`the site does not load: ${JSON.stringify(loaded.diagnostics)}`);
  return loaded.site;
}

async function publicLoad(root: string, cache: boolean, now = GOLDEN_NOW): Promise<Site> {
  const loaded = await loadSite({ root, now, workers: 0, cache });
  if (!loaded.ok) throw new Error(`the site does not load: ${JSON.stringify(loaded.diagnostics)}`);
  return loaded.site;
}

function documents(site: Site): (Post | Comment)[] {
  return site.posts.flatMap((post) => [post, ...post.comments]);
}

/** Whether a document's HTML is still the cached bytes, undecoded. */
function undecoded(document: Post | Comment): boolean {
  return typeof heldHtml(document) !== 'string';
}

/** Each group's key by its first path. */
function keys(site: Site): Map<string, string | undefined> {
  return new Map(keyPlan(site, siteFilePlan(site)).map((group) => [group.paths[0]!, group.key]));
}

describe('the HTML of cached renders in a build', () => {
  it('stays undecoded through the keys, which are those of the public load; read, it is the HTML of a load without the cache', async () => {
    const root = await copyGoldenSite();
    const eager = await publicLoad(root, true);
    const site = await buildLoad(root);
    expect(documents(site).length).toBeGreaterThan(3);
    expect(documents(site).every(undecoded)).toBe(true);
    expect(documents(site).every((document) => renderKeyOf(document) !== undefined)).toBe(true);
    expect(keys(site)).toEqual(keys(eager));
    expect(documents(site).every(undecoded)).toBe(true);
    // The public load's HTML is a plain string field.
    for (const document of documents(eager)) {
      expect(Object.getOwnPropertyDescriptor(document, 'html')).toHaveProperty('value', document.html);
    }
    const uncached = await publicLoad(root, false);
    expect(JSON.stringify(site)).toBe(JSON.stringify(uncached));
    expect(documents(site).map((document) => document.html)).toEqual(
      documents(uncached).map((document) => document.html),
    );
    expect(documents(site).some(undecoded)).toBe(false);
  });

  it("a post's or comment's HTML replaced after the load, unread, changes its page's key; the same text again gives it back", async () => {
    const root = await copyGoldenSite();
    const expected = await publicLoad(root, true);
    const site = await buildLoad(root);
    const base = keys(site);
    const post = [...site.posts].sort((a, b) => b.comments.length - a.comments.length)[0]!;
    const page = `posts/${post.slug}/index.html`;
    const html = expected.posts.find((other) => other.slug === post.slug)!.html;
    for (const document of [post, post.comments[0]!]) {
      expect(undecoded(document)).toBe(true);
      const original =
        document === post ? html : expected.posts.find((p) => p.slug === post.slug)!.comments[0]!.html;
      Object.defineProperty(document, 'html', {
        value: `${original}<p>x</p>`,
        enumerable: true,
        writable: true,
      });
      expect(renderKeyOf(document)).toBeUndefined();
      expect(keys(site).get(page)).not.toBe(base.get(page));
      document.html = `${original} `.slice(0, -1);
      expect(keys(site).get(page)).toBe(base.get(page));
    }
  });

  it('reads what it read at the load after the cache files are overwritten or a later build rewrote the cache', async () => {
    const root = await copyGoldenSite();
    const expected = (await publicLoad(root, false)).posts.map((post) => post.html);
    await publicLoad(root, true);
    const first = await buildLoad(root);
    const second = await buildLoad(root);
    expect(documents(first).every(undecoded) && documents(second).every(undecoded)).toBe(true);
    // Every segment of the render cache overwritten with other bytes of the same length.
    const folder = await packFolder();
    for (const name of await readdir(folder)) {
      if (!name.endsWith('.seg')) continue;
      const file = path.join(folder, name);
      await writeFile(file, Buffer.alloc((await readFile(file)).length, 0x41));
    }
    expect(second.posts.map((post) => post.html)).toEqual(expected);
    // A build that renders every post again (each one edited) and compacts the cache.
    for (const post of first.posts) {
      const file = path.join(root, post.file);
      await writeFile(file, `${await readFile(file, 'utf8')}\nEdited.\n`);
    }
    expect((await buildSite({ root, now: GOLDEN_NOW, workers: 0 })).ok).toBe(true);
    expect(first.posts.map((post) => post.html)).toEqual(expected);
  });

  it('a warm build decodes the HTML of the groups it makes, not of the others', async () => {
    const root = await copyGoldenSite();
    const out = path.join(root, 'public');
    await goldenBuild(root, out);
    const file = path.join(root, 'content/posts/2024/2024-03-05-quiet-post.md');
    await writeFile(file, (await readFile(file, 'utf8')).replace('Nobody has', 'Still nobody has'));
    const site = await buildLoad(root);
    const read = await readOutputManifest(await cacheFolder(root), out);
    if (!read || !('manifest' in read)) throw new Error('no manifest after a build');
    const staging = path.join(await temporaryFolder(), 'staging');
    await mkdir(staging);
    const staged = await stagePlan(staging, keyPlan(site, siteFilePlan(site)), {
      previous: { folder: out, manifest: read.manifest },
      maxChanges: 100,
      record: true,
      keyNamespace: await outputCodeIdentity(),
      onWritten: () => {},
    });
    expect(staged.groups.reused).toBeGreaterThan(staged.groups.made.length);
    // The edited post was rendered now; of the others, the HTML of those only in reused groups stays bytes.
    const others = documents(site).filter((document) => renderKeyOf(document) !== undefined);
    const decoded = others.filter((document) => !undecoded(document));
    expect(others.filter(undecoded).length).toBeGreaterThan(0);
    // Those decoded are in the made groups' files (a feed shows the latest posts' HTML).
    const made = siteFilePlan(site)
      .filter((group) => staged.groups.made.includes(group.paths[0]!))
      .flatMap((group) => group.paths);
    const texts = await Promise.all(
      // Staged when changed, else as the last build wrote it.
      made.map((name) =>
        readFile(path.join(staging, name), 'utf8').catch(() => readFile(path.join(out, name), 'utf8')),
      ),
    );
    for (const document of decoded) {
      // A run of its plain text, which every output writes as it is (HTML, JSON or XML escaped).
      const words = /[A-Za-z][A-Za-z ]{11,}/.exec(document.html.replace(/<[^>]*>/g, '\n'))![0];
      expect(
        texts.some((text) => text.includes(words)),
        words,
      ).toBe(true);
    }
  });
});

describe('deferred HTML, any site', () => {
  it('after any edits, a build’s load has the keys of the public load without decoding anything, and reads the HTML of a load without the cache', async () => {
    await fc.assert(
      fc.asyncProperty(
        siteArbitrary,
        fc.array(editArbitrary, { minLength: 0, maxLength: 3 }),
        async (initial, edits) => {
          const { root } = await builtSite(initial);
          let site = initial;
          for (const edit of edits) site = applyEdit(site, edit);
          await writeSite(root, site);
          const now = nowOf(site);
          const eager = await publicLoad(root, true, now);
          const deferred = await buildLoad(root, now);
          expect(documents(deferred).every(undecoded)).toBe(true);
          expect(keys(deferred)).toEqual(keys(eager));
          expect(documents(deferred).every(undecoded)).toBe(true);
          const uncached = await publicLoad(root, false, now);
          expect(JSON.stringify(deferred)).toBe(JSON.stringify(uncached));
          expect(JSON.stringify(eager)).toBe(JSON.stringify(uncached));
        },
      ),
      { numRuns: Number(process.env.DEFERRED_HTML_RUNS ?? 10) },
    );
  }, 120_000);
});
