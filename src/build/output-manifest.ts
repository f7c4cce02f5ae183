import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { replaceFile } from '../common/fs';
import { moduleFile } from '../common/module-file';
import { contentHash } from '../fingerprint/hash';
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
 * The input keys of the output groups a build made or reused (src/build/output-keys.ts), by each
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

/** The format of the manifest file; a file of another format is taken as no manifest. */
const MANIFEST_FORMAT = 2;

/**
 * The manifest as stored: JSON with one array per field (names, hashes, sizes, …) rather than one
 * object or array per file, which parses and writes several times faster (20,854 files on the bench
 * site). Group keys point at their first file by its index in `files.names`.
 */
interface StoredManifest {
  format: typeof MANIFEST_FORMAT;
  out: string;
  files: { names: string[]; hashes: string[]; sizes: number[]; mtimes: number[]; inos: number[] };
  folders?: { names: string[]; mtimes: number[]; inos: number[] };
  groups?: { namespace: string; files: number[]; keys: string[] };
}

/**
 * The manifest of the last successful build into `out`: `undefined` when there is none (or one of
 * an earlier format, which the build replaces), or `'corrupt'` when the file is not a manifest (the
 * build then writes every file).
 */
export function readOutputManifest(cacheFolder: string, out: string): ManifestRead {
  const file = manifestFile(cacheFolder, out);
  let text: string;
  try {
    // Synchronous: a build reads it before it loads the site (src/build/incremental.ts).
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  return manifestOfText(text, file, out);
}

/** The manifest of the last build into `out`, `'corrupt'`, or none: see {@link readOutputManifest}. */
export type ManifestRead = { manifest: OutputManifest; file: string } | { corrupt: string } | undefined;

/** The manifest the text of the manifest file `file` of `out` holds (see {@link readOutputManifest}). */
function manifestOfText(text: string, file: string, out: string): ManifestRead {
  let value: Partial<Record<keyof StoredManifest, unknown>>;
  try {
    value = JSON.parse(text);
  } catch {
    return { corrupt: file };
  }
  if (typeof value !== 'object' || value === null) return { corrupt: file };
  // A manifest of an earlier version (one array per file, no `format`): the build writes everything.
  if (value.format === undefined && Array.isArray(value.files) && value.out === path.resolve(out)) {
    return undefined;
  }
  const manifest = value.format === MANIFEST_FORMAT && value.out === path.resolve(out) && parse(value);
  return manifest ? { manifest, file } : { corrupt: file };
}

/** The manifest stored in `value`, or `undefined` when a field is missing or of the wrong type. */
function parse(value: Partial<Record<keyof StoredManifest, unknown>>): OutputManifest | undefined {
  const stored = value.files as Partial<StoredManifest['files']> | undefined;
  const names = stored?.names;
  if (
    !isArrayOf(names, 'string') ||
    !isArrayOf(stored?.hashes, 'string', names.length) ||
    !isArrayOf(stored?.sizes, 'number', names.length) ||
    !isArrayOf(stored?.mtimes, 'number', names.length) ||
    !isArrayOf(stored?.inos, 'number', names.length)
  ) {
    return undefined;
  }
  const { hashes, sizes, mtimes, inos } = stored;
  const files = new Map<string, OutputRecord>();
  for (let index = 0; index < names.length; index++) {
    files.set(names[index]!, {
      hash: hashes[index]!,
      size: sizes[index]!,
      mtimeMs: mtimes[index]!,
      ino: inos[index]!,
    });
  }
  let groups: GroupKeys | undefined;
  if (value.groups !== undefined) {
    const stored = value.groups as Partial<StoredManifest['groups']>;
    const firsts = stored?.files;
    if (
      typeof stored?.namespace !== 'string' ||
      !isArrayOf(firsts, 'number') ||
      !isArrayOf(stored.keys, 'string', firsts.length)
    ) {
      return undefined;
    }
    const keys = new Map<string, string>();
    for (let index = 0; index < firsts.length; index++) {
      const first = names[firsts[index]!];
      if (first === undefined) return undefined;
      keys.set(first, stored.keys[index]!);
    }
    groups = { namespace: stored.namespace, keys };
  }
  if (value.folders === undefined) return { files, groups };
  const storedFolders = value.folders as Partial<NonNullable<StoredManifest['folders']>>;
  const folderNames = storedFolders.names;
  if (
    !isArrayOf(folderNames, 'string') ||
    !isArrayOf(storedFolders.mtimes, 'number', folderNames.length) ||
    !isArrayOf(storedFolders.inos, 'number', folderNames.length)
  ) {
    return undefined;
  }
  const folders = new Map<string, FolderRecord>();
  for (let index = 0; index < folderNames.length; index++) {
    folders.set(folderNames[index]!, {
      mtimeMs: storedFolders.mtimes[index]!,
      ino: storedFolders.inos[index]!,
    });
  }
  return { files, folders, groups };
}

/** Whether `value` is an array of `type` values (of `length` items, when given). */
function isArrayOf<T extends 'string' | 'number'>(
  value: unknown,
  type: T,
  length?: number,
): value is (T extends 'string' ? string : number)[] {
  if (!Array.isArray(value) || (length !== undefined && value.length !== length)) return false;
  for (const item of value) if (typeof item !== type) return false;
  return true;
}

/** Saves the manifest of a build into `out` (a temporary file renamed over the old one). */
export async function writeOutputManifest(
  cacheFolder: string,
  out: string,
  manifest: OutputManifest,
): Promise<void> {
  const file = manifestFile(cacheFolder, out);
  // Filled by `push`, so that the arrays stay packed: JSON writes those faster.
  const files: StoredManifest['files'] = { names: [], hashes: [], sizes: [], mtimes: [], inos: [] };
  const positions = new Map<string, number>();
  for (const [name, record] of manifest.files) {
    positions.set(name, files.names.length);
    files.names.push(name);
    files.hashes.push(record.hash);
    files.sizes.push(record.size);
    files.mtimes.push(record.mtimeMs);
    files.inos.push(record.ino);
  }
  const stored: StoredManifest = { format: MANIFEST_FORMAT, out: path.resolve(out), files };
  if (manifest.folders) {
    stored.folders = { names: [], mtimes: [], inos: [] };
    for (const [name, record] of manifest.folders) {
      stored.folders.names.push(name);
      stored.folders.mtimes.push(record.mtimeMs);
      stored.folders.inos.push(record.ino);
    }
  }
  if (manifest.groups) {
    stored.groups = { namespace: manifest.groups.namespace, files: [], keys: [] };
    for (const [first, key] of manifest.groups.keys) {
      // A key of a group whose first file is not in the manifest cannot be checked: it is left out.
      const position = positions.get(first);
      if (position === undefined) continue;
      stored.groups.files.push(position);
      stored.groups.keys.push(key);
    }
  }
  await replaceFile(file, JSON.stringify(stored));
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
    const here = moduleFile(import.meta.url);
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
