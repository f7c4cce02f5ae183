// The entry of a render worker (node:worker_threads): built as dist/render-worker.js, run from
// source through jiti under vitest. It loads the site's config itself, because the plugins in it are
// functions and cannot be sent to a thread, builds one renderer per trust level and renders batches.
import { parentPort, workerData } from 'node:worker_threads';
import { loadConfig } from '../../config/load-config';
import { configIdentity } from '../plugin-identity';
import { createMarkdownRenderer, type RenderResult } from '../render-markdown';
import type { FromRenderWorker, RenderWorkerData, ToRenderWorker } from './protocol';

async function start(): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const send = (message: FromRenderWorker) => port.postMessage(message);
  const { root, configFile } = workerData as RenderWorkerData;
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
  port.on('message', async (message: ToRenderWorker) => {
    if (message.type !== 'render') return;
    try {
      const results: RenderResult[] = [];
      for (const job of message.jobs)
        results.push(await renderers[job.trust](job.markdown, { url: job.url }));
      send({ type: 'done', batch: message.batch, results });
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      send({ type: 'error', batch: message.batch, message: failure.message, stack: failure.stack });
    }
  });
  send({ type: 'ready', identity: configIdentity(markdown) });
}

void start();
