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
import {
  hasOutputStore,
  OutputStore,
  rememberedOut,
  type StoredEntry,
  type StoredPlace,
} from './output-store';
import { foldersOf, isSafeOutputPath } from './write-tree';

/**
 * A group's state in {@link SpeculationJob.claims} (the writer thread's `speculate` uses the same
 * numbers as literals): not claimed yet; being written by the writer; cancelled (not this build's);
 * written; unsound (its record failed its checks: nothing written); failed while writing (some of
 * its files may be there); taken by the main thread to write itself.
 */
const Claim = { free: 0, writing: 1, cancelled: 2, written: 3, unsound: 4, failed: 5, taken: 6 } as const;

/** Bytes the writer reads from a segment at a time (records are read in segment order). */
const READ_WINDOW_BYTES = 1 << 20;

/** How long the main thread writes taken groups before it lets the event loop turn. */
const YIELD_EVERY_MS = 20;

/** Sibling numbers of speculative staging folders start here, apart from the build's own (`createSibling`). */
const FIRST_SEQUENCE = 1_000_000;
let sequence = FIRST_SEQUENCE;

/** The job sent to the writer, with what the main thread needs of it later. */
interface Prepared {
  store: OutputStore;
  namespace: string;
  /** The groups of the job, in its order. */
  places: StoredPlace[];
  /** Each key's number in `places`. */
  byKey: Map<string, number>;
  job: SpeculationJob;
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
  private readonly prepared: Prepared | undefined;

  private constructor(
    private readonly root: string,
    private readonly cacheFolder: string,
    /** The output folder the staging folder is beside. */
    private readonly out: string,
    /** The staging folder, created with its marker. */
    readonly staging: string,
    /** The writer thread that writes it, and then the rest of the build's files. */
    readonly writer: FileWriter,
  ) {
    try {
      this.prepared = this.prepare();
    } catch {
      this.prepared = undefined;
    }
  }

  /**
   * Starts writing the last build's stored groups into a staging folder beside `out` (default: the
   * output folder of the last build that used the store), when `out` is gone and the cache folder
   * has an output store; otherwise `undefined`. Never throws: a speculation that cannot start is none.
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
    if (!hasOutputStore(options.cacheFolder)) return undefined;
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
      return new Speculation(
        options.root,
        options.cacheFolder,
        out,
        staging,
        (options.startWriter ?? ((root) => FileWriter.start(undefined, root)))(staging),
      );
    }
  }

  /**
   * The staging folder, for a build into `out` whose groups are keyed under `namespace`, when it
   * can go on from what was written: the same `out`, still gone, the same namespace. Otherwise the
   * speculation is discarded ({@link Speculation.discard}) and `undefined` returned.
   */
  async adopt(out: string, namespace: string | undefined): Promise<string | undefined> {
    const prepared = this.prepared;
    if (
      !prepared ||
      this.stopped ||
      out !== this.out ||
      namespace !== prepared.namespace ||
      existsSync(out)
    ) {
      await this.discard();
      return undefined;
    }
    this.adopted = true;
    return this.staging;
  }

  /** The output store the speculation reads (open; the build that adopted it closes it). */
  get store(): OutputStore {
    return this.prepared!.store;
  }

  /**
   * Stops the writer and removes the staging folder, unless the speculation was adopted (the build
   * then owns the folder and the writer). Never throws; safe to call again.
   */
  discard(): Promise<void> {
    if (this.adopted) return Promise.resolve();
    this.discarded ??= (async () => {
      this.stopped = true;
      const prepared = this.prepared;
      if (prepared) Atomics.store(prepared.job.claims, prepared.job.keys.length, 1);
      await this.writer.finish().catch(() => {});
      await removeMarkedFolder(this.staging).catch(() => {});
      releaseSibling(this.staging);
    })();
    return this.discarded;
  }

  /** Stops the writer before its next group (a failed build): what it wrote stays for the caller to remove. */
  stop(): void {
    this.stopped = true;
    const job = this.prepared?.job;
    if (job) Atomics.store(job.claims, job.keys.length, 1);
  }

  /**
   * Matches the plan with the groups speculated: `matched[index]` is the number of the speculated
   * group the plan's group at `index` is (the same key and paths), else `undefined`. Each
   * speculated group this build does not produce is cancelled if the writer has not claimed it yet,
   * else its files are removed, then the folders that only they needed (queued on the writer, which
   * runs them after the speculation, before anything queued later).
   */
  match(plan: readonly KeyedGroup[], folders: ReadonlySet<string>): (number | undefined)[] {
    const { places, byKey, job } = this.prepared!;
    const used = new Uint8Array(places.length);
    const matched = plan.map((group) => {
      const number = group.key === undefined ? undefined : byKey.get(group.key);
      if (number === undefined || used[number] || !samePaths(places[number]!.files, group.paths))
        return undefined;
      used[number] = 1;
      return number;
    });
    const removed: string[] = [];
    for (let number = 0; number < places.length; number++) {
      if (used[number]) continue;
      if (Atomics.compareExchange(job.claims, number, Claim.free, Claim.cancelled) === Claim.free) continue;
      for (const file of places[number]!.files) {
        removed.push(file.path);
        this.writer.unlink(job.prefix + file.path);
      }
    }
    const stale = [...foldersOf(removed)].filter((folder) => !folders.has(folder));
    // Children before their parents: a parent sorts before its children (a prefix sorts first).
    for (const folder of stale.sort().reverse()) this.writer.removeFolder(job.prefix + folder);
    return matched;
  }

  /** The files of the speculated group `number` as the store's index describes them. */
  files(number: number): readonly StoredEntry[] {
    return this.prepared!.places[number]!.files;
  }

