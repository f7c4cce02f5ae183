// The render stage started early: a load hands each document over as soon as it is validated, and
// the worker threads render it while the load goes on (docs/decisions/render-speed.md, "Rendering
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

/** Early documents looked up in the render cache with one call (its reads of neighbouring records are joined). */
const LOOKUP_BATCH = 256;

/** A document handed over early, and what became of it. */
interface EarlyDocument {
  job: RenderJob;
  /** Its cache key (none without a cache). */
  key: string;
  /** Its render: from the cache, or from a thread once its answer has been read. */
  result?: RenderResult;
  /** Its index in the pool, when a thread renders it. */
  inPool?: number;
  /** Stopped at its time budget. */
  timedOut?: boolean;
}

/**
 * The render stage of one load, opened before the load validates its files: `offer` takes a
 * document as soon as the load knows it will publish it (its markdown, URL, trust and files), looks
 * it up in the render cache (in batches) and, once there are enough documents to render
 * ({@link WORKER_THRESHOLD}, or one when threads are asked for), hands it to worker threads that
 * render it while the load goes on. `render` is then {@link renderDocuments} for the load's final
 * list of jobs: a job the session was offered (same file, trust, URL, markdown and files) takes its
 * early render; any other is rendered as `renderDocuments` would. `discard` drops everything for a
 * load that failed: nothing is reported, the renders already made stay in the cache.
 *
 * Only a build that renders on threads gains from it: a load given a config object, or with
 * `workers: 0`, or a watch loop's (with its memo), uses `renderDocuments` alone.
 */
export class RenderSession {
  private readonly early = new Map<string, EarlyDocument>();
  /** Offered documents not yet looked up in the cache. */
  private unlooked: EarlyDocument[] = [];
  /** Missed documents waiting for the pool (none started yet). */
  private held: EarlyDocument[] = [];
  /** The pool's documents, by their index in it. */
  private readonly inPool: EarlyDocument[] = [];
  private misses = 0;
  private pool: RenderPool | undefined;
  private poolFailed = false;
  private closing: Promise<void> | undefined;
  private readonly asked: { size: number; forced: boolean };

  private constructor(
    private readonly options: RenderStageOptions & { configFile: string },
    private readonly pluginIdentity: string,
    private readonly cache: RenderCache | undefined,
    /** The pool's module, loaded ahead when the build looks cold (a warm build never loads it). */
    private readonly poolModule: typeof import('./workers/render-pool') | undefined,
  ) {
    this.asked = workerCount(WORKER_THRESHOLD, options);
  }

  /**
   * Opens the session: the render cache, and when the build will render most documents (no render
   * cache yet, or `cache: false`) the worker pool's code, so that threads can start while the load
   * is synchronous. `undefined` when threads cannot render (a config object) or are turned off.
   */
  static async open(options: RenderStageOptions): Promise<RenderSession | undefined> {
    const { configFile } = options;
    const asked = options.workers ?? parseWorkers(process.env.BROADSHEET_WORKERS);
    if (configFile === undefined || options.memo || asked === 0) return undefined;
    const pluginIdentity = configIdentity(options.config.markdown);
    const cached = options.cache !== false;
    const [cache, cold] = await Promise.all([
      cached ? openCache(options, pluginIdentity) : undefined,
      cached
        ? renderCacheExists(options.cacheFolder ?? (await cacheFolder(options.root))).then((has) => !has)
        : true,
    ]);
    const poolModule = cold ? await import('./workers/render-pool') : undefined;
    return new RenderSession({ ...options, configFile }, pluginIdentity, cache, poolModule);
  }

  /**
   * Says how many documents the load may render (its post and comment files): with at least
   * {@link WORKER_THRESHOLD} of them in a cold build, or threads asked for, the threads start now.
   */
  expect(documents: number): void {
    if (this.asked.forced ? documents > 0 : documents >= WORKER_THRESHOLD) this.startPool();
  }

  /** Takes a document the load will publish unless a later check fails. */
  offer(job: RenderJob): void {
    const file = job.file;
    if (file === undefined || this.early.has(file)) return;
    const key = this.cache ? this.cache.key(job.trust, job.url, job.markdown, job.assets) : '';
    const document: EarlyDocument = { job, key };
    this.early.set(file, document);
    if (!this.cache) this.missed(document);
    else {
      this.unlooked.push(document);
      if (this.unlooked.length >= LOOKUP_BATCH) this.lookUp();
    }
  }

