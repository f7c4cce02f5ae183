import { closeSync, mkdirSync, openSync, read, readFileSync, write, writeSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { exists, readFully, trashOrRemove } from '../common/fs';
import { displayPath } from '../common/paths';
import { compareText } from '../common/text';
import { type Diagnostic, diagnostic } from '../diagnostics/diagnostic';

/**
 * A record: `magic (u32) | payload length (u32) | CRC-32 of the payload (u32) | key (32 bytes) | payload`,
 * integers little-endian. The key is a SHA-256 in hex, stored as its 32 bytes.
 */
const RECORD_MAGIC = 0x31505342; // 'BSP1'
const HEADER_BYTES = 44;

/** Records are gathered into chunks of this size and written with one call each; reads are batched up to it. */
const CHUNK_BYTES = 1 << 20;

/** Records this close in a segment are read with one call (the bytes between are read and skipped). */
const READ_GAP_BYTES = 16 * 1024;

/** At most this many bytes of records are read ahead by {@link Pack.prefetch}; the rest are read when asked for. */
const PREFETCH_BYTES = 64 * CHUNK_BYTES;

/** How many bytes of chunks may wait for the disk; beyond, chunks are written synchronously. */
const MAX_QUEUED_BYTES = 8 * CHUNK_BYTES;

/** More segments than this are merged (all but the largest) when the index is rewritten. */
const MAX_SEGMENTS = 8;

/**
 * A segment or temporary index that no index names is removed once it is this much older than the
 * session: it was left by a killed session (younger, it may be a concurrent session's, still being written).
 */
const STRAY_AGE_MS = 60 * 60 * 1000;

const INDEX_FILE = 'index.json';
const SEGMENT_NAME = /^[a-z0-9-]+\.seg$/;
const TEMPORARY_INDEX = /^index\.json\.[a-z0-9-]+\.tmp$/;
const KEY = /^[0-9a-f]{64}$/;

/**
 * Where a record is: its segment file (a name in the pack folder), its offset and its length with
 * the header; `meta`, a JSON value its writer keeps in the index beside it (read without the record).
 */
interface Location {
  segment: string;
  offset: number;
  length: number;
  meta?: unknown;
  /** The entry's position in the index read at open (the last, for a key found twice). */
  position?: number;
  /**
   * The buffer {@link Pack.prefetch} read the record into (unchecked; read for this pack alone, never
   * reused), the record at `from`; dropped when `getMany` takes it.
   */
  run?: Buffer | undefined;
  from?: number;
}

/** A record's place as {@link Pack.locate} gives it: its segment's path, its offset and length, its `meta`. */
export interface RecordPlace {
  file: string;
  offset: number;
  length: number;
  meta: unknown;
  /** Its entry's position in the index read at open (`undefined` for a record written since). */
  position: number | undefined;
}

/**
 * A segment written by another thread (e.g. the file writer's, src/build/file-writer.ts) in this
 * pack's record format: {@link Pack.external} names it, {@link Pack.setExternal} indexes each record
 * appended to it, {@link Pack.externalDone} says whether all of it reached the disk.
 */
export interface ExternalSegment {
  /** The segment's path; the writer creates it new (`wx`). */
  file: string;
  /** Bytes appended so far (by the records indexed). */
  size: number;
}

/** The index as it is stored (`index.json`). */
interface StoredIndex {
  layout: string;
  namespace: string;
  segments: { name: string; size: number }[];
  /** `[key, segment number, offset, length]`, and the entry's `meta` when it has one. */
  entries: ([string, number, number, number] | [string, number, number, number, unknown])[];
}

/** Options of {@link Pack.open}. */
export interface PackOptions {
  /** The site root: warnings name files relative to it when the cache is inside it. */
  root: string;
  /** The pack's own folder, e.g. `<cache folder>/render-v2`. */
  folder: string;
  /** The layout name, stored in the index (a different one is a corrupt index). */
  layout: string;
  /** Entries of another namespace are dropped (all at once) and their segments removed. */
  namespace: string;
  /**
   * Folders of older layouts, removed (moved into `trash`, when given, for the next build to empty
   * in the background) the first time this pack writes its index.
   */
  retired?: readonly string[];
  trash?: string;
}

let sequence = 0;

/** A name that no other process or pack in this process picks. */
function uniqueName(): string {
  sequence += 1;
  return `${Date.now().toString(36)}-${process.pid.toString(36)}-${sequence.toString(36)}-${Math.floor(
    Math.random() * 0x100000000,
  ).toString(36)}`;
}

/**
 * A persistent key → bytes store in a handful of files: append-only segment files of records and one
 * index (`index.json`: key → segment, offset, length). Built for caches of many small entries (a
 * render per document, a parsed front matter per file) where one file per entry costs a file
 * creation each.
 *
 * - **Writing** (`set`) appends records to a new segment of this session, gathered into chunks of
 *   1 MiB written with one call each, in the background. `close` waits for the writes, then writes the
 *   index to a temporary name and renames it over the old one: until that rename, the previous index
 *   (which never points into a segment being written) is the one in force.
 * - **Reading** (`getMany`) looks keys up in the index (read at `open`) and reads records at their
 *   offsets with `readSync`, neighbouring records with one call. A record is trusted only when its
 *   magic, length, key and CRC-32 all match; otherwise it is a miss and the file gets one
 *   `cache-corrupt` warning. A missing segment is a plain miss: another process may have compacted it.
 * - **What is kept**: the index written at `close` holds the entries this session read or wrote,
 *   nothing else. When the records it points at are less than half of the segments' bytes, or there
 *   are more than {@link MAX_SEGMENTS} segments, live records are copied into a new segment first
 *   (compaction), and segments no longer referenced are removed after the index is in place.
 *
 * Nothing here throws: the cache is an optimisation, and every failure is a miss.
 *
 * @example
 * ```ts
 * const pack = await Pack.open({ root, folder: path.join(cache, 'render-v2'), layout: 'render-v2', namespace });
 * const [hit] = pack.getMany([key], (payload) => payload.toString('utf8'));
 * if (hit === undefined) pack.set(key, 'the value');
 * await pack.close();
 * ```
 */
export class Pack {
  private readonly started = Date.now();
  private readonly kept = new Map<string, Location>();
  private readonly written = new Map<string, Location>();
  private readonly corrupt = new Map<string, number>();
  private readonly descriptors = new Map<string, number | null>();
  /** Each segment's path, by name (a path joined once, not once per entry). */
  private readonly segmentFiles = new Map<string, string>();
  private writer: SegmentWriter | undefined;
  /** The segment another thread writes, and whether it said all of it is on disk. */
  private readonly outside = new Map<ExternalSegment, { name: string; done: boolean }>();
  private closed: Promise<void> | undefined;
  /** The reads {@link Pack.prefetch} started, settled when all are done (never rejected). */
  private prefetching: Promise<void> | undefined;

  private constructor(
    private readonly options: PackOptions,
    /** The entries of the index read at open (empty when it was missing, corrupt or of another namespace). */
    private readonly entries: Map<string, Location>,
    /** Every segment the index read at open names, with its size. */
    private readonly segments: Map<string, number>,
    /** The index read at open is not this namespace's, or is corrupt: it must be rewritten. */
    private readonly stale: boolean,
  ) {}

  /** Reads the pack's index; a missing or corrupt one (warned about) gives an empty pack. */
  static async open(options: PackOptions): Promise<Pack> {
    const text = await readFile(path.join(options.folder, INDEX_FILE), 'utf8').catch(() => undefined);
    return Pack.fromIndex(options, text);
  }

  /**
   * {@link Pack.open}, reading the index on this thread (or from `text`, its text read earlier);
   * `namespace` `undefined`: the index's own (the caller compares it with the code's before it
   * trusts an entry).
   */
  static openSync(options: Omit<PackOptions, 'namespace'> & { namespace?: string; text?: string }): Pack {
    let text = options.text;
    try {
      text ??= readFileSync(path.join(options.folder, INDEX_FILE), 'utf8');
    } catch {
      text = undefined;
    }
    return Pack.fromIndex(options, text);
  }

  /** The pack of the index text `text` (`undefined`: no index). */
  private static fromIndex(
    given: Omit<PackOptions, 'namespace'> & { namespace?: string },
    text: string | undefined,
  ): Pack {
    const file = path.join(given.folder, INDEX_FILE);
    const options = { ...given, namespace: given.namespace ?? '' };
    if (text === undefined) return new Pack(options, new Map(), new Map(), false);
    const index = parseIndex(text, options.layout);
    if (index && given.namespace === undefined) options.namespace = index.namespace;
    if (!index) {
      const pack = new Pack(options, new Map(), new Map(), true);
      pack.report(file);
      return pack;
    }
    const segments = new Map(index.segments.map((segment) => [segment.name, segment.size]));
    if (index.namespace !== options.namespace) return new Pack(options, new Map(), segments, true);
    const entries = new Map<string, Location>();
    const names = index.segments.map((segment) => segment.name);
    // Indexed loops, not destructuring: an index holds an entry per document, each read at every build.
    for (let at = 0; at < index.entries.length; at++) {
      const entry = index.entries[at]!;
      const location: Location = {
        segment: names[entry[1]]!,
        offset: entry[2],
        length: entry[3],
        position: at,
      };
      if (entry.length === 5) location.meta = entry[4];
      entries.set(entry[0], location);
    }
    return new Pack(options, entries, segments, false);
  }

  /**
   * The values of `keys`, in their order: each record found is checked and given to `decode`, whose
   * `undefined` (a payload it does not accept) counts as corrupt. A key not in the pack, or whose
   * record is corrupt, gives `undefined`. Records {@link Pack.prefetch} read are taken as read; the
   * others are read now in file order, neighbours with one call, into buffers from `allocate` (by
   * default new ones; a caller that reads many may reuse its own).
   */
  getMany<T>(
    keys: readonly (string | undefined)[],
    decode: (payload: Buffer) => T | undefined,
    allocate: (size: number) => Buffer = Buffer.allocUnsafe,
  ): (T | undefined)[] {
    const results: (T | undefined)[] = new Array(keys.length).fill(undefined);
    const wanted: { index: number; key: string; location: Location }[] = [];
    for (let index = 0; index < keys.length; index++) {
      const key = keys[index];
      const location = key === undefined ? undefined : this.entries.get(key);
      if (location === undefined) continue;
      const run = location.run;
      if (run === undefined) wanted.push({ index, key: key!, location });
      else {
        location.run = undefined;
        results[index] = this.take(key!, location, run, location.from!, decode);
      }
    }
    wanted.sort((a, b) => byPlace(a.location, b.location));
    for (const { start, end, offset, length } of runsOf(wanted, (item) => item.location)) {
      const segment = wanted[start]!.location.segment;
      const descriptor = this.descriptor(segment);
      if (descriptor === null) continue;
      let buffer: Buffer;
      let filled: number;
      try {
        buffer = allocate(length);
        filled = readFully(descriptor, buffer, offset);
      } catch {
        for (let at = start; at < end; at++) this.report(this.segmentFile(segment));
        continue;
      }
      for (let at = start; at < end; at++) {
        const { index, key, location } = wanted[at]!;
        const from = location.offset - offset;
        const read = from + location.length <= filled ? buffer : undefined;
        results[index] = this.take(key, location, read, from, decode);
      }
    }
    return results;
  }

  /**
   * The value of the record of `key` read into `buffer` at `from` (`undefined`: it could not be read
   * whole), when it checks and decodes; kept in the index written at `close`. Otherwise `undefined`,
   * counted as corrupt.
   */
  private take<T>(
    key: string,
    location: Location,
    buffer: Buffer | undefined,
    from: number,
    decode: (payload: Buffer) => T | undefined,
  ): T | undefined {
    const payload = buffer === undefined ? undefined : verify(buffer, from, location.length, key);
    let value: T | undefined;
    if (payload !== undefined) {
      try {
        value = decode(payload);
      } catch {
        value = undefined;
      }
    }
    if (value === undefined) this.report(this.segmentFile(location.segment));
    else this.kept.set(key, location);
    return value;
  }

  /**
   * Starts reading the records of the index read at open (at most {@link PREFETCH_BYTES} of them)
   * on libuv's threads, in file order, neighbours with one call, while this thread does other work:
   * `getMany` then takes their bytes as read (and checks them) instead of reading them itself. For a
   * pack whose entries are nearly all read in each session (the render cache's). Settles when every
   * read is done, never rejects; a read that fails or comes back short leaves its records to
   * `getMany` to read (and find missing or corrupt) as without it. Nothing is read after `close`.
   */
  prefetch(): Promise<void> {
    this.prefetching ??= this.readAhead();
    return this.prefetching;
  }

  private async readAhead(): Promise<void> {
    const locations = [...this.entries.values()];
    // In file order (byPlace), comparing each segment's rank among the names rather than its name.
    const rank = new Map([...this.segments.keys()].sort(compareText).map((name, at) => [name, at]));
    locations.sort((a, b) => rank.get(a.segment)! - rank.get(b.segment)! || a.offset - b.offset);
    const runs: { start: number; end: number; offset: number; length: number }[] = [];
    let budget = PREFETCH_BYTES;
    for (const run of runsOf(locations, (location) => location)) {
      budget -= run.length;
      if (budget < 0) break;
      runs.push(run);
    }
    // Two reads at a time: the load's own asynchronous reads share libuv's threads.
    let next = 0;
    const reader = async () => {
      while (next < runs.length && !this.closed) {
        const { start, end, offset, length } = runs[next++]!;
        const descriptor = this.descriptor(locations[start]!.segment);
        if (descriptor === null) continue;
        const buffer = Buffer.allocUnsafe(length);
        const filled = await readFullyAsync(descriptor, buffer, offset).catch(() => 0);
        for (let at = start; at < end; at++) {
          const location = locations[at]!;
          const from = location.offset - offset;
          if (from + location.length <= filled) {
            location.run = buffer;
            location.from = from;
          }
        }
      }
    };
    await Promise.all([reader(), reader()]);
  }

  /** The keys of the index read at open, in its order. */
  keys(): IterableIterator<string> {
    return this.entries.keys();
  }

  /** The namespace of the pack's entries. */
  get namespace(): string {
    return this.options.namespace;
  }

  /** Whether the index read at open has an entry for `key` (its record is checked only when read). */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  /**
   * Keeps the entry of `key` in the index written at `close` without reading it, as if it had been
   * read (an entry whose value this session did not need but the next may). A key not in the pack is ignored.
   */
  keep(key: string): void {
    const location = this.entries.get(key);
    if (location) this.kept.set(key, location);
  }

  /**
   * Keeps every entry of the index read at open in the index written at `close`, read or not: for a
   * session that stops before it knows which entries the next one needs (a load that failed).
   */
  keepAll(): void {
    for (const [key, location] of this.entries) this.kept.set(key, location);
  }

  /**
   * Stores `payload` under `key`: appended to this session's segment now, written in the background
   * (a failed write only means the entry is not indexed). A later `set` of the same key wins.
   */
  set(key: string, payload: string | Uint8Array, meta?: unknown): void {
    if (this.closed || !KEY.test(key)) return;
    this.writer ??= new SegmentWriter(this.options.folder, `${uniqueName()}.seg`);
    const { offset, length } = this.writer.append(key, payload);
    const location: Location = { segment: this.writer.name, offset, length };
    if (meta !== undefined) location.meta = meta;
    this.written.set(key, location);
  }

  /**
   * Where the record of `key` is, with its `meta`, without reading it (`undefined` when the pack has
   * no entry). Whoever reads it checks it with {@link checkRecord}, then calls {@link Pack.keep} or
   * {@link Pack.reject}.
   */
  locate(key: string): RecordPlace | undefined {
    const location = this.entries.get(key);
    if (!location) return undefined;
    const { segment, offset, length, meta, position } = location;
    return { file: this.segmentFile(segment), offset, length, meta, position };
  }

  /** The path of the segment `name` (joined once per segment, not once per entry). */
  private segmentFile(name: string): string {
    let file = this.segmentFiles.get(name);
    if (file === undefined) {
      file = path.join(this.options.folder, name);
      this.segmentFiles.set(name, file);
    }
    return file;
  }

  /** The record of `key` was found corrupt by whoever read it: not kept, and counted in {@link Pack.warnings}. */
  reject(key: string): void {
    const location = this.entries.get(key);
    if (!location) return;
    this.kept.delete(key);
    this.report(this.segmentFile(location.segment));
  }

  /**
   * A new segment of this session for another thread to append records to (see
   * {@link ExternalSegment}); several threads each take one.
   */
  external(): ExternalSegment {
    if (this.outside.size === 0) {
      try {
        mkdirSync(this.options.folder, { recursive: true });
      } catch {
        // The writer's creation of the segment fails, and with it every record in it: a miss next time.
      }
    }
    const name = `${uniqueName()}.seg`;
    const segment: ExternalSegment = { file: path.join(this.options.folder, name), size: 0 };
    this.outside.set(segment, { name, done: false });
    return segment;
  }

  /**
   * Indexes a record of `length` bytes (header included) appended to `segment` (from
   * {@link Pack.external}) at its current size, which grows by `length`; `meta` is kept beside it in the index.
   */
  setExternal(segment: ExternalSegment, key: string, length: number, meta?: unknown): void {
    const outside = this.outside.get(segment);
    if (!outside || this.closed || !KEY.test(key)) return;
    const location: Location = { segment: outside.name, offset: segment.size, length };
    if (meta !== undefined) location.meta = meta;
    segment.size += length;
    this.written.set(key, location);
  }

  /** The writer of `segment` wrote all of it (`true`), or failed: its records are dropped. */
  externalDone(segment: ExternalSegment, ok: boolean): void {
    const outside = this.outside.get(segment);
    if (outside) outside.done = ok;
  }

  /** `cache-corrupt` warnings: one per file, saying how many of its entries were ignored. */
  warnings(): Diagnostic[] {
    return [...this.corrupt].map(([file, count]) =>
      diagnostic({
        code: 'cache-corrupt',
        file: displayPath(this.options.root, file),
        message:
          path.basename(file) === INDEX_FILE
            ? 'this cache index is not valid: the cache is ignored and rebuilt'
            : `${count === 1 ? '1 cache entry' : `${count} cache entries`} in this file ${count === 1 ? 'is' : 'are'} not valid: ignored and rewritten`,
      }),
    );
  }

  /**
   * Waits for the writes, then (when anything changed) compacts if needed, writes the index of the
   * entries this session read or wrote, and removes segments nothing references. Never throws.
   */
  close(): Promise<void> {
    this.closed ??= this.settle()
      .then(() => this.finish())
      .catch(() => {})
      .finally(() => {
        for (const descriptor of this.descriptors.values()) {
          if (descriptor !== null) closeSync(descriptor);
        }
        this.descriptors.clear();
      });
    return this.closed;
  }

  /**
   * Waits for the reads {@link Pack.prefetch} started (none starts once `close` is called: their
   * descriptors are closed after) and drops the bytes `getMany` did not take.
   */
  private async settle(): Promise<void> {
    await this.prefetching;
    for (const location of this.entries.values()) location.run = undefined;
  }

  private async finish(): Promise<void> {
    const sizes = new Map(this.segments);
    if (this.writer) {
      const writer = this.writer;
      if (await writer.close()) sizes.set(writer.name, writer.size);
      else
        for (const [key, location] of this.written)
          if (location.segment === writer.name) this.written.delete(key);
    }
    for (const [segment, { name, done }] of this.outside) {
      if (done) sizes.set(name, segment.size);
      else {
        for (const [key, location] of this.written) if (location.segment === name) this.written.delete(key);
        await rm(segment.file, { force: true }).catch(() => {});
      }
    }
    const changed = this.stale || this.written.size > 0 || this.kept.size !== this.entries.size;
    if (!changed) return;
    const entries = new Map(this.kept);
    for (const [key, location] of this.written) entries.set(key, location);

    const referenced = new Map<string, number>();
    let live = 0;
    for (const location of entries.values()) {
      live += location.length;
      referenced.set(location.segment, sizes.get(location.segment) ?? 0);
    }
    const total = [...referenced.values()].reduce((sum, size) => sum + size, 0);
    let rewrite: string[] = [];
    if (live * 2 < total) rewrite = [...referenced.keys()];
    else if (referenced.size > MAX_SEGMENTS) {
      const largest = [...referenced].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
      rewrite = [...referenced.keys()].filter((name) => name !== largest);
    }
    if (rewrite.length > 0) {
      const compacted = await this.compact(entries, new Set(rewrite));
      if (compacted) sizes.set(compacted.name, compacted.size);
    }

    const names = [...new Set([...entries.values()].map((location) => location.segment))].sort();
    await mkdir(this.options.folder, { recursive: true });
    const temporary = path.join(this.options.folder, `${INDEX_FILE}.${uniqueName()}.tmp`);
    try {
      await writeFile(temporary, indexText(this.options, names, sizes, entries), { flag: 'wx' });
      await rename(temporary, path.join(this.options.folder, INDEX_FILE));
    } catch {
      await rm(temporary, { force: true }).catch(() => {});
      return;
    }
    // The index in force no longer names these: remove them, and what killed sessions left behind.
    const known = new Set([...this.segments.keys(), ...sizes.keys()]);
    await this.sweep(new Set(names), known);
    await this.retire();
  }

  /**
   * Copies the live records of the segments `rewrite` into one new segment and points `entries` at
   * the copies. A record that cannot be read is dropped from `entries`.
   */
  private async compact(
    entries: Map<string, Location>,
    rewrite: Set<string>,
  ): Promise<{ name: string; size: number } | undefined> {
    const moving = [...entries]
      .filter(([, location]) => rewrite.has(location.segment))
      .sort(([, a], [, b]) => byPlace(a, b));
    const writer = new SegmentWriter(this.options.folder, `${uniqueName()}.seg`);
    const moved = new Map<string, Location>();
    const dropped: string[] = [];
    for (const { start, end, offset, length } of runsOf(moving, ([, location]) => location)) {
      const descriptor = this.descriptor(moving[start]![1].segment);
      let buffer = Buffer.alloc(0);
      let filled = 0;
      if (descriptor !== null) {
        try {
          buffer = Buffer.allocUnsafe(length);
          filled = readFully(descriptor, buffer, offset);
        } catch {
          filled = 0;
        }
      }
      for (let at = start; at < end; at++) {
        const [key, location] = moving[at]!;
        const from = location.offset - offset;
        const record =
          from + location.length <= filled ? buffer.subarray(from, from + location.length) : undefined;
        if (!record || !sameHeader(record, 0, record.length, key)) {
          dropped.push(key);
          continue;
        }
        moved.set(key, {
          segment: writer.name,
          offset: writer.appendRecord(record),
          length: location.length,
          ...(location.meta === undefined ? {} : { meta: location.meta }),
        });
      }
      await writer.backpressure();
    }
    if (!(await writer.close())) {
      await rm(path.join(this.options.folder, writer.name), { force: true }).catch(() => {});
      return undefined;
    }
    for (const key of dropped) entries.delete(key);
    for (const [key, location] of moved) entries.set(key, location);
    return { name: writer.name, size: writer.size };
  }

  /**
   * Removes segments and temporary indexes the index in force does not name: at once when this
   * session knew them (they are finished), else only when {@link STRAY_AGE_MS} older than this
   * session (a concurrent session's files are being written).
   */
  private async sweep(referenced: Set<string>, known: Set<string>): Promise<void> {
    const names = await readdir(this.options.folder).catch(() => [] as string[]);
    for (const name of names) {
      if (referenced.has(name) || !(SEGMENT_NAME.test(name) || TEMPORARY_INDEX.test(name))) continue;
      const file = path.join(this.options.folder, name);
      if (!known.has(name)) {
        const info = await stat(file).catch(() => undefined);
        if (!info || info.mtimeMs >= this.started - STRAY_AGE_MS) continue;
      }
      const descriptor = this.descriptors.get(name);
      if (descriptor !== undefined && descriptor !== null) closeSync(descriptor);
      this.descriptors.delete(name);
      await unlink(file).catch(() => {});
    }
  }

  /** Moves the folders of older layouts into the trash (one rename each), or removes them. */
  private async retire(): Promise<void> {
    const { retired = [], trash } = this.options;
    const parent = path.dirname(this.options.folder);
    for (const name of retired) {
      const folder = path.join(parent, name);
      if (await exists(folder)) await trashOrRemove(folder, trash, { name: `${name}-${uniqueName()}` });
    }
  }

  /** The open descriptor of a segment, `null` when it cannot be opened (missing: a plain miss). */
  private descriptor(segment: string): number | null {
    let descriptor = this.descriptors.get(segment);
    if (descriptor === undefined) {
      try {
        descriptor = openSync(path.join(this.options.folder, segment), 'r');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
          this.report(path.join(this.options.folder, segment));
        }
        descriptor = null;
      }
      this.descriptors.set(segment, descriptor);
    }
    return descriptor;
  }

  private report(file: string): void {
    this.corrupt.set(file, (this.corrupt.get(file) ?? 0) + 1);
  }
}

