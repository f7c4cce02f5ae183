import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { loadSite } from '../../src/load/load-site';
import type { OutputFile, Site } from '../../src/site/types';

/** The small site every golden and structure test reads. */
export const SMALL_SITE_ROOT = fileURLToPath(new URL('../fixtures/outputs-small-site/', import.meta.url));
/** The build time of the small site: after every post but the one dated 2030. */
export const SMALL_SITE_NOW = new Date('2024-06-01T00:00:00Z');

/** Loads the small site, failing the test on any error. */
export async function loadSmallSite(): Promise<Site> {
  const result = await loadSite({ root: SMALL_SITE_ROOT, now: SMALL_SITE_NOW });
  if (!result.ok)
    throw new Error(`the fixture site does not load: ${JSON.stringify(result.diagnostics, null, 2)}`);
  return result.site;
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const files: string[] = [];
  for (const entry of entries) {
    const relative = prefix + entry.name;
    if (entry.isDirectory()) files.push(...(await listFiles(path.join(dir, entry.name), `${relative}/`)));
    else files.push(relative);
  }
  return files.sort();
}

/**
 * Compares output files with a folder of expected files: the same paths, byte for byte. With
 * `UPDATE=1` it rewrites the folder from the files instead.
 */
export async function expectFilesToMatchFolder(files: readonly OutputFile[], folder: string): Promise<void> {
  if (process.env.UPDATE === '1') {
    await rm(folder, { recursive: true, force: true });
    for (const file of files) {
      const target = path.join(folder, ...file.path.split('/'));
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, file.contents);
    }
    return;
  }
  const expectedPaths = await listFiles(folder);
  expect(
    files.map((file) => file.path).sort(),
    'the set of output files (UPDATE=1 rewrites the expected folder)',
  ).toEqual(expectedPaths);
  for (const file of files) {
    const expected = await readFile(path.join(folder, ...file.path.split('/')), 'utf8');
    expect(file.contents, `${file.path} differs from the expected file (UPDATE=1 rewrites it)`).toBe(
      expected,
    );
  }
}
