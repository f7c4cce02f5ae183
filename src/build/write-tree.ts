import {
  constants,
  copyFileSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ExternalSegment } from '../cache/pack';
import { BroadsheetError } from '../errors';
import { contentHash } from '../fingerprint/hash';
import type { OutputOnDisk } from './disk-check';
import { FileWriter, type WrittenStats } from './file-writer';
import { MadeBytes } from './made-bytes';
import type { KeyedGroup } from './output-keys';
import type { FolderRecord, GroupKeys, OutputManifest, OutputRecord } from './output-manifest';
import {
  type FileToStore,
  hasOutputStore,
  type OutputStore,
  type StoredEntry,
  type StoredFile,
  type StoredPlace,
} from './output-store';
import type { Speculation } from './speculation';

/** The most file writer threads a whole tree written from the output store gets. */
const MAX_WRITERS = 4;

/** Consecutive groups that go to the same writer when there are several (about 1 MiB of stored records). */
const WRITER_RUN = 64;

/** How many stored groups are read from the output store at a time (their files are held until written). */
const STORE_BATCH = 256;

/** How long the write loop runs before it lets the event loop turn (progress, timers, the trash). */
const YIELD_EVERY_MS = 20;

/** An empty segment, `.` or `..` (at the start, between two `/` or at the end), a backslash or a NUL. */
const UNSAFE_PATH = /(?:^|\/)\.{0,2}(?:\/|$)|[\\\0]/;

/** Whether `file` is a relative `/`-separated file path: no empty, `.` or `..` segment, no backslash or NUL. */
export function isSafeOutputPath(file: string): boolean {
  return !UNSAFE_PATH.test(file);
}

/**
 * Checks that output paths are safe relative `/`-separated file paths, each once, none of them
 * `reserved`, and none the parent folder of another. A bad path is a bug in an output function, so
 * it throws.
 */
export function checkOutputPaths(files: readonly string[], reserved: string): void {
  const seen = new Set<string>();
  for (const file of files) {
    if (!isSafeOutputPath(file))
      throw new BroadsheetError('invalid-output-path', `output path "${file}" is not a relative file path`);
    if (file === reserved)
      throw new BroadsheetError('invalid-output-path', `output path "${file}" is reserved`);
    const size = seen.size;
    seen.add(file);
    if (seen.size === size)
      throw new BroadsheetError('invalid-output-path', `two outputs have the path "${file}"`);
  }
  for (const file of files) {
    const slash = file.lastIndexOf('/');
    if (slash > 0 && seen.has(file.slice(0, slash))) {
      throw new BroadsheetError(
        'invalid-output-path',
        `output path "${file}" needs "${file.slice(0, slash)}" to be a folder`,
      );
    }
  }
}

/** Options of {@link stagePlan}. */
export interface StagePlanOptions {
  /**
   * The current output folder and the manifest of what the last build wrote into it. A file whose
   * bytes are unchanged (same hash and size, and the file on disk still the one the manifest saw:
   * same inode, size and modification time) is not written again: it stays where it is (when only
   * the changes are staged) or is hard-linked from there into the staging tree. `onDisk`, when
   * given, holds the checks of the files against their records, made beforehand
   * (`checkOutputOnDisk` in src/build/disk-check.ts); without it each file is checked when it is needed.
   */
  previous?: { folder: string; manifest: OutputManifest; onDisk?: OutputOnDisk };
  /**
   * Stage only the files that changed, for an update of `previous.folder` in place, as long as the
   * files to write or remove are at most this many; past it (or when `0`) the whole tree is staged.
   */
  maxChanges: number;
  /** Record each file's hash and stat in the returned manifest (needed to reuse files next time). */
  record: boolean;
  /**
   * The identity of the code that makes the files (`outputCodeIdentity`), when known: the groups'
   * keys are then recorded under it, and a group whose key (which covers its paths) equals the one recorded by the
   * previous build under the same identity, and whose files are all still on disk as recorded, is
   * neither made nor hashed: its records are reused. Needs `record`.
   */
  keyNamespace?: string;
  /**
   * Opens the store of the files of groups made by earlier builds, by key (src/build/output-store.ts;
   * needs `keyNamespace`, which must be the store's namespace). It is opened when more than a
   * quarter of the groups cannot be reused from `previous` (a fresh `out`, a CI job with its cache
   * restored, a change that touches most groups): a group not reused whose key is stored is then
   * written from the store instead of being made and hashed, every group made is stored, and every
   * group reused stays stored. A warm build that makes a few groups leaves the store as it was.
   */
  openStore?: () => Promise<OutputStore>;
  /**
   * The last build's stored groups, being written into `staging` since the build started
   * (src/build/speculation.ts; its store is the one used, its writer the one that writes). Needs a
   * whole tree with nothing to link and `keyNamespace`: a group whose key is the one speculated is
   * kept as written, the others are removed from the staging folder before anything is written.
   */
  speculation?: Speculation;
  /** Called after each file is written, linked or found unchanged, with the count so far. */
  onWritten: (done: number) => void;
}