/**
 * One segment being written: records are gathered into a chunk, and each full chunk is written with
 * one positioned write; writes run one after the other in the background.
 */
class SegmentWriter {
  /** Bytes appended so far (written or not). */
  size = 0;
  private chunk: Buffer | undefined;
  private used = 0;
  private queued = 0;
  private failed = false;
  /** The segment's descriptor; opened at once (one file creation), so that writes can start at once. */
  private descriptor: number | undefined;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    folder: string,
    readonly name: string,
  ) {
    try {
      mkdirSync(folder, { recursive: true });
      this.descriptor = openSync(path.join(folder, name), 'wx');
    } catch {
      this.failed = true;
    }
  }

  /** Appends a record; returns where it is. */
  append(key: string, payload: string | Uint8Array): { offset: number; length: number } {
    const bytes = typeof payload === 'string' ? Buffer.byteLength(payload, 'utf8') : payload.length;
    const length = HEADER_BYTES + bytes;
    const at = this.reserve(length);
    const chunk = this.chunk!;
    chunk.writeUInt32LE(RECORD_MAGIC, at);
    chunk.writeUInt32LE(bytes, at + 4);
    chunk.write(key, at + 12, 32, 'hex');
    if (typeof payload === 'string') chunk.write(payload, at + HEADER_BYTES, bytes, 'utf8');
    else chunk.set(payload, at + HEADER_BYTES);
    chunk.writeUInt32LE(crc32(chunk.subarray(at + HEADER_BYTES, at + length)), at + 8);
    return { offset: this.commit(length), length };
  }

  /** Appends a record as it was read (header and payload); returns its offset. */
  appendRecord(record: Buffer): number {
    const at = this.reserve(record.length);
    record.copy(this.chunk!, at);
    return this.commit(record.length);
  }

  /** Room for `length` bytes in the current chunk; returns its position in the chunk. */
  private reserve(length: number): number {
    if (this.chunk && this.used + length > this.chunk.length) this.flush();
    if (!this.chunk) {
      this.chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, length));
      this.used = 0;
    }
    return this.used;
  }

  private commit(length: number): number {
    const offset = this.size;
    this.used += length;
    this.size += length;
    return offset;
  }

  /** Queues the current chunk for writing. */
  private flush(): void {
    if (!this.chunk || this.used === 0) return;
    const data = this.chunk.subarray(0, this.used);
    const position = this.size - this.used;
    this.chunk = undefined;
    this.used = 0;
    const descriptor = this.descriptor;
    if (descriptor === undefined || this.failed) return;
    // Rendering faster than the disk writes (or a loop of `set` that never yields): write this chunk
    // now rather than hold the whole segment in memory. Positioned writes need no order.
    if (this.queued >= MAX_QUEUED_BYTES) {
      try {
        writeFullySync(descriptor, data, position);
      } catch {
        this.failed = true;
      }
      return;
    }
    this.queued += data.length;
    this.chain = this.chain.then(async () => {
      try {
        if (!this.failed) await writeFully(descriptor, data, position);
      } catch {
        this.failed = true;
      } finally {
        this.queued -= data.length;
      }
    });
  }

  /** Waits while too much is queued (a compaction reads faster than the disk writes). */
  async backpressure(): Promise<void> {
    if (this.queued > MAX_QUEUED_BYTES) await this.chain;
  }

  /** Writes what is left and closes the file; whether every record is on disk. */
  async close(): Promise<boolean> {
    this.flush();
    await this.chain;
    if (this.descriptor === undefined) return false;
    try {
      closeSync(this.descriptor);
    } catch {
      this.failed = true;
    }
    this.descriptor = undefined;
    return !this.failed;
  }
}

