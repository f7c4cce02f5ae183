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

/** A document handed over early, and what became of it. */
interface EarlyDocument {
  job: RenderJob;
  /** Its cache key (none without a cache). */
  key: string;
  /** Its render, once its thread's answer has been read. */
  result?: RenderResult;
  /** Stopped at its time budget. */
  timedOut?: boolean;
}

/**
 * The render stage of a cold build, opened before the load validates its files. When the load will
 * render on threads (at least {@link WORKER_THRESHOLD} post and comment files, or threads asked for),
 * the threads start at once (`expect`), while the main thread still reads and validates; `offer`
 * hands them each document as soon as the load knows it will publish it (its markdown, URL, trust and
 * files). `render` is then {@link renderDocuments} for the load's final list of jobs: a job the
 * session was offered (same file, trust, URL, markdown and files) takes its early render; any other
 * is looked up in the cache and rendered by the threads and the main thread together. `discard`
 * drops everything for a load that failed: nothing is reported, the renders already made stay in the
 * cache (they are renders of valid documents).
 *
 * Only a cold build has one (no render cache of the current layout yet, or `cache: false`): a warm
 * build renders few documents, and it must not load the pool's code. A load given a config object,
 * with `workers: 0`, or a watch loop's (with its memo), uses `renderDocuments` alone.
 */
export class RenderSession {
  private readonly early = new Map<string, EarlyDocument>();
  /** The pool's documents, by their index in it. */
  private readonly inPool: EarlyDocument[] = [];
  private pool: RenderPool | undefined;
  private closing: Promise<void> | undefined;
  private readonly asked: { size: number; forced: boolean };

  private constructor(
    private readonly options: RenderStageOptions & { configFile: string },
    private readonly pluginIdentity: string,
    private readonly cache: RenderCache | undefined,
    private readonly poolModule: typeof import('./workers/render-pool'),
  ) {
    this.asked = workerCount(WORKER_THRESHOLD, options);
  }

  /**
   * Opens the session of a cold build: the render cache (to write to) and the worker pool's code,
   * so that threads can start while the load is synchronous. `undefined` when threads cannot render
   * (a config object, a watch loop's memo), are turned off, or the build is warm.
   */
  static async open(options: RenderStageOptions): Promise<RenderSession | undefined> {
    const { configFile } = options;
    const asked = options.workers ?? parseWorkers(process.env.BROADSHEET_WORKERS);
    if (configFile === undefined || options.memo || asked === 0) return undefined;
    const cached = options.cache !== false;
    if (cached && (await renderCacheExists(options.cacheFolder ?? (await cacheFolder(options.root))))) {
      return undefined;
    }
    const pluginIdentity = configIdentity(options.config.markdown);
    const [cache, poolModule] = await Promise.all([
      cached ? openCache(options, pluginIdentity) : undefined,
      import('./workers/render-pool'),
    ]);
    return new RenderSession({ ...options, configFile }, pluginIdentity, cache, poolModule);
  }

  /**
   * Says how many documents the load may render (its post and comment files): with at least
   * {@link WORKER_THRESHOLD} of them, or threads asked for, the threads start now and `offer` hands
   * them documents; otherwise `offer` does nothing and `render` is `renderDocuments`.
   */
  expect(documents: number): void {
    if (this.pool || this.asked.size === 0) return;
    if (this.asked.forced ? documents === 0 : documents < WORKER_THRESHOLD) return;
    const budgetMs = this.options.config.markdown.renderTimeoutMs;
    this.pool = new this.poolModule.RenderPool({
      root: this.options.root,
      configFile: this.options.configFile,
      size: this.asked.size,
      identity: this.pluginIdentity,
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
  }

  /** Hands the threads a document the load will publish unless a later check fails. */
  offer(job: RenderJob): void {
    const file = job.file;
    if (!this.pool || file === undefined || this.early.has(file)) return;
    const document = this.toPool(job, this.keyOf(job));
    this.early.set(file, document);
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
      if (this.pool) ({ keys, results } = await this.renderAll(jobs, this.pool, errors));
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

  /** Drops the session of a load that failed: stops the threads, keeps what was rendered in the cache. */
  discard(): Promise<void> {
    return this.close();
  }

  private close(): Promise<void> {
    this.closing ??= (async () => {
      await this.pool?.close();
      await this.cache?.close();
    })();
    return this.closing;
  }

  private keyOf(job: RenderJob): string {
    return this.cache ? this.cache.key(job.trust, job.url, job.markdown, job.assets) : '';
  }

  private toPool(job: RenderJob, key: string): EarlyDocument {
    const document: EarlyDocument = { job, key };
    this.inPool.push(document);
    this.pool!.add(job);
    return document;
  }

  private async renderAll(
    jobs: readonly RenderJob[],
    pool: RenderPool,
    errors: Diagnostic[],
  ): Promise<{ results: RenderResult[]; keys: string[] }> {
    const documents: EarlyDocument[] = [];
    // Jobs the session was not offered (or offered otherwise): from the cache, else to the threads.
    const rest: { at: number; key: string }[] = [];
    for (const [at, job] of jobs.entries()) {
      const offered = job.file === undefined ? undefined : this.early.get(job.file);
      if (offered && sameJob(offered.job, job)) documents[at] = offered;
      else rest.push({ at, key: this.keyOf(job) });
    }
    const hits = this.cache ? this.cache.getMany(rest.map(({ key }) => key)) : [];
    for (const [offset, { at, key }] of rest.entries()) {
      const hit = hits[offset];
      documents[at] = hit ? { job: jobs[at]!, key, result: hit } : this.toPool(jobs[at]!, key);
    }
    // The main thread renders alongside the threads, unless threads were asked for (tests).
    const outcome = await pool.finish(this.asked.forced ? undefined : mainThreadRenderer(this.options));
    // Asked for explicitly, a pool that cannot start is an error (see renderJobs).
    if ('failed' in outcome && this.asked.forced) throw new BroadsheetError('worker-failed', outcome.failed);
    const budgetMs = this.options.config.markdown.renderTimeoutMs;
    const renderHere = mainThreadRenderer(this.options);
    const results: RenderResult[] = [];
    for (const document of documents) {
      if (document.timedOut) {
        results.push(NO_RENDER);
        errors.push(timeoutDiagnostic(document.job, budgetMs));
        continue;
      }
      // What a pool that could not start did not render.
      if (!document.result) {
        document.result = await renderHere(document.job);
        this.cache?.set(document.key, document.result);
      }
      results.push(document.result);
    }
    return { results, keys: documents.map((document) => document.key) };
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
