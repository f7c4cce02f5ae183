import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RenderResult } from '../render-markdown';
import type { FromRenderWorker, RenderJob, RenderWorkerData, ToRenderWorker } from './protocol';

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

/**
 * Renders documents on `size` worker threads, each of which loads the site's config (and so the
 * user's plugins) itself and builds its renderers once. Resolves with the renders in the jobs' order,
 * or with why the workers could not start (no worker file, a config that does not load the same in a
 * thread): the caller then renders in the main thread. A render that throws rejects.
 */
export async function renderInWorkers(
  jobs: readonly RenderJob[],
  options: RenderPoolOptions,
): Promise<{ results: RenderResult[] } | { failed: string }> {
  const data: RenderWorkerData = { root: options.root, configFile: options.configFile };
  const batches: number[][] = [];
  for (let start = 0; start < jobs.length; start += BATCH_SIZE) {
    batches.push(Array.from({ length: Math.min(BATCH_SIZE, jobs.length - start) }, (_, i) => start + i));
  }
  const results: RenderResult[] = new Array(jobs.length);
  const workers: Worker[] = [];
  try {
    return await new Promise<{ results: RenderResult[] } | { failed: string }>((resolve, reject) => {
      let nextBatch = 0;
      let finished = 0;
      let ready = 0;
      let settled = false;
      const settle = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        outcome();
      };
      const feed = (worker: Worker) => {
        if (nextBatch >= batches.length) return;
        const batch = nextBatch++;
        const message: ToRenderWorker = {
          type: 'render',
          batch,
          jobs: batches[batch]!.map((index) => jobs[index]!),
        };
        worker.postMessage(message);
      };
      const completed = () => {
        finished += 1;
        if (finished === batches.length) settle(() => resolve({ results }));
      };
      const mainRenderer = options.mainRenderer;
      if (mainRenderer) {
        const mainLane = async () => {
          while (!settled && nextBatch < batches.length) {
            const batch = nextBatch++;
            for (const index of batches[batch]!) {
              const result = await mainRenderer(jobs[index]!);
              results[index] = result;
              options.onResult?.(index, result);
            }
            completed();
            // Let the threads' messages in between batches.
            await new Promise((next) => setImmediate(next));
          }
        };
        mainLane().catch((error: unknown) => settle(() => reject(error)));
      }
      for (let n = 0; n < Math.max(1, Math.min(options.size, batches.length)); n++) {
        let worker: Worker;
        try {
          worker = startWorker(data);
        } catch (error) {
          settle(() => resolve({ failed: `a render worker could not start: ${String(error)}` }));
          return;
        }
        workers.push(worker);
        worker.on('message', (message: FromRenderWorker) => {
          switch (message.type) {
            case 'ready':
              if (message.identity !== options.identity) {
                settle(() => resolve({ failed: 'the config a render worker loaded has other plugins' }));
                return;
              }
              ready += 1;
              // Two batches in flight per worker, so that it never waits for the main thread.
              feed(worker);
              feed(worker);
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
              const indexes = batches[message.batch]!;
              message.results.forEach((result, offset) => {
                const index = indexes[offset]!;
                results[index] = result;
                options.onResult?.(index, result);
              });
              completed();
              feed(worker);
              return;
            }
          }
        });
        worker.on('error', (error) => {
          // A worker that dies before it is ready (its file is missing, its import fails) means no
          // pool; one that dies while rendering is a failure of the render.
          settle(() =>
            ready === 0
              ? resolve({ failed: `a render worker failed to start: ${error.message}` })
              : reject(error),
          );
        });
        worker.on('exit', (code) => {
          if (settled || code === 0) return;
          const reason = `a render worker exited with code ${code}`;
          settle(() => (ready === 0 ? resolve({ failed: reason }) : reject(new Error(reason))));
        });
      }
    });
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