/** The order records are read in: by segment, then offset. */
function byPlace(a: Location, b: Location): number {
  return compareText(a.segment, b.segment) || a.offset - b.offset;
}

/**
 * The runs of `sorted` (in {@link byPlace} order) to read with one call each: neighbours in one
 * segment at most {@link READ_GAP_BYTES} apart, at most {@link CHUNK_BYTES} in all (or one record
 * larger than that). `start`, `end`: the run's items; `offset`, `length`: the bytes to read.
 */
function* runsOf<T>(
  sorted: readonly T[],
  locationOf: (item: T) => Location,
): Generator<{ start: number; end: number; offset: number; length: number }> {
  for (let start = 0; start < sorted.length; ) {
    const first = locationOf(sorted[start]!);
    let end = start + 1;
    let runEnd = first.offset + first.length;
    while (end < sorted.length) {
      const next = locationOf(sorted[end]!);
      if (next.segment !== first.segment || next.offset > runEnd + READ_GAP_BYTES) break;
      const nextEnd = Math.max(runEnd, next.offset + next.length);
      if (nextEnd - first.offset > CHUNK_BYTES) break;
      runEnd = nextEnd;
      end += 1;
    }
    yield { start, end, offset: first.offset, length: runEnd - first.offset };
    start = end;
  }
}

