import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BroadsheetError } from '../errors';
import type { OutputFile } from '../site/types';

/** How many files are written at the same time. */
export const WRITE_CONCURRENCY = 32;

/**
 * Checks that output paths are safe relative `/`-separated file paths, each once, none of them
 * `reserved`. A bad path is a bug in an output function, so it throws.
 */
export function checkOutputPaths(files: readonly OutputFile[], reserved: string): void {
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

/**
 * Writes files into an existing empty folder: each parent folder is created once (shallowest
 * first), then the files, {@link WRITE_CONCURRENCY} at a time. `onWritten` is called after each file.
 */
export async function writeTree(
  folder: string,
  files: readonly OutputFile[],
  onWritten: (written: number) => void,
): Promise<void> {
  const folders = new Set<string>();
  for (const file of files) {
    let parent = path.posix.dirname(file.path);
    while (parent !== '.' && !folders.has(parent)) {
      folders.add(parent);
      parent = path.posix.dirname(parent);
    }
  }
  const byDepth = new Map<number, string[]>();
  for (const relative of folders) {
    const depth = relative.split('/').length;
    byDepth.set(depth, [...(byDepth.get(depth) ?? []), relative]);
  }
  for (const depth of [...byDepth.keys()].sort((a, b) => a - b)) {
    await eachLimited(byDepth.get(depth)!, WRITE_CONCURRENCY, (relative) =>
      mkdir(path.join(folder, relative)),
    );
  }
  let written = 0;
  await eachLimited(files, WRITE_CONCURRENCY, async (file) => {
    await writeFile(path.join(folder, file.path), file.contents, { flag: 'wx' });
    written += 1;
    onWritten(written);
  });
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
