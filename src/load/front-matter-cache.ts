import path from 'node:path';
import { Pack } from '../cache/pack';
import type { DiagnosticCollector } from '../diagnostics/collector';
import type { Diagnostic } from '../diagnostics/diagnostic';
import { decodeExact, storedText } from '../fingerprint/exact';
import { contentHash } from '../fingerprint/hash';
import { decodeValidUtf8, frontMatterLength, parserIdentity, parseSimpleFrontMatter } from '../parse/parse';
import { VERSION } from '../version';
import type { SourceFile } from './files';

/** The layout of the front matter cache's files; a new layout starts an empty cache. */
const LAYOUT = 'front-matter-v2';

/** What a content file's parse gives that the loader keeps: the front matter's data and where the body starts. */
export interface CachedFrontMatter {
  /** The front matter as `yaml` gives it (`Document.toJS`). */
  data: Record<string, unknown>;
  /** The index in the decoded text (UTF-16 code units) where the markdown body starts. */
  bodyStart: number;
}

/** A cached parse with the file's decoded text (what the validate stage needs next). */
export interface FrontMatterHit extends CachedFrontMatter {
  /** The whole file decoded (`decodeUtf8`); its bytes are valid UTF-8. */
  text: string;
}

/**
 * A persistent cache of parsed front matter, so that a warm build does not run `yaml` on files whose
 * front matter did not change (an edit to a post's body included). Keyed by the SHA-256 of the
 * front matter's text (the decoded file up to where its body starts, fences included: all that its
 * parse reads, see `frontMatterLength`) and of the parser's identity (broadsheet's version and the
 * source of the parsing functions); stored in a {@link Pack} at `<cache folder>/front-matter-v2/`.
 *
 * Only files that `yaml` parsed without a diagnostic are stored (diagnostics need positions, which
 * come from a real parse). Front matter that the fast path reads (src/parse/simple-yaml.ts, most of
 * it) is read again by {@link frontMatterStore}, never stored: reading it costs less than a lookup.
 * Values that JSON does not carry (dates, `.inf`, `.nan`, `-0`, binary, sets, ordered maps) are
 * stored tagged and come back identical; a value that cannot come back identical
 * (one object reached twice through YAML aliases) is not stored, and its file is parsed every time.
 *
 * @example
 * ```ts
 * const cache = await FrontMatterCache.open({ root, folder: await cacheFolder(root), parser });
 * const keys = texts.map((text) => cache.key(text.slice(0, frontMatterLength(text))));
 * const hits = cache.getMany(keys);
 * // … parse the misses, then cache.set(key, { data, bodyStart }) …
 * await cache.close();
 * ```
 */
export class FrontMatterCache {
  private constructor(
    private readonly pack: Pack,
    private readonly namespace: string,
  ) {}

  /**
   * Opens the cache in a site's cache folder (see `cacheFolder`). `parser` identifies the parsing
   * code (e.g. its source text): another parser's entries are dropped.
   */
  static async open(options: { root: string; folder: string; parser: string }): Promise<FrontMatterCache> {
    const namespace = frontMatterNamespace(options.parser);
    const pack = await Pack.open({
      root: options.root,
      folder: path.join(options.folder, LAYOUT),
      layout: LAYOUT,
      namespace,
    });
    return new FrontMatterCache(pack, namespace);
  }

  /**
   * The key of a file's front matter: its decoded text up to where the body starts (`text.slice(0,
   * frontMatterLength(text))`, the fences included).
   */
  key(frontMatter: string): string {
    return contentHash(this.namespace, frontMatter);
  }

  /** Keeps an entry this load did not read (its file was answered from elsewhere) in the index. */
  keep(key: string): void {
    this.pack.keep(key);
  }

  /** The cached parses of `keys` (`undefined` keys are skipped), in their order. */
  getMany(keys: readonly (string | undefined)[]): (CachedFrontMatter | undefined)[] {
    return this.pack.getMany(keys, decodeEntry);
  }

  /**
   * Stores a parse; the data is serialised now (a later change to the object is not seen). Returns
   * `false`, storing nothing, when the data cannot be stored so that it comes back identical.
   */
  set(key: string, entry: CachedFrontMatter): boolean {
    const data = storedText(entry.data);
    if (data === undefined) return false;
    // The text of JSON.stringify({ bodyStart, data: encodeExact(data) }).
    this.pack.set(key, `{"bodyStart":${JSON.stringify(entry.bodyStart)},"data":${data}}`);
    return true;
  }

  /** `cache-corrupt` warnings found so far, one per cache file. */
  get warnings(): Diagnostic[] {
    return this.pack.warnings();
  }

  /** Waits for the writes and writes the index of the entries this load used. */
  close(): Promise<void> {
    return this.pack.close();
  }
}

function frontMatterNamespace(parser: string): string {
  return contentHash(LAYOUT, VERSION, parser, frontMatterLength.toString());
}

let namespace: string | undefined;

/**
 * Where the body of a file's decoded `text` starts and the key of the text before it in the front
 * matter cache of a site's cache folder (the one {@link openFrontMatterCache} opens), without opening
 * it; `undefined` when the text has no front matter (its parse gives a diagnostic, never cached).
 */
