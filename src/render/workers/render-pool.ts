import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { RenderResult } from '../render-markdown';
import {
  DONE_SLOT,
  type FromRenderWorker,
  PROGRESS_SLOTS,
  type RenderJob,
  type RenderWorkerData,
  type ToRenderWorker,
} from './protocol';
import { workerEntry } from './worker-entry';

/** Documents sent to a worker in one message: enough to make messaging cheap, few enough to balance. */
const BATCH_SIZE = 16;

/** Batches sent to a thread and not yet rendered: two, so that it never waits for the main thread. */
const IN_FLIGHT = 2;

/** Options of {@link renderInWorkers} and {@link RenderPool}. */
export interface RenderPoolOptions {
  /** The site root and config file the workers load the config from. */
  root: string;
  configFile?: string;
  /** Threads to start. */
  size: number;
  /** The identity of the main thread's plugin lists: a worker whose config differs is not used. */
  identity: string;
  /**
   * Whether the site has markdown plugins, which the workers then load with the config (default:
   * true); without, they load no config.
   */
  plugins?: boolean;
  /** Called with each document's render as it arrives. */
  onResult?: (index: number, result: RenderResult) => void;
  /**
   * Renders batches in the main thread too, taking them from the same queue as the threads (the
   * main thread is otherwise idle, and renders from the start while the threads load).
   */
  mainRenderer?: (job: RenderJob) => Promise<RenderResult>;
  /**
   * The render time budget of one document in a thread, in milliseconds: a thread still on one
   * document after it is stopped (`terminate`), the document is given to `onTimeout`, and a new
   * thread takes over the thread's other documents. None by default.
   */
  budgetMs?: number;
  /** Called with a document that ran past `budgetMs` (it has no result). */
  onTimeout?: (index: number) => void;
  /** Documents only the threads render, never `mainRenderer` (where no budget can be enforced). */
  threadsOnly?: (index: number) => boolean;
}

/** How a pool ended: every render, or why the threads could not start (the caller renders instead). */
export type PoolOutcome = { results: RenderResult[] } | { failed: string };

function startWorker(data: RenderWorkerData): Worker {
  const entry = workerEntry();
  if (!entry.fromSource) return new Worker(entry.file, { workerData: data });
  const jiti = createRequire(entry.file).resolve('jiti');
  const bootstrap = `
    const { workerData } = require('node:worker_threads');
    const createJiti = require(workerData.jiti);
    createJiti(workerData.entry).import(workerData.entry);
  `;
  return new Worker(bootstrap, { eval: true, workerData: { ...data, jiti, entry: entry.file } });
}

/** A thread of the pool: what it was sent and has not answered, and where it is (shared memory). */
interface Thread {
  worker: Worker;
  progress: Int32Array;
  inFlight: Set<number>;
  /** Batches posted to it; its `DONE_SLOT` counts those it has rendered (and answered). */
  sent: number;
  ready: boolean;
  /** Stopped for running past the budget: whatever it still says is ignored. */
  stopped: boolean;
}

/**
 * Renders documents on `size` worker threads, each of which loads the site's config (and so the
 * user's plugins) itself and builds its renderers once. Resolves with the renders in the jobs' order,
 * or with why the workers could not start (no worker file, a config that does not load the same in a
 * thread): the caller then renders in the main thread. A render that throws rejects. With
 * `budgetMs`, a thread that spends longer than that on one document is stopped and replaced: the
 * document goes to `onTimeout` (its place in the results stays empty), the thread's other documents
 * are rendered by the others.
 */
export async function renderInWorkers(
  jobs: readonly RenderJob[],
  options: RenderPoolOptions,
): Promise<PoolOutcome> {
  if (jobs.length === 0) return { results: [] };
  // No more threads than batches.
  const long = jobs.filter((_, index) => options.threadsOnly?.(index)).length;
  const batches = long + Math.ceil((jobs.length - long) / BATCH_SIZE);
  const pool = new RenderPool({ ...options, size: Math.min(options.size, batches) });
  try {
    for (const job of jobs) pool.add(job);
    return await pool.finish(options.mainRenderer);
  } finally {
    await pool.close();
  }
}

/**
 * The pool behind {@link renderInWorkers}, for a caller that knows its documents one at a time (a
 * load that hands each post over as soon as it is validated, see src/load/early-renders.ts). The
 * threads start at once; `add` queues a document and keeps every thread's two batches in flight
 * without waiting for the event loop (a thread counts the batches it rendered in shared memory), so
 * the threads render while the caller's own synchronous work goes on. `finish` says that no more
 * documents come, renders in the main thread too (`mainRenderer`) and resolves once every document
 * is rendered. Results arrive, in any order, through `onResult` and in the outcome's list, by the
 * index `add` returned.
 */
