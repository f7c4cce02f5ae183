import fs from 'node:fs';
import { Worker } from 'node:worker_threads';

/** What one operation of a batch does: create a folder, create a file of bytes, put a site file, or stat a path. */
const MKDIR = 0;
const FILE = 1;
const VERBATIM = 2;
const STAT = 3;

/** A batch is sent to the writer when its bytes or its operations reach these. */
const BATCH_BYTES = 1 << 20;
const BATCH_OPERATIONS = 512;

/**
 * Batches of more bytes than this waiting for the writer make the caller wait (`settle`). Eight
 * batches keep the writer busy; more only held memory (docs/decisions/performance.md, "Memory").
 */
const MAX_PENDING_BYTES = 8 << 20;

/** One batch of operations, as sent to the writer thread. */
interface Batch {
  kinds: Uint8Array;
  /** Absolute paths: the folder or file to create. */
  targets: string[];
  /** For a site file (`VERBATIM`): the file to link or copy; else `''`. */
  sources: string[];
  /** For a file: its length in `data`, its bytes one after the other in operation order. */
  lengths: Uint32Array;
  data: Uint8Array;
}

/**
 * The writer's answer to one batch: `[size, mtimeMs, ino]` of each file created and path stated,
 * or the error that stopped it.
 */
type BatchResult =
  | { stats: Float64Array }
  | { error: { message: string; code?: string; syscall?: string; path?: string; errno?: number } };

/** The calls {@link runBatch} makes, handed in so that it runs as its source text on a worker. */
interface FileCalls
  extends Pick<
    typeof fs,
    | 'closeSync'
    | 'copyFileSync'
    | 'fstatSync'
    | 'linkSync'
    | 'lstatSync'
    | 'mkdirSync'
    | 'openSync'
    | 'readFileSync'
    | 'writeFileSync'
    | 'writeSync'
  > {
  copyExclusive: number;
}

/**
 * Runs one batch: creates each folder (one that exists is fine), each file new (`wx`: never writes
 * through an existing one) with its bytes, each site file as a hard link, else a copy, else its
 * bytes. Returns the stats of every file, or the first error (the batch stops there). It runs on a
 * worker from its source text (`toString()`), so it uses nothing but its parameters.
 */
function runBatch(fs: FileCalls, batch: Batch): BatchResult {
  const files = batch.kinds.reduce((count, kind) => count + (kind === 0 ? 0 : 1), 0);
  const stats = new Float64Array(files * 3);
  let offset = 0;
  let file = 0;
  try {
    for (let index = 0; index < batch.kinds.length; index++) {
      const target = batch.targets[index]!;
      const kind = batch.kinds[index];
      if (kind === 0) {
        try {
          fs.mkdirSync(target);
        } catch (error) {
          if ((error as { code?: string }).code !== 'EEXIST') throw error;
        }
        continue;
      }
      let size: number;
      let mtimeMs: number;
      let ino: number;
      if (kind === 1) {
        const length = batch.lengths[index]!;
        const descriptor = fs.openSync(target, 'wx');
        try {
          for (let done = 0; done < length; ) {
            const written = fs.writeSync(descriptor, batch.data, offset + done, length - done);
            if (written === 0) throw new Error(`no progress writing ${target}`);
            done += written;
          }
          ({ size, mtimeMs, ino } = fs.fstatSync(descriptor));
        } finally {
          fs.closeSync(descriptor);
        }
        offset += length;
      } else if (kind === 3) {
        ({ size, mtimeMs, ino } = fs.lstatSync(target));
      } else {
        const source = batch.sources[index]!;
        try {
          fs.linkSync(source, target);
        } catch {
          try {
            fs.copyFileSync(source, target, fs.copyExclusive);
          } catch {
            fs.writeFileSync(target, fs.readFileSync(source), { flag: 'wx' });
          }
        }
        ({ size, mtimeMs, ino } = fs.lstatSync(target));
      }
      stats[3 * file] = size;
      stats[3 * file + 1] = mtimeMs;
      stats[3 * file + 2] = ino;
      file += 1;
    }
  } catch (error) {
    const { message, code, syscall, path, errno } = error as NodeJS.ErrnoException;
    return { error: { message, code, syscall, path, errno } };
  }
  return { stats };
}

