import { readSync } from 'node:fs';
import { access, mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/**
 * Whether something exists at `file` (a file, a folder, a link to either).
 *
 * @example
 * ```ts
 * if (await exists(path.join(root, 'node_modules'))) …
 * ```
 */
export function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

/**
 * Disposes of a folder no longer needed: moved into `trash` as `name` (one rename, when `trash` is
 * given and on the same file system), for a later build to remove in the background; otherwise, or
 * when the move fails, removed now (by `remove`, default `rm -r`). Never throws. Freeing files is slow on some disks (ext4 with
 * `discard`: milliseconds per file), which is what the trash is for.
 *
 * @example
 * ```ts
 * await trashOrRemove(previousOutput, path.join(cache, 'trash'));
 * ```
 */
export async function trashOrRemove(
  folder: string,
  trash: string | undefined,
  options: { name?: string; remove?: (folder: string) => Promise<void> } = {},
): Promise<void> {
  const {
    name = path.basename(folder),
    remove = (gone: string) => rm(gone, { recursive: true, force: true }),
  } = options;
  const moved =
    trash !== undefined &&
    (await mkdir(trash, { recursive: true })
      .then(() => rename(folder, path.join(trash, name)))
      .then(
        () => true,
        () => false,
      ));
  if (!moved) await remove(folder).catch(() => {});
}

/**
 * Reads `length` bytes (default: to the end of `buffer`) into `buffer` at `offset`, from the file
 * position `position`, until they are read or the file ends; returns the bytes read.
 *
 * @example
 * ```ts
 * const filled = readFully(descriptor, buffer, 0); // fewer than buffer.length: the file ended
 * ```
 */
export function readFully(
  descriptor: number,
  buffer: Uint8Array,
  position: number,
  offset = 0,
  length = buffer.length - offset,
): number {
  let filled = 0;
  while (filled < length) {
    const read = readSync(descriptor, buffer, offset + filled, length - filled, position + filled);
    if (read === 0) break;
    filled += read;
  }
  return filled;
}
