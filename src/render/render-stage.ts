import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { cacheFolder } from '../cache/location';
import { type Diagnostic, diagnostic } from '../diagnostics/diagnostic';
import { BroadsheetError } from '../errors';
import { contentHash } from '../fingerprint/hash';
import type { ResolvedConfig } from '../schema/config';
import { VERSION } from '../version';
import { configIdentity } from './plugin-identity';
import { RenderCache } from './render-cache';
import { createMarkdownRenderer, type MarkdownRenderer, type RenderResult } from './render-markdown';
import type { RenderMemo } from './render-memo';
import type { RenderJob } from './workers/protocol';

export type { RenderJob } from './workers/protocol';

/**
 * Below this many documents to render, the main thread renders them: starting a worker (loading
 * the bundle and the config) costs about as much as rendering this many documents. Measured by
 * `npm run bench` (section `threshold`); see docs/decisions/performance.md.
 */
export const WORKER_THRESHOLD = 400;

/**
 * Markdown longer than this many characters is rendered on a worker thread even when the main
 * thread renders the rest: only there can the render time budget stop it. Below it, the markdown
 * limits keep any document far inside the budget. See docs/decisions/render-budget.md.
 */
export const THREAD_DOCUMENT_CHARACTERS = 32_000;

/** What a document that ran past its render time budget is published as: nothing (the build fails). */
export const NO_RENDER: RenderResult = { html: '', summary: '', headings: [], wordCount: 0, readingTime: 0 };

/** Options of {@link renderDocuments}. */
export interface RenderStageOptions {
  root: string;
  config: ResolvedConfig;
  /** The config file relative to the root; `undefined` when the config was passed in (no workers then). */
  configFile: string | undefined;
  /** Use the persistent cache (default true). */
  cache?: boolean;
  /** The cache folder (default: `cacheFolder(root)`). */
  cacheFolder?: string;
  /**
   * Worker threads: 0 renders in the main thread, N uses N threads whatever the amount of work,
   * `undefined` decides by the amount of work (and the `BROADSHEET_WORKERS` environment variable).
   */
  workers?: number;
  /**
   * The renders of the last load, kept in memory by a watch loop: only the documents it does not
   * hold are rendered (or taken from the persistent cache), and it then holds this load's.
   */
  memo?: RenderMemo;
  /**
   * Whether a document must render on a thread, where the time budget holds, whatever its length:
   * the load says so of a post over the default markdown limits that the config's raised ones let
   * through. Default: only documents over {@link THREAD_DOCUMENT_CHARACTERS}.
   */
  needsBudget?: (job: RenderJob) => boolean;
  /**
   * The site's posts and comments keep the HTML of a render read from the cache as its bytes until
   * something reads it (src/render/deferred-html.ts): a build's and a check's load, which read few.
   * Default: every `html` a plain string (what `loadSite` returns).
   */
  deferHtml?: boolean;
}

/** Renders, their `cache-corrupt` warnings and their `render-timeout` errors. */
export interface RenderStageResult {
  results: RenderResult[];
  warnings: Diagnostic[];
  /** A `render-timeout` for each document stopped at its time budget (its result is empty). */
  errors: Diagnostic[];
  /**
   * The render cache key of each result (`keys[i]` of `results[i]`), which decides it whole
   * (src/load/render-identity.ts); absent without the cache or with a memo, `undefined` for a
   * document stopped at its budget.
   */
  keys?: (string | undefined)[];
}

/**
 * Renders every document of a site: from the persistent cache when the same document was rendered
 * with the same broadsheet version, config and plugins; the rest on worker threads (cores − 1 of
 * them, the main thread rendering alongside) when there is enough of it, else in the main thread;
 * always with one renderer per trust level per thread.
 */
export async function renderDocuments(
  jobs: readonly RenderJob[],
  options: RenderStageOptions,
): Promise<RenderStageResult> {
  const { memo } = options;
  if (memo) {
    const results = jobs.map((job) => memo.lookup(job));
    const missing = jobs.flatMap((job, index) => (results[index] ? [] : [{ job, index }]));
    const rendered: RenderStageResult =
      missing.length === 0
        ? { results: [], warnings: [], errors: [] }
        : await renderDocuments(
            missing.map(({ job }) => job),
            { ...options, memo: undefined },
          );
    for (const [offset, { index }] of missing.entries()) results[index] = rendered.results[offset];
    // A document stopped at its time budget is not kept: the next load tries it again (and reports it).
    memo.keep(jobs, results as RenderResult[], (result) => result !== NO_RENDER);
    return { results: results as RenderResult[], warnings: rendered.warnings, errors: rendered.errors };
  }
  const pluginIdentity = configIdentity(options.config.markdown);
  const cache = options.cache === false ? undefined : await openCache(options, pluginIdentity);
  try {
    const errors: Diagnostic[] = [];
    const keys = cache ? jobs.map((job) => cache.key(job.trust, job.url, job.markdown, job.assets)) : [];
    const results = await renderJobs(jobs, options, pluginIdentity, cache, errors, keys);
    const keyed = cache && keys.map((key, index) => (results[index] === NO_RENDER ? undefined : key));
    return { results, warnings: cache?.warnings ?? [], errors, ...(keyed ? { keys: keyed } : {}) };
  } finally {
    // Waits for the writes and saves the index, even when rendering failed (what was rendered is kept).
    await cache?.close();
  }
}

/**
 * Renders `jobs` whose cache keys are `keys` (none without a cache): from the cache, on worker
 * threads or here (see {@link renderDocuments}); `render-timeout` errors go to `errors`.
 */
