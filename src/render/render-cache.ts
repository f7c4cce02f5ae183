import path from 'node:path';
import { Pack } from '../cache/pack';
import { exists } from '../common/fs';
import type { Diagnostic } from '../diagnostics/diagnostic';
import { contentHash } from '../fingerprint/hash';
import { assetsIdentity } from './assets-identity';
import { CachedRender } from './deferred-html';
import type { PostAssets } from './rehype-assets';
import type { RenderResult } from './render-markdown';

/**
 * The layout of the render cache's files; a new layout starts an empty cache. `render-v3`: a record's
 * payload is the render without its HTML as one line of JSON, a line feed, then the HTML's bytes
 * (`render-v2` had the HTML inside the JSON: a second copy of every page's HTML to parse and collect).
 */
const LAYOUT = 'render-v3';

/** Folders of earlier layouts, removed once the new one is written. */
const RETIRED_LAYOUTS = ['render-v1', 'render-v2'];

/**
 * Whether the cache folder `folder` (see `cacheFolder`) holds a render cache of the current layout:
 * when it does not, a build renders every document (a cold build).
 */
export function renderCacheExists(folder: string): Promise<boolean> {
  return exists(path.join(folder, LAYOUT, 'index.json'));
}

/** The byte between a payload's JSON line and its HTML (JSON text never has a raw line feed). */
const LINE_FEED = 0x0a;

/**
 * A persistent cache of rendered markdown, keyed by the SHA-256 of what decides the HTML: the
 * namespace (broadsheet's version, the config, the plugin lists) and the document (trust level, page
 * URL, markdown). Not by modification time: a fresh clone hits the cache.
 *
 * The entries live in a {@link Pack} (`<cache folder>/render-v3/`: a few segment files and an
 * index), so a cold build writes a few large files instead of one file per document. An entry that
 * cannot be read is ignored with a `cache-corrupt` warning (one per file) and rendered again; the
 * cache never makes a build fail, and a killed build leaves the previous index in force.
 *
 * @example
 * ```ts
 * const cache = await RenderCache.open({ root, folder: await cacheFolder(root), namespace });
 * const key = cache.key('post', url, markdown);
 * const [hit] = cache.getMany([key]);
 * if (!hit) cache.set(key, await renderPost(markdown, { url })); // written in the background
 * await cache.close(); // waits for the writes and keeps only the entries this build used
 * ```
 */
export class RenderCache {
  private constructor(
    private readonly pack: Pack,
    private readonly namespace: string,
  ) {}

  /**
   * Opens the cache for one namespace in a site's cache folder (see `cacheFolder`); another
   * namespace's entries are dropped when this one closes. `root` is only where warnings' file paths
   * are relative to.
   */
  static async open(options: { root: string; folder: string; namespace: string }): Promise<RenderCache> {
    const pack = await Pack.open({
      root: options.root,
      folder: path.join(options.folder, LAYOUT),
      layout: LAYOUT,
      namespace: options.namespace,
      retired: RETIRED_LAYOUTS,
      trash: path.join(options.folder, 'trash'),
    });
    return new RenderCache(pack, options.namespace);
  }

  /**
   * The key of one document; with a post's files, their facts too (an image's size is in the HTML,
   * and a file added or removed changes which references are missing).
   */
  key(trust: string, url: string, markdown: string, assets?: PostAssets): string {
    if (assets === undefined) return contentHash(this.namespace, trust, url, markdown);
    return contentHash(this.namespace, trust, url, markdown, assetsIdentity(assets));
  }

  /** Whether the cache has an entry for `key` (not read: it may still turn out corrupt when it is). */
  has(key: string): boolean {
    return this.pack.has(key);
  }

  /**
   * The cached renders of `keys`, in their order; `undefined` for a miss or a corrupt entry. Each
   * render's HTML is decoded when first read (src/render/deferred-html.ts), from bytes read now.
   */
  getMany(keys: readonly string[]): (RenderResult | undefined)[] {
    return this.pack.getMany(keys, decodeRenderResult);
  }

  /** Stores a render (appended to this build's segment, written in the background). */
  set(key: string, result: RenderResult): void {
    const { html, ...rest } = result;
    this.pack.set(key, `${JSON.stringify(rest)}\n${html}`);
  }

  /** `cache-corrupt` warnings found so far, one per cache file. */
  get warnings(): Diagnostic[] {
    return this.pack.warnings();
  }

  /**
   * Keeps every entry this namespace had at open, used or not, in the index written at `close` (a
   * load that failed has not looked up what the next build needs).
   */
  keepAll(): void {
    this.pack.keepAll();
  }

  /**
   * Waits for the pending writes, then writes the index of the entries this build used (other
   * namespaces' and unused entries are dropped; their bytes go at the next compaction).
   */
  close(): Promise<void> {
    return this.pack.close();
  }
}

/**
 * A render from its record's payload (checked: its bytes are those written). Its HTML stays bytes
 * until read (src/render/deferred-html.ts): `payload` is a view of a buffer `Pack.getMany` read for
 * this cache alone, and any bytes decode to a string, so nothing about the HTML can fail later.
 */
function decodeRenderResult(payload: Buffer): RenderResult | undefined {
  const lineEnd = payload.indexOf(LINE_FEED);
  if (lineEnd === -1) return undefined;
  const value: unknown = JSON.parse(payload.toString('utf8', 0, lineEnd));
  if (value === null || typeof value !== 'object' || Object.hasOwn(value, 'html')) return undefined;
  return isRenderFields(value) ? new CachedRender(value, payload.subarray(lineEnd + 1)) : undefined;
}

/** Whether `value` has the fields of a render but its HTML. */
function isRenderFields(value: unknown): value is Omit<RenderResult, 'html'> {
  if (value === null || typeof value !== 'object') return false;
  const result = value as Record<string, unknown>;
  return (
    typeof result.summary === 'string' &&
    typeof result.wordCount === 'number' &&
    typeof result.readingTime === 'number' &&
    Array.isArray(result.headings) &&
    (result.assetProblems === undefined || isAssetProblemList(result.assetProblems)) &&
    result.headings.every(
      (heading: unknown) =>
        heading !== null &&
        typeof heading === 'object' &&
        typeof (heading as Record<string, unknown>).depth === 'number' &&
        typeof (heading as Record<string, unknown>).text === 'string' &&
        typeof (heading as Record<string, unknown>).id === 'string',
    )
  );
}

function isAssetProblemList(value: unknown): boolean {
  return (
    Array.isArray(value) &&
    value.every((problem: unknown) => {
      if (problem === null || typeof problem !== 'object') return false;
      const { line, column, reference, reason } = problem as Record<string, unknown>;
      return (
        Number.isInteger(line) &&
        Number.isInteger(column) &&
        typeof reference === 'string' &&
        (reason === 'missing' || reason === 'outside')
      );
    })
  );
}
