// The render stage started early: a load hands each document over as soon as it is validated, and
// the worker threads render it while the load goes on (docs/decisions/performance.md, "Rendering
// while loading"). The simple path is renderDocuments (render-stage.ts); this is the machinery
// beside it, with the same results, byte for byte.
import { cacheFolder } from '../cache/location';
import type { Diagnostic } from '../diagnostics/diagnostic';
import { BroadsheetError } from '../errors';
import { assetsIdentity } from './assets-identity';
import { configIdentity } from './plugin-identity';
import { type RenderCache, renderCacheExists } from './render-cache';
import type { RenderResult } from './render-markdown';
import {
  hasMarkdownPlugins,
  mainThreadRenderer,
  NO_RENDER,
  needsThread,
  openCache,
  parseWorkers,
  type RenderJob,
  type RenderStageOptions,
  type RenderStageResult,
  renderJobs,
  timeoutDiagnostic,
  WORKER_THRESHOLD,
  workerCount,
} from './render-stage';
import type { RenderPool } from './workers/render-pool';
import { threadsStartQuickly } from './workers/worker-entry';

/**
 * In a warm build, the number of documents still to render when the load asks for them at or above
 * which the main thread renders alongside the threads; below it, it waits for them rather than load
 * the unified stack itself (measured at 100, 300 and 800 edited posts: waiting was 0.1–0.5 s faster;
 * see docs/decisions/render-speed.md, "Round four"). Far above it (a config change: every document)
 * a warm build renders as a cold one.
 */
export const MAIN_JOINS_AT = 1000;

/** A document handed over early, and what became of it. */
interface EarlyDocument {
  job: RenderJob;
  /** Its cache key (none without a cache). */
  key: string;
  /** Handed to the threads (else, in a warm build, a document the cache holds, read at `render`). */
  pooled?: boolean;
  /** Its render, once its thread's answer has been read. */
  result?: RenderResult;
  /** Stopped at its time budget. */
  timedOut?: boolean;
}

/**
 * The render stage of a build, opened before the load validates its files.
 *
 * A cold build's (no render cache of the current layout yet, or `cache: false`): when the load will
 * render on threads (at least {@link WORKER_THRESHOLD} post and comment files, or threads asked
 * for), the threads start at once (`expect`), while the main thread still reads and validates;
 * `offer` hands them each document as soon as the load knows it will publish it (its markdown, URL,
 * trust and files).
 *
 * A warm build's (a render cache to read): `offer` looks each document's key up in the cache's
 * index; the first one it does not hold (an edited post) starts one thread (`changed` may start it
 * sooner), which loads the unified stack and renders it while the main thread goes on loading.
 * The documents the cache holds are read at `render`, all at once. Only when threads start from the
 * built package: from source (tests) a thread takes seconds to start, so a warm build without
 * threads asked for has no session and renders as {@link renderDocuments} does.
 *
 * `render` is then {@link renderDocuments} for the load's final list of jobs: a job the session was
 * offered (same file, trust, URL, markdown and files) takes its early render or lookup; any other is
 * looked up in the cache and rendered by the threads (and the main thread, when there are many). `discard`
 * drops everything for a load that failed: nothing is reported, the renders already made stay in the
 * cache (they are renders of valid documents).
 *
 * A load given a config object, with `workers: 0`, or a watch loop's (with its memo), uses
 * `renderDocuments` alone.
 */
export class RenderSession {
  private readonly early = new Map<string, EarlyDocument>();
  /** The pool's documents, by their index in it. */
  private readonly inPool: EarlyDocument[] = [];
  private pool: RenderPool | undefined;
  private closing: Promise<void> | undefined;
  private loadingPool: Promise<void> | undefined;
  private readonly asked: { size: number; forced: boolean };

  private constructor(
    private readonly options: RenderStageOptions & { configFile: string },
    private readonly pluginIdentity: string,
    private readonly cache: RenderCache | undefined,
    /** The pool's code: loaded at `open` in a cold build, when a thread is to start in a warm one. */
    private poolModule: typeof import('./workers/render-pool') | undefined,
    /** A warm build's session: threads start at the first document the cache does not hold. */
    private readonly warm: boolean,
  ) {
    this.asked = workerCount(WORKER_THRESHOLD, options);
  }

  /**
   * Opens the session of a build: the render cache and the worker pool's code, so that threads can
   * start while the load is synchronous. `undefined` when threads cannot render (a config object, a
   * watch loop's memo), are turned off, or the build is warm and threads would start from source
   * without being asked for.
   */
  static async open(options: RenderStageOptions): Promise<RenderSession | undefined> {
    const { configFile } = options;
    const asked = options.workers ?? parseWorkers(process.env.BROADSHEET_WORKERS);
    if (configFile === undefined || options.memo || asked === 0) return undefined;
    const cached = options.cache !== false;
    const warm =
      cached && (await renderCacheExists(options.cacheFolder ?? (await cacheFolder(options.root))));
    const pluginIdentity = configIdentity(options.config.markdown);
    if (warm && asked === undefined && !threadsStartQuickly()) return undefined;
    const [cache, poolModule] = await Promise.all([
      cached ? openCache(options, pluginIdentity) : undefined,
      warm ? undefined : import('./workers/render-pool'),
    ]);
    return new RenderSession({ ...options, configFile }, pluginIdentity, cache, poolModule, warm);
  }

