import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { contentHash } from '../cache/identity';

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
 * The output folder as the last successful build left it: every output file (by its `/`-separated
 * path) and every folder (`''` is the output folder itself). `folders` is missing in a manifest
 * written by a version that did not record them; such an output is never updated in place.
 */
export interface OutputManifest {
  files: Map<string, OutputRecord>;
  folders?: Map<string, FolderRecord>;
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
    const value = JSON.parse(text) as { out?: unknown; files?: unknown; folders?: unknown };
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
    if (value.folders === undefined) return { manifest: { files }, file };
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
    return { manifest: { files, folders }, file };
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
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify({ out: path.resolve(out), files, folders }));
  await rename(temporary, file);
}