/** `readFully` on libuv's threads: the bytes read into `buffer` from `position` (fewer: the file ended). */
async function readFullyAsync(descriptor: number, buffer: Buffer, position: number): Promise<number> {
  let filled = 0;
  while (filled < buffer.length) {
    const done = await new Promise<number>((resolve, reject) => {
      read(descriptor, buffer, filled, buffer.length - filled, position + filled, (error, count) =>
        error ? reject(error) : resolve(count),
      );
    });
    if (done === 0) break;
    filled += done;
  }
  return filled;
}

/** `fs.write` as a promise of the bytes written. */
function writeAsync(descriptor: number, data: Buffer, offset: number, length: number, position: number) {
  return new Promise<number>((resolve, reject) => {
    write(descriptor, data, offset, length, position, (error, written) =>
      error ? reject(error) : resolve(written),
    );
  });
}

async function writeFully(descriptor: number, data: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < data.length) {
    const written = await writeAsync(descriptor, data, done, data.length - done, position + done);
    if (written === 0) throw new Error('no progress writing a cache segment');
    done += written;
  }
}

function writeFullySync(descriptor: number, data: Buffer, position: number): void {
  let done = 0;
  while (done < data.length) {
    const written = writeSync(descriptor, data, done, data.length - done, position + done);
    if (written === 0) throw new Error('no progress writing a cache segment');
    done += written;
  }
}

