import { type ChildProcess, spawn } from 'node:child_process';
import { access, cp, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, onTestFinished } from 'vitest';
import { MARKER_FILE, MARKER_TEXT } from '../../src/build/out-folder';
import { buildSite } from '../../src/index';
import { writeBigSite } from './big-site';
import {
  folderEntries,
  GOLDEN_NOW,
  goldenRoot,
  hashTree,
  listFiles,
  repoRoot,
  temporaryFolder,
} from './helpers';

const cliPath = path.join(repoRoot, 'dist/cli.js');

/** Waits for a child to end; resolves with its exit code, or the signal that ended it. */
function ended(child: ChildProcess): Promise<number | NodeJS.Signals> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code ?? -1)));
}

/**
 * Polls `folder` until an entry starting with `prefix` that is not in `known` shows up (a staging
 * folder of this build, not one a killed build left) or `done` settles; returns whether it did.
 */
async function waitForEntry(
  folder: string,
  prefix: string,
  known: readonly string[],
  done: { settled: boolean },
): Promise<boolean> {
  while (!done.settled) {
    const entries = await readdir(folder);
    if (entries.some((entry) => entry.startsWith(prefix) && !known.includes(entry))) return true;
    await sleep(2);
  }
  return false;
}

/**
 * Kills `child` (SIGKILL) `afterMs` after a staging folder of `public` that is not in `known` shows
 * up in `folder` (at once when the child ends first); resolves with how it ended.
 */
async function killOnceStaging(
  child: ChildProcess,
  folder: string,
  known: readonly string[],
  afterMs: number,
): Promise<number | NodeJS.Signals> {
  const exit = ended(child);
  const done = { settled: false };
  void exit.then(() => {
    done.settled = true;
  });
  if (await waitForEntry(folder, 'public.broadsheet-tmp-', known, done)) await sleep(afterMs);
  child.kill('SIGKILL');
  return exit;
}

/**
 * A generated site of `posts` posts in a temporary folder, built once into its `public` beside it
 * by the CLI; `build` starts another such build.
 */
async function builtBigSite(posts: number) {
  const folder = await temporaryFolder();
  const root = path.join(folder, 'site');
  await writeBigSite(root, posts);
  const out = path.join(folder, 'public');
  const build = () =>
    spawn(process.execPath, [cliPath, 'build', '--root', root, '--out', out], { stdio: 'ignore' });
  expect(await ended(build())).toBe(0);
  return { folder, out, build };
}

