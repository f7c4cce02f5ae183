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

/** Output path → what was written there. */
export type OutputManifest = Map<string, OutputRecord>;

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
    const value = JSON.parse(text) as { out?: unknown; files?: unknown };
    if (value.out !== path.resolve(out) || !Array.isArray(value.files)) return { corrupt: file };
    const manifest: OutputManifest = new Map();
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
      manifest.set(name, { hash, size, mtimeMs, ino });
    }
    return { manifest, file };
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
  const files = [...manifest].map(([name, record]) => [
    name,
    record.hash,
    record.size,
    record.mtimeMs,
    record.ino,
  ]);
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify({ out: path.resolve(out), files }));
  await rename(temporary, file);
}
