import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { ListingPrints } from '../../src/build/listing-prints';
import { keyPlan, type ListingMemo } from '../../src/build/output-keys';
import { outputCodeIdentity } from '../../src/build/output-manifest';
import { cacheFolder } from '../../src/cache/location';
import { loadSite } from '../../src/index';
import { siteFilePlan } from '../../src/outputs/index';
import type { Site } from '../../src/site/types';
import { copyGoldenSite, GOLDEN_NOW, goldenBuild, temporaryFolder } from './helpers';
import {
  applyEdit,
  builtSite,
  editArbitrary,
  nowOf,
  type SiteModel,
  siteArbitrary,
  writeSite,
} from './site-model';

/**
 * Listing fingerprints kept across builds (docs/decisions/output-keys.md, "Round six"): a post made
 * of a file of known identity finds its listing fingerprint by its post fingerprint in what earlier
 * builds computed. The safety net: after any edits, every key is the one computed without it, and
 * an edit changes the keys of the listings that show what it changed and no other.
 */

beforeEach(async () => {
  process.env.BROADSHEET_CACHE_DIR = await temporaryFolder();
});

const NAMESPACE = 'test-namespace';

/** Each group's key by its first path, with `memo` (none: computed from the fields). */
function keys(site: Site, memo?: ListingMemo): Map<string, string | undefined> {
  return new Map(keyPlan(site, siteFilePlan(site), memo).map((group) => [group.paths[0]!, group.key]));
}

/** Each group's key with the listing fingerprints of `folder` (read, used and saved, as a build does). */
async function keysKept(
  site: Site,
  folder: string,
): Promise<{ keys: Map<string, string | undefined>; found: number }> {
  const prints = ListingPrints.read(folder, NAMESPACE);
  const counting = countingFinds(prints, true);
  const result = keys(site, counting.memo);
  await prints.save();
  return { keys: result, found: counting.found() };
}

/** `prints` as a memo that counts the fingerprints it finds (and records new ones when `keep`). */
function countingFinds(prints: ListingPrints, keep: boolean): { memo: ListingMemo; found: () => number } {
  let found = 0;
  const memo: ListingMemo = {
    get: (post) => {
      const listing = prints.get(post);
      if (listing !== undefined) found++;
      return listing;
    },
    set: (post, listing) => {
      if (keep) prints.set(post, listing);
    },
  };
  return { memo, found: () => found };
}

async function load(root: string, now: Date): Promise<Site> {
  const loaded = await loadSite({ root, now, workers: 0 });
  if (!loaded.ok) throw new Error(`the site does not load: ${JSON.stringify(loaded.diagnostics)}`);
  return loaded.site;
}

/** The first paths of the groups whose key differs between `a` and `b`. */
function changed(a: Map<string, string | undefined>, b: Map<string, string | undefined>): string[] {
  return [...b.keys()].filter((page) => a.get(page) !== b.get(page)).sort();
}

describe('listing fingerprints kept across builds', () => {
  it('after any edits, every key is the one computed without them', async () => {
    let found = 0;
    await fc.assert(
      fc.asyncProperty(
        siteArbitrary,
        fc.array(editArbitrary, { minLength: 1, maxLength: 5 }),
        async (initial, edits) => {
          const { folder, root } = await builtSite(initial);
          const kept = path.join(folder, 'prints');
          let site: SiteModel = initial;
          for (const edit of [undefined, ...edits]) {
            if (edit) {
              site = applyEdit(site, edit);
              await writeSite(root, site);
            }
            const loaded = await load(root, nowOf(site));
            const withPrints = await keysKept(loaded, kept);
            found += withPrints.found;
            expect(withPrints.keys, JSON.stringify(edit)).toEqual(keys(loaded));
          }
        },
      ),
      { numRuns: Number(process.env.LISTING_PRINTS_RUNS ?? 10) },
    );
    // The kept fingerprints were used (else the property would hold because nothing was kept).
    expect(found).toBeGreaterThan(0);
  }, 300_000);

  it('a body edit changes no listing; a title edit changes the listings that show the post and nothing else of the other posts', async () => {
    const site: SiteModel = {
      title: 'Listings',
      url: 'https://example.com/',
      postsPerPage: 2,
      feedLimit: 1,
      fullContent: false,
      now: 365,
      posts: [1, 2, 3, 4, 5].map((day) => ({
        slug: `p${day}`,
        title: `Post ${day}`,
        day,
        tags: day % 2 === 0 ? ['News'] : ['Meta'],
        summary: `Summary ${day}.`,
        body: `Body ${day}.`,
        comments: [],
      })),
      next: 6,
    };
    const { folder, root } = await builtSite(site);
    const kept = path.join(folder, 'prints');
    const now = nowOf(site);
    const before = (await keysKept(await load(root, now), kept)).keys;

    // p1 is the oldest post: the last home page and the last page of its tag show it.
    const bodyEdited = structuredClone(site);
    bodyEdited.posts[0]!.body = 'Another body.';
    await writeSite(root, bodyEdited);
    const afterBody = await keysKept(await load(root, now), kept);
    expect(afterBody.found).toBe(4);
    expect(changed(before, afterBody.keys)).toEqual([
      'api/posts/p1.json',
      'api/site.json',
      'comments/rss.xml',
      'posts/p1/comments/atom.xml',
      'posts/p1/index.html',
    ]);

    const titled = structuredClone(bodyEdited);
    titled.posts[0]!.title = 'A new title';
    await writeSite(root, titled);
    const afterTitle = await keysKept(await load(root, now), kept);
    expect(afterTitle.keys).toEqual(keys(await load(root, now)));
    expect(changed(afterBody.keys, afterTitle.keys)).toEqual([
      'api/posts/p1.json',
      // The pages of listings that show p1: the last page of the posts, of its tag.
      'api/posts/page/3.json',
      'api/site.json',
      // A tag stands in a key with all its posts (its index and its pages show them, docs/decisions/output-keys.md).
      'api/tags.json',
      'api/tags/meta.json',
      'api/tags/meta/page/2.json',
      'comments/rss.xml',
      'page/3/index.html',
      'posts/p1/comments/atom.xml',
      'posts/p1/index.html',
      // Its neighbour's page links to it by title.
      'posts/p2/index.html',
      'tags/index.html',
      'tags/meta/index.html',
      'tags/meta/page/2/index.html',
    ]);
  });

  it("an author profile's edit (another file) changes the listings of the posts that show the author", async () => {
    const root = await copyGoldenSite();
    const kept = path.join(await temporaryFolder(), 'prints');
    const before = await keysKept(await load(root, GOLDEN_NOW), kept);
    const profile = path.join(root, 'content/authors/grace.yaml');
    await writeFile(profile, (await readFile(profile, 'utf8')).replace('Grace Reporter', 'Grace Editor'));
    const loaded = await load(root, GOLDEN_NOW);
    const after = await keysKept(loaded, kept);
    expect(after.keys).toEqual(keys(loaded));
    // Every key holds the site fingerprint, which holds the profiles: nothing is kept of the old ones.
    expect(after.found).toBe(0);
    expect(changed(before.keys, after.keys)).toContain('index.html');
  });
});

