import { closeSync, constants, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { access, mkdir, rename, rm, writeFile } from 'node:fs/promises';
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
 * Writes `data` to `file` whole or not at all: into a temporary file beside it (`<file>.<pid>.tmp`;
 * its folder made when missing), then renamed over it. When anything fails the temporary file is
 * removed and the error thrown.
 *
 * @example
 * ```ts
 * await replaceFile(path.join(cacheFolder, 'outputs.json'), JSON.stringify(manifest));
 * ```
 */
export async function replaceFile(
  file: string,
  data: string | Uint8Array,
  encoding?: BufferEncoding,
): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, data, encoding).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(temporary, data, encoding);
    });
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => {});
    throw error;
  }
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

/**
 * Reads a whole file that must be a regular file, without ever waiting: a FIFO or a device is
 * opened non-blocking and refused (`not-a-file`) before anything is read; so is a file over
 * `maxBytes` (`file-too-large`). Never throws.
 *
 * @example
 * ```ts
 * const read = readRegularFile('/site/broadsheet.config.json', 1 << 20);
 * if ('bytes' in read) console.log(new TextDecoder().decode(read.bytes));
 * ```
 */
export function readRegularFile(
  file: string,
  maxBytes: number,
): { bytes: Uint8Array } | { problem: 'not-a-file' | 'file-too-large' | 'unreadable'; reason: string } {
  let descriptor: number;
  try {
    descriptor = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    return { problem: 'unreadable', reason: (error as NodeJS.ErrnoException).code ?? String(error) };
  }
  try {
    const info = fstatSync(descriptor);
    if (!info.isFile()) return { problem: 'not-a-file', reason: 'not a regular file' };
    if (info.size > maxBytes) {
      return { problem: 'file-too-large', reason: `${info.size} bytes; the limit is ${maxBytes}` };
    }
    return { bytes: readFileSync(descriptor) };
  } catch (error) {
    return { problem: 'unreadable', reason: (error as NodeJS.ErrnoException).code ?? String(error) };
  } finally {
    closeSync(descriptor);
  }
}
