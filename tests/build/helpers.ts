import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect } from 'vitest';
import type { CliIo } from '../../src/cli/io';
import { runCli } from '../../src/cli/main';
import { type BuildProgress, buildSite } from '../../src/index';

/** The repository root. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The golden fixture: a small site, with its reviewed output in `expected/`. */
export const goldenRoot = path.join(repoRoot, 'tests/fixtures/build-golden');

/** The build time of every golden build: after the posts, before the future post. */
export const GOLDEN_NOW = new Date('2025-06-01T00:00:00Z');

const temporaryFolders: string[] = [];
afterEach(async () => {
  await Promise.all(temporaryFolders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
});

/** A new empty folder under the system's temp folder, removed after the test. */
export async function temporaryFolder(): Promise<string> {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'broadsheet-build-test-'));
  temporaryFolders.push(folder);
  return folder;
}

/** A copy of the golden fixture's site (without `expected/`) in a temporary folder; returns its root. */
export async function copyGoldenSite(): Promise<string> {
  const root = path.join(await temporaryFolder(), 'site');
  await mkdir(root);
  await cp(path.join(goldenRoot, 'content'), path.join(root, 'content'), { recursive: true });
  await cp(path.join(goldenRoot, 'broadsheet.config.json'), path.join(root, 'broadsheet.config.json'));
  return root;
}

/**
 * A build of the golden site's content (`now` is {@link GOLDEN_NOW}, no threads) that must succeed:
 * its warnings and the output groups it made, reused from `out` and wrote from the output store.
 */
export async function goldenBuild(
  root: string,
  out: string,
  options: { cache?: boolean; onProgress?: (event: BuildProgress) => void } = {},
) {
  let groups = { made: 0, reused: 0, stored: 0 };
  const result = await buildSite({
    root,
    out,
    now: GOLDEN_NOW,
    workers: 0,
    ...options,
    onProgress: (event) => {
      options.onProgress?.(event);
      if (event.phase === 'swap') groups = event.groups;
    },
  });
  if (!result.ok) throw new Error(`build failed: ${JSON.stringify(result.diagnostics, null, 2)}`);
  return { groups, warnings: result.warnings };
}

/** The shell fixture: pages, a theme, static files and a post folder with images. */
export const shellRoot = path.join(repoRoot, 'tests/fixtures/site-shell');

/**
 * A copy of the shell site (without `expected/`) in `folder` (default: a temporary folder removed
 * after the test), its config pointed at this repository's source; returns its root.
 */
export async function copyShellSite(folder?: string): Promise<string> {
  const root = path.join(folder ?? (await temporaryFolder()), 'site');
  await cp(shellRoot, root, { recursive: true, filter: (source) => !source.includes(`${path.sep}expected`) });
  // Its config imports broadsheet's source by a relative path: point it at this repository's.
  const config = path.join(root, 'broadsheet.config.ts');
  const text = await readFile(config, 'utf8');
  await writeFile(config, text.replaceAll("'../../../src/", `'${path.join(repoRoot, 'src')}/`));
  return root;
}

/** Every file under `folder` (recursively, dot files included) as `/`-separated relative paths, sorted. */
export async function listFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

/** Every file under `folder` with the SHA-256 of its bytes, in path order. */
export async function hashTree(folder: string): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  for (const file of await listFiles(folder)) {
    hashes[file] = createHash('sha256')
      .update(await readFile(path.join(folder, file)))
      .digest('hex');
  }
  return hashes;
}

/** The names in a folder, sorted: to see that a build left no stray sibling folder behind. */
export async function folderEntries(folder: string): Promise<string[]> {
  return (await readdir(folder)).sort();
}

/**
 * Compares the tree `actual` with the reviewed tree `expected`: the same list of paths, and the
 * same bytes in every file. With `UPDATE=1`, replaces `expected` with `actual` instead.
 */
export async function expectTreeToEqualExpected(actual: string, expected: string): Promise<void> {
  if (process.env.UPDATE === '1') {
    await rm(expected, { recursive: true, force: true });
    await cp(actual, expected, { recursive: true });
    return;
  }
  const actualFiles = await listFiles(actual);
  const expectedFiles = await listFiles(expected).catch(() => [] as string[]);
  expect(actualFiles, 'the paths of the build (UPDATE=1 regenerates the expected tree)').toEqual(
    expectedFiles,
  );
  for (const file of actualFiles) {
    const [actualBytes, expectedBytes] = await Promise.all([
      readFile(path.join(actual, file)),
      readFile(path.join(expected, file)),
    ]);
    if (actualBytes.equals(expectedBytes)) continue;
    // The text shows a readable diff; the bytes catch what decoding would hide.
    expect(actualBytes.toString('utf8'), `${file} (UPDATE=1 regenerates the expected tree)`).toBe(
      expectedBytes.toString('utf8'),
    );
    expect(actualBytes.equals(expectedBytes), `${file}: same text, different bytes`).toBe(true);
  }
}

/** Runs the CLI in this process with `cwd`; returns its exit code and what it printed. */
export async function cli(
  args: string[],
  options: { cwd: string; isTTY?: boolean; env?: Record<string, string> },
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    env: options.env ?? {},
    cwd: options.cwd,
    isTTY: options.isTTY ?? false,
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

/** Writes a file, creating its folder. */
export async function writeText(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
}
