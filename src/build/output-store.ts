import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type ExternalSegment, Pack } from '../cache/pack';
import { replaceFile } from '../common/fs';
import type { Diagnostic } from '../diagnostics/diagnostic';

/**
 * The layout of the store's files; a new layout starts an empty store. v2: each entry of the index
 * also holds its record's header (the files' paths, hashes and sizes), so that a build can write a
 * stored group without reading it on the main thread.
 */
const LAYOUT = 'outputs-v2';

/** Older layouts, removed when this one writes its index. */
const RETIRED = ['outputs-v1'];

/** The byte between a record's JSON line and the files' bytes (JSON text never has a raw line feed). */
const LINE_FEED = 0x0a;

/** The bytes {@link OutputStore.read} reads into one reused buffer; a read of more takes new buffers past it. */
const READ_BUFFER_BYTES = 4 << 20;

/** One file of a stored group: its path, the hash of its bytes (as the manifest records it) and its bytes. */
export interface StoredFile {
  path: string;
  hash: string;
  bytes: Buffer;
}

/** A file of a stored group as its index entry describes it: its path, its hash and its size in bytes. */
export interface StoredEntry {
  path: string;
  hash: string;
  size: number;
}

/**
 * Where a stored group's record is, for a reader on another thread (src/build/file-writer.ts): its
 * segment, offset and length, its key, its files (from the index) and the header line the record
 * must start with. The reader checks the record ({@link checkRecord}) and the line, then writes the
 * files from its bytes; it reports a record that fails, for {@link OutputStore.reject}.
 */
export interface StoredPlace {
  file: string;
  offset: number;
  length: number;
  key: string;
  files: StoredEntry[];
  line: string;
}

/** A file of a group just made, to store: its path, its hash and its text. */
export interface FileToStore {
  path: string;
  hash: string;
  contents: string;
}

/**
 * The output files a build made, by the key of their output group (src/build/output-keys.ts: the
 * same key means the same files at the same paths, for the same code), kept in the site's cache
 * folder (`outputs-v1/`, a {@link Pack}). A build whose previous output is gone (a CI job with its
 * cache restored, a fresh `out`) takes the files of every group whose key is stored instead of
 * making and hashing them again; see docs/decisions/performance.md.
 *
 * Only groups of made text are stored (never the site's own `static/` files, which are linked or
 * copied from the site). The index written at `close` keeps the groups this build read, stored or
 * kept ({@link OutputStore.keep}: reused from the previous output without being read), so the store
 * holds one build's outputs. An entry that cannot be read is a miss (the group is made) with a
 * `cache-corrupt` warning; the store never makes a build fail.
 *
 * @example
 * ```ts
 * const store = await OutputStore.open({ root, folder: cacheFolder, namespace: await outputCodeIdentity() });
 * const [files] = store.read([group.key]);
 * if (!files) store.save(group.key, made.map((file) => ({ ...file, hash: contentHash(file.contents) })));
 * await store.close();
 * ```
 */
export class OutputStore {
  /** Where {@link OutputStore.read} reads records, reused by each call (the stored files of a CI build are ~100 MB). */
  private readBuffer: Buffer | undefined;
  private constructor(private readonly pack: Pack) {}

  /**
   * Opens the store of a site's cache folder for one code identity (`namespace`: the groups' keys are
   * comparable only within it); another namespace's entries are dropped when this one closes.
   */
  static async open(options: { root: string; folder: string; namespace: string }): Promise<OutputStore> {
    return new OutputStore(await Pack.open({ ...packOptions(options), namespace: options.namespace }));
  }

  /**
   * {@link OutputStore.open} on this thread, from the text of its index (see {@link readStoreIndex}),
   * for the namespace the index has (the caller checks {@link OutputStore.namespace} against the
   * code's before it trusts an entry).
   */
  static fromIndex(options: { root: string; folder: string; text: string }): OutputStore {
    return new OutputStore(Pack.openSync({ ...packOptions(options), text: options.text }));
  }

  /** The namespace of the store's entries (the code identity they were made under). */
  get namespace(): string {
    return this.pack.namespace;
  }

  /** Whether a group of this key is stored (its record is checked when read). */
  has(key: string): boolean {
    return this.pack.has(key);
  }

