import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import { crc32 } from 'node:zlib';
import { checkRecord, writeRecordHeader } from '../cache/pack';

/**
 * What one operation of a batch does: create a folder, create a file of bytes or put a site file;
 * and for the output store (src/build/output-store.ts, records in the format of
 * src/cache/pack.ts): create a file of bytes that also go into the record being appended
 * (`STORED_FILE`), begin a record with its header line (`RECORD_BEGIN`), end it (`RECORD_END`),
 * read and check a stored record (`FROM_RECORD`), create a file from its bytes (`RECORD_FILE`), and
 * close the segment and the files read (`CLOSE_STORE`); write the last build's stored groups ahead of
 * time (`SPECULATE`, src/build/speculation.ts), remove a file (`UNLINK`) or an empty folder (`RMDIR`),
 * either of them already gone being fine; stat many paths at once (`STAT_MANY`).
 */
const MKDIR = 0;
const FILE = 1;
const VERBATIM = 2;
// 3: no longer used (a stat of one path; see STAT_MANY).
const STORED_FILE = 4;
const RECORD_BEGIN = 5;
const RECORD_END = 6;
const FROM_RECORD = 7;
const RECORD_FILE = 8;
const CLOSE_STORE = 9;
const SPECULATE = 10;
const UNLINK = 11;
const RMDIR = 12;
const STAT_MANY = 13;

/** The kinds of operation that answer with stats (and have a `done` callback): a bit each. */
const ANSWERED =
  (1 << FILE) |
  (1 << VERBATIM) |
  (1 << STORED_FILE) |
  (1 << FROM_RECORD) |
  (1 << RECORD_FILE) |
  (1 << CLOSE_STORE) |
  (1 << SPECULATE) |
  (1 << STAT_MANY);

/** The store's records are read this many bytes at a time (the records of a segment are read in order). */
const READ_WINDOW_BYTES = 1 << 20;

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
  /** Two numbers per operation: a record's offset and length (`FROM_RECORD`), a file's size (`RECORD_FILE`). */
  numbers: Float64Array;
  data: Uint8Array;
  /** {@link ANSWERED}, and the record format's constants (a function run from its source text sees no module constants). */
  answered: number;
  window: number;
  /** The tree being written: a file's missing folders below it may be created (see `makeParent`); `''`: none. */
  root: string;
  /** The job of its `SPECULATE` operation (a batch holds at most one). */
  speculation?: SpeculationJob;
  /** The paths of its `STAT_MANY` operation, and where their `[size, mtimeMs, ino]` go (a batch holds at most one). */
  many?: { targets: string[]; stats: Float64Array };
}

/**
 * What the writer writes ahead of time (`SPECULATE`): the groups of the output store's index (the
 * last build's), read, checked and written in segment order, each claimed first in `claims`
 * (shared with the main thread, which may cancel a group, take one to write itself, or stop the
 * job). The writer parses the index itself: the main thread only reads its text. See
 * src/build/speculation.ts.
 */
export interface SpeculationJob {
  /** The text of the store's index (src/cache/pack.ts), as the main thread read it. */
  index: string;
  /** The store's folder and its separator: a segment's path is this, then its name. */
  folder: string;
  /** The staging folder and its separator: a file's path is this, then its `/`-separated output path. */
  prefix: string;
  /**
   * Shared: each index entry's state, by its position in the index (see `Claim` in
   * src/build/speculation.ts), then one more: not 0 stops the job before its next group.
   */
  claims: Int32Array;
  /** Shared: each entry's first file's number in `stats`, given when it is written. */
  slots: Int32Array;
  /** Shared: the next free file number in `stats` (taken with `Atomics.add`). */
  next: Int32Array;
  /** Shared: `[size, mtimeMs, ino]` of each file written. */
  stats: Float64Array;
  /** Bytes read from a segment at a time. */
  window: number;
}

/**
 * What the writer keeps from batch to batch for the output store: the segment it appends records to
 * (a chunk of it in memory), and the segment it reads records from, with the current record.
 */