  /**
   * Writes on this thread the speculated groups of `wanted` that the writer has not claimed yet, from
   * the last one down, until it meets the writer: the two finish together. Reads each record from
   * the store ({@link OutputStore.read}, which checks it); one that fails is left for the caller.
   */
  async takeShare(wanted: readonly number[]): Promise<void> {
    const { store, places, job } = this.prepared!;
    const made = new Set<string>();
    let turned = performance.now();
    for (const number of [...wanted].sort((a, b) => b - a)) {
      if (this.stopped) return;
      if (Atomics.compareExchange(job.claims, number, Claim.free, Claim.taken) !== Claim.free) continue;
      const place = places[number]!;
      const [read] = store.read([place.key]);
      const sound =
        read !== undefined &&
        read.length === place.files.length &&
        read.every(
          (file, at) =>
            file.path === place.files[at]!.path &&
            file.hash === place.files[at]!.hash &&
            file.bytes.length === place.files[at]!.size,
        );
      // Not written here: a record that cannot be read was counted as corrupt by `read`; one that
      // does not match its index entry is counted now. The caller makes the group.
      let state: number = Claim.failed;
      if (read !== undefined && !sound) store.reject(place.key);
      if (sound) {
        state = Claim.failed;
        try {
          let slot = job.firstFile[number]!;
          for (const file of read) {
            const folder = path.posix.dirname(file.path);
            if (folder !== '.' && !made.has(folder)) {
              mkdirSync(job.prefix + folder, { recursive: true });
              made.add(folder);
            }
            const stats = createFile(job.prefix + file.path, file.bytes);
            job.stats[3 * slot] = stats.size;
            job.stats[3 * slot + 1] = stats.mtimeMs;
            job.stats[3 * slot + 2] = stats.ino;
            slot += 1;
          }
          state = Claim.written;
          this.shares.main += 1;
        } catch {
          // Left for the caller, which removes what was written and makes the group.
        }
      }
      Atomics.store(job.claims, number, state);
      if (performance.now() - turned >= YIELD_EVERY_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        turned = performance.now();
      }
    }
  }

  /**
   * Once the writer is done: the stats of the files of speculated group `number`, in order, when
   * it was written (by the writer or this thread); else `undefined` (the caller removes what may
   * be there and makes the group). `unsound` tells a record that failed its checks on the writer.
   */
  outcome(number: number): { stats?: WrittenStats[]; unsound: boolean } {
    const { places, job } = this.prepared!;
    const state = Atomics.load(job.claims, number);
    if (state !== Claim.written) return { unsound: state === Claim.unsound };
    const first = job.firstFile[number]!;
    const stats = places[number]!.files.map((_, at) => ({
      size: job.stats[3 * (first + at)]!,
      mtimeMs: job.stats[3 * (first + at) + 1]!,
      ino: job.stats[3 * (first + at) + 2]!,
    }));
    return { stats, unsound: false };
  }

  /** Opens the store, makes the job of its groups and sends it to the writer. */
  private prepare(): Prepared | undefined {
    // On this thread, at once: the event loop turns seldom while the site loads.
    const store = OutputStore.openSync({ root: this.root, folder: this.cacheFolder });
    const namespace = store.namespace;
    const places = writablePlaces(store.places());
    if (places.length === 0) return undefined;
    const prefix = this.staging + path.sep;
    const segments: string[] = [];
    const segmentNumbers = new Map<string, number>();
    const count = places.length;
    const segment = new Int32Array(count);
    const offsets = new Float64Array(count);
    const lengths = new Float64Array(count);
    const firstFile = new Int32Array(count + 1);
    const byKey = new Map<string, number>();
    for (const [number, place] of places.entries()) {
      let at = segmentNumbers.get(place.file);
      if (at === undefined) {
        at = segments.push(place.file) - 1;
        segmentNumbers.set(place.file, at);
      }
      segment[number] = at;
      offsets[number] = place.offset;
      lengths[number] = place.length;
      firstFile[number + 1] = firstFile[number]! + place.files.length;
      byKey.set(place.key, number);
    }
    const job: SpeculationJob = {
      prefix,
      segments,
      segment,
      offsets,
      lengths,
      keys: places.map((place) => place.key),
      lines: places.map((place) => place.line),
      firstFile,
      claims: new Int32Array(new SharedArrayBuffer(4 * (count + 1))),
      stats: new Float64Array(new SharedArrayBuffer(8 * 3 * Math.max(1, firstFile[count]!))),
      window: READ_WINDOW_BYTES,
    };
    this.writer.speculate(job, (written) => {
      this.shares.writer = written;
    });
    return { store, namespace, places, byKey, job };
  }
}

/**
 * The stored groups a speculation writes, in segment order: those whose paths are safe output
 * paths (a damaged index never writes outside the staging folder), not the build's own names, and
 * neither taken by an earlier group nor a folder of another group's file.
 */
function writablePlaces(places: StoredPlace[]): StoredPlace[] {
  const sorted = places.sort((a, b) => (a.file === b.file ? a.offset - b.offset : a.file < b.file ? -1 : 1));
  const taken = new Set<string>();
  const kept = sorted.filter((place) => {
    const fine = place.files.every(
      (file) => isSafeOutputPath(file.path) && !file.path.startsWith('.broadsheet-') && !taken.has(file.path),
    );
    if (fine) for (const file of place.files) taken.add(file.path);
    return fine;
  });
  const folders = foldersOf([...taken]);
  return kept.filter((place) => place.files.every((file) => !folders.has(file.path)));
}

/** Whether the stored files are at exactly these paths, in this order. */
function samePaths(files: readonly StoredEntry[], paths: readonly string[]): boolean {
  return files.length === paths.length && files.every((file, index) => file.path === paths[index]);
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