  /**
   * Says how many documents the load may render (its post and comment files): with at least
   * {@link WORKER_THRESHOLD} of them, or threads asked for, the threads start now and `offer` hands
   * them documents; otherwise `offer` does nothing and `render` is `renderDocuments`.
   */
  expect(documents: number): void {
    if (this.warm || this.pool || this.asked.size === 0) return;
    if (this.asked.forced ? documents === 0 : documents < WORKER_THRESHOLD) return;
    this.startPool(this.poolModule!, this.asked.size);
  }

  /**
   * Says, in a warm build, that `documents` post and comment files changed since the last load (the
   * loaded-post cache does not have them): when some did, the threads start now, before the load
   * knows which documents the render cache lacks (most likely those files').
   */
  changed(documents: number): Promise<void> {
    return this.warm && documents > 0 ? this.requestPool(this.warmSize(documents)) : Promise.resolve();
  }

  /**
   * Starts the threads, once the pool's code is loaded (a warm build loads it now): documents handed
   * over meanwhile wait in `inPool`, and go to the pool when it starts.
   */
  private requestPool(size: number): Promise<void> {
    if (this.pool) return Promise.resolve();
    if (this.poolModule) {
      this.startPool(this.poolModule, size);
      return Promise.resolve();
    }
    if (!this.loadingPool) {
      this.loadingPool = import('./workers/render-pool').then((module) => {
        this.poolModule = module;
        // A session discarded meanwhile starts nothing.
        if (!this.closing && !this.pool) this.startPool(module, size);
      });
      // Awaited by `render` and `close`, which report a failure to load it.
      this.loadingPool.catch(() => {});
    }
    return this.loadingPool;
  }

  /** The threads of a warm build with `documents` to render: as many as asked, else by their number, at least one. */
  private warmSize(documents: number): number {
    return this.asked.forced ? this.asked.size : Math.max(1, workerCount(documents, this.options).size);
  }

  private startPool(module: typeof import('./workers/render-pool'), size: number): void {
    const budgetMs = this.options.config.markdown.renderTimeoutMs;
    const pool = new module.RenderPool({
      root: this.options.root,
      configFile: this.options.configFile,
      size,
      identity: this.pluginIdentity,
      plugins: hasMarkdownPlugins(this.options.config),
      budgetMs,
      threadsOnly: (index) => needsThread(this.inPool[index]!.job, this.options),
      onResult: (index, result) => {
        const document = this.inPool[index]!;
        document.result = result;
        this.cache?.set(document.key, result);
      },
      onTimeout: (index) => {
        this.inPool[index]!.timedOut = true;
      },
    });
    this.pool = pool;
    // Documents handed over before the pool's code was loaded.
    for (const document of this.inPool) pool.add(document.job);
  }

  /**
   * Hands the threads a document the load will publish unless a later check fails; in a warm build,
   * looks it up in the cache's index first: one the cache holds is read at `render`, one it lacks
   * goes to the threads (started now if they are not).
   */
  offer(job: RenderJob): void {
    const file = job.file;
    if (file === undefined || this.early.has(file)) return;
    if (!this.warm) {
      if (this.pool) this.early.set(file, this.toPool(job, this.keyOf(job)));
      return;
    }
    const key = this.keyOf(job);
    if (this.cache!.has(key)) {
      this.early.set(file, { job, key });
      return;
    }
    void this.requestPool(this.warmSize(1));
    this.early.set(file, this.toPool(job, key));
  }

  /**
   * Renders the load's jobs, in their order, as {@link renderDocuments} does, taking each offered
   * job's early render; then stops the threads and closes the cache.
   */
  async render(jobs: readonly RenderJob[]): Promise<RenderStageResult> {
    try {
      const errors: Diagnostic[] = [];
      let keys: string[];
      let results: RenderResult[];
      if (this.pool || this.warm) ({ keys, results } = await this.renderAll(jobs, errors));
      else {
        keys = jobs.map((job) => this.keyOf(job));
        results = await renderJobs(jobs, this.options, this.pluginIdentity, this.cache, errors, keys);
      }
      // The render keys, as renderDocuments gives them (src/load/render-identity.ts).
      const keyed = this.cache && keys.map((key, index) => (results[index] === NO_RENDER ? undefined : key));
      return { results, warnings: this.cache?.warnings ?? [], errors, ...(keyed ? { keys: keyed } : {}) };
    } finally {
      await this.close();
    }
  }