interface StoreState {
  out?: {
    descriptor: number;
    chunk: Uint8Array;
    used: number;
    /** Bytes appended so far. */
    size: number;
    failed: boolean;
    /** Where the current record starts, and the CRC-32 of its payload so far. */
    start: number;
    crc: number;
  };
  read?: { file: string; descriptor: number; window: Uint8Array; start: number; filled: number };
  /** The record whose files are being written: its bytes (`undefined` when it failed its check) and where the next file starts. */
  record?: { bytes: Uint8Array | undefined; at: number };
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
    | 'readSync'
    | 'writeFileSync'
    | 'writeSync'
    | 'unlinkSync'
    | 'rmdirSync'
  > {
  copyExclusive: number;
  crc32: typeof crc32;
  checkRecord: typeof checkRecord;
  writeRecordHeader: typeof writeRecordHeader;
  speculate: typeof speculate;
}

/**
 * Runs one batch: creates each folder (one that exists is fine), each file new (`wx`: never writes
 * through an existing one) with its bytes, each site file as a hard link, else a copy, else its
 * bytes. Returns the stats of every file, or the first error (the batch stops there). It runs on a
 * worker from its source text (`toString()`), so it uses nothing but its parameters.
 *
 * The output store's operations never fail the batch: a segment that cannot be written is marked
 * failed (its records are dropped), a record that cannot be read or fails its check answers
 * `size` 0 (its files are then answered `size` -1 and not written, for the caller to make).
 */
function runBatch(fs: FileCalls, batch: Batch, state: StoreState): BatchResult {
  let files = 0;
  for (let index = 0; index < batch.kinds.length; index++)
    files += (batch.answered >> batch.kinds[index]!) & 1;
  const stats = new Float64Array(files * 3);
  let offset = 0;
  let file = 0;
  // Bytes are given as (buffer, start, length), not as views: a view per file costs an allocation each.
  const writeAll = (
    descriptor: number,
    data: Uint8Array,
    start: number,
    length: number,
    position: number | null,
    target: string,
  ): void => {
    for (let done = 0; done < length; ) {
      const written = fs.writeSync(
        descriptor,
        data,
        start + done,
        length - done,
        position === null ? null : position + done,
      );
      if (written === 0) throw new Error(`no progress writing ${target}`);
      done += written;
    }
  };
  /** Appends bytes to the store's segment (they count in the record's CRC when `checked`). */
  const append = (bytes: Uint8Array, checked: boolean): void => {
    const out = state.out;
    if (!out || out.failed) return;
    try {
      for (let at = 0; at < bytes.length; ) {
        if (out.used === out.chunk.length) {
          writeAll(out.descriptor, out.chunk, 0, out.used, out.size - out.used, 'a store segment');
          out.used = 0;
        }
        const count = Math.min(bytes.length - at, out.chunk.length - out.used);
        out.chunk.set(bytes.subarray(at, at + count), out.used);
        out.used += count;
        out.size += count;
        at += count;
      }
      if (checked) out.crc = fs.crc32(bytes, out.crc);
    } catch {
      out.failed = true;
    }
  };
  /**
   * After an `ENOENT` for `target`: creates its folder (and those above it, below `batch.root`), as
   * another writer thread that has it queued may not have yet (several writers share a tree);
   * whether to try again. Never creates `batch.root` itself: a tree removed meanwhile stays a failure.
   */
  const makeParent = (error: unknown, target: string): boolean => {
    if ((error as { code?: string }).code !== 'ENOENT' || batch.root === '') return false;
    const parentOf = (file: string) => file.slice(0, Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')));
    const make = (folder: string): boolean => {
      if (folder.length <= batch.root.length || !folder.startsWith(batch.root)) return false;
      try {
        fs.mkdirSync(folder);
      } catch (caught) {
        const code = (caught as { code?: string }).code;
        if (code === 'EEXIST') return true;
        if (code !== 'ENOENT' || !make(parentOf(folder))) return false;
        try {
          fs.mkdirSync(folder);
        } catch (again) {
          if ((again as { code?: string }).code !== 'EEXIST') return false;
        }
      }
      return true;
    };
    return make(parentOf(target));
  };
  const createFile = (
    target: string,
    data: Uint8Array,
    start: number,
    length: number,
  ): { size: number; mtimeMs: number; ino: number } => {
    let descriptor: number;
    try {
      descriptor = fs.openSync(target, 'wx');
    } catch (error) {
      if (!makeParent(error, target)) throw error;
      descriptor = fs.openSync(target, 'wx');
    }
    try {
      writeAll(descriptor, data, start, length, null, target);
      return fs.fstatSync(descriptor);
    } finally {
      fs.closeSync(descriptor);
    }
  };
  try {
    for (let index = 0; index < batch.kinds.length; index++) {
      const target = batch.targets[index]!;
      const kind = batch.kinds[index];
      const length = batch.lengths[index]!;
      const start = offset;
      offset += length;
      if (kind === 0) {
        try {
          fs.mkdirSync(target);
        } catch (error) {
          const code = (error as { code?: string }).code;
          if (code !== 'EEXIST' && !(code === 'ENOENT' && makeParent(error, `${target}/`))) throw error;
        }
        continue;
      }
      if (kind === 11 || kind === 12) {
        try {
          if (kind === 11) fs.unlinkSync(target);
          else fs.rmdirSync(target);
        } catch (error) {
          if ((error as { code?: string }).code !== 'ENOENT') throw error;
        }
        continue;
      }
      if (kind === 5) {
        if (!state.out) {
          let descriptor = -1;
          try {
            descriptor = fs.openSync(target, 'wx');
          } catch {
            // No segment: every record of this build is dropped.
          }
          const chunk = new Uint8Array(batch.window);
          state.out = { descriptor, chunk, used: 0, size: 0, failed: descriptor === -1, start: 0, crc: 0 };
        }
        state.out.start = state.out.size;
        append(new Uint8Array(44), false);
        state.out.crc = 0;
        append(batch.data.subarray(start, offset), true);
        continue;
      }
      if (kind === 6) {
        const out = state.out;
        if (!out || out.failed) continue;
        const header = new Uint8Array(44);
        fs.writeRecordHeader(header, 0, batch.sources[index]!, out.size - out.start - 44, out.crc);
        const chunkStart = out.size - out.used;
        if (out.start >= chunkStart) out.chunk.set(header, out.start - chunkStart);
        else {
          try {
            writeAll(out.descriptor, header, 0, 44, out.start, 'a store segment');
          } catch {
            out.failed = true;
          }
        }
        continue;
      }
      let size: number;
      let mtimeMs: number;
      let ino: number;
      if (kind === 1 || kind === 4) {
        ({ size, mtimeMs, ino } = createFile(target, batch.data, start, length));
        if (kind === 4) append(batch.data.subarray(start, offset), true);
      } else if (kind === 7) {
        // A stored record: read (a window at a time, records being read in order), checked, then its files written.
        const position = batch.numbers[2 * index]!;
        const recordLength = batch.numbers[2 * index + 1]!;
        let record: Uint8Array | undefined;
        try {
          let read = state.read;
          if (read?.file !== target) {
            if (read) fs.closeSync(read.descriptor);
            state.read = undefined;
            const window: Uint8Array = read?.window ?? new Uint8Array(batch.window);
            read = { file: target, descriptor: fs.openSync(target, 'r'), window, start: 0, filled: 0 };
            state.read = read;
          }
          if (position >= read.start && position + recordLength <= read.start + read.filled) {
            record = read.window.subarray(position - read.start, position - read.start + recordLength);
          } else {
            const into = recordLength > read.window.length ? new Uint8Array(recordLength) : read.window;
            let filled = 0;
            while (filled < into.length) {
              const got = fs.readSync(read.descriptor, into, filled, into.length - filled, position + filled);
              if (got === 0) break;
              filled += got;
            }
            if (into === read.window) {
              read.start = position;
              read.filled = filled;
            }
            record = filled >= recordLength ? into.subarray(0, recordLength) : undefined;
          }
        } catch {
          record = undefined;
        }
        let ok = record !== undefined && fs.checkRecord(record, batch.sources[index]!, fs.crc32);
        // The record's header line must be the one its index entry describes (paths, hashes, sizes).
        for (let at = 0; ok && at < length; at++) ok = record![44 + at] === batch.data[start + at];
        state.record = { bytes: ok ? record : undefined, at: 44 + length };
        size = ok ? 1 : 0;
        mtimeMs = 0;
        ino = 0;
      } else if (kind === 8) {
        // No record: the thread that read it stopped (this thread took over); the file is made instead.
        const record = state.record ?? { bytes: undefined, at: 0 };
        const fileSize = batch.numbers[2 * index]!;
        if (record.bytes) {
          ({ size, mtimeMs, ino } = createFile(target, record.bytes, record.at, fileSize));
        } else {
          size = -1;
          mtimeMs = 0;
          ino = 0;
        }
        record.at += fileSize;
      } else if (kind === 13) {
        const many = batch.many!;
        for (let at = 0; at < many.targets.length; at++) {
          const stats = fs.lstatSync(many.targets[at]!);
          many.stats[3 * at] = stats.size;
          many.stats[3 * at + 1] = stats.mtimeMs;
          many.stats[3 * at + 2] = stats.ino;
        }
        size = many.targets.length;
        mtimeMs = 0;
        ino = 0;
      } else if (kind === 10) {
        size = fs.speculate(fs, batch.speculation!);
        mtimeMs = 0;
        ino = 0;
      } else if (kind === 9) {
        const out = state.out;
        size = 0;
        if (out) {
          try {
            if (!out.failed)
              writeAll(out.descriptor, out.chunk, 0, out.used, out.size - out.used, 'a store segment');
          } catch {
            out.failed = true;
          }
          try {
            if (out.descriptor !== -1) fs.closeSync(out.descriptor);
          } catch {
            out.failed = true;
          }
          size = out.failed ? -1 : out.size;
        }
        if (state.read) fs.closeSync(state.read.descriptor);
        state.out = undefined;
        state.read = undefined;
        state.record = undefined;
        mtimeMs = 0;
        ino = 0;
      } else {
        const source = batch.sources[index]!;
        const put = (): void => {
          try {
            fs.linkSync(source, target);
          } catch {
            try {
              fs.copyFileSync(source, target, fs.copyExclusive);
            } catch {
              fs.writeFileSync(target, fs.readFileSync(source), { flag: 'wx' });
            }
          }
        };
        try {
          put();
        } catch (error) {
          if (!makeParent(error, target)) throw error;
          put();
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

/**
 * Writes the groups of a {@link SpeculationJob}: parses the index; takes the entry kept for each
 * key (the last, as the pack keeps it) whose files are safe relative paths, not the build's own
 * names, and neither another entry's nor the folder of one (else state 4: never written); then, in
 * segment order, each one it claims (state 0 → 1) before it is stopped: reads its record (a window
 * of its segment at a time), checks it (header, CRC-32, and the header line its index entry gives),
 * creates its folders and files, puts their stats in `stats` and sets its state: 3 written, 4
 * unsound (nothing written), 5 failed while writing (some files may be there; the job stops).
 * Returns how many groups it wrote. Like {@link runBatch} it runs from its source text, so it uses
 * nothing but its parameters (the states and the pack's layout are literals).
 */
function speculate(fs: FileCalls, job: SpeculationJob): number {
  const claims = job.claims;
  const stop = claims.length - 1;
  let index: { entries?: unknown; segments?: unknown } | null;
  try {
    index = JSON.parse(job.index) as { entries?: unknown; segments?: unknown } | null;
  } catch {
    return 0;
  }
  job.index = '';
  const entries = (Array.isArray(index?.entries) ? index.entries : []) as unknown[][];
  const segments = (Array.isArray(index?.segments) ? index.segments : []) as { name?: unknown }[];
  const count = Math.min(entries.length, stop);
  const kept = new Map<unknown, number>();
  for (let at = 0; at < count; at++) if (Array.isArray(entries[at])) kept.set(entries[at]![0], at);
  // Output paths as checkOutputPaths (src/build/write-tree.ts) allows them; segment names as the pack's.
  const unsafe = /(?:^|\/)\.{0,2}(?:\/|$)|[\\\0]/;
  const segmentName = /^[a-z0-9-]+\.seg$/;
  const taken = new Set<string>();
  const groups: number[] = [];
  for (const at of kept.values()) {
    const entry = entries[at]!;
    const files = entry[4] as [string, string, number][];
    const segment = segments[entry[1] as number];
    let fine =
      entry.length === 5 &&
      typeof entry[0] === 'string' &&
      Array.isArray(files) &&
      typeof segment?.name === 'string' &&
      segmentName.test(segment.name) &&
      Number.isSafeInteger(entry[2]) &&
      Number.isSafeInteger(entry[3]);
    for (let file = 0; fine && file < files.length; file++) {
      const item: unknown = files[file];
      fine = Array.isArray(item) && item.length === 3;
      const [name, hash, size] = fine ? (item as unknown[]) : [];
      fine =
        fine &&
        typeof name === 'string' &&
        typeof hash === 'string' &&
        Number.isSafeInteger(size) &&
        (size as number) >= 0 &&
        !unsafe.test(name) &&
        !name.startsWith('.broadsheet-') &&
        !taken.has(name);
    }
    if (fine) {
      for (const file of files) taken.add(file[0]);
      groups.push(at);
    } else Atomics.compareExchange(claims, at, 0, 4);
  }
  const outerFolders = new Set<string>();
  for (const name of taken)
    for (let slash = name.lastIndexOf('/'); slash > 0; slash = name.lastIndexOf('/', slash - 1))
      outerFolders.add(name.slice(0, slash));
  const order = groups
    .filter((at) => {
      const fine = (entries[at]![4] as [string][]).every((file) => !outerFolders.has(file[0]));
      if (!fine) Atomics.compareExchange(claims, at, 0, 4);
      return fine;
    })
    .sort(
      (a, b) =>
        (entries[a]![1] as number) - (entries[b]![1] as number) ||
        (entries[a]![2] as number) - (entries[b]![2] as number),
    );
  const folders = new Set<string>();
  /** Creates the folders of a file at the output path `file`, parents first (one there already is fine). */
  const makeFolders = (file: string): void => {
    const slash = file.lastIndexOf('/');
    if (slash <= 0) return;
    const folder = file.slice(0, slash);
    if (folders.has(folder)) return;
    makeFolders(folder);
    try {
      fs.mkdirSync(job.prefix + folder);
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
    }
    folders.add(folder);
  };
  let window = new Uint8Array(job.window);
  let windowStart = 0;
  let windowFilled = 0;
  let descriptor = -1;
  let segment = -1;
  let written = 0;
  for (const at of order) {
    if (Atomics.load(claims, stop) !== 0) break;
    if (Atomics.compareExchange(claims, at, 0, 1) !== 0) continue;
    const entry = entries[at]!;
    const files = entry[4] as [string, string, number][];
    let state = 4;
    try {
      if (entry[1] !== segment) {
        if (descriptor !== -1) fs.closeSync(descriptor);
        descriptor = -1;
        windowFilled = 0;
        segment = entry[1] as number;
        descriptor = fs.openSync(job.folder + (segments[segment]!.name as string), 'r');
      }
      const position = entry[2] as number;
      const length = entry[3] as number;
      let record: Uint8Array | undefined;
      if (position >= windowStart && position + length <= windowStart + windowFilled) {
        record = window.subarray(position - windowStart, position - windowStart + length);
      } else {
        if (length > window.length) window = new Uint8Array(length);
        let filled = 0;
        while (filled < window.length) {
          const got = fs.readSync(descriptor, window, filled, window.length - filled, position + filled);
          if (got === 0) break;
          filled += got;
        }
        windowStart = position;
        windowFilled = filled;
        record = filled >= length ? window.subarray(0, length) : undefined;
      }
      // The record's first line must be the one its index entry describes (paths, hashes, sizes).
      const line = Buffer.from(`${JSON.stringify(files)}\n`, 'utf8');
      let sound = record !== undefined && fs.checkRecord(record, entry[0] as string, fs.crc32);
      for (let byte = 0; sound && byte < line.length; byte++) sound = record![44 + byte] === line[byte];
      const first = sound ? Atomics.add(job.next, 0, files.length) : 0;
      if (sound && 3 * (first + files.length) <= job.stats.length) {
        state = 5;
        job.slots[at] = first;
        let offset = 44 + line.length;
        let slot = first;
        for (const [file, , size] of files) {
          makeFolders(file);
          const target = job.prefix + file;
          const out = fs.openSync(target, 'wx');
          try {
            for (let done = 0; done < size; ) {
              const wrote = fs.writeSync(out, record!, offset + done, size - done, null);
              if (wrote === 0) throw new Error(`no progress writing ${target}`);
              done += wrote;
            }
            const stats = fs.fstatSync(out);
            job.stats[3 * slot] = stats.size;
            job.stats[3 * slot + 1] = stats.mtimeMs;
            job.stats[3 * slot + 2] = stats.ino;
          } finally {
            fs.closeSync(out);
          }
          offset += size;
          slot += 1;
        }
        state = 3;
        written += 1;
      }
    } catch {
      // A record that cannot be read is unsound (4); a failed write (5) stops the job: the disk is likely the cause.
    }
    Atomics.store(claims, at, state);
    if (state === 5) break;
  }
  if (descriptor !== -1) fs.closeSync(descriptor);
  return written;
}

const FILE_CALLS: FileCalls = {
  ...fs,
  copyExclusive: fs.constants.COPYFILE_EXCL,
  crc32,
  checkRecord,
  writeRecordHeader,
  speculate,
};

/** The writer thread's code (its source text), for {@link FileWriter.start}. */
export const WORKER_SOURCE = `
const runBatch = ${runBatch.toString()};
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const calls = {
  ...fs,
  copyExclusive: fs.constants.COPYFILE_EXCL,
  crc32: require('node:zlib').crc32,
  checkRecord: (${checkRecord.toString()}),
  writeRecordHeader: (${writeRecordHeader.toString()}),
  speculate: (${speculate.toString()}),
};
const state = {};
let failed = false;
parentPort.on('message', (batch) => {
  if (failed) return;
  const result = runBatch(calls, batch, state);
  if ('error' in result) failed = true;
  parentPort.postMessage(result, 'stats' in result ? [result.stats.buffer] : []);
});
`;

/** Writer threads started ahead of time ({@link FileWriter.prestart}), not taken yet. */
const spares: Worker[] = [];

/** A spare writer thread, its own again (it keeps the process alive while it writes). */
function takeSpare(): Worker | undefined {
  const worker = spares.pop();
  if (!worker) return undefined;
  worker.removeAllListeners('exit');
  worker.removeAllListeners('error');
  worker.ref();
  return worker;
}

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
  /** The store's state when batches run on this thread. */
  private readonly state: StoreState = {};
  /**
   * The worker answered a batch that appended to the output store's segment: if it stops, what it
   * held of the segment is lost. (A batch it ran without answering created the segment, which this
   * thread then cannot create again: the segment fails either way.)
   */
  private appended = false;
  /** The worker stopped after it had appended to the store's segment. */
  private lost = false;

  private constructor(
    worker: Worker | undefined,
    private readonly root: string,
  ) {
    this.worker = worker;
    worker?.on('message', (result: BatchResult) => this.answered(result));
    worker?.on('error', () => this.takeOver());
    worker?.on('exit', () => this.takeOver());
  }

  /**
   * Starts a writer: a worker thread, or this thread when none can start. `source` (for tests) is
   * the worker's code instead of the writer's. `root`: the tree it writes, when other writers write
   * it too; a file whose folder another writer has not created yet then creates it (below `root`).
   */
  static start(source = WORKER_SOURCE, root = ''): FileWriter {
    const spare = source === WORKER_SOURCE ? takeSpare() : undefined;
    if (spare) return new FileWriter(spare, root);
    try {
      return new FileWriter(new Worker(source, { eval: true }), root);
    } catch {
      return new FileWriter(undefined, root);
    }
  }

  /**
   * Starts up to `count` writer threads ahead of time, for the next {@link FileWriter.start} calls
   * (a thread takes tens of milliseconds to start: a build starts them while it still computes its
   * keys). They do not keep the process alive; {@link FileWriter.releaseSpares} stops those not taken.
   */
  static prestart(count: number): void {
    while (spares.length < count) {
      let worker: Worker;
      try {
        worker = new Worker(WORKER_SOURCE, { eval: true });
      } catch {
        return;
      }
      worker.unref();
      // One that stops before it is taken is no spare.
      const gone = () => {
        const at = spares.indexOf(worker);
        if (at !== -1) spares.splice(at, 1);
      };
      worker.once('exit', gone);
      worker.once('error', gone);
      spares.push(worker);
    }
  }

  /** Stops the threads of {@link FileWriter.prestart} that no writer took. */
  static async releaseSpares(): Promise<void> {
    await Promise.all(spares.splice(0).map((worker) => worker.terminate()));
  }

  /** Creates the folder `target` (its parent must exist or come before it). */
  folder(target: string): void {
    this.push(MKDIR, target, '', undefined, undefined);
  }

  /**
   * Creates the new file `target` holding `contents` (text as UTF-8); `done` gets its stats. With
   * `stored`, its bytes also go into the output store's record begun by {@link FileWriter.beginRecord}.
   * Returns the file's size in bytes.
   */
  file(
    target: string,
    contents: string | Uint8Array,
    done: (stats: WrittenStats) => void,
    stored = false,
    size?: number,
  ): number {
    return this.push(stored ? STORED_FILE : FILE, target, '', contents, done, undefined, size);
  }

  /**
   * Begins a record of the output store (src/build/output-store.ts) in the segment `segment`
   * (created at the first record): its header `line`, then the bytes of the files that follow with
   * `stored`, until {@link FileWriter.endRecord}. Returns the line's size in bytes.
   */
  beginRecord(segment: string, line: string): number {
    return this.push(RECORD_BEGIN, segment, '', line, undefined);
  }

  /** Ends the record begun last: writes its header (magic, length, CRC-32, `key`). */
  endRecord(key: string): void {
    this.push(RECORD_END, '', key, undefined, undefined);
  }

  /**
   * Reads the output store's record at `place` and checks it (its header, CRC-32 and first line,
   * which must be `place.line`); `done` gets whether it is sound. The {@link FileWriter.recordFile}
   * calls that follow write its files, or nothing when it is not.
   */
  fromRecord(
    place: { file: string; offset: number; length: number; key: string; line: string },
    done: (sound: boolean) => void,
  ): void {
    this.push(FROM_RECORD, place.file, place.key, place.line, (stats) => done(stats.size === 1), [
      place.offset,
      place.length,
    ]);
  }

  /**
   * Creates the new file `target` from the next `size` bytes of the record read last; `done` gets
   * its stats, or `size` -1 when the record was not sound (no file was created).
   */
  recordFile(target: string, size: number, done: (stats: WrittenStats) => void): void {
    this.push(RECORD_FILE, target, '', undefined, done, [size, 0]);
  }

  /**
   * Writes what is left of the store's segment and closes it and the segments read; `done` gets
   * the segment's size, or -1 when some of it could not be written (0: none was begun).
   */
  closeStore(done: (bytes: number) => void): void {
    this.push(CLOSE_STORE, '', '', undefined, (stats) => done(this.lost ? -1 : stats.size));
  }

  /**
   * Writes the groups of `job` ahead of time (see {@link SpeculationJob}); `done` gets how many it
   * wrote. The operations queued after it run once it is stopped or done.
   */
  speculate(job: SpeculationJob, done: (written: number) => void): void {
    this.send();
    this.push(SPECULATE, '', '', undefined, (stats) => done(stats.size));
    this.batch.speculation = job;
    this.send();
  }

  /** Removes the file `target`, if it is there. */
  unlink(target: string): void {
    this.push(UNLINK, target, '', undefined, undefined);
  }

  /** Removes the empty folder `target`, if it is there. */
  removeFolder(target: string): void {
    this.push(RMDIR, target, '', undefined, undefined);
  }

  /** Puts the site's file `source` at `target` (a hard link, else a copy); `done` gets its stats. */
  verbatim(source: string, target: string, done: (stats: WrittenStats) => void): void {
    this.push(VERBATIM, target, source, undefined, done);
  }

  /**
   * `done` gets the `[size, mtimeMs, ino]` of each of `targets`, one after the other, once every
   * operation queued before is done (folders, once filled): one operation for them all.
   */
  statMany(targets: string[], done: (stats: Float64Array) => void): void {
    const stats = new Float64Array(new SharedArrayBuffer(8 * 3 * Math.max(1, targets.length)));
    this.send();
    this.push(STAT_MANY, '', '', undefined, () => done(stats));
    this.batch.many = { targets, stats };
    this.send();
  }

  /** Waits while many bytes are waiting for the writer (call it between groups). Throws a failure. */
  async settle(): Promise<void> {
    while (this.pendingBytes > MAX_PENDING_BYTES && !this.failure) await this.nextAnswer();
    if (this.failure) throw this.failure;
  }

  /** Sends what is left and waits for every write so far; throws the first failure. */
  async flush(): Promise<void> {
    this.send();
    while (this.waiting.length > 0 && !this.failure) await this.nextAnswer();
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
    numbers: readonly [number, number] = [0, 0],
    size?: number,
  ): number {
    const length =
      size ??
      (contents === undefined
        ? 0
        : typeof contents === 'string'
          ? Buffer.byteLength(contents, 'utf8')
          : contents.byteLength);
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
    batch.numbers.push(numbers[0], numbers[1]);
    if (done) batch.done.push(done);
    if (batch.used >= BATCH_BYTES || batch.kinds.length >= BATCH_OPERATIONS) this.send();
    return length;
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
      numbers: Float64Array.from(batch.numbers),
      data: batch.data.subarray(0, batch.used),
      answered: ANSWERED,
      window: READ_WINDOW_BYTES,
      root: this.root,
      ...(batch.speculation ? { speculation: batch.speculation } : {}),
      ...(batch.many ? { many: batch.many } : {}),
    };
    this.waiting.push({ batch: message, done: batch.done, bytes: batch.used });
    this.pendingBytes += batch.used;
    if (this.failure) return;
    // Its bytes are shared with the worker, not copied, and kept until answered, for this thread to take over.
    if (this.worker) this.worker.postMessage(message);
    else this.answered(runBatch(FILE_CALLS, message, this.state));
  }

  /**
   * The worker failed or stopped: this thread runs the batches it did not answer (a batch it had
   * begun then fails on its first file already there, a system error like any failed write).
   */
  private takeOver(): void {
    if (!this.worker) return;
    this.worker = undefined;
    this.lost = this.appended;
    for (const { batch } of [...this.waiting]) {
      if (this.failure) return;
      this.answered(runBatch(FILE_CALLS, batch, this.state));
    }
  }

  private answered(result: BatchResult): void {
    const sent = this.waiting.shift();
    if (!sent) return;
    if (this.worker && (sent.batch.kinds.includes(RECORD_BEGIN) || sent.batch.kinds.includes(STORED_FILE)))
      this.appended = true;
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
    numbers: [] as number[],
    done: [] as ((stats: WrittenStats) => void)[],
    data,
    used: 0,
    speculation: undefined as SpeculationJob | undefined,
    many: undefined as { targets: string[]; stats: Float64Array } | undefined,
  };
}

/**
 * A buffer of `size` bytes in a `SharedArrayBuffer`: a batch posted to the worker then shares its
 * bytes instead of copying them, so that the bytes waiting for the disk are held once, not twice.
 */
function sharedBuffer(size: number): Buffer {
  return Buffer.from(new SharedArrayBuffer(size));
}