export function frontMatterKey(text: string): { key: string; bodyStart: number } | undefined {
  const bodyStart = frontMatterLength(text);
  if (bodyStart === undefined) return undefined;
  namespace ??= frontMatterNamespace(parserIdentity());
  return { key: contentHash(namespace, text.slice(0, bodyStart)), bodyStart };
}

/**
 * The front matter cache in a site's cache folder (`siteCacheFolder`), for the store the validate
 * stage is handed (see {@link frontMatterStore}).
 */
export function openFrontMatterCache(root: string, folder: string): Promise<FrontMatterCache> {
  return FrontMatterCache.open({ root, folder, parser: parserIdentity() });
}

/** The front matter cache as the validate stage sees it: for one list of files, by each file's index. */
export interface FrontMatterStore {
  /** The cached parse of file `index` and its decoded text, given once (the store lets go of it). */
  take(index: number): FrontMatterHit | undefined;
  /**
   * Stores the parse of file `index`, whose decoded text is `text` (nothing for a file the cache
   * does not keep: author profiles).
   */
  save(index: number, text: string, entry: CachedFrontMatter): void;
  /** The key file `index`'s front matter was looked up or stored under (`undefined` when none). */
  keyOf(index: number): string | undefined;
  /** Whether the cache has the parse of file `index`'s front matter (not taken yet): it is as it was. */
  has(index: number): boolean;
}

/** A store that has nothing and keeps nothing (`cache: false`). */
export const noFrontMatterStore: FrontMatterStore = {
  take: () => undefined,
  save: () => {},
  keyOf: () => undefined,
  has: () => false,
};

/**
 * The store of `cache` for `files`: each wanted post's and comment's front matter key is computed
 * from its decoded text (a file that is not valid UTF-8 has none: it is decoded again, and reported,
 * by the validate stage) and every cached parse is looked up at once (neighbouring records are read
 * together); a front matter the fast path reads is read instead, and given as a hit. The cache's
 * `cache-corrupt` warnings go to `problems`. Author profiles (few) are always parsed. Files that `wanted` refuses (answered elsewhere: the loaded-post cache) are not decoded;
 * the entries of `kept` (their keys) stay in the cache.
 */
export function frontMatterStore(
  cache: FrontMatterCache,
  files: readonly SourceFile[],
  problems: DiagnosticCollector,
  wanted: (index: number) => boolean = () => true,
  kept: Iterable<string> = [],
): FrontMatterStore {
  const keys: (string | undefined)[] = new Array(files.length).fill(undefined);
  const texts: (string | undefined)[] = new Array(files.length).fill(undefined);
  const lengths: number[] = new Array(files.length).fill(-1);
  const simple: (CachedFrontMatter | undefined)[] = new Array(files.length).fill(undefined);
  for (let index = 0; index < files.length; index++) {
    const source = files[index]!;
    if (source.kind === 'author' || !wanted(index)) continue;
    const text = decodeValidUtf8(source.bytes);
    if (text === undefined) continue;
    // Front matter the fast path reads is read now, not looked up (nor stored: see the class).
    simple[index] = parseSimpleFrontMatter(text);
    if (simple[index] !== undefined) {
      texts[index] = text;
      continue;
    }
    const length = frontMatterLength(text);
    if (length === undefined) continue;
    texts[index] = text;
    lengths[index] = length;
    keys[index] = cache.key(text.slice(0, length));
  }
  for (const key of kept) cache.keep(key);
  const hits = cache.getMany(keys);
  problems.addAll(cache.warnings);
  return {
    take(index) {
      const hit = hits[index];
      const text = texts[index];
      const read = simple[index];
      hits[index] = undefined;
      texts[index] = undefined;
      simple[index] = undefined;
      if (read !== undefined) return { ...read, text: text! };
      return hit && text !== undefined && hit.bodyStart === lengths[index] ? { ...hit, text } : undefined;
    },
    save(index, text, entry) {
      if (files[index]?.kind === 'author') return;
      // The key looked up for the same text up to the same place, or that text's.
      const key =
        keys[index] !== undefined && lengths[index] === entry.bodyStart
          ? keys[index]
          : cache.key(text.slice(0, entry.bodyStart));
      if (cache.set(key, entry)) keys[index] = key;
    },
    keyOf: (index) => keys[index],
    has: (index) => hits[index] !== undefined && hits[index]!.bodyStart === lengths[index],
  };
}

function decodeEntry(payload: Buffer): CachedFrontMatter | undefined {
  const text = payload.toString('utf8');
  const value: unknown = JSON.parse(text);
  if (value === null || typeof value !== 'object') return undefined;
  const { bodyStart, data } = value as { bodyStart?: unknown; data?: unknown };
  if (typeof bodyStart !== 'number' || !Number.isSafeInteger(bodyStart) || bodyStart < 0) return undefined;
  // Tags and escaped keys all start with `"$`: without one, what JSON.parse gave is the value itself
  // (JSON.parse, like decodeExact, makes `__proto__` an own key), and copying it is only garbage.
  const decoded = text.includes('"$') ? decodeExact(data) : data;
  if (
    decoded === null ||
    typeof decoded !== 'object' ||
    Object.getPrototypeOf(decoded) !== Object.prototype
  ) {
    return undefined;
  }
  return { bodyStart, data: decoded as Record<string, unknown> };
}