describe('a build', () => {
  it('keeps the listing fingerprints of its posts in the cache folder, and uses them in the next build', async () => {
    const root = await copyGoldenSite();
    await goldenBuild(root, path.join(root, 'public'));
    const folder = await cacheFolder(root);
    const namespace = (await outputCodeIdentity())!;
    const site = await load(root, GOLDEN_NOW);
    // Every post of the site has its listing fingerprint kept, the one computed without it.
    const plain = keys(site);
    const counting = countingFinds(ListingPrints.read(folder, namespace), false);
    expect(keys(site, counting.memo)).toEqual(plain);
    expect(counting.found()).toBe(site.posts.length);
  });

  it('keeps none without the cache', async () => {
    const root = await copyGoldenSite();
    await goldenBuild(root, path.join(root, 'public'), { cache: false });
    await expect(readFile(path.join(await cacheFolder(root), 'listing-prints-v1'))).rejects.toThrow();
  });
});

describe('the file of listing fingerprints', () => {
  const post = 'a'.repeat(64);
  const listing = 'b'.repeat(64);

  async function saved(): Promise<string> {
    const folder = await temporaryFolder();
    const prints = ListingPrints.read(folder, NAMESPACE);
    prints.set(post, listing);
    await prints.save();
    return folder;
  }

  it('gives back what a build saved, under the same namespace only', async () => {
    const folder = await saved();
    expect(ListingPrints.read(folder, NAMESPACE).get(post)).toBe(listing);
    expect(ListingPrints.read(folder, 'another-namespace').get(post)).toBeUndefined();
  });

  it('makes the cache folder when it is not there', async () => {
    const folder = path.join(await temporaryFolder(), 'not', 'there');
    const prints = ListingPrints.read(folder, NAMESPACE);
    prints.set(post, listing);
    await prints.save();
    expect(ListingPrints.read(folder, NAMESPACE).get(post)).toBe(listing);
  });

  it('is read as none when it is not whole or was changed', async () => {
    const folder = await saved();
    const file = path.join(folder, 'listing-prints-v1');
    const text = await readFile(file, 'latin1');
    for (const damaged of [
      text.slice(0, -1),
      `${text}0`,
      text.replace(listing, 'c'.repeat(64)),
      text.replace('"count":1', '"count":2'),
      'null\n',
      '',
      text.split('\n')[0]!,
    ]) {
      await writeFile(file, damaged, 'latin1');
      expect(ListingPrints.read(folder, NAMESPACE).get(post), JSON.stringify(damaged)).toBeUndefined();
    }
    await rm(file);
    expect(ListingPrints.read(folder, NAMESPACE).get(post)).toBeUndefined();
  });

  it('keeps only the pairs of the last build, and is not written again when nothing changed', async () => {
    const folder = await saved();
    const file = path.join(folder, 'listing-prints-v1');
    const other = 'd'.repeat(64);
    const next = ListingPrints.read(folder, NAMESPACE);
    next.set(other, listing);
    await next.save();
    const kept = ListingPrints.read(folder, NAMESPACE);
    expect(kept.get(post)).toBeUndefined();
    expect(kept.get(other)).toBe(listing);
    await rm(file);
    await kept.save();
    await expect(readFile(file)).rejects.toThrow();
  });
});