/**
 * What {@link stagePlan} staged. `tree`: the staging folder holds the complete output (written or
 * hard-linked files), ready to replace the output folder. `changes`: it holds only the files to
 * `put` (new or changed, at their output paths); the files to remove are in `removed`; every other
 * output file is in the output folder already. Either way `files` records every output file and
 * `folders` lists every folder the output needs (relative, `/`-separated, without `''`).
 */
export type StagePlanResult = {
  files: Map<string, OutputRecord>;
  folders: Set<string>;
  written: number;
  linked: number;
  /**
   * The groups made (`make()` called, every file hashed), by first path in plan order; how many
   * were reused by key from the previous output, and how many were taken from the output store,
   * neither made.
   */
  groups: { made: string[]; reused: number; stored: number };
  /** The keys of the groups, by first path, for the next build's manifest (when `keyNamespace` was given). */
  keys?: GroupKeys;
  /** The output store, when it was opened: the caller closes it (which writes its index). */
  store?: OutputStore;
  /**
   * The records of `folders` in the staging folder once complete, when its files were written by a
   * file writer thread (which stated them): what they are in `out` after a whole-tree swap.
   */
  folderRecords?: Map<string, FolderRecord>;
} & ({ kind: 'tree' } | { kind: 'changes'; put: string[]; removed: string[] });

/**
 * Makes every group of a plan and writes what must be written into the staging folder `staging`
 * (which exists and holds only the marker file), creating each parent folder once. Files are
 * created new (`wx`), never written through: a hard-linked file is shared with the previous
 * output, which stays as it was. Writes are synchronous (a trip through libuv's thread pool costs
 * more than writing a few kilobytes); the loop lets the event loop turn every few milliseconds.
 * A failure (or an exception from `onWritten`) stops at once and is thrown.
 */
