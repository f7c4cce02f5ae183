import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { keyPlan } from '../../src/build/output-keys';
import { loadSite } from '../../src/index';
import { sourceIdentityOf } from '../../src/load/render-identity';
import { siteFilePlan } from '../../src/outputs/index';
import type { Site } from '../../src/site/types';
import { hashTree, temporaryFolder } from './helpers';
import {
  applyEdit,
  buildModel as build,
  builtSite,
  editArbitrary,
  nowOf,
  type SiteModel,
  siteArbitrary,
  writeSite,
} from './site-model';

/**
 * Post fingerprints from the load's identities (docs/decisions/output-keys.md, "Round four"): a
 * post or comment loaded with the cache stands in the output keys as its file's loaded-post
 * identity and its render key, not as its fields. The safety net: after any sequence of edits,
 * every group whose key changes when the fields are fingerprinted one by one (a load without the
 * cache, which records no identity) has a new key when the identities stand for them, and a warm
 * build's output is byte for byte a build without the cache.
 */

beforeEach(async () => {
  process.env.BROADSHEET_CACHE_DIR = await temporaryFolder();
});

/** Each group's key by its first path. */
function keys(site: Site): Map<string, string | undefined> {
  return new Map(keyPlan(site, siteFilePlan(site)).map((group) => [group.paths[0]!, group.key]));
}

async function load(root: string, site: SiteModel, cache: boolean): Promise<Site> {
  const loaded = await loadSite({ root, now: nowOf(site), workers: 0, cache });
  if (!loaded.ok) throw new Error(`the site does not load: ${JSON.stringify(loaded.diagnostics)}`);
  return loaded.site;
}

describe('post fingerprints from the identities of their files and renders', () => {
  it('after any edits, a group whose fields-by-fields key changes has a new key, and a warm build equals a build without the cache', async () => {
    const counts = { changed: 0, unchanged: 0, identities: 0 };
    await fc.assert(
      fc.asyncProperty(
        siteArbitrary,
        fc.array(editArbitrary, { minLength: 1, maxLength: 5 }),
        async (initial, edits) => {
          const { folder, root, out } = await builtSite(initial);
          let site = initial;
          let before = {
            made: keys(await load(root, site, true)),
            fields: keys(await load(root, site, false)),
          };
          for (const edit of edits) {
            site = applyEdit(site, edit);
            await writeSite(root, site);
            const loaded = await load(root, site, true);
            counts.identities += loaded.posts.filter((post) => sourceIdentityOf(post) !== undefined).length;
            const after = { made: keys(loaded), fields: keys(await load(root, site, false)) };
            for (const [page, key] of after.fields) {
              if (!before.fields.has(page)) continue;
              if (key !== before.fields.get(page)) {
                counts.changed++;
                expect(after.made.get(page), `${page} after ${JSON.stringify(edit)}`).not.toBe(
                  before.made.get(page),
                );
              } else counts.unchanged++;
            }
            before = after;
            await build(root, out, site, true);
            const clean = path.join(folder, 'clean');
            await rm(clean, { recursive: true, force: true });
            await build(root, clean, site, false);
            expect(await hashTree(out), JSON.stringify(edit)).toEqual(await hashTree(clean));
          }
        },
      ),
      { numRuns: Number(process.env.POST_IDENTITY_RUNS ?? 10) },
    );
    // The identities were there, and the property met groups that changed and groups that did not.
    expect(counts.identities).toBeGreaterThan(0);
    expect(counts.changed).toBeGreaterThan(0);
    expect(counts.unchanged).toBeGreaterThan(0);
  }, 300_000);

  it("a reply whose pending parent moves under another comment, its own file unchanged, moves in the page (the thread is in the post's fingerprint)", async () => {
    const comment = (id: string, parent?: string, pending = false) => ({
      id,
      author: 'Alice',
      hours: Number(id.slice(1)),
      body: `Comment ${id}.`,
      parent,
      pending,
    });
    const site: SiteModel = {
      title: 'Threads',
      url: 'https://example.com/',
      postsPerPage: 2,
      feedLimit: 2,
      fullContent: false,
      now: 365,
      posts: [
        {
          slug: 'p1',
          title: 'Hello',
          day: 1,
          tags: [],
          body: 'alpha',
          comments: [comment('c1'), comment('c2'), comment('c3', undefined, true), comment('c4', 'c3')],
        },
      ],
      next: 2,
    };
    const { folder, root, out } = await builtSite(site);
    const page = path.join(out, 'posts/p1/index.html');
    const before = await readFile(page, 'utf8');
    const moved = structuredClone(site);
    moved.posts[0]!.comments[2]!.parent = 'c2';
    await writeSite(root, moved);
    await build(root, out, moved, true);
    const clean = path.join(folder, 'clean');
    await build(root, clean, moved, false);
    expect(await hashTree(out)).toEqual(await hashTree(clean));
    expect(await readFile(page, 'utf8')).not.toEqual(before);
  });
});
