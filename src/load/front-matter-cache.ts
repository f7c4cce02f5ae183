import { hash } from 'node:crypto';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic';
import { VERSION } from '../version';
import { contentHash } from './identity';
import { Pack } from './pack';

/** The layout of the front matter cache's files; a new layout starts an empty cache. */
const LAYOUT = 'front-matter-v1';

/** What a content file's parse gives that the loader keeps: the front matter's data and where the body starts. */
export interface CachedFrontMatter {
  /** The front matter as `yaml` gives it (`Document.toJS`). */
  data: Record<string, unknown>;
  /** The index in the decoded text (UTF-16 code units) where the markdown body starts. */
  bodyStart: number;
}

/**
 * A persistent cache of parsed front matter, so that a warm build does not run `yaml` on files that
 * did not change. Keyed by the SHA-256 of the file's bytes and of the parser's identity (broadsheet's
 * version and the source of the parsing functions); stored in a {@link Pack} at
 * `<cache folder>/front-matter-v1/`.
 *
 * Only files that parsed without a diagnostic are stored (diagnostics need positions, which come
 * from a real parse). Values that JSON does not carry (dates, `.inf`, `.nan`, `-0`, binary, sets,
 * ordered maps) are stored tagged and come back identical; a value that cannot come back identical
 * (one object reached twice through YAML aliases) is not stored, and its file is parsed every time.
 *
 * @example
 * ```ts
 * const cache = await FrontMatterCache.open({ root, folder: await cacheFolder(root), parser });
 * const keys = files.map((file) => cache.key(file.bytes));
 * const hits = cache.getMany(keys);
 * // … parse the misses, then cache.set(key, { data, bodyStart }) …
 * await cache.close();
 * ```
 */
export class FrontMatterCache {
  /** What every key hashes before the file's bytes: the namespace and a NUL. */
  private readonly keyPrefix: Buffer;

  private constructor(
    private readonly pack: Pack,
    namespace: string,
  ) {
    this.keyPrefix = Buffer.from(`${namespace}\0`, 'utf8');
  }

  /**
   * Opens the cache in a site's cache folder (see `cacheFolder`). `parser` identifies the parsing
   * code (e.g. its source text): another parser's entries are dropped.
   */
  static async open(options: { root: string; folder: string; parser: string }): Promise<FrontMatterCache> {
    const namespace = contentHash(LAYOUT, VERSION, options.parser);
    const pack = await Pack.open({
      root: options.root,
      folder: path.join(options.folder, LAYOUT),
      layout: LAYOUT,
      namespace,
    });
    return new FrontMatterCache(pack, namespace);
  }