export async function stagePlan(
  staging: string,
  plan: readonly KeyedGroup[],
  options: StagePlanOptions,
): Promise<StagePlanResult> {
  const { previous, record } = options;
  const planned = plan.flatMap((group) => group.paths);
  const folders = foldersOf(planned);
  const files = new Map<string, OutputRecord>();

  let inPlace = previous !== undefined && options.maxChanges > 0;
  let removed: string[] = [];
  if (previous && inPlace) {
    const plannedSet = new Set(planned);
    removed = [...previous.manifest.files.keys()].filter((file) => !plannedSet.has(file));
    const added = planned.filter((file) => !previous.manifest.files.has(file)).length;
    if (removed.length + added > options.maxChanges) inPlace = false;
  }

  // A whole tree where nothing of a previous output can be linked (none, or none of its files left)
  // is written by other threads (`writers`, started once the store is open), while this one makes
  // the next files. Each group goes to one of them, `writer` while the group is placed.
  const wholeTree = !inPlace && nothingToLink(previous);
  const writers: FileWriter[] = [];
  let writer: FileWriter | undefined;
  const folderRecords = new Map<string, FolderRecord>();
  const made = new Set<string>();
  // Output paths are checked relative `/`-separated paths (checkOutputPaths): a join needs no normalizing.
  const stagingPrefix = staging.endsWith(path.sep) ? staging : staging + path.sep;
  const ensureParent = (file: string): void => {
    const slash = file.lastIndexOf('/');
    if (slash < 0) return;
    const parent = file.slice(0, slash);
    if (made.has(parent)) return;
    const missing: string[] = [];
    for (let folder = parent; folder !== '.' && !made.has(folder); folder = path.posix.dirname(folder)) {
      missing.push(folder);
      made.add(folder);
    }
    if (!writer) mkdirSync(path.join(staging, parent), { recursive: true });
    else for (const folder of missing.reverse()) writer.folder(stagingPrefix + folder);
  };
  /** Puts the previous output's file into the staging tree: a hard link, else a copy. */
  const takeFromPrevious = (file: string, orCopy: boolean): boolean => {
    if (!previous) return false;
    ensureParent(file);
    const source = path.join(previous.folder, file);
    const target = path.join(staging, file);
    try {
      linkSync(source, target);
      return true;
    } catch {
      // A file system without hard links (or across devices): the file is written or copied instead.
      if (!orCopy) return false;
      copyFileSync(source, target, constants.COPYFILE_EXCL);
      return true;
    }
  };

  // Unchanged files left in place while only the changes are staged; linked if the tree is staged after all.
  const kept: string[] = [];
  const put: string[] = [];
  let done = 0;
  let written = 0;
  let linked = 0;
  const stageWholeTree = (): void => {
    inPlace = false;
    for (const file of kept) takeFromPrevious(file, true);
    linked += kept.length;
    kept.length = 0;
  };

  const keyNamespace = record ? options.keyNamespace : undefined;
  const keys = keyNamespace === undefined ? undefined : new Map<string, string>();
  const previousKeys =
    keyNamespace !== undefined && previous?.manifest.groups?.namespace === keyNamespace
      ? previous.manifest.groups.keys
      : undefined;
  const groups = { made: [] as string[], reused: 0, stored: 0 };

  /** Puts one file of a made or stored group into the staging tree (or leaves it in place). */
  const place = (
    file: string,
    hash: string,
    write: (
      target: string,
      writer: FileWriter | undefined,
      done: ((stats: WrittenStats) => void) | undefined,
    ) => void,
  ): void => {
    const same = previous && unchanged(previous, file, hash);
    if (same && inPlace) {
      files.set(file, same);
      kept.push(file);
    } else if (same && takeFromPrevious(file, false)) {
      files.set(file, same);
      linked += 1;
    } else {
      ensureParent(file);
      const target = stagingPrefix + file;
      written += 1;
      if (writer) {
        // Its record (in `files` now, so that they keep the plan's order) gets the stats once written.
        const entry: OutputRecord = { hash, size: 0, mtimeMs: 0, ino: 0 };
        if (record) files.set(file, entry);
        write(target, writer, (stats) => Object.assign(entry, stats));
      } else {
        write(target, undefined, undefined);
        if (record) {
          const stats = lstatSync(target);
          files.set(file, { hash, size: stats.size, mtimeMs: stats.mtimeMs, ino: stats.ino });
        }
      }
      if (inPlace) {
        put.push(file);
        if (put.length + removed.length > options.maxChanges) stageWholeTree();
      }
    }
    done += 1;
    options.onWritten(done);
  };

  // Which groups are reused from the previous output: the same key, and their files still on disk.
  const reusedRecords = plan.map((group) => {
    const first = group.paths[0];
    const key = keys && first !== undefined ? group.key : undefined;
    return key !== undefined && previousKeys?.get(first!) === key
      ? recordsOnDisk(previous!, group.paths)
      : undefined;
  });
  const toMake = reusedRecords.filter((records) => records === undefined).length;
  const speculation = options.speculation;
  if (speculation && (!wholeTree || !keys)) {
    throw new BroadsheetError(
      'invalid-argument',
      'a speculation needs a whole tree with nothing to link, and keys',
    );
  }
  const store = speculation
    ? speculation.store
    : keys && options.openStore && toMake * 4 > plan.length
      ? await options.openStore()
      : undefined;
  if (speculation) {
    writers.push(speculation.writer);
    writer = speculation.writer;
  } else if (wholeTree) {
    // A tree written mostly from the store is only system calls (its files' records are read and
    // written on the writers): several writers share them. One made mostly here needs one.
    let stored = 0;
    if (store) {
      for (const [index, group] of plan.entries()) {
        if (!reusedRecords[index] && group.key !== undefined && store.has(group.key)) stored += 1;
      }
    }
    const count = stored * 2 > plan.length ? writerCount() : 1;
    for (let index = 0; index < count; index++) writers.push(FileWriter.start(undefined, staging));
    void FileWriter.releaseSpares();
    writer = writers[0];
  }
  /**
   * The writer of the group at `index`: runs of {@link WRITER_RUN} groups each, so that each writer
   * reads its stored records in runs of the segment rather than every window of it.
   */
  const writerOf = (index: number): FileWriter => writers[Math.floor(index / WRITER_RUN) % writers.length]!;
  // The stored files of the next groups to write from the store, read a batch at a time.
  const fromStore = new Map<number, StoredFile[]>();
  let readUpTo = 0;
  const storedFiles = (index: number): StoredFile[] | undefined => {
    if (!store) return undefined;
    if (index >= readUpTo) {
      const batch: number[] = [];
      let next = index;
      for (; next < plan.length && batch.length < STORE_BATCH; next++) {
        const key = plan[next]!.key;
        if (!reusedRecords[next] && key !== undefined && store.has(key)) batch.push(next);
      }
      readUpTo = next;
      const read = store.read(batch.map((at) => plan[at]!.key!));
      for (const [at, groupIndex] of batch.entries()) {
        if (read[at]) fromStore.set(groupIndex, read[at]!);
      }
    }
    const found = fromStore.get(index);
    fromStore.delete(index);
    return found && samePaths(found, plan[index]!.paths) ? found : undefined;
  };

  // With a writer thread, the store's records go through it: it reads and checks a stored group's
  // record and writes its files, and appends each made group's record to this build's segment from
  // the bytes it writes anyway; this thread only indexes them (docs/decisions/output-store.md).
  const storeByWriter = writer ? store : undefined;
  /** Each writer's segment of the store, where the records of the groups it wrote go. */
  const segments = new Map<FileWriter, ExternalSegment>();
  /** Stored groups whose record the writer found unsound: made after all. */
  const unsound: number[] = [];
  // The speculated groups this build produces; the others are cancelled or removed (queued first).
  const matched = speculation?.match(plan, folders);
  /** The records of the files of each speculated group kept, filled with their stats once written. */
  const speculated = new Map<number, OutputRecord[]>();

  const encoder = new MadeBytes();
  /** Makes a group: every file made, hashed and placed; stored when the store is open. */
  const makeGroup = (group: KeyedGroup, key: string | undefined): void => {
    const first = group.paths[0];
    if (first !== undefined) groups.made.push(first);
    const made = group.make();
    if (storeByWriter && key !== undefined && made.every((file) => file.source === undefined)) {
      // Each file's text is encoded once: hashed, sized and copied into the writer's batch from there.
      encoder.reset();
      const encoded = made.map((file) => encoder.encode(file.contents));
      const entries: StoredEntry[] = made.map((file, at) => ({
        path: file.path,
        hash: record ? encoded[at]!.hash : '',
        size: encoded[at]!.bytes.length,
      }));
      let segment = segments.get(writer!);
      if (!segment) {
        segment = storeByWriter.segment();
        segments.set(writer!, segment);
      }
      const lineBytes = writer!.beginRecord(segment.file, storeByWriter.line(entries));
      for (const [at, file] of made.entries()) {
        const { hash, size } = entries[at]!;
        place(file.path, hash, (target, writer, done) =>
          writer!.file(target, encoded[at]!.bytes, done!, true, size),
        );
      }
      writer!.endRecord(key);
      storeByWriter.saved(segment, key, entries, lineBytes);
      return;
    }
    const toStore: FileToStore[] | undefined = store && key !== undefined ? [] : undefined;
    for (const file of made) {
      // A file copied from the site (`source`) is hashed by its bytes, as a made file by its text's.
      const bytes = file.source === undefined ? undefined : readFileSync(file.source);
      // The hash of the text (its UTF-8 bytes) is the one cost every file pays; the size is the file's.
      const hash = record ? contentHash(bytes ?? file.contents) : '';
      // Files of the site are not stored (they are linked or copied from it): nor is their group.
      if (file.source === undefined) toStore?.push({ path: file.path, hash, contents: file.contents });
      place(file.path, hash, (target, writer, done) => {
        if (writer && file.source === undefined) writer.file(target, file.contents, done!);
        else if (writer) writer.verbatim(file.source!, target, done!);
        else if (file.source === undefined) writeFileSync(target, file.contents, { flag: 'wx' });
        else copyVerbatim(file.source, target, bytes!);
      });
    }
    if (toStore && toStore.length === made.length) store!.save(key!, toStore);
  };

  /** Has the writer write a stored group from its record; one found unsound is made at the end. */
  const writeStored = (index: number, key: string, stored: StoredPlace): void => {
    groups.stored += 1;
    storeByWriter!.keep(key);
    let sound = true;
    const unsoundRecord = () => {
      if (!sound) return;
      sound = false;
      storeByWriter!.reject(key);
      unsound.push(index);
    };
    writer!.fromRecord(stored, (ok) => {
      if (!ok) unsoundRecord();
    });
    for (const file of stored.files) {
      ensureParent(file.path);
      written += 1;
      const entry: OutputRecord = { hash: file.hash, size: 0, mtimeMs: 0, ino: 0 };
      if (record) files.set(file.path, entry);
      writer!.recordFile(stagingPrefix + file.path, file.size, (stats) => {
        if (stats.size >= 0) Object.assign(entry, stats);
        else unsoundRecord();
      });
      done += 1;
      options.onWritten(done);
    }
  };

  try {
    let turned = performance.now();
    for (const [index, group] of plan.entries()) {
      if (writers.length > 1) writer = writerOf(index);
      const first = group.paths[0];
      const key = keys && first !== undefined ? group.key : undefined;
      if (key !== undefined) keys!.set(first!, key);
      const reused = reusedRecords[index];
      const number = matched?.[index];
      const located =
        !reused && number === undefined && storeByWriter && key !== undefined
          ? storeByWriter.locate(key, group.paths)
          : undefined;
      const stored = reused || storeByWriter ? undefined : storedFiles(index);
      if (number !== undefined) {
        // Written since the build started, from the store (or being written): its records get the stats later.
        groups.stored += 1;
        store!.keep(key!);
        const entries = speculation!.files(number).map((file) => {
          const entry: OutputRecord = { hash: file.hash, size: 0, mtimeMs: 0, ino: 0 };
          if (record) files.set(file.path, entry);
          written += 1;
          done += 1;
          options.onWritten(done);
          return entry;
        });
        speculated.set(number, entries);
      } else if (reused) {
        // The same inputs made these very files last time, and they are still there: nothing to make.
        groups.reused += 1;
        if (key !== undefined) store?.keep(key);
        for (const [at, file] of group.paths.entries()) {
          files.set(file, reused[at]!);
          if (inPlace) kept.push(file);
          else takeFromPrevious(file, true);
          done += 1;
          options.onWritten(done);
        }
        if (!inPlace) linked += group.paths.length;
      } else if (located) {
        // An earlier build made these files from the same inputs: the writer writes them as it made them.
        writeStored(index, key!, located);
      } else if (stored) {
        // An earlier build made these files from the same inputs: they are written as it made them.
        groups.stored += 1;
        for (const file of stored) {
          place(file.path, file.hash, (target, writer, done) => {
            if (writer) writer.file(target, file.bytes, done!);
            else writeFileSync(target, file.bytes, { flag: 'wx' });
          });
        }
      } else {
        makeGroup(group, key);
      }
      if (performance.now() - turned >= YIELD_EVERY_MS) {
        for (const each of writers) await each.settle();
        await nextTurn();
        turned = performance.now();
      }
    }
    if (speculation) {
      // This thread writes a share of what the writer has not written yet, then waits for it.
      await speculation.takeShare();
      await writer!.flush();
      for (const [index, number] of matched!.entries()) {
        if (number === undefined) continue;
        const outcome = speculation.outcome(number);
        const entries = speculated.get(number)!;
        if (outcome.stats) {
          for (const [at, stats] of outcome.stats.entries()) Object.assign(entries[at]!, stats);
          continue;
        }
        // Not written (an unsound record, a failed write): what may be there is removed, the group made.
        if (outcome.unsound) store!.reject(plan[index]!.key!);
        for (const file of plan[index]!.paths) writer!.unlink(stagingPrefix + file);
        unsound.push(index);
      }
    }
    if (storeByWriter) {
      // The groups whose record was unsound are made now (their files' records are in `files` already, in plan order).
      for (const each of writers) await each.flush();
      for (const index of unsound.sort((a, b) => a - b)) {
        const group = plan[index]!;
        writer = writerOf(index);
        groups.stored -= 1;
        written -= group.paths.length;
        done -= group.paths.length;
        makeGroup(group, group.key);
      }
      for (const each of writers) {
        each.closeStore((bytes) => {
          const segment = segments.get(each);
          if (segment) storeByWriter.segmentDone(segment, bytes === segment.size);
        });
      }
    }
    // The folders' records, once every file is in: a whole tree swapped in keeps them (only `''` changes).
    if (writer && record) {
      // A folder is complete once every writer is done with its files; the writers and this thread
      // then state a share of the folders each (one operation per writer).
      for (const each of writers) await each.flush();
      const list = [...folders];
      const share = Math.ceil(list.length / (writers.length + 1));
      const setRecord = (folder: string, mtimeMs: number, ino: number) =>
        folderRecords.set(folder, { mtimeMs, ino });
      for (const [at, each] of writers.entries()) {
        const mine = list.slice(at * share, (at + 1) * share);
        each.statMany(
          mine.map((folder) => stagingPrefix + folder),
          (stats) => {
            for (const [index, folder] of mine.entries())
              setRecord(folder, stats[3 * index + 1]!, stats[3 * index + 2]!);
          },
        );
      }
      for (const folder of list.slice(writers.length * share)) {
        const stats = lstatSync(stagingPrefix + folder);
        setRecord(folder, stats.mtimeMs, stats.ino);
      }
    }
    await Promise.all(writers.map((each) => each.finish()));
    await FileWriter.releaseSpares();
  } catch (error) {
    speculation?.stop();
    await Promise.all(writers.map((each) => each.finish().catch(() => {})));
    await FileWriter.releaseSpares();
    // Closed (its files are): its index then holds what this build read or stored, all still valid.
    await store?.close();
    throw error;
  }
  const common = {
    files,
    folders,
    written,
    linked,
    groups,
    keys: keys && { namespace: keyNamespace!, keys },
    store,
    folderRecords: folderRecords.size === folders.size ? folderRecords : undefined,
  };
  return inPlace ? { kind: 'changes', put, removed, ...common } : { kind: 'tree', ...common };
}

