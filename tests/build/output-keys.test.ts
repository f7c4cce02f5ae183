import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { keyPlan } from '../../src/build/output-keys';
import {
  type OutputManifest,
  outputCodeIdentity,
  readOutputManifest,
  writeOutputManifest,
} from '../../src/build/output-manifest';
import { stagePlan } from '../../src/build/write-tree';
import { cacheFolder } from '../../src/cache/location';
import { loadSite } from '../../src/index';
import { siteFilePlan } from '../../src/outputs/index';
import { copyGoldenSite, GOLDEN_NOW, goldenBuild, hashTree, temporaryFolder } from './helpers';
import {
  applyEdit,
  buildModel as build,
  builtSite,
  editArbitrary,
  siteArbitrary,
  writeSite,
} from './site-model';

/**
 * Output group keys (docs/decisions/output-keys.md): a warm build makes only the groups whose inputs
 * changed and reuses the others' files. The safety net: after any sequence of edits, the warm build's
 * output is byte for byte what a build without the cache makes of the same content.
 */

beforeEach(async () => {
  process.env.BROADSHEET_CACHE_DIR = await temporaryFolder();
});

describe('output group keys', () => {
  it('a warm build after any edits, and a build from the cache alone, equal a build without the cache, byte for byte', async () => {
    // Which edits let warm builds reuse groups: the property must not hold only because nothing is reused.
    const reusedAfter = new Map<string, number>();
    let stored = 0;
    await fc.assert(
      fc.asyncProperty(
        siteArbitrary,
        fc.array(editArbitrary, { minLength: 1, maxLength: 4 }),
        async (initial, edits) => {
          const { folder, root, out } = await builtSite(initial);
          let site = initial;
          for (const edit of edits) {
            site = applyEdit(site, edit);
            await writeSite(root, site);
            const warm = await build(root, out, site, true);
            reusedAfter.set(edit.kind, (reusedAfter.get(edit.kind) ?? 0) + warm.reused);
            const clean = path.join(folder, 'clean');
            await rm(clean, { recursive: true, force: true });
            const cold = await build(root, clean, site, false);
            expect(cold.reused).toBe(0);
            expect(await hashTree(out), JSON.stringify(edit)).toEqual(await hashTree(clean));
            // A CI job: the cache kept, no previous output. Groups come from the output store.
            const ci = path.join(folder, 'ci');
            await rm(ci, { recursive: true, force: true });
            const restored = await build(root, ci, site, true);
            stored += restored.stored;
            expect(restored.reused).toBe(0);
            expect(await hashTree(ci), JSON.stringify(edit)).toEqual(await hashTree(clean));
          }
        },
      ),
      { numRuns: Number(process.env.OUTPUT_KEYS_RUNS ?? 15) },
    );
    const reused = [...reusedAfter.values()].reduce((sum, count) => sum + count, 0);
    expect(reused, JSON.stringify([...reusedAfter])).toBeGreaterThan(0);
    expect(stored).toBeGreaterThan(0);
  }, 300_000);
});

