import path from 'node:path';
import type { z } from 'zod';
import { type Diagnostic, diagnostic } from '../diagnostics/diagnostic';
import { type LoadSiteOptions, type LoadSiteResult, loadSiteWith } from '../load/load-site';
import { LoadedFileStore } from '../load/loaded-file-store';
import type { CommentFrontMatter, CommentSchema, PostFrontMatter, PostSchema } from '../schema/content';
import { serialRuns, watchRoot } from './watch-root';

/** Options of {@link watchSite}: those of `loadSite`, and how the watcher reports. */
export interface WatchSiteOptions<
  TPost extends z.ZodType = PostSchema,
  TComment extends z.ZodType = CommentSchema,
> extends LoadSiteOptions<TPost, TComment> {
  /** Milliseconds without a change before the site is loaded again (default 30). */
  debounce?: number;
  /** Called with every update, the first load's included (as well as, or instead of, iterating). */
  onUpdate?: (update: SiteUpdate<z.output<TPost>, z.output<TComment>>) => void;
}

/**
 * One load of a watched site: `loadSite`'s result, and the files whose change caused it (relative to
 * the root, `/`-separated; empty for the first load).
 */
export type SiteUpdate<TPostData = PostFrontMatter, TCommentData = CommentFrontMatter> = LoadSiteResult<
  TPostData,
  TCommentData
> & { changed: string[] };

/**
 * A watched site: an async iterable of its updates, newest first come first served (a consumer that
 * is slower than the edits gets the newest update, not each one), and the newest result on demand.
 */
export interface SiteWatcher<TPostData = PostFrontMatter, TCommentData = CommentFrontMatter>
  extends AsyncIterable<SiteUpdate<TPostData, TCommentData>> {
  /**
   * The newest result: waits for the first load, and for the load of changes already seen (a
   * request handler calls it for each request and gets the site as the files are now).
   */
  current(): Promise<SiteUpdate<TPostData, TCommentData>>;
  /** Settles when the files are watched: an edit made after it gives an update. */
  ready: Promise<void>;
  /** Stops watching; iterations end. */
  close(): Promise<void>;
}

/**
 * Loads a site, then loads it again each time a file of its root changes (the config, a post, a
 * comment, an author, a static file; not `node_modules`, hidden files or the output folder), and
 * hands out each fresh `Site` with its diagnostics. Each load is incremental: the files read, parsed
 * and rendered last time are kept in memory (a `LoadedFileStore`), so a one-post edit reads, parses
 * and renders that post alone; the first load takes renders from the persistent cache.
 * Loads never overlap; edits made during a load are loaded together right after it. A load with
 * errors is an update too (`ok: false` with its diagnostics); the next good edit gives a site again.
 *
 * For a framework's dev server (Next.js, Astro, Vite): keep one watcher for the process and call
 * `current()` where the site is needed, so that a page shows an edited post on refresh.
 *
 * @example
 * ```ts
 * import { formatDiagnostic, watchSite } from 'broadsheet';
 *
 * const watcher = watchSite({ root: '.', preview: true });
 * for await (const update of watcher) {
 *   if (!update.ok) console.error(update.diagnostics.map(formatDiagnostic).join('\n'));
 *   else console.log(`${update.site.posts.length} posts (changed: ${update.changed.join(', ')})`);
 * }
 * ```
 */
export function watchSite<TPost extends z.ZodType = PostSchema, TComment extends z.ZodType = CommentSchema>(
  options: WatchSiteOptions<TPost, TComment>,
): SiteWatcher<z.output<TPost>, z.output<TComment>> {
  type Update = SiteUpdate<z.output<TPost>, z.output<TComment>>;
  const { debounce, onUpdate, ...loadOptions } = options;
  const root = path.resolve(options.root);
  let latest: Update | undefined;
  let version = 0;
  let closed = false;
  let outFolder = 'public';
  const wakers = new Set<() => void>();
  const wake = () => {
    for (const waker of wakers) waker();
    wakers.clear();
  };
  const publish = (update: Update) => {
    latest = update;
    version += 1;
    if (update.ok) outFolder = update.site.config.out;
    onUpdate?.(update);
    wake();
  };
  // Each load reads, parses and renders only the files changed since the last one.
  const store = new LoadedFileStore();
  const runs = serialRuns(
    (changed: string[]) => {
      store.changed(changed);
      // Once the store holds the site, the persistent cache has nothing more to give.
      return loadSiteWith({ ...loadOptions, root, cache: store.warm ? false : loadOptions.cache }, store);
    },
    (result, changed) => publish({ ...result, changed } as Update),
    (error) => publish({ ok: false, diagnostics: [loadFailed(error)], changed: [] }),
  );
  runs.push([]);
  const watcher = watchRoot({
    root,
    debounce,
    outFolders: () => [outFolder],
    onChange: (changed) => {
      if (!closed) runs.push(changed);
    },
  });
  const settled = async (): Promise<Update> => {
    await runs.idle();
    return latest!;
  };

  return {
    ready: watcher.ready,
    current: settled,
    async close() {
      closed = true;
      await watcher.close();
      await runs.idle();
      wake();
    },
    async *[Symbol.asyncIterator]() {
      let seen = 0;
      while (!closed) {
        if (version > seen && latest) {
          seen = version;
          yield latest;
          continue;
        }
        await new Promise<void>((resolve) => wakers.add(resolve));
      }
    },
  };
}

/** A load that threw (a programmer error, such as an invalid option) as a diagnostic: the watcher goes on. */
function loadFailed(error: unknown): Diagnostic {
  return diagnostic({
    code: 'load-failed',
    file: '.',
    message: `the site could not be loaded: ${error instanceof Error ? error.message : String(error)}`,
  });
}