const FILE_CALLS: FileCalls = { ...fs, copyExclusive: fs.constants.COPYFILE_EXCL };

const WORKER_SOURCE = `
const runBatch = ${runBatch.toString()};
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const calls = { ...fs, copyExclusive: fs.constants.COPYFILE_EXCL };
let failed = false;
parentPort.on('message', (batch) => {
  if (failed) return;
  const result = runBatch(calls, batch);
  if ('error' in result) failed = true;
  parentPort.postMessage(result, 'stats' in result ? [result.stats.buffer] : []);
});
`;

/** What a file written through a {@link FileWriter} gets once it is on disk. */
export interface WrittenStats {
  size: number;
  mtimeMs: number;
  ino: number;
}

/**
 * Creates a new tree of files on another thread, in the order given, while this thread goes on
 * (making the next files). Used by a build that writes a whole output where no previous one can be
 * linked from (a cold build, a CI job with the cache restored): the calls that create ~20,000 files
 * and their folders then overlap with making and hashing them. Falls back to this thread when a
 * worker cannot be started.
 *
 * @example
 * ```ts
 * const writer = FileWriter.start();
 * writer.folder('/tmp/out/posts');
 * writer.file('/tmp/out/posts/index.html', '<!doctype html>…', (stats) => record(stats));
 * await writer.finish(); // throws the first error (with its `code`), after every write settled
 * ```
 */
export class FileWriter {
  private batch = emptyBatch();
  /** Each batch sent and not answered yet, oldest first, with the stats callbacks of its files. */
  private readonly waiting: { batch: Batch; done: ((stats: WrittenStats) => void)[]; bytes: number }[] = [];
  private readonly answers: ((result: BatchResult) => void)[] = [];
  private pendingBytes = 0;
  /** Batch buffers the writer is done with, for the next batches (a build needs about ten). */
  private readonly spare: Buffer[] = [];
  private failure: Error | undefined;
  private worker: Worker | undefined;

  private constructor(worker: Worker | undefined) {
    this.worker = worker;
    worker?.on('message', (result: BatchResult) => this.answered(result));
    worker?.on('error', () => this.takeOver());
    worker?.on('exit', () => this.takeOver());
  }

  /**
   * Starts a writer: a worker thread, or this thread when none can start. `source` (for tests) is
   * the worker's code instead of the writer's.
   */
  static start(source = WORKER_SOURCE): FileWriter {
    try {
      return new FileWriter(new Worker(source, { eval: true }));
    } catch {
      return new FileWriter(undefined);
    }
  }

  /** Creates the folder `target` (its parent must exist or come before it). */
  folder(target: string): void {
    this.push(MKDIR, target, '', undefined, undefined);
  }

  /** Creates the new file `target` holding `contents` (text as UTF-8); `done` gets its stats. */
  file(target: string, contents: string | Uint8Array, done: (stats: WrittenStats) => void): void {
    this.push(FILE, target, '', contents, done);
  }

  /** Puts the site's file `source` at `target` (a hard link, else a copy); `done` gets its stats. */
  verbatim(source: string, target: string, done: (stats: WrittenStats) => void): void {
    this.push(VERBATIM, target, source, undefined, done);
  }

  /** `done` gets the stats of `target` once every operation queued before is done (a folder, once filled). */
  stat(target: string, done: (stats: WrittenStats) => void): void {
    this.push(STAT, target, '', undefined, done);
  }

  /** Waits while many bytes are waiting for the writer (call it between groups). Throws a failure. */
  async settle(): Promise<void> {
    while (this.pendingBytes > MAX_PENDING_BYTES && !this.failure) await this.nextAnswer();
    if (this.failure) throw this.failure;
  }

  /** Sends what is left and waits for every write; throws the first failure. Stops the thread. */
  async finish(): Promise<void> {
    try {
      this.send();
      while (this.waiting.length > 0 && !this.failure) await this.nextAnswer();
      if (this.failure) throw this.failure;
    } finally {
      const worker = this.worker;
      this.worker = undefined;
      await worker?.terminate();
    }
  }