/**
 * Starts the file writer threads a build into `out` will likely want while it computes what comes
 * before writing (src/build/build-site.ts): none when `out` exists (a warm build links from it);
 * else as many as {@link stagePlan} takes for a tree written from the output store when the cache
 * folder `cacheFolder` has one, else one. {@link FileWriter.releaseSpares} stops those not taken.
 */
export function prestartWriters(out: string, cacheFolder: string): void {
  if (existsSync(out)) return;
  FileWriter.prestart(hasOutputStore(cacheFolder) ? writerCount() : 1);
}

/** Stops the writer threads of {@link prestartWriters} that no build took. */
export function releaseWriters(): Promise<void> {
  return FileWriter.releaseSpares();
}

/**
 * How many writer threads share a tree written mostly from the output store:
 * `BROADSHEET_FILE_WRITERS` when set (1 to {@link MAX_WRITERS}), else one per core beside the main
 * thread's, up to {@link MAX_WRITERS}. On 2 cores that is one: a second writer cost more CPU (its
 * start-up) than it saved, measured (docs/decisions/performance.md).
 */
function writerCount(): number {
  const asked = Number(process.env.BROADSHEET_FILE_WRITERS);
  if (Number.isInteger(asked) && asked >= 1) return Math.min(asked, MAX_WRITERS);
  return Math.max(1, Math.min(MAX_WRITERS, availableParallelism() - 1));
}