/**
 * The payload of the record of `length` bytes at `from` in `buffer`, when its magic, length, key and
 * checksum are right.
 */
function verify(buffer: Buffer, from: number, length: number, key: string): Buffer | undefined {
  if (!sameHeader(buffer, from, length, key)) return undefined;
  const payload = buffer.subarray(from + HEADER_BYTES, from + length);
  return crc32(payload) === buffer.readUInt32LE(from + 8) ? payload : undefined;
}

/**
 * Whether `record` (header and payload, as read at a {@link RecordPlace}) is the record of `key`:
 * its magic, length, key and CRC-32 all match. `crc` is `zlib.crc32`, handed in so that this runs
 * from its source text on a worker thread (it uses nothing but its parameters).
 */
export function checkRecord(record: Uint8Array, key: string, crc: (data: Uint8Array) => number): boolean {
  // The literals are RECORD_MAGIC and HEADER_BYTES: a function run from its source text sees no module constants.
  if (record.length < 44) return false;
  const bytes = Buffer.from(record.buffer, record.byteOffset, record.byteLength);
  return (
    bytes.readUInt32LE(0) === 0x31505342 &&
    bytes.readUInt32LE(4) === record.length - 44 &&
    bytes.toString('hex', 12, 44) === key &&
    crc(record.subarray(44)) === bytes.readUInt32LE(8)
  );
}