describe('a warm build with output group keys', () => {
  const QUIET_POST = 'content/posts/2024/2024-03-05-quiet-post.md';

  async function manifestOf(root: string, out: string): Promise<OutputManifest> {
    const read = await readOutputManifest(await cacheFolder(root), out);
    if (!read || !('manifest' in read)) throw new Error('no manifest after a build');
    return read.manifest;
  }

  it('makes only the groups that read the edited post, and reuses every other one', async () => {
    const root = await copyGoldenSite();
    const out = path.join(root, 'public');
    const cold = await goldenBuild(root, out);
    expect(cold.groups.reused).toBe(0);
    const total = cold.groups.made;

    const file = path.join(root, QUIET_POST);
    await writeFile(file, (await readFile(file, 'utf8')).replace('Nobody has', 'Still nobody has'));
    const loaded = await loadSite({ root, now: GOLDEN_NOW, workers: 0 });
    if (!loaded.ok) throw new Error('the site does not load');
    const staging = path.join(await temporaryFolder(), 'staging');
    await mkdir(staging);
    const staged = await stagePlan(staging, keyPlan(loaded.site, siteFilePlan(loaded.site)), {
      previous: { folder: out, manifest: await manifestOf(root, out) },
      maxChanges: 100,
      record: true,
      keyNamespace: await outputCodeIdentity(),
      onWritten: () => {},
    });
    // The post's own page, API document and comment feeds; the lists it is in (home page 1, the first
    // page of the API's list, its tag's page, document and feeds, the site feeds: it is the newest
    // post); and what reads every post or tag (the tag index and list, api/site.json, the site's
    // comment feeds).
    expect([...staged.groups.made].sort()).toEqual(
      [
        'index.html',
        'posts/quiet-post/index.html',
        'tags/index.html',
        'tags/open-source/index.html',
        'api/site.json',
        'api/posts.json',
        'api/posts/quiet-post.json',
        'api/tags.json',
        'api/tags/open-source.json',
        'rss.xml',
        'tags/open-source/rss.xml',
        'comments/rss.xml',
        'posts/quiet-post/comments/atom.xml',
      ].sort(),
    );
    expect(staged.groups.reused).toBe(total - staged.groups.made.length);
    // What it writes is among the files of the groups it made.
    const madeFiles = siteFilePlan(loaded.site)
      .filter((group) => staged.groups.made.includes(group.paths[0]!))
      .flatMap((group) => group.paths);
    expect(staged.kind).toBe('changes');
    if (staged.kind === 'changes') expect(madeFiles).toEqual(expect.arrayContaining(staged.put));

    // Through buildSite: the same counts, and the output of a build from scratch.
    const warm = await goldenBuild(root, out);
    expect(warm.groups).toEqual({ made: 13, reused: total - 13, stored: 0 });
    const clean = path.join(await temporaryFolder(), 'clean');
    await goldenBuild(root, clean, { cache: false });
    expect(await hashTree(out)).toEqual(await hashTree(clean));

    // Nothing changed: nothing is made.
    expect((await goldenBuild(root, out)).groups).toEqual({ made: 0, reused: total, stored: 0 });
  });

  it('makes a group again when one of its files was changed by hand, even with the same key', async () => {
    const root = await copyGoldenSite();
    const out = path.join(root, 'public');
    const { groups } = await goldenBuild(root, out);
    const page = path.join(out, 'tags/meta/index.html');
    const before = await readFile(page, 'utf8');
    await writeFile(page, `${before}<!-- by hand -->`);
    // The feed's second file is removed: the whole group is made again.
    await rm(path.join(out, 'tags/meta/atom.xml'));
    expect((await goldenBuild(root, out)).groups).toEqual({ made: 2, reused: groups.made - 2, stored: 0 });
    expect(await readFile(page, 'utf8')).toBe(before);
    const clean = path.join(await temporaryFolder(), 'clean');
    await goldenBuild(root, clean, { cache: false });
    expect(await hashTree(out)).toEqual(await hashTree(clean));
  });

  it('makes every group when the manifest has no keys, keys of other code, or no cache is used', async () => {
    const root = await copyGoldenSite();
    const out = path.join(root, 'public');
    const { groups } = await goldenBuild(root, out);
    const cache = await cacheFolder(root);
    const manifest = await manifestOf(root, out);
    expect(manifest.groups?.keys.size).toBe(groups.made);

    // A manifest of the version before keys: it still loads, and every group is made (and keyed).
    await writeOutputManifest(cache, out, { ...manifest, groups: undefined });
    // Nothing is reused from out; the cold build's store gives every group's files (output-store.test.ts).
    expect((await goldenBuild(root, out)).groups).toEqual({ made: 0, reused: 0, stored: groups.made });
    expect((await goldenBuild(root, out)).groups.reused).toBe(groups.made);

    // Keys recorded by other code (another version, or a changed development build) are not trusted.
    await writeOutputManifest(cache, out, {
      ...(await manifestOf(root, out)),
      groups: { namespace: 'other code', keys: manifest.groups!.keys },
    });
    expect((await goldenBuild(root, out)).groups).toEqual({ made: 0, reused: 0, stored: groups.made });

    expect((await goldenBuild(root, out, { cache: false })).groups).toEqual({
      made: groups.made,
      reused: 0,
      stored: 0,
    });
  });

  it('takes a manifest of the earlier format (one array per file) as none: no warning, every group made', async () => {
    const root = await copyGoldenSite();
    const out = path.join(root, 'public');
    const { groups } = await goldenBuild(root, out);
    const read = await readOutputManifest(await cacheFolder(root), out);
    if (!read || !('file' in read)) throw new Error('no manifest after a build');
    const { files } = read.manifest;
    const earlier = { out, files: [...files].map(([name, r]) => [name, r.hash, r.size, r.mtimeMs, r.ino]) };
    await writeFile(read.file, JSON.stringify(earlier));
    const warm = await goldenBuild(root, out);
    expect(warm.groups).toEqual({ made: 0, reused: 0, stored: groups.made });
    expect(warm.warnings.map((warning) => warning.code)).not.toContain('cache-corrupt');
    expect((await goldenBuild(root, out)).groups.reused).toBe(groups.made);
  });

  it('warns about a manifest whose keys are not a manifest’s, and makes every group', async () => {
    const root = await copyGoldenSite();
    const out = path.join(root, 'public');
    const cold = await goldenBuild(root, out);
    const { groups } = cold;
    const read = await readOutputManifest(await cacheFolder(root), out);
    if (!read || !('file' in read)) throw new Error('no manifest after a build');
    const json = JSON.parse(await readFile(read.file, 'utf8'));
    await writeFile(
      read.file,
      JSON.stringify({ ...json, groups: { namespace: 'x', keys: [['index.html', 42]] } }),
    );
    const warm = await goldenBuild(root, out);
    expect(warm.groups).toEqual({ made: 0, reused: 0, stored: groups.made });
    expect(warm.warnings.map((warning) => warning.code)).toContain('cache-corrupt');
    expect(cold.warnings.map((warning) => warning.code)).not.toContain('cache-corrupt');
  });
});