export async function renderJobs(
  jobs: readonly RenderJob[],
  options: RenderStageOptions,
  pluginIdentity: string,
  cache: RenderCache | undefined,
  errors: Diagnostic[],
  keys: readonly string[],
): Promise<RenderResult[]> {
  const results: (RenderResult | undefined)[] = cache ? await cache.getMany(keys) : new Array(jobs.length);
  const missing: number[] = [];
  for (let index = 0; index < jobs.length; index++) if (!results[index]) missing.push(index);

  const store = (index: number, result: RenderResult) => {
    results[index] = result;
    cache?.set(keys[index]!, result);
  };
  const renderHere = mainThreadRenderer(options);
  const { size, forced } = workerCount(missing.length, options);
  // A long document goes to a thread even when the rest is rendered here, where no budget holds.
  const long = (offset: number) => needsThread(jobs[missing[offset]!]!, options);
  const threads = size > 0 || forced ? size : missing.some((_, offset) => long(offset)) ? 1 : 0;
  if (threads > 0 && options.configFile !== undefined) {
    // Loaded only when threads are to render: a warm build with everything cached needs no pool.
    const { renderInWorkers } = await import('./workers/render-pool');
    const budgetMs = options.config.markdown.renderTimeoutMs;
    const outcome = await renderInWorkers(
      missing.map((index) => jobs[index]!),
      {
        root: options.root,
        configFile: options.configFile,
        size: threads,
        identity: pluginIdentity,
        plugins: hasMarkdownPlugins(options.config),
        onResult: (offset, result) => store(missing[offset]!, result),
        // Chosen by the amount of work, the main thread renders alongside the threads; forced (for
        // tests), only the threads render.
        mainRenderer: forced ? undefined : renderHere,
        threadsOnly: long,
        budgetMs,
        onTimeout: (offset) => {
          const job = jobs[missing[offset]!]!;
          results[missing[offset]!] = NO_RENDER;
          errors.push(timeoutDiagnostic(job, budgetMs));
        },
      },
    );
    // Asked for explicitly, a pool that cannot start is an error (a packaging bug must not hide
    // behind the fallback); chosen by the amount of work, the main thread renders instead.
    if ('failed' in outcome && forced) throw new BroadsheetError('worker-failed', outcome.failed);
  }
  // Whatever is left: everything without a pool, what a pool that could not start did not render.
  for (const index of missing) {
    if (!results[index]) store(index, await renderHere(jobs[index]!));
  }
  return results as RenderResult[];
}

/** Renders a job in this thread, with one renderer per trust level, made at the first job. */
export function mainThreadRenderer(options: RenderStageOptions): (job: RenderJob) => Promise<RenderResult> {
  let renderers: Record<RenderJob['trust'], MarkdownRenderer> | undefined;
  return (job) => {
    renderers ??= {
      post: createMarkdownRenderer({
        trust: 'post',
        remarkPlugins: options.config.markdown.remarkPlugins,
        rehypePlugins: options.config.markdown.rehypePlugins,
      }),
      comment: createMarkdownRenderer({ trust: 'comment' }),
    };
    return renderers[job.trust](job.markdown, { url: job.url, assets: job.assets });
  };
}

/**
 * Whether the config has markdown plugins: a render thread then loads the config to get them (they
 * are functions, which cannot be sent); without, it loads none and starts sooner.
 */
export function hasMarkdownPlugins(config: ResolvedConfig): boolean {
  return config.markdown.remarkPlugins.length > 0 || config.markdown.rehypePlugins.length > 0;
}

/** Whether a job must render on a thread, where its time budget holds (a long document). */
export function needsThread(job: RenderJob, options: RenderStageOptions): boolean {
  return job.markdown.length > THREAD_DOCUMENT_CHARACTERS || options.needsBudget?.(job) === true;
}

/** The `render-timeout` error of a document stopped at its time budget. */
export function timeoutDiagnostic(job: RenderJob, budgetMs: number | undefined): Diagnostic {
  return diagnostic({
    code: 'render-timeout',
    file: job.file ?? '',
    message: `rendering this ${job.trust} took longer than its time budget of ${budgetMs} ms (markdown.renderTimeoutMs) and was stopped: simplify the markdown (or the site's plugins)`,
  });
}

/** Opens the render cache of a site for its broadsheet version, config, plugin lists and config file. */
export async function openCache(options: RenderStageOptions, pluginIdentity: string): Promise<RenderCache> {
  // The config file's text too: a plugin's closure over a constant of the config is not in its source.
  const configText =
    options.configFile === undefined
      ? ''
      : await readFile(path.resolve(options.root, options.configFile), 'utf8').catch(() => '');
  const namespace = contentHash(VERSION, configIdentity(options.config), pluginIdentity, configText);
  const folder = options.cacheFolder ?? (await cacheFolder(options.root));
  return RenderCache.open({ root: options.root, folder, namespace });
}

/** How many worker threads render `documents` documents, and whether that number was asked for. */
export function workerCount(
  documents: number,
  options: RenderStageOptions,
): { size: number; forced: boolean } {
  if (documents === 0) return { size: 0, forced: false };
  const asked = options.workers ?? parseWorkers(process.env.BROADSHEET_WORKERS);
  if (asked !== undefined) return { size: asked, forced: true };
  if (documents < WORKER_THRESHOLD) return { size: 0, forced: false };
  // The main thread renders too: one thread fewer than cores.
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return { size: Math.max(1, Math.min(cores - 1, 8)), forced: false };
}

/** The number of threads `BROADSHEET_WORKERS` asks for, if it is a whole number. */
export function parseWorkers(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const count = Number(value);
  return Number.isInteger(count) && count >= 0 ? count : undefined;
}