/** A process id that no process has now: one of a process that has ended. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await ended(child);
  return child.pid!;
}

describe('broadsheet build killed midway (SIGKILL)', () => {
  it('leaves the previous output intact, and the next build succeeds and cleans up', async () => {
    await access(cliPath).catch(() => {
      throw new Error(`${cliPath} is missing: run \`npm run build:lib\` first (npm test does)`);
    });
    const folder = await temporaryFolder();
    const root = path.join(folder, 'site');
    await writeBigSite(root, 2000);
    // The previous output: a finished build (of the small golden site, which is quick to make).
    const out = path.join(folder, 'public');
    expect((await buildSite({ root: goldenRoot, out, now: GOLDEN_NOW })).ok).toBe(true);
    let previous = await hashTree(out);

    // Kill while loading, as soon as the files are being written, and a little later in the write
    // (about 10,000 files: the write lasts far longer than 100 ms).
    const attempts = [{ afterStartMs: 400 }, { afterStagingMs: 0 }, { afterStagingMs: 100 }];
    let killedWhileWriting = 0;
    for (const attempt of attempts) {
      const child = spawn(process.execPath, [cliPath, 'build', '--root', root, '--out', out], {
        stdio: 'ignore',
      });
      const exit = ended(child);
      const done = { settled: false };
      void exit.then(() => {
        done.settled = true;
      });
      const leftBehind = (await readdir(folder)).filter((entry) =>
        entry.startsWith('public.broadsheet-tmp-'),
      );
      if ('afterStartMs' in attempt) {
        await sleep(attempt.afterStartMs);
      } else if (await waitForEntry(folder, 'public.broadsheet-tmp-', leftBehind, done)) {
        await sleep(attempt.afterStagingMs);
      }
      const stagingExists = (await readdir(folder)).some((entry) =>
        entry.startsWith('public.broadsheet-tmp-'),
      );
      child.kill('SIGKILL');
      const result = await exit;
      if (result !== 'SIGKILL') {
        // The build finished before the kill: its output is now the previous one.
        expect(result).toBe(0);
        previous = await hashTree(out);
        continue;
      }
      expect(await hashTree(out), `killed ${JSON.stringify(attempt)}`).toEqual(previous);
      if (!stagingExists) continue;
      killedWhileWriting += 1;
      // The half-written staging folder is left behind, for the next build to remove.
      expect(
        (await readdir(folder)).filter((entry) => entry.startsWith('public.broadsheet-tmp-')),
      ).toHaveLength(1);
    }
    // At least one kill landed while the build was writing its files.
    expect(killedWhileWriting).toBeGreaterThan(0);

    const child = spawn(process.execPath, [cliPath, 'build', '--root', root, '--out', out], {
      stdio: 'ignore',
    });
    expect(await ended(child)).toBe(0);
    expect(await folderEntries(folder)).toEqual(['public', 'site']);
    const files = await listFiles(out);
    expect(files).toContain('.broadsheet-build');
    expect(files.some((file) => file.includes('generated-post-1999'))).toBe(true);
  }, 600_000);

  it('leaves the output as it was when killed while writing from the output store (a CI build)', async () => {
    const { folder, out, build } = await builtBigSite(1500);
    // A copy of the output (other inodes: nothing of it can be linked), as a CI job's restored `out` would be:
    // the next build writes every file, from the output store.
    const copy = async () => {
      await cp(out, `${out}.copy`, { recursive: true });
      await rm(out, { recursive: true });
      await rename(`${out}.copy`, out);
    };
    await copy();
    const previous = await hashTree(out);
    const result = await killOnceStaging(build(), folder, [], 50);
    expect(await hashTree(out)).toEqual(previous);
    if (result !== 'SIGKILL') expect(result).toBe(0);
    // The next build writes the same output, from the store as the killed build left it.
    await copy();
    expect(await ended(build())).toBe(0);
    expect(await hashTree(out)).toEqual(previous);
    expect(await folderEntries(folder)).toEqual(['public', 'site']);
  }, 300_000);

  it('leaves no output when a CI build is killed while it writes the last build ahead of time', async () => {
    // With `out` gone and the cache kept, the staging folder is created and filled from the store at
    // the start of the build (src/build/speculation.ts): killed then, or later, nothing is published.
    process.env.BROADSHEET_SPECULATE = 'early';
    onTestFinished(() => {
      delete process.env.BROADSHEET_SPECULATE;
    });
    const { folder, out, build } = await builtBigSite(1500);
    const reference = await hashTree(out);
    for (const afterStagingMs of [20, 300]) {
      await rm(out, { recursive: true, force: true });
      const leftBehind = (await readdir(folder)).filter((entry) =>
        entry.startsWith('public.broadsheet-tmp-'),
      );
      const result = await killOnceStaging(build(), folder, leftBehind, afterStagingMs);
      if (result === 'SIGKILL') await expect(access(out)).rejects.toThrow();
      else expect(result).toBe(0);
    }
    await rm(out, { recursive: true, force: true });
    expect(await ended(build())).toBe(0);
    expect(await hashTree(out)).toEqual(reference);
    expect(await folderEntries(folder)).toEqual(['public', 'site']);
  }, 300_000);

  it('leaves a stray staging folder that it was removing when killed for the next build to remove', async () => {
    // The race behind a `public.broadsheet-tmp-*` folder left after every build: a build killed while
    // it removed what a killed build left behind had unlinked the marker file first, and a folder
    // without the marker is never touched again. The marker now goes last.
    const folder = await temporaryFolder();
    const out = path.join(folder, 'public');
    expect((await buildSite({ root: goldenRoot, out, now: GOLDEN_NOW })).ok).toBe(true);
    const stray = path.join(folder, `public.broadsheet-tmp-${await deadPid()}-1`);
    await mkdir(stray);
    await writeFile(path.join(stray, MARKER_FILE), MARKER_TEXT);
    for (let n = 0; n < 60; n++) {
      const sub = path.join(stray, `posts-${n}`);
      await mkdir(sub);
      await Promise.all(Array.from({ length: 150 }, (_, i) => writeFile(path.join(sub, `${i}.html`), 'x')));
    }
    const entriesBefore = (await readdir(stray)).length;
    const child = spawn(process.execPath, [cliPath, 'build', '--root', goldenRoot, '--out', out], {
      stdio: 'ignore',
    });
    const exit = ended(child);
    // Killed as soon as the removal has begun (an entry of the stray folder is gone).
    for (;;) {
      const entries = await readdir(stray).catch(() => undefined);
      if (entries === undefined || entries.length < entriesBefore) break;
      await sleep(1);
    }
    child.kill('SIGKILL');
    await exit;
    const left = await readdir(stray).catch(() => undefined);
    if (left !== undefined) expect(left).toContain(MARKER_FILE);
    const next = spawn(process.execPath, [cliPath, 'build', '--root', goldenRoot, '--out', out], {
      stdio: 'ignore',
    });
    expect(await ended(next)).toBe(0);
    expect(await folderEntries(folder)).toEqual(['public']);
  }, 120_000);
});