  /**
   * The stored files of the groups of `keys`, in their order; `undefined` for a miss or a corrupt
   * entry. Their `bytes` are valid until the next call: it reads into the same buffer (so that a
   * build reading the whole store does not leave ~100 MB of read buffers to the garbage collector).
   */
  read(keys: readonly string[]): (StoredFile[] | undefined)[] {
    this.readBuffer ??= Buffer.allocUnsafeSlow(READ_BUFFER_BYTES);
    const buffer = this.readBuffer;
    let used = 0;
    return this.pack.getMany(keys, decodeGroup, (size) => {
      if (used + size > buffer.length) return Buffer.allocUnsafe(size);
      used += size;
      return buffer.subarray(used - size, used);
    });
  }

  /**
   * Where the stored group of `key` is, when its index entry names exactly `paths` (in order);
   * `undefined` otherwise. Nothing is read: the caller reads and checks the record, then calls
   * {@link OutputStore.keep} or {@link OutputStore.reject}.
   */
  locate(key: string, paths: readonly string[]): StoredPlace | undefined {
    const place = this.pack.locate(key);
    const files = place && entriesOf(place.meta, paths);
    if (!place || !files) return undefined;
    const { file, offset, length } = place;
    return { file, offset, length, key, files, line: headerLine(place.meta as unknown[]) };
  }

  /**
   * The stored group of `key` as its index entry describes it (its files, in order, at exactly
   * `paths` when given) and its entry's position in the index read at open; `undefined` when there
   * is none or it does not list files. Nothing is read.
   */
  describe(
    key: string,
    paths?: readonly string[],
  ): { position: number | undefined; files: StoredEntry[]; file: string; offset: number } | undefined {
    const place = this.pack.locate(key);
    const files = place && entriesOf(place.meta, paths);
    return place && files && { position: place.position, files, file: place.file, offset: place.offset };
  }

  /** The position of the entry of `key` in the index read at open (`undefined`: none, or stored since). */
  position(key: string): number | undefined {
    return this.pack.locate(key)?.position;
  }

  /** The keys of the index read at open, in its order. */
  keys(): IterableIterator<string> {
    return this.pack.keys();
  }

  /** Keeps a stored group without reading it (its files were reused from the previous output, or read elsewhere). */
  keep(key: string): void {
    this.pack.keep(key);
  }

  /** The record of `key` was found corrupt where it was read: dropped, with a `cache-corrupt` warning. */
  reject(key: string): void {
    this.pack.reject(key);
  }

  /** Stores the files of a group just made under its key (written in the background). */
  save(key: string, files: readonly FileToStore[]): void {
    const header = files.map((file) => [file.path, file.hash, Buffer.byteLength(file.contents, 'utf8')]);
    let payload = headerLine(header);
    for (const file of files) payload += file.contents;
    this.pack.set(key, payload, header);
  }

  /**
   * A new segment for another thread to append this build's records to (src/build/file-writer.ts);
   * each record is indexed with {@link OutputStore.saved} as it is sent there.
   */
  segment(): ExternalSegment {
    return this.pack.external();
  }

  /**
   * The record header line of a group of these files (what {@link OutputStore.saved} then indexes):
   * the writer of {@link OutputStore.segment} writes it, then the files' bytes.
   */
  line(files: readonly StoredEntry[]): string {
    return headerLine(files.map((file) => [file.path, file.hash, file.size]));
  }

  /**
   * Indexes the record of `key` appended to {@link OutputStore.segment}: the header line `line` of
   * `lineBytes` bytes, then the files' bytes.
   */
  saved(segment: ExternalSegment, key: string, files: readonly StoredEntry[], lineBytes: number): void {
    let bytes = RECORD_HEADER_BYTES + lineBytes;
    for (const file of files) bytes += file.size;
    this.pack.setExternal(
      segment,
      key,
      bytes,
      files.map((file) => [file.path, file.hash, file.size]),
    );
  }

  /** Whether the writer of `segment` ({@link OutputStore.segment}) put all of it on disk (else its records are dropped). */
  segmentDone(segment: ExternalSegment, ok: boolean): void {
    this.pack.externalDone(segment, ok);
  }

  /** `cache-corrupt` warnings about entries that could not be read. */
  warnings(): Diagnostic[] {
    return this.pack.warnings();
  }

