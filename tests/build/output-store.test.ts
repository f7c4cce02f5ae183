import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { cacheFolder } from '../../src/cache/location';
import { writeBigSite } from './big-site';
import { copyGoldenSite, goldenBuild, hashTree, temporaryFolder } from './helpers';

/**
 * The output store (src/build/output-store.ts): a build whose previous output is gone (a CI job with
 * its cache restored) writes the files of every group whose key is stored instead of making them.
 * The property that its output is byte-identical after any edits is in output-keys.test.ts.
 */

beforeEach(async () => {
  process.env.BROADSHEET_CACHE_DIR = await temporaryFolder();
});

const build = goldenBuild;

async function storeFolder(root: string): Promise<string> {
  return path.join(await cacheFolder(root), 'outputs-v2');
}

async function cleanTree(root: string): Promise<Record<string, string>> {
  const clean = path.join(await temporaryFolder(), 'clean');
  await build(root, clean, { cache: false });
  return hashTree(clean);
}

describe('the output store', () => {
  it('gives every group of a build with the cache kept and no previous output, as a build without cache makes it', async () => {
    const root = await copyGoldenSite();
    const out = path.join(root, 'public');
    const cold = await build(root, out);
    expect(cold.groups).toMatchObject({ reused: 0, stored: 0 });
    const total = cold.groups.made;

    await rm(out, { recursive: true });
    const ci = await build(root, out);
    expect(ci.groups).toEqual({ made: 0, reused: 0, stored: total });
    expect(await hashTree(out)).toEqual(await cleanTree(root));
  });

  it('after a warm build, a CI build makes at most what the warm build made; the next one makes nothing', async () => {
    const root = await copyGoldenSite();
    const out = path.join(root, 'public');
    const { groups } = await build(root, out);

    const file = path.join(root, 'content/posts/2024/2024-03-05-quiet-post.md');
    await writeFile(file, (await readFile(file, 'utf8')).replace('Nobody has', 'Still nobody has'));
    const warm = await build(root, out);
    expect(warm.groups).toEqual({ made: 13, reused: groups.made - 13, stored: 0 });

    // A warm build that makes more than a quarter of the groups (13 of this small site's) stores them;
    // one that makes fewer leaves the store as it was, and a CI build then makes those groups.
    await rm(out, { recursive: true });
    const ci = await build(root, out);
    expect(ci.groups.reused).toBe(0);
    expect(ci.groups.made).toBeLessThanOrEqual(13);
    expect(ci.groups.made + ci.groups.stored).toBe(groups.made);
    expect(await hashTree(out)).toEqual(await cleanTree(root));
    // That build stored what it made: the next one makes nothing.
    await rm(out, { recursive: true });
    expect((await build(root, out)).groups).toEqual({ made: 0, reused: 0, stored: groups.made });
  });

  it('makes a group whose stored record is damaged, with a cache-corrupt warning, and the same output', async () => {
    const root = await copyGoldenSite();
    const out = path.join(root, 'public');
    const { groups } = await build(root, out);
    const folder = await storeFolder(root);
    const [segment] = (await readdir(folder)).filter((name) => name.endsWith('.seg'));
    const bytes = await readFile(path.join(folder, segment!));
    // A byte in the middle of the segment: one record's checksum no longer matches.
    bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
    await writeFile(path.join(folder, segment!), bytes);

    await rm(out, { recursive: true });
    const ci = await build(root, out);
    expect(ci.groups.made).toBe(1);
    expect(ci.groups.stored).toBe(groups.made - 1);
    expect(ci.warnings.filter((warning) => warning.code === 'cache-corrupt')).toHaveLength(1);
    expect(await hashTree(out)).toEqual(await cleanTree(root));
    // That build stored the group again: the next one makes nothing and warns of nothing.
    await rm(out, { recursive: true });
    const next = await build(root, out);
    expect(next.groups).toEqual({ made: 0, reused: 0, stored: groups.made });
    expect(next.warnings.filter((warning) => warning.code === 'cache-corrupt')).toEqual([]);
  });

  it('makes a group whose index entry does not describe its record (a size changed), with one cache-corrupt warning', async () => {
    const root = await copyGoldenSite();
    const out = path.join(root, 'public');
    const { groups } = await build(root, out);
    const index = path.join(await storeFolder(root), 'index.json');
    const stored = JSON.parse(await readFile(index, 'utf8'));
    // The entry of a group of two files or more: one byte moved from its first file to its second.
    const entry = stored.entries.find((entry: unknown[]) => (entry[4] as unknown[]).length > 1);
    entry[4][0][2] -= 1;
    entry[4][1][2] += 1;
    await writeFile(index, JSON.stringify(stored));

    await rm(out, { recursive: true });
    const ci = await build(root, out);
    expect(ci.groups).toEqual({ made: 1, reused: 0, stored: groups.made - 1 });
    expect(ci.warnings.filter((warning) => warning.code === 'cache-corrupt')).toHaveLength(1);
    expect(await hashTree(out)).toEqual(await cleanTree(root));
  });

  it('ignores and removes a store of the earlier layout (outputs-v1)', async () => {
    const root = await copyGoldenSite();
    const out = path.join(root, 'public');
    const old = path.join(await cacheFolder(root), 'outputs-v1');
    await mkdir(old, { recursive: true });
    await writeFile(
      path.join(old, 'index.json'),
      '{"layout":"outputs-v1","namespace":"x","segments":[],"entries":[]}',
    );
    const cold = await build(root, out);
    expect(cold.warnings.filter((warning) => warning.code === 'cache-corrupt')).toEqual([]);
    expect(await readdir(path.dirname(old))).not.toContain('outputs-v1');
    await rm(out, { recursive: true });
    expect((await build(root, out)).groups).toEqual({ made: 0, reused: 0, stored: cold.groups.made });
  });

  it('never fails a build: a store that cannot be written leaves the output as a build without cache makes it', async () => {
    const root = await copyGoldenSite();
    const out = path.join(root, 'public');
    // A file where the store's folder goes: no segment can be created in it.
    const folder = await storeFolder(root);
    await mkdir(path.dirname(folder), { recursive: true });
    await writeFile(folder, 'not a folder');
    const { groups } = await build(root, out);
    expect(await hashTree(out)).toEqual(await cleanTree(root));
    await rm(out, { recursive: true });
    const ci = await build(root, out);
    expect(ci.groups).toEqual({ made: groups.made, reused: 0, stored: 0 });
    expect(await hashTree(out)).toEqual(await cleanTree(root));
  });

  it('is not used without the cache', async () => {
    const root = await copyGoldenSite();
    const out = path.join(root, 'public');
    await build(root, out);
    await rm(out, { recursive: true });
    const { groups } = await build(root, out, { cache: false });
    expect(groups.stored).toBe(0);
    expect(groups.reused).toBe(0);
  });

  it('writes a larger site from the store on several writer threads as a build without cache makes it', async () => {
    // 400 posts: some 1,500 groups, runs of 64 of them on each of three writers.
    process.env.BROADSHEET_FILE_WRITERS = '3';
    onTestFinished(() => {
      delete process.env.BROADSHEET_FILE_WRITERS;
    });
    const root = path.join(await temporaryFolder(), 'site');
    await writeBigSite(root, 400);
    const out = path.join(root, 'public');
    const cold = await build(root, out);
    await rm(out, { recursive: true });
    const ci = await build(root, out);
    expect(ci.groups).toEqual({ made: 0, reused: 0, stored: cold.groups.made });
    expect(await hashTree(out)).toEqual(await cleanTree(root));
    // Its manifest is right too: a warm build after it reuses every group.
    const warm = await build(root, out);
    expect(warm.groups).toEqual({ made: 0, reused: cold.groups.made, stored: 0 });
  }, 120_000);
});