/**
 * The header of a record of `key` whose payload has `bytes` bytes and this CRC-32, written into
 * `target` at `at` (what {@link SegmentWriter} writes; another thread's writer uses it from its
 * source text, so it uses nothing but its parameters).
 */
export function writeRecordHeader(
  target: Uint8Array,
  at: number,
  key: string,
  bytes: number,
  crc: number,
): void {
  const view = new DataView(target.buffer, target.byteOffset, target.byteLength);
  view.setUint32(at, 0x31505342, true);
  view.setUint32(at + 4, bytes, true);
  view.setUint32(at + 8, crc >>> 0, true);
  for (let index = 0; index < 32; index++)
    target[at + 12 + index] = Number.parseInt(key.slice(2 * index, 2 * index + 2), 16);
}

/** Whether the `length` bytes at `from` in `buffer` start with the header of a record of `key` and of this length. */
function sameHeader(buffer: Buffer, from: number, length: number, key: string): boolean {
  return (
    length >= HEADER_BYTES &&
    from + length <= buffer.length &&
    buffer.readUInt32LE(from) === RECORD_MAGIC &&
    buffer.readUInt32LE(from + 4) === length - HEADER_BYTES &&
    holdsKey(buffer, from + 12, key)
  );
}

/** The value of each lower-case hex digit's character code (-1: not one). */
const HEX_VALUES = Int8Array.from({ length: 128 }, (_, code) =>
  code >= 48 && code <= 57 ? code - 48 : code >= 97 && code <= 102 ? code - 87 : -1,
);