  /** Waits for the writes and writes the index (never throws). */
  close(): Promise<void> {
    return this.pack.close();
  }
}

/** The options of the store's pack in the cache folder `folder` (but its namespace). */
function packOptions(options: { root: string; folder: string }) {
  return {
    root: options.root,
    folder: path.join(options.folder, LAYOUT),
    layout: LAYOUT,
    retired: RETIRED,
    trash: path.join(options.folder, 'trash'),
  };
}

/** Whether the cache folder `folder` has an output store (its index) of this layout. */
export function hasOutputStore(folder: string): boolean {
  return existsSync(path.join(folder, LAYOUT, 'index.json'));
}

/** The file, in the store's folder, naming the output folder of the last build that used the store. */
const LAST_OUT_FILE = 'out.json';

/**
 * The output folder (absolute) of the last whole tree written with the store of the cache folder
 * `folder` ({@link rememberOut}), or `undefined`: where a build without `--out` likely writes again.
 */
export function rememberedOut(folder: string): string | undefined {
  try {
    const value: unknown = JSON.parse(readFileSync(path.join(folder, LAYOUT, LAST_OUT_FILE), 'utf8'));
    const out = (value as { out?: unknown } | null)?.out;
    return typeof out === 'string' && path.isAbsolute(out) ? out : undefined;
  } catch {
    return undefined;
  }
}

/** Records `out` as the output folder of the store of the cache folder `folder` (never throws). */
export async function rememberOut(folder: string, out: string): Promise<void> {
  if (rememberedOut(folder) === out) return;
  const file = path.join(folder, LAYOUT, LAST_OUT_FILE);
  await replaceFile(file, JSON.stringify({ out })).catch(() => {});
}

/** The bytes of a pack record's own header (src/cache/pack.ts), before its payload. */
const RECORD_HEADER_BYTES = 44;

/** The files an index entry's `meta` lists (at exactly `paths`, when given), or `undefined`. */
function entriesOf(header: unknown, paths?: readonly string[]): StoredEntry[] | undefined {
  if (!Array.isArray(header) || (paths !== undefined && header.length !== paths.length)) return undefined;
  const files: StoredEntry[] = [];
  for (let at = 0; at < header.length; at++) {
    const entry: unknown = header[at];
    if (!Array.isArray(entry) || entry.length !== 3) return undefined;
    const [file, hash, size] = entry as unknown[];
    if (
      typeof file !== 'string' ||
      (paths !== undefined && file !== paths[at]) ||
      typeof hash !== 'string' ||
      !Number.isSafeInteger(size) ||
      (size as number) < 0
    )
      return undefined;
    files.push({ path: file, hash, size: size as number });
  }
  return files;
}

/**
 * The text of the index of the store in the cache folder `folder`, and the folder of its segments
 * (the index names them), or `undefined` when there is none.
 */
export function readStoreIndex(folder: string): { text: string; segments: string } | undefined {
  try {
    return {
      text: readFileSync(path.join(folder, LAYOUT, 'index.json'), 'utf8'),
      segments: path.join(folder, LAYOUT),
    };
  } catch {
    return undefined;
  }
}

/** A record's first line: its files' `[path, hash, size]` as JSON, then a line feed. */
function headerLine(header: unknown[]): string {
  return `${JSON.stringify(header)}\n`;
}

/** A record's files, or `undefined` when it is not one (counted as corrupt). */
function decodeGroup(payload: Buffer): StoredFile[] | undefined {
  const line = payload.indexOf(LINE_FEED);
  if (line === -1) return undefined;
  const header: unknown = JSON.parse(payload.toString('utf8', 0, line));
  if (!Array.isArray(header)) return undefined;
  const files: StoredFile[] = [];
  let at = line + 1;
  for (const entry of header as unknown[]) {
    if (!Array.isArray(entry) || entry.length !== 3) return undefined;
    const [file, hash, size] = entry as unknown[];
    if (typeof file !== 'string' || typeof hash !== 'string' || !Number.isSafeInteger(size)) return undefined;
    const end = at + (size as number);
    if ((size as number) < 0 || end > payload.length) return undefined;
    files.push({ path: file, hash, bytes: payload.subarray(at, end) });
    at = end;
  }
  return at === payload.length ? files : undefined;
}