export class RenderPool {
  private readonly epoch = Date.now();
  private readonly jobs: RenderJob[] = [];
  private readonly results: RenderResult[] = [];
  private readonly batches = new Map<number, number[]>();
  /** Batches only threads render (one long document each), first served. */
  private readonly threadQueue: number[] = [];
  private readonly sharedQueue: number[] = [];
  /** Documents added and not yet in a batch. */
  private open: number[] = [];
  private readonly threads: Thread[] = [];
  private remaining = 0;
  private finishing = false;
  private ended: { outcome: PoolOutcome } | { error: unknown } | undefined;
  private wake: (() => void) | undefined;
  private readonly watchdog: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly options: RenderPoolOptions) {
    const budget = options.budgetMs;
    if (budget !== undefined) {
      this.watchdog = setInterval(
        () => this.watch(budget),
        Math.max(5, Math.min(250, Math.floor(budget / 4))),
      );
    }
    for (let n = 0; n < Math.max(1, options.size) && !this.ended; n++) this.start();
  }

  /** Documents added and not rendered yet (nor stopped at their budget). */
  get unrendered(): number {
    return this.remaining;
  }

  /** Queues a document; returns its index. */
  add(job: RenderJob): number {
    const index = this.jobs.length;
    this.jobs.push(job);
    this.remaining += 1;
    if (this.options.threadsOnly?.(index)) this.queue([index], true);
    else {
      this.open.push(index);
      if (this.open.length >= BATCH_SIZE) this.cut();
    }
    this.pump();
    return index;
  }

  /**
   * No more documents: renders what is left (in the main thread too, with `mainRenderer`) and
   * resolves with every render, or with why the threads could not start. A render that throws rejects.
   */
  async finish(mainRenderer?: (job: RenderJob) => Promise<RenderResult>): Promise<PoolOutcome> {
    this.finishing = true;
    // From now on the caller waits for the threads: they keep the process alive.
    for (const thread of this.threads) thread.worker.ref();
    this.cut();
    this.pump();
    if (this.remaining === 0) this.end({ outcome: { results: this.results } });
    if (mainRenderer) this.mainLane(mainRenderer).catch((error: unknown) => this.end({ error }));
    while (!this.ended) await new Promise<void>((wake) => (this.wake = wake));
    if ('error' in this.ended) throw this.ended.error;
    return this.ended.outcome;
  }

  /** Stops the threads (and the watchdog); what they still render is dropped. */
  async close(): Promise<void> {
    if (!this.ended) this.end({ outcome: { failed: 'closed' } });
    if (this.watchdog) clearInterval(this.watchdog);
    await Promise.all(this.threads.map((thread) => thread.worker.terminate()));
  }

  private end(ended: NonNullable<RenderPool['ended']>): void {
    if (this.ended) return;
    this.ended = ended;
    this.wake?.();
  }

  private queue(indexes: number[], threadsOnly: boolean): void {
    const id = this.batches.size;
    this.batches.set(id, indexes);
    (threadsOnly ? this.threadQueue : this.sharedQueue).push(id);
  }

  /** Makes a batch of the documents not yet in one. */
  private cut(): void {
    if (this.open.length === 0) return;
    this.queue(this.open, false);
    this.open = [];
  }

  private requeue(indexes: readonly number[]): void {
    const shared: number[] = [];
    for (const index of indexes) {
      if (this.options.threadsOnly?.(index)) this.queue([index], true);
      else shared.push(index);
    }
    for (let start = 0; start < shared.length; start += BATCH_SIZE) {
      this.queue(shared.slice(start, start + BATCH_SIZE), false);
    }
  }

  /**
   * Sends each thread batches until it has two it has not rendered (read from shared memory, so
   * that this works while the event loop is blocked).
   */
  private pump(): void {
    if (this.ended) return;
    for (const thread of this.threads) {
      if (thread.stopped) continue;
      while (thread.sent - Atomics.load(thread.progress, DONE_SLOT) < IN_FLIGHT) {
        // A thread with room takes the documents not yet in a batch rather than wait for a full one.
        if (this.threadQueue.length === 0 && this.sharedQueue.length === 0) this.cut();
        if (!this.feed(thread)) break;
      }
    }
  }

  private feed(thread: Thread): boolean {
    const batch = this.threadQueue.shift() ?? this.sharedQueue.shift();
    if (batch === undefined) return false;
    thread.inFlight.add(batch);
    thread.sent += 1;
    const message: ToRenderWorker = {
      type: 'render',
      batch,
      jobs: this.batches.get(batch)!.map((index) => this.jobs[index]!),
    };
    thread.worker.postMessage(message);
    return true;
  }

  private store(index: number, result: RenderResult): void {
    if (this.results[index] !== undefined) return;
    this.results[index] = result;
    this.options.onResult?.(index, result);
    this.finishOne();
  }

  private finishOne(): void {
    this.remaining -= 1;
    if (this.remaining === 0 && this.finishing) this.end({ outcome: { results: this.results } });
  }

  private async mainLane(render: (job: RenderJob) => Promise<RenderResult>): Promise<void> {
    while (!this.ended && this.sharedQueue.length > 0) {
      for (const index of this.batches.get(this.sharedQueue.shift()!)!) {
        this.store(index, await render(this.jobs[index]!));
      }
      // Let the threads' messages (and the watchdog) in between batches.
      await new Promise((next) => setImmediate(next));
    }
  }

  private watch(budget: number): void {
    const now = Date.now() - this.epoch;
    for (const thread of this.threads) {
      const started = Atomics.load(thread.progress, 0);
      if (thread.stopped || started === 0 || now - (started - 1) <= budget) continue;
      const batch = this.batches.get(Atomics.load(thread.progress, 1));
      const index = batch?.[Atomics.load(thread.progress, 2)];
      if (index !== undefined) this.stop(thread, index);
    }
  }

  private stop(thread: Thread, index: number): void {
    thread.stopped = true;
    void thread.worker.terminate();
    this.options.onTimeout?.(index);
    this.finishOne();
    const rest = [...thread.inFlight]
      .flatMap((batch) => this.batches.get(batch)!)
      .filter((other) => other !== index && this.results[other] === undefined);
    thread.inFlight.clear();
    this.requeue(rest);
    if (!this.ended && this.remaining > 0) this.start();
    this.pump();
  }

  private start(): void {
    const progress = new Int32Array(new SharedArrayBuffer(PROGRESS_SLOTS * 4));
    let worker: Worker;
    try {
      worker = startWorker({
        root: this.options.root,
        configFile: this.options.configFile,
        plugins: this.options.plugins !== false,
        progress,
        epoch: this.epoch,
      });
    } catch (error) {
      this.end({ outcome: { failed: `a render worker could not start: ${String(error)}` } });
      return;
    }
    // Until `finish`, a thread does not keep the process alive: a load that throws before it
    // renders leaves nothing running.
    if (!this.finishing) worker.unref();
    const thread: Thread = { worker, progress, inFlight: new Set(), sent: 0, ready: false, stopped: false };
    this.threads.push(thread);
    // Batches are sent before the thread is ready: it reads them once it is.
    this.pump();
    worker.on('message', (message: FromRenderWorker) => {
      if (thread.stopped || this.ended) return;
      switch (message.type) {
        case 'ready':
          // A worker that loaded the config must have loaded the same plugins.
          if (this.options.plugins !== false && message.identity !== this.options.identity) {
            this.end({ outcome: { failed: 'the config a render worker loaded has other plugins' } });
            return;
          }
          thread.ready = true;
          return;
        case 'failed':
          this.end({ outcome: { failed: `a render worker could not load the config: ${message.reason}` } });
          return;
        case 'error': {
          const error = new Error(message.message);
          if (message.stack) error.stack = message.stack;
          this.end({ error });
          return;
        }
        case 'done': {
          thread.inFlight.delete(message.batch);
          const indexes = this.batches.get(message.batch)!;
          for (const [offset, result] of message.results.entries()) this.store(indexes[offset]!, result);
          this.pump();
          return;
        }
      }
    });
    worker.on('error', (error) => {
      if (thread.stopped) return;
      // A worker that dies before it is ready (its file is missing, its import fails) means no
      // pool; one that dies while rendering is a failure of the render.
      this.end(
        thread.ready
          ? { error }
          : { outcome: { failed: `a render worker failed to start: ${error.message}` } },
      );
    });
    worker.on('exit', (code) => {
      if (this.ended || code === 0 || thread.stopped) return;
      const reason = `a render worker exited with code ${code}`;
      this.end(thread.ready ? { error: new Error(reason) } : { outcome: { failed: reason } });
    });
  }
}
