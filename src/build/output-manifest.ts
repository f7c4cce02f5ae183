import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { contentHash } from '../cache/identity';
import { VERSION } from '../version';

/** What a build wrote for one output file: its bytes' hash and size, and the file's inode and mtime. */
export interface OutputRecord {
  hash: string;
  size: number;
  mtimeMs: number;
  ino: number;
}

/**
 * A folder of the output as the last build left it. A folder's mtime changes whenever an entry is
 * added to it, removed or renamed, so an unchanged record means nobody added a file or a folder
 * there since.
 */
export interface FolderRecord {
  mtimeMs: number;
  ino: number;
}

/**
 * The input keys of the output groups a build made or reused (src/outputs/keys.ts), by each
 * group's first path. They are comparable only within one `namespace`: the identity of the code that
 * made the files ({@link outputCodeIdentity}).
 */
export interface GroupKeys {
  namespace: string;
  keys: Map<string, string>;
}

/**
 * The output folder as the last successful build left it: every output file (by its `/`-separated
 * path) and every folder (`''` is the output folder itself). `folders` is missing in a manifest
 * written by a version that did not record them; such an output is never updated in place.
 * `groups` is missing in a manifest of a version without group keys (or of a build that could not
 * tell its own code's identity); every group is then made and hashed.
 */
export interface OutputManifest {
  files: Map<string, OutputRecord>;
  folders?: Map<string, FolderRecord>;
  groups?: GroupKeys;
}

/** Where the manifest of an output folder lives in the cache folder. */
function manifestFile(cacheFolder: string, out: string): string {
  return path.join(cacheFolder, `outputs-${contentHash(path.resolve(out)).slice(0, 16)}.json`);
}

/**
 * The manifest of the last successful build into `out`: `undefined` when there is none, or
 * `'corrupt'` when the file is not a manifest (the build then writes every file).
 */
export async function readOutputManifest(
  cacheFolder: string,
  out: string,
): Promise<{ manifest: OutputManifest; file: string } | { corrupt: string } | undefined> {
  const file = manifestFile(cacheFolder, out);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const value = JSON.parse(text) as { out?: unknown; files?: unknown; folders?: unknown; groups?: unknown };
    if (value.out !== path.resolve(out) || !Array.isArray(value.files)) return { corrupt: file };
    const files = new Map<string, OutputRecord>();
    for (const entry of value.files as unknown[]) {
      if (!Array.isArray(entry) || entry.length !== 5) return { corrupt: file };
      const [name, hash, size, mtimeMs, ino] = entry as unknown[];
      if (
        typeof name !== 'string' ||
        typeof hash !== 'string' ||
        typeof size !== 'number' ||
        typeof mtimeMs !== 'number' ||
        typeof ino !== 'number'
      ) {
        return { corrupt: file };
      }
      files.set(name, { hash, size, mtimeMs, ino });
    }
    let groups: GroupKeys | undefined;
    if (value.groups !== undefined) {
      groups = readGroupKeys(value.groups);
      if (!groups) return { corrupt: file };
    }
    if (value.folders === undefined) return { manifest: { files, groups }, file };
    if (!Array.isArray(value.folders)) return { corrupt: file };
    const folders = new Map<string, FolderRecord>();
    for (const entry of value.folders as unknown[]) {
      if (!Array.isArray(entry) || entry.length !== 3) return { corrupt: file };
      const [name, mtimeMs, ino] = entry as unknown[];
      if (typeof name !== 'string' || typeof mtimeMs !== 'number' || typeof ino !== 'number') {
        return { corrupt: file };
      }
      folders.set(name, { mtimeMs, ino });
    }
    return { manifest: { files, folders, groups }, file };
  } catch {
    return { corrupt: file };
  }
}

/** Saves the manifest of a build into `out` (a temporary file renamed over the old one). */
export async function writeOutputManifest(
  cacheFolder: string,
  out: string,
  manifest: OutputManifest,
): Promise<void> {
  const file = manifestFile(cacheFolder, out);
  await mkdir(cacheFolder, { recursive: true });
  const files = [...manifest.files].map(([name, record]) => [
    name,
    record.hash,
    record.size,
    record.mtimeMs,
    record.ino,
  ]);
  const folders = manifest.folders
    ? [...manifest.folders].map(([name, record]) => [name, record.mtimeMs, record.ino])
    : undefined;
  const groups = manifest.groups
    ? { namespace: manifest.groups.namespace, keys: [...manifest.groups.keys] }
    : undefined;
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify({ out: path.resolve(out), files, folders, groups }));
  await rename(temporary, file);
}

function readGroupKeys(value: unknown): GroupKeys | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { namespace, keys } = value as { namespace?: unknown; keys?: unknown };
  if (typeof namespace !== 'string' || !Array.isArray(keys)) return undefined;
  const map = new Map<string, string>();
  for (const entry of keys as unknown[]) {
    if (!Array.isArray(entry) || entry.length !== 2) return undefined;
    const [name, key] = entry as unknown[];
    if (typeof name !== 'string' || typeof key !== 'string') return undefined;
    map.set(name, key);
  }
  return { namespace, keys: map };
}

let codeIdentity: Promise<string | undefined> | undefined;

/**
 * The identity of the code that makes the output files, for the namespace of the output groups'
 * keys: broadsheet's version and a hash of the code itself, so that a development build of a
 * changed `dist/` (same version number) does not reuse files its templates would now make
 * differently. In the built package the code is every JavaScript file beside this module (`dist/`:
 * the entries and the chunks they share, whichever of them holds the templates); from source (the
 * tests) it is every `.ts` file under `src/`. `undefined` when the code cannot be read: the build
 * then makes every group. Computed once per process.
 */
export function outputCodeIdentity(): Promise<string | undefined> {
  codeIdentity ??= readCodeIdentity();
  return codeIdentity;
}

async function readCodeIdentity(): Promise<string | undefined> {
  try {
    const here = typeof __filename === 'string' ? __filename : fileURLToPath(import.meta.url);
    const fromSource = here.endsWith('.ts');
    const folder = fromSource ? path.resolve(path.dirname(here), '..') : path.dirname(here);
    const code = fromSource ? /\.ts$/ : /\.(?:js|cjs|mjs)$/;
    const files = (await readdir(folder, { recursive: fromSource }))
      .filter((name) => code.test(name))
      .map((name) => name.split(path.sep).join('/'))
      .sort();
    const hash = createHash('sha256').update(`${VERSION}\0`);
    for (const name of files) {
      hash.update(`${name}\0`);
      hash.update(await readFile(path.join(folder, name)));
      hash.update('\0');
    }
    return hash.digest('base64url');
  } catch {
    return undefined;
  }
}