  private push(
    kind: number,
    target: string,
    source: string,
    contents: string | Uint8Array | undefined,
    done: ((stats: WrittenStats) => void) | undefined,
  ): void {
    const length =
      contents === undefined
        ? 0
        : typeof contents === 'string'
          ? Buffer.byteLength(contents, 'utf8')
          : contents.byteLength;
    if (this.batch.used + length > this.batch.data.length) {
      // A file larger than a batch goes alone, in a buffer of its size.
      this.send();
      if (length > this.batch.data.length) {
        this.spare.push(this.batch.data);
        this.batch.data = sharedBuffer(length);
      }
    }
    const batch = this.batch;
    if (typeof contents === 'string') batch.data.write(contents, batch.used, length, 'utf8');
    else if (contents !== undefined) batch.data.set(contents, batch.used);
    batch.used += length;
    batch.kinds.push(kind);
    batch.targets.push(target);
    batch.sources.push(source);
    batch.lengths.push(length);
    if (done) batch.done.push(done);
    if (batch.used >= BATCH_BYTES || batch.kinds.length >= BATCH_OPERATIONS) this.send();
  }

  private send(): void {
    const batch = this.batch;
    if (batch.kinds.length === 0) return;
    this.batch = emptyBatch(this.spare.pop());
    const message: Batch = {
      kinds: Uint8Array.from(batch.kinds),
      targets: batch.targets,
      sources: batch.sources,
      lengths: Uint32Array.from(batch.lengths),
      data: batch.data.subarray(0, batch.used),
    };
    this.waiting.push({ batch: message, done: batch.done, bytes: batch.used });
    this.pendingBytes += batch.used;
    if (this.failure) return;
    // Its bytes are shared with the worker, not copied, and kept until answered, for this thread to take over.
    if (this.worker) this.worker.postMessage(message);
    else this.answered(runBatch(FILE_CALLS, message));
  }

  /**
   * The worker failed or stopped: this thread runs the batches it did not answer (a batch it had
   * begun then fails on its first file already there, a system error like any failed write).
   */
  private takeOver(): void {
    if (!this.worker) return;
    this.worker = undefined;
    for (const { batch } of [...this.waiting]) {
      if (this.failure) return;
      this.answered(runBatch(FILE_CALLS, batch));
    }
  }

  private answered(result: BatchResult): void {
    const sent = this.waiting.shift();
    if (!sent) return;
    this.pendingBytes -= sent.bytes;
    // The worker is done with the batch's bytes (it answers after its last write): the next batch reuses them.
    const { buffer } = sent.batch.data;
    if (buffer.byteLength === BATCH_BYTES) this.spare.push(Buffer.from(buffer, 0, BATCH_BYTES));
    if ('error' in result) {
      this.fail(Object.assign(new Error(result.error.message), result.error));
    } else {
      for (const [index, done] of sent.done.entries()) {
        done({
          size: result.stats[3 * index]!,
          mtimeMs: result.stats[3 * index + 1]!,
          ino: result.stats[3 * index + 2]!,
        });
      }
    }
    for (const answer of this.answers.splice(0)) answer(result);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const answer of this.answers.splice(0)) answer({ error: { message: error.message } });
  }

  private nextAnswer(): Promise<BatchResult> {
    return new Promise((resolve) => this.answers.push(resolve));
  }
}

/** A batch being filled on this thread, into `data` (a spare batch buffer) or a new buffer. */
function emptyBatch(data = sharedBuffer(BATCH_BYTES)) {
  return {
    kinds: [] as number[],
    targets: [] as string[],
    sources: [] as string[],
    lengths: [] as number[],
    done: [] as ((stats: WrittenStats) => void)[],
    data,
    used: 0,
  };
}

/**
 * A buffer of `size` bytes in a `SharedArrayBuffer`: a batch posted to the worker then shares its
 * bytes instead of copying them, so that the bytes waiting for the disk are held once, not twice.
 */
function sharedBuffer(size: number): Buffer {
  return Buffer.from(new SharedArrayBuffer(size));
}