  /**
   * Drops the session of a load that failed: stops the threads, keeps what was rendered in the cache,
   * and every entry the cache had (the load never got to look up what the next build needs).
   */
  discard(): Promise<void> {
    if (!this.closing) this.cache?.keepAll();
    return this.close();
  }

  private close(): Promise<void> {
    // The threads stop while the cache writes its index.
    this.closing ??= (async () => {
      await this.loadingPool?.catch(() => {});
      await Promise.all([this.pool?.close(), this.cache?.close()]);
    })();
    return this.closing;
  }

  private keyOf(job: RenderJob): string {
    return this.cache ? this.cache.key(job.trust, job.url, job.markdown, job.assets) : '';
  }

  private toPool(job: RenderJob, key: string): EarlyDocument {
    const document: EarlyDocument = { job, key, pooled: true };
    this.inPool.push(document);
    this.pool?.add(job);
    return document;
  }

  private async renderAll(
    jobs: readonly RenderJob[],
    errors: Diagnostic[],
  ): Promise<{ results: RenderResult[]; keys: string[] }> {
    const keys = new Array<string>(jobs.length);
    const results = new Array<RenderResult>(jobs.length);
    // The documents not read from the cache (rendered early, or to render): the others' results are set at once.
    const documents = new Array<EarlyDocument | undefined>(jobs.length);
    // Jobs the session was not offered (or offered otherwise), and those it looked up when offered:
    // from the cache, all read in one go, else rendered.
    const rest: number[] = [];
    for (let at = 0; at < jobs.length; at++) {
      const job = jobs[at]!;
      const offered = job.file === undefined ? undefined : this.early.get(job.file);
      if (offered && sameJob(offered.job, job)) {
        keys[at] = offered.key;
        if (offered.pooled) documents[at] = offered;
        else rest.push(at);
      } else {
        keys[at] = this.keyOf(job);
        rest.push(at);
      }
    }
    const hits = this.cache ? await this.cache.getMany(rest.map((at) => keys[at]!)) : [];
    const missing: number[] = [];
    for (let offset = 0; offset < rest.length; offset++) {
      const at = rest[offset]!;
      const hit = hits[offset];
      if (hit) results[at] = hit;
      else missing.push(at);
    }
    const budgetMs = this.options.config.markdown.renderTimeoutMs;
    await this.loadingPool;
    const pool =
      this.pool ??
      (missing.length > 0 && this.asked.forced ? await this.startWarmPool(missing.length) : undefined);
    if (pool) {
      for (const at of missing) documents[at] = this.toPool(jobs[at]!, keys[at]!);
      // The main thread renders alongside the threads, unless threads were asked for (tests) or, in
      // a warm build, there are too few documents left to pay for loading the unified stack here.
      const joins = !this.asked.forced && (!this.warm || pool.unrendered >= MAIN_JOINS_AT);
      const outcome = await pool.finish(joins ? mainThreadRenderer(this.options) : undefined);
      // Asked for explicitly, a pool that cannot start is an error (see renderJobs).
      if ('failed' in outcome && this.asked.forced)
        throw new BroadsheetError('worker-failed', outcome.failed);
    } else if (missing.length > 0) {
      // A warm build whose misses were found only now (a folder post, a changed URL): rendered as
      // renderDocuments does (here, or on threads when they are many or long).
      const rendered = await renderJobs(
        missing.map((at) => jobs[at]!),
        this.options,
        this.pluginIdentity,
        this.cache,
        errors,
        missing.map((at) => keys[at]!),
      );
      for (let offset = 0; offset < missing.length; offset++) results[missing[offset]!] = rendered[offset]!;
    }
    const renderHere = mainThreadRenderer(this.options);
    for (let at = 0; at < jobs.length; at++) {
      const document = documents[at];
      if (document === undefined) continue;
      if (document.timedOut) {
        results[at] = NO_RENDER;
        errors.push(timeoutDiagnostic(document.job, budgetMs));
        continue;
      }
      // What a pool that could not start did not render.
      if (!document.result) {
        document.result = await renderHere(document.job);
        this.cache?.set(document.key, document.result);
      }
      results[at] = document.result;
    }
    return { results, keys };
  }

  /** Starts the threads of a warm build that found its `documents` misses only at `render` (threads asked for). */
  private async startWarmPool(documents: number): Promise<RenderPool | undefined> {
    await this.requestPool(this.warmSize(documents));
    return this.pool;
  }
}

/** Whether two jobs render the same: same trust, URL, markdown and files. */
function sameJob(a: RenderJob, b: RenderJob): boolean {
  return (
    a.trust === b.trust &&
    a.url === b.url &&
    a.markdown === b.markdown &&
    (a.assets === b.assets || assetsIdentity(a.assets) === assetsIdentity(b.assets))
  );
}
