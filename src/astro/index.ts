import { formatDiagnostic } from '../diagnostics/format';
import { loadSite } from '../load/load-site';
import type { Post } from '../site/types';
import { type SiteUpdate, type SiteWatcher, type WatchSiteOptions, watchSite } from '../watch/watch-site';

/** What {@link broadsheetLoader} uses of an Astro loader's context (Astro's `LoaderContext`). */
export interface AstroLoaderContext {
  store: {
    clear(): void;
    set(entry: {
      id: string;
      data: Record<string, unknown>;
      digest?: string;
      rendered?: { html: string; metadata?: { headings?: { depth: number; slug: string; text: string }[] } };
    }): boolean;
  };
  logger: { warn(message: string): void; error(message: string): void };
  generateDigest(data: Record<string, unknown> | string): string;
  /** Set by `astro dev` (Vite's file watcher): the loader then watches the site itself. */
  watcher?: unknown;
}

/** An Astro content loader (Astro 5's `Loader`), with `close()` to stop watching. */
export interface BroadsheetLoader {
  name: string;
  load(context: AstroLoaderContext): Promise<void>;
  /** Stops the watcher `astro dev` started, if any. */
  close(): Promise<void>;
}

/**
 * An Astro content loader of a broadsheet site's posts: one entry per published post (its slug as
 * id), the post's fields as data (everything but its HTML) and its HTML as the rendered content
 * (`render(entry)` in Astro, with its headings). `astro build` loads the site once and fails on a
 * content error with its diagnostics; `astro dev` watches it (`watchSite`), so an edited post is in
 * the collection again on the next request without a restart, and a broken edit is logged while
 * the last good posts stay.
 *
 * @example
 * ```ts
 * // src/content.config.ts
 * import { defineCollection } from 'astro:content';
 * import { broadsheetLoader } from 'broadsheet/astro';
 *
 * export const collections = { posts: defineCollection({ loader: broadsheetLoader({ root: '.' }) }) };
 * ```
 */
export function broadsheetLoader(options: Omit<WatchSiteOptions, 'onUpdate'>): BroadsheetLoader {
  let watcher: SiteWatcher | undefined;
  return {
    name: 'broadsheet',
    async load(context) {
      if (!context.watcher) {
        const result = await loadSite(options);
        if (!result.ok) {
          throw new Error(`the content has errors:\n${result.diagnostics.map(formatDiagnostic).join('\n')}`);
        }
        fill(context, { ...result, changed: [] });
        return;
      }
      if (!watcher) {
        let ready = false;
        watcher = watchSite({ ...options, onUpdate: (update) => ready && fill(context, update) });
        // Returned once the root is watched: an edit from then on is seen.
        const [first] = await Promise.all([watcher.current(), watcher.ready]);
        fill(context, first);
        ready = true;
      }
    },
    async close() {
      await watcher?.close();
    },
  };
}

/** Puts a load's posts into the store, or logs its diagnostics (the store keeps the last good posts). */
function fill(context: AstroLoaderContext, update: SiteUpdate): void {
  if (!update.ok) {
    for (const problem of update.diagnostics) context.logger.error(formatDiagnostic(problem));
    return;
  }
  for (const warning of update.warnings) context.logger.warn(formatDiagnostic(warning));
  context.store.clear();
  for (const post of update.site.posts) context.store.set(entryOf(context, post));
}

function entryOf(context: AstroLoaderContext, post: Post) {
  const { html, ...data } = post;
  const headings = post.headings.map(({ depth, id, text }) => ({ depth, slug: id, text }));
  return {
    id: post.slug,
    data,
    digest: context.generateDigest(JSON.stringify([data, html])),
    rendered: { html, metadata: { headings } },
  };
}
