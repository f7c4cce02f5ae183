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
 * The layout of the render cache's files; a new layout starts an empty cache. `render-v5`: a record's
 * payload is the render's fields in a fixed binary layout ({@link encodeRenderResult}), its texts
 * decoded with one call, then the HTML's bytes (`render-v4` decoded each text on its own;
 * `render-v3` had the fields as a line of JSON, parsed and checked for every cached render a build
 * read; `render-v2` had the HTML inside the JSON too).
 */
const LAYOUT = 'render-v5';

/** Folders of earlier layouts, removed once the new one is written. */
const RETIRED_LAYOUTS = ['render-v1', 'render-v2', 'render-v3', 'render-v4'];

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
 * The entries live in a {@link Pack} (`<cache folder>/render-v5/`: a few segment files and an
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

// A record's payload (little-endian):
//   0  the word count (float64)          8  the reading time (float64)
//  16  the number of headings (uint32)   20  the byte length of the texts' UTF-8 (uint32)
//  24  the byte length of the asset problems' JSON (uint32, 0 when the render has none)
//  28  the summary's length in UTF-16 code units (uint32)
//  32  each heading: its depth (float64), its text's and id's lengths in UTF-16 code units (uint32 each)
//  then the texts' UTF-8 (the summary, then each heading's text and id, one after the other), the
//  asset problems' JSON, and the HTML's UTF-8 to the end.
// The texts are decoded with one call and cut at their lengths (the UTF-8 of a concatenation is
// the concatenation of the UTF-8s, for text without lone surrogates). Numbers as float64 come back
// exactly; the rare asset problems stay JSON.

/** The bytes before the headings. */
const FIELDS_BYTES = 32;
/** The bytes of a heading. */
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
  let texts = summary;
  for (const { text, id } of headings) {
    if (LONE_SURROGATE.test(text) || LONE_SURROGATE.test(id)) return undefined;
    texts += text + id;
  }
  const textBytes = Buffer.byteLength(texts, 'utf8');
  const problems = assetProblems === undefined ? '' : JSON.stringify(assetProblems);
  const problemsBytes = Buffer.byteLength(problems, 'utf8');
  const start = FIELDS_BYTES + headings.length * HEADING_BYTES;
  const payload = Buffer.allocUnsafe(start + textBytes + problemsBytes + Buffer.byteLength(html, 'utf8'));
  payload.writeDoubleLE(result.wordCount, 0);
  payload.writeDoubleLE(result.readingTime, 8);
  payload.writeUInt32LE(headings.length, 16);
  payload.writeUInt32LE(textBytes, 20);
  payload.writeUInt32LE(problemsBytes, 24);
  payload.writeUInt32LE(summary.length, 28);
  let at = FIELDS_BYTES;
  for (const { depth, text, id } of headings) {
    payload.writeDoubleLE(depth, at);
    payload.writeUInt32LE(text.length, at + 8);
    payload.writeUInt32LE(id.length, at + 12);
    at += HEADING_BYTES;
  }
  at += payload.write(texts, at, 'utf8');
  at += payload.write(problems, at, 'utf8');
  payload.write(html, at, 'utf8');
  return payload;
}

/**
 * A render from its record's payload (checked: its bytes are those written), when its lengths fit
 * the payload and its texts; `undefined` otherwise. Its HTML stays bytes until read
 * (src/render/deferred-html.ts): `payload` is a view of a buffer `Pack.getMany` read for this cache
 * alone, and any bytes decode to a string, so nothing about the HTML can fail later.
 */
export function decodeRenderResult(payload: Buffer): RenderResult | undefined {
  const size = payload.length;
  if (size < FIELDS_BYTES) return undefined;
  const count = payload.readUInt32LE(16);
  const textBytes = payload.readUInt32LE(20);
  const problemsBytes = payload.readUInt32LE(24);
  const start = FIELDS_BYTES + count * HEADING_BYTES;
  if (start + textBytes + problemsBytes > size) return undefined;
  const texts = payload.toString('utf8', start, start + textBytes);
  let cut = payload.readUInt32LE(28);
  const summary = texts.slice(0, cut);
  const headings: Heading[] = [];
  for (let at = FIELDS_BYTES; at < start; at += HEADING_BYTES) {
    const textEnd = cut + payload.readUInt32LE(at + 8);
    const idEnd = textEnd + payload.readUInt32LE(at + 12);
    headings.push({
      depth: payload.readDoubleLE(at),
      text: texts.slice(cut, textEnd),
      id: texts.slice(textEnd, idEnd),
    });
    cut = idEnd;
  }
  // The lengths add up to the texts decoded: none cut short or running past the others.
  if (cut !== texts.length) return undefined;
  const fields: Omit<RenderResult, 'html'> = {
    summary,
    headings,
    wordCount: payload.readDoubleLE(0),
    readingTime: payload.readDoubleLE(8),
  };
  let at = start + textBytes;
  if (problemsBytes > 0) {
    const problems: unknown = JSON.parse(payload.toString('utf8', at, at + problemsBytes));
    if (!isAssetProblemList(problems)) return undefined;
    fields.assetProblems = problems;
    at += problemsBytes;
  }
  return new CachedRender(fields, payload.subarray(at));
}

/** Whether `value` is a list of asset problems as a render gives them. */
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