/**
 * Whether no file of the previous output can be linked: there is none, or the checks on disk found
 * none of its files as recorded (its `out` is gone: a CI job, a removed or new `out`).
 */
function nothingToLink(previous: StagePlanOptions['previous']): boolean {
  if (!previous) return true;
  const { onDisk } = previous;
  if (!onDisk) return false;
  for (const file of previous.manifest.files.keys()) if (onDisk.fileUnchanged(file)) return false;
  return true;
}

/** Whether stored files are at exactly these paths, in this order. */
function samePaths(files: readonly StoredFile[], paths: readonly string[]): boolean {
  return files.length === paths.length && files.every((file, index) => file.path === paths[index]);
}

/** The previous records of `files` when every one of them is still on disk as recorded; else `undefined`. */
function recordsOnDisk(
  previous: { folder: string; manifest: OutputManifest; onDisk?: OutputOnDisk },
  files: readonly string[],
): OutputRecord[] | undefined {
  const records: OutputRecord[] = [];
  for (const file of files) {
    const record = previous.manifest.files.get(file);
    if (!record || !stillOnDisk(previous, file, record)) return undefined;
    records.push(record);
  }
  return records;
}

/** Whether the file in the previous output is still the one its record describes (inode, size, mtime). */
function stillOnDisk(
  previous: { folder: string; onDisk?: OutputOnDisk },
  file: string,
  record: OutputRecord,
): boolean {
  if (previous.onDisk) return previous.onDisk.fileUnchanged(file);
  const stats = lstatSync(path.join(previous.folder, file), { throwIfNoEntry: false });
  return (
    stats?.isFile() === true &&
    stats.ino === record.ino &&
    stats.size === record.size &&
    stats.mtimeMs === record.mtimeMs
  );
}

