import path from 'node:path';
import { Pack } from '../cache/pack';
import { exists } from '../common/fs';
import type { Diagnostic } from '../diagnostics/diagnostic';
import { contentHash } from '../fingerprint/hash';
import type { Heading } from '../site/types';
import { assetsIdentity } from './assets-identity';
import { CachedRender } from './deferred-html';
import type { AssetProblem, PostAssets } from './rehype-assets';
import type { RenderResult } from './render-markdown';

/**
 * The layout of the render cache's files; a new layout starts an empty cache. `render-v4`: a record's
 * payload is the render's fields in a fixed binary layout ({@link encodeRenderResult}), then the
 * HTML's bytes (`render-v3` had the fields as a line of JSON, parsed and checked for every cached
 * render a build read; `render-v2` had the HTML inside the JSON too).
 */
const LAYOUT = 'render-v4';

/** Folders of earlier layouts, removed once the new one is written. */
const RETIRED_LAYOUTS = ['render-v1', 'render-v2', 'render-v3'];

/**
 * Whether the cache folder `folder` (see `cacheFolder`) holds a render cache of the current layout:
 * when it does not, a build renders every document (a cold build).
 */
export function renderCacheExists(folder: string): Promise<boolean> {
  return exists(path.join(folder, LAYOUT, 'index.json'));
}

