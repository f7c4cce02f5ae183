// The entry of a render worker (node:worker_threads): built as dist/render-worker.js, run from
// source through jiti under vitest. When the site has markdown plugins it loads the site's config
// itself, because the plugins in it are functions and cannot be sent to a thread; without, it loads
// no config (nor zod and the YAML parser: a thread that starts sooner). It builds one renderer per
// trust level and renders batches.
import { parentPort, workerData } from 'node:worker_threads';
import type { PluggableList } from 'unified';
import { createMarkdownRenderer, type RenderResult } from '../render-markdown';
import { DONE_SLOT, type FromRenderWorker, type RenderWorkerData, type ToRenderWorker } from './protocol';

/** The site's markdown plugins, from its config loaded here, with the identity of its markdown config. */
async function loadPlugins(
  root: string,
  configFile: string | undefined,
): Promise<
  { remarkPlugins: PluggableList; rehypePlugins: PluggableList; identity: string } | { failed: string }
> {
  const [{ loadConfig }, { configIdentity }] = await Promise.all([
    import('../../config/load-config'),
    import('../plugin-identity'),
  ]);
  let loaded: Awaited<ReturnType<typeof loadConfig>>;
  try {
    loaded = await loadConfig({ root, configFile });
  } catch (error) {
    return { failed: error instanceof Error ? error.message : String(error) };
  }
  if (!loaded.ok) return { failed: loaded.diagnostics[0]?.message ?? 'the config did not load' };
  const { markdown } = loaded.loaded.config;
  return { ...markdown, identity: configIdentity(markdown) };
}

async function start(): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const send = (message: FromRenderWorker) => port.postMessage(message);
  const { root, configFile, plugins, progress, epoch } = workerData as RenderWorkerData;
  // The pipeline's modules (most of a thread's start) load while the config does, not in the first
  // document's time budget. Awaited below, where a failure to load them fails the thread's start.
  const pipeline = import('../pipeline');
  pipeline.catch(() => {});
  const markdown = plugins ? await loadPlugins(root, configFile) : undefined;
  if (markdown && 'failed' in markdown) {
    send({ type: 'failed', reason: markdown.failed });
    return;
  }
  const renderers = {
    post: createMarkdownRenderer({
      trust: 'post',
      remarkPlugins: markdown?.remarkPlugins,
      rehypePlugins: markdown?.rehypePlugins,
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
  await pipeline;
  send({ type: 'ready', identity: markdown?.identity });
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