/**
 * Whether the 32 bytes of `record` at `at` are the SHA-256 whose 64 lower-case hex digits are `key`
 * (compared digit by digit: no hex string made per record).
 */
function holdsKey(record: Buffer, at: number, key: string): boolean {
  if (key.length !== 64) return false;
  for (let index = 0; index < 32; index++) {
    const high = HEX_VALUES[key.charCodeAt(2 * index)] ?? -1;
    const low = HEX_VALUES[key.charCodeAt(2 * index + 1)] ?? -1;
    if (high < 0 || low < 0 || record[at + index] !== high * 16 + low) return false;
  }
  return true;
}

/**
 * The index of `entries` in the segments `names` as stored (`index.json`): the text of
 * `JSON.stringify` of a {@link StoredIndex}, made by hand (an entry per document, at every build
 * that changed anything: no array per entry to make and walk).
 */
function indexText(
  options: { layout: string; namespace: string },
  names: readonly string[],
  sizes: ReadonlyMap<string, number>,
  entries: ReadonlyMap<string, Location>,
): string {
  const numbers = new Map(names.map((name, index) => [name, index]));
  const segments = names.map((name) => ({ name, size: sizes.get(name) ?? 0 }));
  const parts: string[] = [];
  // Keys are hex digits and positions whole numbers: nothing in them to escape.
  for (const [key, { segment, offset, length, meta }] of entries) {
    const tail = meta === undefined ? ']' : `,${JSON.stringify(meta)}]`;
    parts.push(`["${key}",${numbers.get(segment)},${offset},${length}${tail}`);
  }
  const head = JSON.stringify({ layout: options.layout, namespace: options.namespace, segments });
  return `${head.slice(0, -1)},"entries":[${parts.join(',')}]}`;
}