  /**
   * Renders the load's jobs, in their order, as {@link renderDocuments} does, taking each offered
   * job's early render; then stops the threads and closes the cache.
   */
  async render(jobs: readonly RenderJob[]): Promise<RenderStageResult> {
    try {
      this.lookUp();
      const errors: Diagnostic[] = [];
      const results = await this.renderAll(jobs, errors);
      return { results, warnings: this.cache?.warnings ?? [], errors };
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

  private lookUp(): void {
    if (this.unlooked.length === 0) return;
    const documents = this.unlooked;
    this.unlooked = [];
    const hits = this.cache!.getMany(documents.map((document) => document.key));
    for (const [at, document] of documents.entries()) {
      const hit = hits[at];
      if (hit) document.result = hit;
      else this.missed(document);
    }
  }

  private missed(document: EarlyDocument): void {
    this.misses += 1;
    if (!this.pool && (this.asked.forced || this.misses >= WORKER_THRESHOLD)) this.startPool();
    if (this.pool && !this.poolFailed) this.toPool(document);
    else this.held.push(document);
  }

  private toPool(document: EarlyDocument): void {
    document.inPool = this.inPool.length;
    this.inPool.push(document);
    this.pool!.add(document.job);
  }

  private startPool(): void {
    if (this.pool || !this.poolModule || this.asked.size === 0) return;
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
    const held = this.held;
    this.held = [];
    for (const document of held) this.toPool(document);
  }

  private async renderAll(jobs: readonly RenderJob[], errors: Diagnostic[]): Promise<RenderResult[]> {
    const results: (RenderResult | undefined)[] = new Array(jobs.length);
    const documents: (EarlyDocument | undefined)[] = new Array(jobs.length);
    // Jobs the session was not offered (or offered otherwise), rendered as renderDocuments would.
    const rest: number[] = [];
    for (const [at, job] of jobs.entries()) {
      const document = job.file === undefined ? undefined : this.early.get(job.file);
      if (document && sameJob(document.job, job) && (document.result || document.inPool !== undefined)) {
        documents[at] = document;
      } else rest.push(at);
    }
    const { pool } = this;
    if (pool) {
      // The rest joins the threads' queue (what the cache holds aside), then the main thread
      // renders alongside them, unless threads were asked for.
      const restJobs = rest.map((at) => jobs[at]!);
      const keys = this.cache
        ? restJobs.map((job) => this.cache!.key(job.trust, job.url, job.markdown, job.assets))
        : [];
      const hits = this.cache ? this.cache.getMany(keys) : [];
      for (const [offset, at] of rest.entries()) {
        const document: EarlyDocument = { job: jobs[at]!, key: keys[offset] ?? '' };
        if (hits[offset]) document.result = hits[offset];
        else this.toPool(document);
        documents[at] = document;
      }
      const outcome = await pool.finish(this.asked.forced ? undefined : mainThreadRenderer(this.options));
      if ('failed' in outcome) {
        if (this.asked.forced) throw new BroadsheetError('worker-failed', outcome.failed);
        this.poolFailed = true;
      }
      const budgetMs = this.options.config.markdown.renderTimeoutMs;
      const renderHere = mainThreadRenderer(this.options);
      for (const [at, document] of documents.entries()) {
        if (document!.timedOut) {
          results[at] = NO_RENDER;
          errors.push(timeoutDiagnostic(document!.job, budgetMs));
          continue;
        }
        // What a pool that could not start did not render.
        if (!document!.result) {
          document!.result = await renderHere(document!.job);
          this.cache?.set(document!.key, document!.result);
        }
        results[at] = document!.result;
      }
      return results as RenderResult[];
    }
    // No threads started early: the rest (and the early misses among them) as renderDocuments would.
    const restJobs = rest.map((at) => jobs[at]!);
    const keys = this.cache
      ? restJobs.map((job) => this.cache!.key(job.trust, job.url, job.markdown, job.assets))
      : [];
    const rendered = await renderJobs(restJobs, this.options, this.pluginIdentity, this.cache, errors, keys);
    for (const [offset, at] of rest.entries()) results[at] = rendered[offset];
    for (const [at, document] of documents.entries()) if (document) results[at] = document.result;
    return results as RenderResult[];
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
