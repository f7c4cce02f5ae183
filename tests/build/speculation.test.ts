import { readdirSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { FileWriter, WORKER_SOURCE } from '../../src/build/file-writer';
import { keyPlan } from '../../src/build/output-keys';
import { outputCodeIdentity } from '../../src/build/output-manifest';
import { OutputStore } from '../../src/build/output-store';
import { planOutput, withStaticFiles } from '../../src/build/plan-output';
import { Speculation, speculationStart } from '../../src/build/speculation';
import { stagePlan } from '../../src/build/write-tree';
import { cacheFolder } from '../../src/cache/location';
import { type BuildProgress, buildSite, loadSite } from '../../src/index';
import { copyGoldenSite, GOLDEN_NOW, goldenBuild, hashTree, temporaryFolder } from './helpers';
import { applyEdit, buildModel, editArbitrary, nowOf, siteArbitrary, writeSite } from './site-model';

/**
 * A CI build's head start (src/build/speculation.ts, docs/decisions/output-store.md "Round four"):
 * with the output gone and the output store kept, the writer thread writes the last build's groups
 * from the start of the build; once the keys are known the build keeps those still produced, and
 * removes or replaces the others. Its output must be byte for byte a build without the cache's.
 */

beforeEach(async () => {
  process.env.BROADSHEET_CACHE_DIR = await temporaryFolder();
});

/** Every file (with the SHA-256 of its bytes) and every folder under `folder`. */
async function treeOf(folder: string): Promise<{ files: Record<string, string>; folders: string[] }> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const folders = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
  return { files: await hashTree(folder), folders };
}

/**
 * A progress listener that records whether, when the files are staged, the staging folder is the
 * one speculated from the start of the build (its sequence number is a speculation's).
 */
function watchSpeculation(out: string): {
  onProgress: (event: BuildProgress) => void;
  adopted: () => boolean;
} {
  let adopted = false;
  const name = new RegExp(`^${path.basename(out)}\\.broadsheet-tmp-${process.pid}-(\\d+)$`);
  return {
    onProgress: (event) => {
      if (event.phase !== 'swap') return;
      adopted = readdirSync(path.dirname(out)).some((entry) => Number(name.exec(entry)?.[1]) > 1_000_000);
    },
    adopted: () => adopted,
  };
}

/** A golden build (see `goldenBuild`) that records whether it went on from a speculation. */
async function ciBuild(root: string, out: string) {
  const watch = watchSpeculation(out);
  return { ...(await goldenBuild(root, out, { onProgress: watch.onProgress })), adopted: watch.adopted() };
}

/**
 * How the writer and the main thread meet in {@link speculatedTree}: the writer has written every
 * stored group before the keys are known (so each group not produced any more must be removed), or
 * starts only after the main thread took every group (so each is cancelled or written there).
 */
type Meeting = 'writer-first' | 'late-writer';

/**
 * A CI build's staging up to the commit (load, plan, keys, then `stagePlan` on from a speculation)
 * with the writer and the main thread meeting as `meeting` says; returns the staged tree.
 */
async function speculatedTree(root: string, out: string, now: Date, meeting: Meeting) {
  const late = `setTimeout(() => {\n${WORKER_SOURCE}\n}, 300);`;
  const speculation = Speculation.start({
    root,
    out,
    cacheFolder: await cacheFolder(root),
    startWriter: meeting === 'late-writer' ? (staging) => FileWriter.start(late, staging) : undefined,
  });
  if (!speculation) throw new Error('no speculation');
  if (meeting === 'writer-first') await speculation.writer.flush();
  const loaded = await loadSite({ root, now, workers: 0 });
  if (!loaded.ok) throw new Error('the site does not load');
  const { site } = loaded;
  const planned = withStaticFiles(root, site, planOutput(site));
  if ('diagnostics' in planned) throw new Error('the site does not plan');
  const keyed = keyPlan(site, planned.plan.outputs);
  const plan = [...keyed, ...planned.plan.groups.slice(keyed.length)];
  const namespace = await outputCodeIdentity();
  const staging = await speculation.adopt(out, namespace);
  if (!staging) throw new Error('the speculation was not adopted');
  const staged = await stagePlan(staging, plan, {
    maxChanges: 0,
    record: true,
    keyNamespace: namespace,
    speculation,
    onWritten: () => {},
  });
  await staged.store?.close();
  // Every file's record has its stats, as written.
  for (const [file, record] of staged.files) expect(record.ino, file).toBeGreaterThan(0);
  const tree = await treeOf(staging);
  await rm(staging, { recursive: true });
  return { tree, groups: staged.groups, shares: speculation.shares };
}

