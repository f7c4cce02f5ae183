import { createHash } from 'node:crypto';
import { linkSync, lstatSync, mkdirSync } from 'node:fs';
import { lstat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BroadsheetError } from '../errors';
import type { OutputGroup } from '../outputs/index';
import type { OutputManifest, OutputRecord } from './output-manifest';

/** How many output groups are made and written at the same time. */
export const WRITE_CONCURRENCY = 32;

/**
 * Checks that output paths are safe relative `/`-separated file paths, each once, none of them
 * `reserved`. A bad path is a bug in an output function, so it throws.
 */
export function checkOutputPaths(files: readonly { path: string }[], reserved: string): void {
  const seen = new Set<string>();
  for (const { path: file } of files) {
    const segments = file.split('/');
    const safe =
      file.length > 0 &&
      !file.includes('\\') &&
      !file.includes('\0') &&
      segments.every((segment) => segment !== '' && segment !== '.' && segment !== '..');
    if (!safe)
      throw new BroadsheetError('invalid-output-path', `output path "${file}" is not a relative file path`);
    if (file === reserved)
      throw new BroadsheetError('invalid-output-path', `output path "${file}" is reserved`);
    if (seen.has(file))
      throw new BroadsheetError('invalid-output-path', `two outputs have the path "${file}"`);
    seen.add(file);
  }
  for (const file of files) {
    const folder = file.path.slice(0, file.path.lastIndexOf('/'));
    if (folder !== '' && seen.has(folder)) {
      throw new BroadsheetError(
        'invalid-output-path',
        `output path "${file.path}" needs "${folder}" to be a folder`,
      );
    }
  }
}

/** Options of {@link writePlan}. */
export interface WritePlanOptions {
  /**
   * The current output folder and the manifest of what the last build wrote into it. A file whose
   * bytes are unchanged (same hash and size, and the file on disk still the one the manifest saw:
   * same inode, size and modification time) is hard-linked from there instead of written.
   */
  previous?: { folder: string; manifest: OutputManifest };
  /** Record each file's hash and stat in the returned manifest (needed to reuse files next time). */
  record: boolean;
  /** Called after each file is written or linked, with the count so far. */
  onWritten: (written: number) => void;
}

/** What {@link writePlan} did. */
export interface WritePlanResult {
  manifest: OutputManifest;
  written: number;
  linked: number;
}

/**
 * Makes and writes every group of a plan into an existing empty folder, {@link WRITE_CONCURRENCY}
 * groups at a time, creating each parent folder once. Files are created new (`wx`), never
 * written through: a hard-linked file is shared with the previous output, which stays as it was.
 * After a failure no new group starts, and the first error is thrown once the running ones settle.
 */
export async function writePlan(
  folder: string,
  plan: readonly OutputGroup[],
  options: WritePlanOptions,
): Promise<WritePlanResult> {
  // Folder creation, links and stats are metadata calls of a few microseconds: made synchronously,
  // they cost a fraction of a trip through the thread pool; only file contents are written async.
  const folders = new Set<string>();
  const ensureFolder = (relative: string): void => {
    if (folders.has(relative)) return;
    mkdirSync(path.join(folder, relative), { recursive: true });
    folders.add(relative);
  };
  const manifest: OutputManifest = new Map();
  let done = 0;
  let written = 0;
  let linked = 0;
  await eachLimited(plan, WRITE_CONCURRENCY, async (group) => {
    for (const file of group.make()) {
      const parent = path.posix.dirname(file.path);
      if (parent !== '.') ensureFolder(parent);
      const target = path.join(folder, file.path);
      const size = Buffer.byteLength(file.contents);
      const hash = options.record ? createHash('sha1').update(file.contents).digest('base64url') : '';
      const reused = options.previous && reuse(options.previous, file.path, hash, size, target);
      if (reused) {
        manifest.set(file.path, reused);
        linked += 1;
      } else {
        await writeFile(target, file.contents, { flag: 'wx' });
        written += 1;
        if (options.record) {
          const stats = await lstat(target);
          manifest.set(file.path, { hash, size, mtimeMs: stats.mtimeMs, ino: stats.ino });
        }
      }
      done += 1;
      options.onWritten(done);
    }
  });
  return { manifest, written, linked };
}

/** Hard-links the previous output's file when it is the same bytes; the record, or `undefined`. */
function reuse(
  previous: { folder: string; manifest: OutputManifest },
  file: string,
  hash: string,
  size: number,
  target: string,
): OutputRecord | undefined {
  const record = previous.manifest.get(file);
  if (!record || record.hash !== hash || record.size !== size) return undefined;
  const source = path.join(previous.folder, file);
  const stats = lstatSync(source, { throwIfNoEntry: false });
  if (
    !stats?.isFile() ||
    stats.ino !== record.ino ||
    stats.size !== size ||
    stats.mtimeMs !== record.mtimeMs
  ) {
    return undefined;
  }
  try {
    linkSync(source, target);
    return record;
  } catch {
    // A file system without hard links (or across devices): the file is written instead.
    return undefined;
  }
}

/**
 * Runs `task` on every item, at most `limit` at a time. After a failure no new task starts, and
 * the first error is thrown once the running ones have settled (so nothing writes afterwards).
 */
async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const errors: unknown[] = [];
  const worker = async () => {
    while (errors.length === 0 && next < items.length) {
      const item = items[next++]!;
      try {
        await task(item);
      } catch (error) {
        errors.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (errors.length > 0) throw errors[0];
}