/** The previous output's record of `file` when its bytes are the same and it is still on disk as recorded. */
function unchanged(
  previous: { folder: string; manifest: OutputManifest; onDisk?: OutputOnDisk },
  file: string,
  hash: string,
): OutputRecord | undefined {
  const record = previous.manifest.files.get(file);
  if (!record || record.hash !== hash) return undefined;
  return stillOnDisk(previous, file, record) ? record : undefined;
}

/** Every folder that holds an output file (relative, `/`-separated; not `''`, the output folder itself). */
export function foldersOf(files: readonly string[]): Set<string> {
  const folders = new Set<string>();
  for (const file of files) {
    for (let slash = file.lastIndexOf('/'); slash > 0; slash = file.lastIndexOf('/', slash - 1)) {
      const folder = file.slice(0, slash);
      if (folders.has(folder)) break;
      folders.add(folder);
    }
  }
  return folders;
}

/**
 * The records of `folders` (and of the output folder itself, `''`) as they are now on disk, or
 * `undefined` when one cannot be read (the next build then writes the whole tree). Never throws:
 * it runs after the output was replaced, when the build has succeeded.
 */
export function recordFolders(out: string, folders: Iterable<string>): Map<string, FolderRecord> | undefined {
  const records = new Map<string, FolderRecord>();
  try {
    for (const folder of ['', ...folders]) {
      const stats = lstatSync(path.join(out, folder), { throwIfNoEntry: false });
      if (!stats?.isDirectory()) return undefined;
      records.set(folder, { mtimeMs: stats.mtimeMs, ino: stats.ino });
    }
  } catch {
    return undefined;
  }
  return records;
}

/**
 * Puts a file of the site (a `static/` file) at `target`: a hard link when the file system allows
 * one (no copy of the bytes), else a copy, else the bytes already read.
 */
function copyVerbatim(source: string, target: string, bytes: Uint8Array): void {
  try {
    linkSync(source, target);
    return;
  } catch {
    // Another device, or links not allowed: copy.
  }
  try {
    copyFileSync(source, target, constants.COPYFILE_EXCL);
  } catch {
    writeFileSync(target, bytes, { flag: 'wx' });
  }
}