  /** The key of a file's bytes. */
  key(bytes: Uint8Array): string {
    // SHA-256(namespace, NUL, bytes) in one call: cheaper than a Hash object per file.
    return hash('sha256', Buffer.concat([this.keyPrefix, bytes]), 'hex');
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
    const data = encodeValue(entry.data, new Set());
    if (data === UNENCODABLE) return false;
    this.pack.set(key, JSON.stringify({ bodyStart: entry.bodyStart, data }));
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

function decodeEntry(payload: Buffer): CachedFrontMatter | undefined {
  const text = payload.toString('utf8');
  const value: unknown = JSON.parse(text);
  if (value === null || typeof value !== 'object') return undefined;
  const { bodyStart, data } = value as { bodyStart?: unknown; data?: unknown };
  if (typeof bodyStart !== 'number' || !Number.isSafeInteger(bodyStart) || bodyStart < 0) return undefined;
  // Tags and escaped keys all start with `"$`: without one, what JSON.parse gave is the value itself
  // (JSON.parse, like decodeValue, makes `__proto__` an own key), and copying it is only garbage.
  const decoded = text.includes('"$') ? decodeValue(data) : data;
  if (
    decoded === null ||
    typeof decoded !== 'object' ||
    Object.getPrototypeOf(decoded) !== Object.prototype
  ) {
    return undefined;
  }
  return { bodyStart, data: decoded as Record<string, unknown> };
}

const UNENCODABLE: unique symbol = Symbol('unencodable');

/**
 * The JSON form of a value `yaml` gives. A value JSON does not carry becomes `{"$t": type, "v": …}`;
 * so that a mapping of the user's cannot pass for one, every key starting with `$` gets one more
 * `$`. A plain object is built with `defineProperty`-like semantics (`__proto__` stays a key).
 */
function encodeValue(value: unknown, seen: Set<object>): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0)
        ? value
        : { $t: 'number', v: Object.is(value, -0) ? '-0' : String(value) };
    case 'undefined':
      return { $t: 'undefined' };
    case 'bigint':
      return { $t: 'bigint', v: value.toString() };
    case 'object':
      break;
    default:
      return UNENCODABLE;
  }
  if (value === null) return null;
  // YAML aliases give the same object twice (or a cycle): JSON would give two copies.
  if (seen.has(value)) return UNENCODABLE;
  seen.add(value);
  const prototype = Object.getPrototypeOf(value);
  if (prototype === Date.prototype) return { $t: 'date', v: String((value as Date).getTime()) };
  if (prototype === Buffer.prototype || prototype === Uint8Array.prototype) {
    const bytes = value as Uint8Array;
    return {
      $t: prototype === Buffer.prototype ? 'buffer' : 'bytes',
      v: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'),
    };
  }
  if (prototype === Array.prototype) {
    const array = value as unknown[];
    if (Object.keys(array).length !== array.length) return UNENCODABLE; // holes or extra properties
    const items: unknown[] = [];
    for (const item of array) {
      const encoded = encodeValue(item, seen);
      if (encoded === UNENCODABLE) return UNENCODABLE;
      items.push(encoded);
    }
    return items;
  }
  if (prototype === Set.prototype) {
    const items = encodeValue([...(value as Set<unknown>)], seen);
    return items === UNENCODABLE ? UNENCODABLE : { $t: 'set', v: items };
  }
  if (prototype === Map.prototype) {
    const pairs: unknown[] = [];
    for (const [key, item] of value as Map<unknown, unknown>) {
      const encodedKey = encodeValue(key, seen);
      const encodedItem = encodeValue(item, seen);
      if (encodedKey === UNENCODABLE || encodedItem === UNENCODABLE) return UNENCODABLE;
      pairs.push([encodedKey, encodedItem]);
    }
    return { $t: 'map', v: pairs };
  }
  if (prototype !== Object.prototype) return UNENCODABLE;
  const names = Object.getOwnPropertyNames(value);
  if (Object.getOwnPropertySymbols(value).length > 0) return UNENCODABLE;
  const result: Record<string, unknown> = {};
  for (const name of names) {
    const descriptor = Object.getOwnPropertyDescriptor(value, name)!;
    if (!('value' in descriptor) || !descriptor.enumerable) return UNENCODABLE;
    const encoded = encodeValue(descriptor.value, seen);
    if (encoded === UNENCODABLE) return UNENCODABLE;
    defineKey(result, name.startsWith('$') ? `$${name}` : name, encoded);
  }
  return result;
}

/** The inverse of {@link encodeValue}, for what `JSON.parse` gives; throws on a malformed tag. */
function decodeValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(decodeValue);
  const object = value as Record<string, unknown>;
  if (Object.hasOwn(object, '$t')) {
    const { $t: type, v } = object;
    switch (type) {
      case 'number':
        if (v === '-0') return -0;
        if (v === 'NaN' || v === 'Infinity' || v === '-Infinity') return Number(v);
        break;
      case 'undefined':
        return undefined;
      case 'bigint':
        if (typeof v === 'string') return BigInt(v);
        break;
      case 'date':
        if (typeof v === 'string') return new Date(Number(v));
        break;
      case 'buffer':
        if (typeof v === 'string') return Buffer.from(v, 'base64');
        break;
      case 'bytes':
        if (typeof v === 'string') return new Uint8Array(Buffer.from(v, 'base64'));
        break;
      case 'set':
        if (Array.isArray(v)) return new Set(v.map(decodeValue));
        break;
      case 'map':
        if (Array.isArray(v)) {
          return new Map(
            v.map((pair) => {
              if (!Array.isArray(pair) || pair.length !== 2) throw new Error('a malformed map entry');
              return [decodeValue(pair[0]), decodeValue(pair[1])] as const;
            }),
          );
        }
        break;
    }
    throw new Error(`a malformed tagged value: ${String(type)}`);
  }
  const result: Record<string, unknown> = {};
  for (const name of Object.keys(object)) {
    defineKey(result, name.startsWith('$') ? name.slice(1) : name, decodeValue(object[name]));
  }
  return result;
}

/** Sets an own enumerable property, `__proto__` included (an assignment would set the prototype). */
function defineKey(object: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    object[key] = value;
  }
}
