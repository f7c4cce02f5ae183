import type fs from 'node:fs';
import { Worker } from 'node:worker_threads';

// Performance machinery beside the simple read (src/load/files.ts): the bytes of many content
// files, read on another thread while this one does other work (docs/decisions/warm-load.md,
// "Round six"). Only files the listing calls regular are sent; anything the thread cannot read
// whole is read again by the simple path, which says what is wrong with it.

/** Fewer files than this are read on the calling thread: a thread's start-up costs more. */
export const MIN_THREAD_READS = 1000;

/** Each file's bytes, as the thread read them: `bytes(index)` is `undefined` when it could not. */
export interface ThreadReads {
  bytes(index: number): Uint8Array | undefined;
}

interface ReadResult {
  buffers: ArrayBuffer[];
  /** Per file: buffer index (-1: not read), offset, length. */
  where: Float64Array;
}

/**
 * Reads each of `paths` whole into large buffers. It runs on a worker from its source text
 * (`toString()`), so it uses nothing but its parameters. A file that fills the room left in its
 * buffer (`minRoom` at least) is not taken: its end was not seen (`readSource` `fstat`s it).
 */
function readAll(
  io: Pick<typeof fs, 'openSync' | 'readSync' | 'closeSync'>,
  paths: readonly string[],
  flags: number,
  bufferBytes: number,
  minRoom: number,
): ReadResult {
  const buffers: ArrayBuffer[] = [];
  const where = new Float64Array(paths.length * 3);
  let buffer = new Uint8Array(0);
  let used = 0;
  for (let index = 0; index < paths.length; index++) {
    where[3 * index] = -1;
    if (buffer.length - used <= minRoom) {
      buffer = new Uint8Array(bufferBytes);
      buffers.push(buffer.buffer);
      used = 0;
    }
    let descriptor: number;
    try {
      descriptor = io.openSync(paths[index]!, flags);
    } catch {
      continue;
    }
    try {
      const room = buffer.length - used;
      let filled = 0;
      while (filled < room) {
        const read = io.readSync(descriptor, buffer, used + filled, room - filled, filled);
        if (read === 0) break;
        filled += read;
      }
      if (filled < room) {
        where[3 * index] = buffers.length - 1;
        where[3 * index + 1] = used;
        where[3 * index + 2] = filled;
        used += filled;
      }
    } catch {
      // Read again by the simple path, which reports it.
    } finally {
      try {
        io.closeSync(descriptor);
      } catch {
        // Nothing was kept of it.
      }
    }
  }
  return { buffers, where };
}

const WORKER_SOURCE = `
const readAll = ${readAll.toString()};
const { parentPort, workerData } = require('node:worker_threads');
const result = readAll(require('node:fs'), workerData.paths, workerData.flags, workerData.bufferBytes, workerData.minRoom);
parentPort.postMessage(result, result.buffers);
`;

/**
 * Starts reading `paths` (opened with `flags`) on another thread, into buffers of `bufferBytes`
 * with at least `minRoom` left for each file. Resolves to `undefined` when no thread could start or
 * it failed: the caller then reads them itself. Never rejects.
 *
 * @example
 * ```ts
 * const reads = await readOnThread(['/site/content/posts/a.md'], fs.constants.O_RDONLY, 1 << 20, 65536);
 * const bytes = reads?.bytes(0); // undefined: read it here
 * ```
 */
export function readOnThread(
  paths: readonly string[],
  flags: number,
  bufferBytes: number,
  minRoom: number,
): Promise<ThreadReads | undefined> {
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { paths, flags, bufferBytes, minRoom },
      });
    } catch {
      resolve(undefined);
      return;
    }
    let settled = false;
    const settle = (reads: ThreadReads | undefined): void => {
      if (settled) return;
      settled = true;
      resolve(reads);
    };
    worker.once('message', ({ buffers, where }: ReadResult) => {
      settle({
        bytes: (index) => {
          const at = where[3 * index];
          if (at === undefined || at < 0) return undefined;
          return new Uint8Array(buffers[at]!, where[3 * index + 1], where[3 * index + 2]);
        },
      });
    });
    worker.once('error', () => settle(undefined));
    worker.once('exit', () => settle(undefined));
  });
}
