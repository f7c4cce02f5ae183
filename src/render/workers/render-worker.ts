// The entry of a render worker (node:worker_threads): built as dist/render-worker.js, run from
// source through jiti under vitest. It loads the site's config itself, because the plugins in it are
// functions and cannot be sent to a thread, builds one renderer per trust level and renders batches.
import { parentPort, workerData } from 'node:worker_threads';
import { loadConfig } from '../../config/load-config';
import { configIdentity } from '../plugin-identity';
import { createMarkdownRenderer, type RenderResult } from '../render-markdown';
import { DONE_SLOT, type FromRenderWorker, type RenderWorkerData, type ToRenderWorker } from './protocol';

async function start(): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const send = (message: FromRenderWorker) => port.postMessage(message);
  const { root, configFile, progress, epoch } = workerData as RenderWorkerData;
  let loaded: Awaited<ReturnType<typeof loadConfig>>;
  try {
    loaded = await loadConfig({ root, configFile });
  } catch (error) {
    send({ type: 'failed', reason: error instanceof Error ? error.message : String(error) });
    return;
  }
  if (!loaded.ok) {
    send({ type: 'failed', reason: loaded.diagnostics[0]?.message ?? 'the config did not load' });
    return;
  }
  const { markdown } = loaded.loaded.config;
  const renderers = {
    post: createMarkdownRenderer({
      trust: 'post',
      remarkPlugins: markdown.remarkPlugins,
      rehypePlugins: markdown.rehypePlugins,
    }),
    comment: createMarkdownRenderer({ trust: 'comment' }),
  };
  const render = async (message: ToRenderWorker) => {
    try {
      const results: RenderResult[] = [];
      for (const [offset, job] of message.jobs.entries()) {
        // Where the pool sees it: the document and when it started (its time budget runs from here).
        Atomics.store(progress, 1, message.batch);
        Atomics.store(progress, 2, offset);
        Atomics.store(progress, 0, Date.now() - epoch + 1);
        results.push(await renderers[job.trust](job.markdown, { url: job.url, assets: job.assets }));
        Atomics.store(progress, 0, 0);
      }
      send({ type: 'done', batch: message.batch, results });
    } catch (error) {
      Atomics.store(progress, 0, 0);
      const failure = error instanceof Error ? error : new Error(String(error));
      send({ type: 'error', batch: message.batch, message: failure.message, stack: failure.stack });
    }
    // Counted after the answer is sent: the pool may send another batch without reading the answer.
    Atomics.add(progress, DONE_SLOT, 1);
  };
  // The pipeline's modules load now, not in the first document's time budget.
  await import('../pipeline');
  send({ type: 'ready', identity: configIdentity(markdown) });
  // Batches the pool sent before it was ready waited in the port until now: the answer to a batch
  // always comes after `ready`. One batch after the other, even when a plugin awaits: the progress
  // slots describe one document.
  let queue = Promise.resolve();
  port.on('message', (message: ToRenderWorker) => {
    if (message.type !== 'render') return;
    queue = queue.then(() => render(message));
  });
}

void start();
