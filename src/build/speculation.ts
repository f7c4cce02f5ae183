import {
  closeSync,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { FileWriter, type SpeculationJob, type WrittenStats } from './file-writer';
import {
  claimSibling,
  MARKER_FILE,
  MARKER_TEXT,
  releaseSibling,
  removeMarkedFolder,
  siblingPath,
} from './out-folder';
import type { KeyedGroup } from './output-keys';
import { OutputStore, readStoreIndex, rememberedOut, type StoredEntry } from './output-store';
import { foldersOf, isSafeOutputPath } from './write-tree';

/**
 * An index entry's state in {@link SpeculationJob.claims} (the writer thread's `speculate` uses the
 * same numbers as literals): not claimed yet; being written by the writer; cancelled (not this
 * build's); written; never written (its entry or record failed a check); failed while writing
 * (some of its files may be there); taken by the main thread to write itself.
 */
const Claim = { free: 0, writing: 1, cancelled: 2, written: 3, unsound: 4, failed: 5, taken: 6 } as const;

/** Bytes the writer reads from a segment at a time (records are read in segment order). */
const READ_WINDOW_BYTES = 1 << 20;

/** How long the main thread writes taken groups before it lets the event loop turn. */
const YIELD_EVERY_MS = 20;

/**
 * An index entry is at least this many characters (its 64-digit key and brackets), a file of an
 * entry at least this many (`["","",0],`): the shared arrays are sized from the index's length.
 */
const MIN_ENTRY_CHARS = 64;
const MIN_FILE_CHARS = 8;

/** Sibling numbers of speculative staging folders start here, apart from the build's own (`createSibling`). */
const FIRST_SEQUENCE = 1_000_000;
let sequence = FIRST_SEQUENCE;

/**
 * When a CI build starts writing the last build's files ({@link Speculation}): `early` (the default),
 * at the start of the build, beside the load; `late`, once the keys are known, the writer and the
 * main thread then sharing the stored groups; `off`: not at all. `BROADSHEET_SPECULATE` chooses.
 * On a quiet 2-core machine `early` was the fastest of the three (docs/decisions/output-store.md).
 */
export function speculationStart(env: NodeJS.ProcessEnv = process.env): 'early' | 'late' | 'off' {
  const asked = env.BROADSHEET_SPECULATE;
  if (asked === 'early' || asked === 'late' || asked === 'off') return asked;
  return 'early';
}

/** A speculated group this build produces: its key, files (as the index describes them) and record's place. */
interface Kept {
  key: string;
  files: StoredEntry[];
  file: string;
  offset: number;
}

/**
 * A CI build's head start (docs/decisions/output-store.md, "Round four"): where the output folder is
 * gone but the output store holds the last build, the file writer thread writes the last build's
 * stored groups into a new staging folder from the start of the build, while this thread loads,
 * plans and computes the keys. Once the keys are known, {@link Speculation.match} keeps each
 * group whose key is the one written, cancels the others not written yet and queues the removal of
 * those written; a group made or changed is then written over (after the removals: the writer runs
 * its operations in order). The staging folder is an ordinary one (the marker first): a failed or
 * killed build leaves the output as it was, and the folder is removed (by the next build, if killed).
 *
 * @example
 * ```ts
 * const speculation = Speculation.start({ root, out, cacheFolder });
 * // … load, plan, compute the keys …
 * const staging = await speculation?.adopt(out, keyNamespace); // undefined: discarded
 * ```
 */
export class Speculation {
  /** How many groups the writer and this thread ({@link Speculation.takeShare}) wrote. */
  readonly shares = { writer: 0, main: 0 };
  private adopted = false;
  private stopped = false;
  private discarded: Promise<void> | undefined;
  /** The index's text until the store is opened from it ({@link Speculation.adopt}). */
  private text: string | undefined;
  private opened: OutputStore | undefined;
  /** The speculated groups this build produces, by their entry's position in the index. */
  private readonly kept = new Map<number, Kept>();

  private constructor(
    private readonly root: string,
    private readonly cacheFolder: string,
    /** The output folder the staging folder is beside. */
    private readonly out: string,
    /** The staging folder, created with its marker. */
    readonly staging: string,
    /** The writer thread that writes it, and then the rest of the build's files. */
    readonly writer: FileWriter,
    index: { text: string; segments: string },
    private readonly job = speculationJob(index, staging),
  ) {
    this.text = index.text;
    writer.speculate(job, (written) => {
      this.shares.writer = written;
    });
  }

  /**
   * Starts writing the last build's stored groups into a staging folder beside `out` (default: the
   * output folder of the last whole tree written with the store), when `out` is gone and the cache
   * folder has an output store: this thread only reads the store's index (the writer parses it);
   * otherwise `undefined`. Never throws: a speculation that cannot start is none.
   */
  static start(options: {
    root: string;
    out: string | undefined;
    cacheFolder: string;
    /** Starts the writer of the staging folder (tests: a writer that starts late). Default: `FileWriter.start`. */
    startWriter?: (staging: string) => FileWriter;
  }): Speculation | undefined {
    const out = options.out ?? rememberedOut(options.cacheFolder);
    if (out === undefined || existsSync(out) || !existsSync(path.dirname(out))) return undefined;
    const index = readStoreIndex(options.cacheFolder);
    if (!index) return undefined;
    for (;;) {
      sequence += 1;
      const staging = siblingPath(out, 'tmp', sequence);
      try {
        mkdirSync(staging);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
        return undefined;
      }
      claimSibling(staging);
      try {
        // The marker first, so that a build killed from here on leaves a folder the next one removes.
        writeFileSync(path.join(staging, MARKER_FILE), MARKER_TEXT, { flag: 'wx' });
      } catch {
        rmSync(staging, { recursive: true, force: true });
        releaseSibling(staging);
        return undefined;
      }
      const writer = (options.startWriter ?? ((root) => FileWriter.start(undefined, root)))(staging);
      return new Speculation(options.root, options.cacheFolder, out, staging, writer, index);
    }
  }

  /**
   * The staging folder, for a build into `out` whose groups are keyed under `namespace`, when it
   * can go on from what was written: the same `out`, still gone, and the store's index of that
   * namespace (this thread opens the store from the index's text now). Otherwise the speculation
   * is discarded ({@link Speculation.discard}) and `undefined` returned.
   */
  async adopt(out: string, namespace: string | undefined): Promise<string | undefined> {
    if (!this.stopped && this.text !== undefined && out === this.out && !existsSync(out)) {
      this.opened = OutputStore.fromIndex({ root: this.root, folder: this.cacheFolder, text: this.text });
      this.text = undefined;
    }
    if (!this.opened || this.opened.namespace !== namespace) {
      await this.discard();
      return undefined;
    }
    this.adopted = true;
    return this.staging;
  }

  /** The output store the speculation wrote from (opened by {@link Speculation.adopt}; the build closes it). */
  get store(): OutputStore {
    return this.opened!;
  }

  /**
   * Stops the writer and removes the staging folder, unless the speculation was adopted (the build
   * then owns the folder and the writer). Never throws; safe to call again.
   */
  discard(): Promise<void> {
    if (this.adopted) return Promise.resolve();
    this.discarded ??= (async () => {
      this.stop();
      this.text = undefined;
      await this.writer.finish().catch(() => {});
      await removeMarkedFolder(this.staging).catch(() => {});
      releaseSibling(this.staging);
    })();
    return this.discarded;
  }

  /** Stops the writer before its next group (a failed build): what it wrote stays for the caller to remove. */
  stop(): void {
    this.stopped = true;
    Atomics.store(this.job.claims, this.job.claims.length - 1, 1);
  }

  /**
   * Matches the plan with the groups speculated: `matched[index]` is the position in the store's
   * index of the entry of the plan's group at `index` (the same key and paths), else `undefined`.
   * Each stored group this build does not produce is cancelled if the writer has not claimed it
   * yet; else the removal of its files, then of the folders only they needed, is queued on the
   * writer (which runs them after the speculation, before anything queued later).
   */
  match(plan: readonly KeyedGroup[], folders: ReadonlySet<string>): (number | undefined)[] {
    const store = this.store;
    const { claims, prefix } = this.job;
    const last = claims.length - 1;
    const matched = plan.map((group) => {
      const found = group.key === undefined ? undefined : store.describe(group.key, group.paths);
      const position = found?.position;
      if (position === undefined || position >= last || this.kept.has(position)) return undefined;
      this.kept.set(position, {
        key: group.key!,
        files: found!.files,
        file: found!.file,
        offset: found!.offset,
      });
      return position;
    });
    const removed: string[] = [];
    for (const key of store.keys()) {
      const position = store.position(key);
      if (position === undefined || position >= last || this.kept.has(position)) continue;
      const state = Atomics.compareExchange(claims, position, Claim.free, Claim.cancelled);
      // Never written: cancelled now, or left out by the writer (its files may be another group's).
      if (state === Claim.free || state === Claim.unsound) continue;
      for (const file of store.describe(key)?.files ?? []) {
        if (!isSafeOutputPath(file.path)) continue;
        removed.push(file.path);
        this.writer.unlink(prefix + file.path);
      }
    }
    const stale = [...foldersOf(removed)].filter((folder) => !folders.has(folder));
    // Children before their parents: a parent sorts before its children (a prefix sorts first).
    for (const folder of stale.sort().reverse()) this.writer.removeFolder(prefix + folder);
    return matched;
  }

  /** The files of the speculated group at `position` (from {@link Speculation.match}) as the index describes them. */
  files(position: number): readonly StoredEntry[] {
    return this.kept.get(position)!.files;
  }

  /**
   * Writes on this thread the kept groups the writer has not claimed yet, from the last one in the
   * writer's order (segment order) down, until it meets the writer: the two finish together. Reads
   * each record from the store ({@link OutputStore.read}, which checks it); one that fails is left
   * for the caller.
   */
  async takeShare(): Promise<void> {
    const store = this.store;
    const { claims, slots, next, stats, prefix } = this.job;
    const made = new Set<string>();
    const order = [...this.kept].sort(([, a], [, b]) =>
      a.file === b.file ? b.offset - a.offset : a.file < b.file ? 1 : -1,
    );
    let turned = performance.now();
    for (const [position, { key, files }] of order) {
      if (this.stopped) return;
      if (Atomics.compareExchange(claims, position, Claim.free, Claim.taken) !== Claim.free) continue;
      const [read] = store.read([key]);
      const sound =
        read !== undefined &&
        read.length === files.length &&
        read.every(
          (file, at) =>
            file.path === files[at]!.path &&
            file.hash === files[at]!.hash &&
            file.bytes.length === files[at]!.size,
        );
      // Not written here: a record that cannot be read was counted as corrupt by `read`; one that
      // does not match its index entry is counted now. The caller makes the group.
      let state: number = Claim.failed;
      if (read !== undefined && !sound) store.reject(key);
      const first = sound ? Atomics.add(next, 0, files.length) : 0;
      if (sound && 3 * (first + files.length) <= stats.length) {
        try {
          slots[position] = first;
          for (const [at, file] of read.entries()) {
            const folder = path.posix.dirname(file.path);
            if (folder !== '.' && !made.has(folder)) {
              mkdirSync(prefix + folder, { recursive: true });
              made.add(folder);
            }
            const written = createFile(prefix + file.path, file.bytes);
            stats[3 * (first + at)] = written.size;
            stats[3 * (first + at) + 1] = written.mtimeMs;
            stats[3 * (first + at) + 2] = written.ino;
          }
          state = Claim.written;
          this.shares.main += 1;
        } catch {
          // Left for the caller, which removes what was written and makes the group.
        }
      }
      Atomics.store(claims, position, state);
      if (performance.now() - turned >= YIELD_EVERY_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        turned = performance.now();
      }
    }
  }

  /**
   * Once the writer is done: the stats of the files of the kept group at `position`, in order,
   * when it was written (by the writer or this thread); else `undefined` (the caller removes what
   * may be there and makes the group). `unsound` tells an entry or record the writer found unsound.
   */
  outcome(position: number): { stats?: WrittenStats[]; unsound: boolean } {
    const { claims, slots, stats } = this.job;
    const state = Atomics.load(claims, position);
    if (state !== Claim.written) return { unsound: state === Claim.unsound };
    const first = slots[position]!;
    return {
      stats: this.kept.get(position)!.files.map((_, at) => ({
        size: stats[3 * (first + at)]!,
        mtimeMs: stats[3 * (first + at) + 1]!,
        ino: stats[3 * (first + at) + 2]!,
      })),
      unsound: false,
    };
  }
}

/**
 * The writer's job for the store's index `index` and the staging folder `staging`: its shared
 * arrays sized for the most entries and files an index of that length can hold.
 */
function speculationJob(index: { text: string; segments: string }, staging: string): SpeculationJob {
  const entries = Math.ceil(index.text.length / MIN_ENTRY_CHARS) + 1;
  const files = Math.ceil(index.text.length / MIN_FILE_CHARS) + 1;
  return {
    index: index.text,
    folder: index.segments + path.sep,
    prefix: staging + path.sep,
    claims: new Int32Array(new SharedArrayBuffer(4 * (entries + 1))),
    slots: new Int32Array(new SharedArrayBuffer(4 * entries)),
    next: new Int32Array(new SharedArrayBuffer(4)),
    stats: new Float64Array(new SharedArrayBuffer(8 * 3 * files)),
    window: READ_WINDOW_BYTES,
  };
}

/** Creates the new file `target` holding `bytes`; returns its stats. */
function createFile(target: string, bytes: Uint8Array): WrittenStats {
  const descriptor = openSync(target, 'wx');
  try {
    for (let done = 0; done < bytes.length; ) {
      const wrote = writeSync(descriptor, bytes, done, bytes.length - done);
      if (wrote === 0) throw new Error(`no progress writing ${target}`);
      done += wrote;
    }
    const { size, mtimeMs, ino } = fstatSync(descriptor);
    return { size, mtimeMs, ino };
  } finally {
    closeSync(descriptor);
  }
}