/**
 * A persistent cache of rendered markdown, keyed by the SHA-256 of what decides the HTML: the
 * namespace (broadsheet's version, the config, the plugin lists) and the document (trust level, page
 * URL, markdown). Not by modification time: a fresh clone hits the cache.
 *
 * The entries live in a {@link Pack} (`<cache folder>/render-v4/`: a few segment files and an
 * index), so a cold build writes a few large files instead of one file per document. An entry that
 * cannot be read is ignored with a `cache-corrupt` warning (one per file) and rendered again; the
 * cache never makes a build fail, and a killed build leaves the previous index in force.
 *
 * @example
 * ```ts
 * const cache = await RenderCache.open({ root, folder: await cacheFolder(root), namespace });
 * const key = cache.key('post', url, markdown);
 * const [hit] = await cache.getMany([key]);
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
    // A build reads nearly every entry the last one kept: read them now, on libuv's threads.
    void pack.prefetch();
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
   * render's HTML is decoded when first read (src/render/deferred-html.ts), from bytes read by now
   * (most of them read ahead since `open`, while the build loaded its files).
   */
  async getMany(keys: readonly string[]): Promise<(RenderResult | undefined)[]> {
    await this.pack.prefetch();
    return this.pack.getMany(keys, decodeRenderResult);
  }

  /**
   * Stores a render (appended to this build's segment, written in the background); one the layout
   * cannot give back exactly (see {@link encodeRenderResult}) is not stored: rendered again next time.
   */
  set(key: string, result: RenderResult): void {
    const payload = encodeRenderResult(result);
    if (payload !== undefined) this.pack.set(key, payload);
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

// A record's payload (little-endian): the word count and reading time (float64 each), the byte
// lengths of the summary (uint32), the number of headings (uint32), the byte length of the asset
// problems' JSON (uint32, 0 when the render has none), then the summary's UTF-8, each heading (its
// depth as a float64, the byte lengths of its text and id as uint32, then their UTF-8), the asset
// problems' JSON, and the HTML's UTF-8 to the end. Numbers as float64 come back exactly; the rare
// asset problems stay JSON.

/** The bytes before the summary. */
const FIELDS_BYTES = 28;
/** The bytes of a heading before its text. */
const HEADING_BYTES = 16;

/**
 * A lone surrogate (half of a pair without the other half): UTF-8 cannot hold it, where JSON
 * escapes it (`\ud800`): a render with one in its summary or headings is not stored.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The payload of a render's record (the layout above); `undefined` for a render whose summary or
 * headings hold a lone surrogate (UTF-8 would give back U+FFFD in its place, not the same text).
 */
export function encodeRenderResult(result: RenderResult): Buffer | undefined {
  const { summary, headings, assetProblems, html } = result;
  if (LONE_SURROGATE.test(summary)) return undefined;
  const summaryBytes = Buffer.byteLength(summary, 'utf8');
  let size = FIELDS_BYTES + summaryBytes;
  for (const { text, id } of headings) {
    if (LONE_SURROGATE.test(text) || LONE_SURROGATE.test(id)) return undefined;
    size += HEADING_BYTES + Buffer.byteLength(text, 'utf8') + Buffer.byteLength(id, 'utf8');
  }
  const problems = assetProblems === undefined ? '' : JSON.stringify(assetProblems);
  const problemsBytes = Buffer.byteLength(problems, 'utf8');
  size += problemsBytes + Buffer.byteLength(html, 'utf8');
  const payload = Buffer.allocUnsafe(size);
  payload.writeDoubleLE(result.wordCount, 0);
  payload.writeDoubleLE(result.readingTime, 8);
  payload.writeUInt32LE(summaryBytes, 16);
  payload.writeUInt32LE(headings.length, 20);
  payload.writeUInt32LE(problemsBytes, 24);
  let at = FIELDS_BYTES + payload.write(summary, FIELDS_BYTES, 'utf8');
  for (const { depth, text, id } of headings) {
    payload.writeDoubleLE(depth, at);
    const textBytes = payload.write(text, at + HEADING_BYTES, 'utf8');
    const idBytes = payload.write(id, at + HEADING_BYTES + textBytes, 'utf8');
    payload.writeUInt32LE(textBytes, at + 8);
    payload.writeUInt32LE(idBytes, at + 12);
    at += HEADING_BYTES + textBytes + idBytes;
  }
  at += payload.write(problems, at, 'utf8');
  payload.write(html, at, 'utf8');
  return payload;
}

/**
 * A render from its record's payload (checked: its bytes are those written), when every length in it
 * fits the payload; `undefined` otherwise. Its HTML stays bytes until read (src/render/deferred-html.ts):
 * `payload` is a view of a buffer `Pack.getMany` read for this cache alone, and any bytes decode to a
 * string, so nothing about the HTML can fail later.
 */
export function decodeRenderResult(payload: Buffer): RenderResult | undefined {
  const size = payload.length;
  if (size < FIELDS_BYTES) return undefined;
  const summaryEnd = FIELDS_BYTES + payload.readUInt32LE(16);
  const count = payload.readUInt32LE(20);
  const problemsBytes = payload.readUInt32LE(24);
  if (summaryEnd + count * HEADING_BYTES + problemsBytes > size) return undefined;
  const headings: Heading[] = [];
  let at = summaryEnd;
  for (let index = 0; index < count; index++) {
    if (at + HEADING_BYTES > size) return undefined;
    const textEnd = at + HEADING_BYTES + payload.readUInt32LE(at + 8);
    const idEnd = textEnd + payload.readUInt32LE(at + 12);
    if (idEnd > size) return undefined;
    headings.push({
      depth: payload.readDoubleLE(at),
      text: payload.toString('utf8', at + HEADING_BYTES, textEnd),
      id: payload.toString('utf8', textEnd, idEnd),
    });
    at = idEnd;
  }
  const fields: Omit<RenderResult, 'html'> = {
    summary: payload.toString('utf8', FIELDS_BYTES, summaryEnd),
    headings,
    wordCount: payload.readDoubleLE(0),
    readingTime: payload.readDoubleLE(8),
  };
  if (problemsBytes > 0) {
    if (at + problemsBytes > size) return undefined;
    const problems: unknown = JSON.parse(payload.toString('utf8', at, at + problemsBytes));
    if (!isAssetProblemList(problems)) return undefined;
    fields.assetProblems = problems;
    at += problemsBytes;
  }
  return new CachedRender(fields, payload.subarray(at));
}

function isAssetProblemList(value: unknown): value is AssetProblem[] {
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