async function cleanTree(root: string) {
  const clean = path.join(await temporaryFolder(), 'clean');
  await goldenBuild(root, clean, { cache: false });
  return treeOf(clean);
}

const QUIET_POST = 'content/posts/2024/2024-03-05-quiet-post.md';

describe('a CI build that speculates', () => {
  it('after any edits since the cached build, equals a build without the cache, byte for byte and folder for folder', async () => {
    let kept = 0;
    let made = 0;
    await fc.assert(
      fc.asyncProperty(
        siteArbitrary,
        fc.array(editArbitrary, { minLength: 1, maxLength: 4 }),
        fc.constantFrom('early', 'late', 'writer-first', 'late-writer'),
        async (initial, edits, meeting) => {
          const folder = await temporaryFolder();
          const root = path.join(folder, 'site');
          const out = path.join(folder, 'out');
          process.env.BROADSHEET_CACHE_DIR = path.join(folder, 'cache');
          await writeSite(root, initial);
          await buildModel(root, out, initial, true);
          const site = edits.reduce(applyEdit, initial);
          await writeSite(root, site);
          await rm(out, { recursive: true });
          const clean = path.join(folder, 'clean');
          await buildModel(root, clean, site, false);
          if (meeting === 'early' || meeting === 'late') {
            // Through the build, started at the start of the build or once the keys are known.
            process.env.BROADSHEET_SPECULATE = meeting;
            const watch = watchSpeculation(out);
            const ci = await buildModel(root, out, site, true, watch.onProgress).finally(() => {
              delete process.env.BROADSHEET_SPECULATE;
            });
            expect(watch.adopted(), 'the build went on from the speculation').toBe(true);
            kept += ci.stored;
            made += ci.made;
            expect(await treeOf(out), JSON.stringify(edits)).toEqual(await treeOf(clean));
            expect(await readdir(folder)).toEqual(['cache', 'clean', 'out', 'site']);
          } else {
            const ci = await speculatedTree(root, out, nowOf(site), meeting);
            kept += ci.groups.stored;
            made += ci.groups.made.length;
            expect(ci.tree, JSON.stringify(edits)).toEqual(await treeOf(clean));
            expect(await readdir(folder)).toEqual(['cache', 'clean', 'site']);
          }
        },
      ),
      { numRuns: Number(process.env.SPECULATION_RUNS ?? 15) },
    );
    // Both sides of the reconciliation ran: groups kept as speculated, and groups made over them.
    expect(kept).toBeGreaterThan(0);
    expect(made).toBeGreaterThan(0);
  }, 300_000);

  it('replaces the speculated files of a group that changed', async () => {
    const root = await copyGoldenSite();
    const out = path.join(root, 'public');
    await goldenBuild(root, out);
    const file = path.join(root, QUIET_POST);
    await writeFile(file, (await readFile(file, 'utf8')).replace('Nobody has', 'Still nobody has'));
    await rm(out, { recursive: true });
    // The speculated files are all there before the keys are known: the changed ones are replaced.
    const ci = await speculatedTree(root, out, GOLDEN_NOW, 'writer-first');
    expect(ci.groups.made).toContain('posts/quiet-post/index.html');
    expect(ci.tree).toEqual(await cleanTree(root));
    // And through the build, however the writer and the main thread meet.
    const built = await ciBuild(root, out);
    expect(built.adopted).toBe(true);
    expect(await readFile(path.join(out, 'posts/quiet-post/index.html'), 'utf8')).toContain(
      'Still nobody has',
    );
    expect(await treeOf(out)).toEqual(await cleanTree(root));
  });

  it('removes the speculated files no longer produced, and the folders only they needed', async () => {
    const root = await copyGoldenSite();
    const out = path.join(root, 'public');
    await goldenBuild(root, out);
    expect((await readdir(path.join(out, 'posts'))).includes('quiet-post')).toBe(true);
    await rm(path.join(root, QUIET_POST));
    await rm(out, { recursive: true });
    const clean = await cleanTree(root);
    expect(clean.folders).not.toContain('posts/quiet-post');
    // The speculated files are all there before the keys are known: those not produced are removed.
    expect((await speculatedTree(root, out, GOLDEN_NOW, 'writer-first')).tree).toEqual(clean);
    const built = await ciBuild(root, out);
    expect(built.adopted).toBe(true);
    expect(await treeOf(out)).toEqual(clean);
  });

  it('makes on the main thread a group whose record the writer finds corrupt', async () => {
    const root = await copyGoldenSite();
    const out = path.join(root, 'public');
    const { groups } = await goldenBuild(root, out);
    const folder = path.join(await cacheFolder(root), 'outputs-v2');
    const [segment] = (await readdir(folder)).filter((name) => name.endsWith('.seg'));
    const bytes = await readFile(path.join(folder, segment!));
    bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
    await writeFile(path.join(folder, segment!), bytes);
    await rm(out, { recursive: true });
    const ci = await ciBuild(root, out);
    expect(ci.adopted).toBe(true);
    expect(ci.groups).toEqual({ made: 1, reused: 0, stored: groups.made - 1 });
    expect(ci.warnings.filter((warning) => warning.code === 'cache-corrupt')).toHaveLength(1);
    expect(await treeOf(out)).toEqual(await cleanTree(root));
  });

  it('never writes a stored file whose path leaves the staging folder', async () => {
    const root = await copyGoldenSite();
    const out = path.join(root, 'public');
    await goldenBuild(root, out);
    // A store that holds, beside the last build, a sound record of a file at `../escaped.html`.
    const store = await OutputStore.open({
      root,
      folder: await cacheFolder(root),
      namespace: (await outputCodeIdentity())!,
    });
    for (const key of [...store.keys()]) store.keep(key);
    store.save('f'.repeat(64), [{ path: '../escaped.html', hash: 'x', contents: '<p>out</p>' }]);
    await store.close();
    await rm(out, { recursive: true });
    const ci = await speculatedTree(root, out, GOLDEN_NOW, 'writer-first');
    expect(ci.groups.made).toEqual([]);
    expect(ci.tree).toEqual(await cleanTree(root));
    expect((await readdir(root)).sort()).toEqual(['broadsheet.config.json', 'content']);
  });

  it('has the main thread write what the writer has not reached when the keys are known', async () => {
    const root = await copyGoldenSite();
    const out = path.join(root, 'public');
    const { groups } = await goldenBuild(root, out);
    await rm(out, { recursive: true });
    // A writer that starts late: every group is left for the main thread.
    const ci = await speculatedTree(root, out, GOLDEN_NOW, 'late-writer');
    expect(ci.groups).toEqual({ made: [], reused: 0, stored: groups.made });
    expect(ci.shares).toEqual({ writer: 0, main: groups.made });
    expect(ci.tree).toEqual(await cleanTree(root));
  });

  it('is discarded when the build writes elsewhere: nothing is left beside the output it guessed', async () => {
    process.env.BROADSHEET_SPECULATE = 'early';
    onTestFinished(() => {
      delete process.env.BROADSHEET_SPECULATE;
    });
    const root = await copyGoldenSite();
    // Without `out`, the config's: the speculation guesses the one the last build used.
    const build = async () => {
      const result = await buildSite({ root, now: GOLDEN_NOW, workers: 0 });
      if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
    };
    await build();
    await rm(path.join(root, 'public'), { recursive: true });
    const configFile = path.join(root, 'broadsheet.config.json');
    const config = JSON.parse(await readFile(configFile, 'utf8'));
    await writeFile(configFile, JSON.stringify({ ...config, out: 'site-out' }));
    await build();
    expect((await readdir(root)).sort()).toEqual(['broadsheet.config.json', 'content', 'site-out']);
    expect(await treeOf(path.join(root, 'site-out'))).toEqual(await cleanTree(root));
  });

  it('leaves no output and no staging folder when the build fails', async () => {
    process.env.BROADSHEET_SPECULATE = 'early';
    onTestFinished(() => {
      delete process.env.BROADSHEET_SPECULATE;
    });
    const root = await copyGoldenSite();
    const out = path.join(root, 'public');
    await goldenBuild(root, out);
    await rm(out, { recursive: true });
    // A content error: a post without its title.
    const file = path.join(root, QUIET_POST);
    await writeFile(file, (await readFile(file, 'utf8')).replace(/^title:.*$/m, ''));
    const result = await buildSite({ root, out, now: GOLDEN_NOW, workers: 0 });
    expect(result.ok).toBe(false);
    expect((await readdir(root)).sort()).toEqual(['broadsheet.config.json', 'content']);
  });

  it('starts early where there are more than two cores, else once the keys are known', () => {
    expect(speculationStart({ BROADSHEET_SPECULATE: 'off' })).toBe('off');
    expect(speculationStart({ BROADSHEET_SPECULATE: 'late' })).toBe('late');
    expect(speculationStart({})).toBe('early');
  });

  it('does not speculate into an output folder that is there', async () => {
    const root = await copyGoldenSite();
    const out = path.join(root, 'public');
    await goldenBuild(root, out);
    expect(
      Speculation.start({ root, out, cacheFolder: await cacheFolder(root) }),
      'an output that is there is linked from',
    ).toBeUndefined();
  });
});
