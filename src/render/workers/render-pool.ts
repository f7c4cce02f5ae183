import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RenderResult } from '../render-markdown';
import {
  type FromRenderWorker,
  PROGRESS_SLOTS,
  type RenderJob,
  type RenderWorkerData,
  type ToRenderWorker,
} from './protocol';

/** Documents sent to a worker in one message: enough to make messaging cheap, few enough to balance. */
const BATCH_SIZE = 16;

/** Options of {@link renderInWorkers}. */
export interface RenderPoolOptions {
  /** The site root and config file the workers load the config from. */
  root: string;
  configFile?: string;
  /** Threads to start. */
  size: number;
  /** The identity of the main thread's plugin lists: a worker whose config differs is not used. */
  identity: string;
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

/**
 * Where the worker's code is. In the built package every entry (dist/index.js, dist/index.cjs,
 * dist/cli.js) sits beside dist/render-worker.js; from source (vitest) this module is
 * src/render/workers/render-pool.ts and the worker is the TypeScript file beside it, run through jiti.
 */
function workerEntry(): { file: string; fromSource: boolean } {
  const here = typeof __filename === 'string' ? __filename : fileURLToPath(import.meta.url);
  const folder = path.dirname(here);
  if (here.endsWith('.ts')) return { file: path.join(folder, 'render-worker.ts'), fromSource: true };
  return { file: path.join(folder, 'render-worker.js'), fromSource: false };
}

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
): Promise<{ results: RenderResult[] } | { failed: string }> {
  if (jobs.length === 0) return { results: [] };
  const epoch = Date.now();
  // Documents only threads render come first and one to a batch: they are the long ones.
  const batches = new Map<number, number[]>();
  const threadQueue: number[] = [];
  const sharedQueue: number[] = [];
  const queue = (indexes: number[], threadsOnly: boolean) => {
    const id = batches.size;
    batches.set(id, indexes);
    (threadsOnly ? threadQueue : sharedQueue).push(id);
  };
  const requeue = (indexes: readonly number[]) => {
    const shared: number[] = [];
    for (const index of indexes) {
      if (options.threadsOnly?.(index)) queue([index], true);
      else shared.push(index);
    }
    for (let start = 0; start < shared.length; start += BATCH_SIZE) {
      queue(shared.slice(start, start + BATCH_SIZE), false);
    }
  };
  requeue(jobs.map((_, index) => index));
  const results: RenderResult[] = new Array(jobs.length);
  const threads: Thread[] = [];
  let watchdog: ReturnType<typeof setInterval> | undefined;
  try {
    return await new Promise<{ results: RenderResult[] } | { failed: string }>((resolve, reject) => {
      let remaining = jobs.length;
      let settled = false;
      const settle = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        outcome();
      };
      const finishOne = () => {
        remaining -= 1;
        if (remaining === 0) settle(() => resolve({ results }));
      };
      const store = (index: number, result: RenderResult) => {
        results[index] = result;
        options.onResult?.(index, result);
        finishOne();
      };
      const feed = (thread: Thread) => {
        const batch = threadQueue.shift() ?? sharedQueue.shift();
        if (batch === undefined) return;
        thread.inFlight.add(batch);
        const message: ToRenderWorker = {
          type: 'render',
          batch,
          jobs: batches.get(batch)!.map((index) => jobs[index]!),
        };
        thread.worker.postMessage(message);
      };
      const mainRenderer = options.mainRenderer;
      if (mainRenderer) {
        const mainLane = async () => {
          while (!settled && sharedQueue.length > 0) {
            for (const index of batches.get(sharedQueue.shift()!)!)
              store(index, await mainRenderer(jobs[index]!));
            // Let the threads' messages (and the watchdog) in between batches.
            await new Promise((next) => setImmediate(next));
          }
        };
        mainLane().catch((error: unknown) => settle(() => reject(error)));
      }
      const stop = (thread: Thread, index: number) => {
        thread.stopped = true;
        void thread.worker.terminate();
        options.onTimeout?.(index);
        finishOne();
        const rest = [...thread.inFlight].flatMap((batch) => batches.get(batch)!).filter((i) => i !== index);
        thread.inFlight.clear();
        requeue(rest);
        for (const other of threads)
          if (other.ready && !other.stopped && other.inFlight.size < 2) feed(other);
        if (!settled && remaining > 0) start();
      };
      const start = () => {
        const progress = new Int32Array(new SharedArrayBuffer(PROGRESS_SLOTS * 4));
        let worker: Worker;
        try {
          worker = startWorker({ root: options.root, configFile: options.configFile, progress, epoch });
        } catch (error) {
          settle(() => resolve({ failed: `a render worker could not start: ${String(error)}` }));
          return;
        }
        const thread: Thread = { worker, progress, inFlight: new Set(), ready: false, stopped: false };
        threads.push(thread);
        worker.on('message', (message: FromRenderWorker) => {
          if (thread.stopped) return;
          switch (message.type) {
            case 'ready':
              if (message.identity !== options.identity) {
                settle(() => resolve({ failed: 'the config a render worker loaded has other plugins' }));
                return;
              }
              thread.ready = true;
              // Two batches in flight per worker, so that it never waits for the main thread.
              feed(thread);
              feed(thread);
              return;
            case 'failed':
              settle(() =>
                resolve({ failed: `a render worker could not load the config: ${message.reason}` }),
              );
              return;
            case 'error': {
              const error = new Error(message.message);
              if (message.stack) error.stack = message.stack;
              settle(() => reject(error));
              return;
            }
            case 'done': {
              thread.inFlight.delete(message.batch);
              const indexes = batches.get(message.batch)!;
              for (const [offset, result] of message.results.entries()) store(indexes[offset]!, result);
              feed(thread);
              return;
            }
          }
        });
        worker.on('error', (error) => {
          if (thread.stopped) return;
          // A worker that dies before it is ready (its file is missing, its import fails) means no
          // pool; one that dies while rendering is a failure of the render.
          settle(() =>
            thread.ready
              ? reject(error)
              : resolve({ failed: `a render worker failed to start: ${error.message}` }),
          );
        });
        worker.on('exit', (code) => {
          if (settled || code === 0 || thread.stopped) return;
          const reason = `a render worker exited with code ${code}`;
          settle(() => (thread.ready ? reject(new Error(reason)) : resolve({ failed: reason })));
        });
      };
      const budget = options.budgetMs;
      if (budget !== undefined) {
        watchdog = setInterval(
          () => {
            const now = Date.now() - epoch;
            for (const thread of threads) {
              const started = Atomics.load(thread.progress, 0);
              if (thread.stopped || started === 0 || now - (started - 1) <= budget) continue;
              const batch = batches.get(Atomics.load(thread.progress, 1));
              const index = batch?.[Atomics.load(thread.progress, 2)];
              if (index !== undefined) stop(thread, index);
            }
          },
          Math.max(5, Math.min(250, Math.floor(budget / 4))),
        );
      }
      const size = Math.max(1, Math.min(options.size, batches.size));
      for (let n = 0; n < size && !settled; n++) start();
    });
  } finally {
    if (watchdog) clearInterval(watchdog);
    await Promise.all(threads.map((thread) => thread.worker.terminate()));
  }
}