/** The index, when `text` is one of this layout; `undefined` for anything else. */
function parseIndex(text: string, layout: string): StoredIndex | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const index = value as Partial<Record<keyof StoredIndex, unknown>>;
  if (index.layout !== layout || typeof index.namespace !== 'string') return undefined;
  if (!Array.isArray(index.segments) || !Array.isArray(index.entries)) return undefined;
  const sizes: number[] = [];
  for (const segment of index.segments as unknown[]) {
    if (segment === null || typeof segment !== 'object') return undefined;
    const { name, size } = segment as { name?: unknown; size?: unknown };
    if (typeof name !== 'string' || !SEGMENT_NAME.test(name) || !isCount(size)) return undefined;
    sizes.push(size);
  }
  const entries = index.entries as unknown[];
  for (let at = 0; at < entries.length; at++) {
    const entry = entries[at];
    if (!Array.isArray(entry) || (entry.length !== 4 && entry.length !== 5)) return undefined;
    const key: unknown = entry[0];
    const segment: unknown = entry[1];
    const offset: unknown = entry[2];
    const length: unknown = entry[3];
    if (typeof key !== 'string' || !isKey(key)) return undefined;
    if (!isCount(segment) || !isCount(offset) || !isCount(length)) return undefined;
    const size = sizes[segment];
    if (size === undefined || length < HEADER_BYTES || offset + length > size) return undefined;
  }
  return index as StoredIndex;
}

/** Whether `key` is 64 lower-case hex digits (what {@link KEY} matches, without a regular expression run per entry). */
function isKey(key: string): boolean {
  if (key.length !== 64) return false;
  for (let at = 0; at < 64; at++) {
    const code = key.charCodeAt(at);
    if (!((code >= 48 && code <= 57) || (code >= 97 && code <= 102))) return false;
  }
  return true;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
