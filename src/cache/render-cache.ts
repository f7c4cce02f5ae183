import { readFileSync } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic';
import type { RenderResult } from '../render/render-markdown';
import { contentHash } from './identity';

/** The layout of the files in the cache folder; a new layout starts an empty cache. */
const LAYOUT = 'render-v1';

/** How many cache files are written (or removed) at the same time. */
const IO_CONCURRENCY = 64;

/**
 * A persistent cache of rendered markdown, one JSON file per document, keyed by the SHA-256 of
 * what decides the HTML: the namespace (broadsheet's version, the config, the plugin lists) and the
 * document (trust level, page URL, markdown). Not by modification time: a fresh clone hits the cache.
 *
 * A file that cannot be read as a cache entry is ignored with a `cache-corrupt` warning and
 * replaced; the cache never makes a build fail. Entries are written to a temporary name and renamed,
 * so a killed build leaves whole entries or none.
 *
 * @example
 * ```ts
 * const cache = RenderCache.open({ root, folder: await cacheFolder(root), namespace });
 * const key = cache.key('post', url, markdown);
 * const hit = cache.get(key);
 * if (!hit) cache.set(key, await renderPost(markdown, { url })); // written in the background
 * await cache.close(); // waits for the writes and removes entries this build did not use
 * ```
 */
export class RenderCache {
  /** `cache-corrupt` warnings found so far. */
  readonly warnings: Diagnostic[] = [];
  private readonly used = new Set<string>();
  private readonly queue: ({ key: string; result: RenderResult } | undefined)[] = [];
  private head = 0;
  private readonly writers = new Set<Promise<void>>();
  private readonly folders = new Map<string, Promise<unknown>>();
  private writes = 0;

  private constructor(
    private readonly root: string,
    private readonly folder: string,
    private readonly namespace: string,
  ) {}

  /**
   * Opens (creating lazily) the cache for one namespace in a cache folder (see `cacheFolder`).
   * `root` is only where warnings' file paths are relative to.
   */
  static open(options: { root: string; folder: string; namespace: string }): RenderCache {
    const folder = path.join(options.folder, LAYOUT, options.namespace.slice(0, 16));
    return new RenderCache(options.root, folder, options.namespace);
  }

  /** The key of one document. */
  key(trust: string, url: string, markdown: string): string {
    return contentHash(this.namespace, trust, url, markdown);
  }

  private fileOf(key: string): string {
    return path.join(this.folder, key.slice(0, 2), `${key}.json`);
  }

  /**
   * The cached render of `key`, or `undefined` (a miss, or a corrupt entry, which is warned about).
   * Read synchronously: a few kilobytes from the page cache take microseconds, less than a trip
   * through the thread pool, and nothing else runs while the cache is read.
   */
  get(key: string): RenderResult | undefined {
    this.used.add(key);
    const file = this.fileOf(key);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    try {
      const entry = JSON.parse(text) as { key?: unknown; result?: unknown };
      if (entry.key === key && isRenderResult(entry.result)) return entry.result;
    } catch {
      // Reported below.
    }
    const relative = path.relative(this.root, file);
    this.warnings.push({
      file:
        relative.startsWith('..') || path.isAbsolute(relative) ? file : relative.split(path.sep).join('/'),
      line: 1,
      column: 1,
      severity: 'warning',
      code: 'cache-corrupt',
      message: 'this cache file is not a valid cache entry: it is ignored and rewritten',
    });
    return undefined;
  }

  /** Reads many keys; the result is in the keys' order. */
  getMany(keys: readonly string[]): (RenderResult | undefined)[] {
    return keys.map((key) => this.get(key));
  }

  /**
   * Stores a render in the background: queued, and written by at most {@link IO_CONCURRENCY} writers
   * (a failed write is ignored: the cache is an optimisation). {@link close} waits for the queue.
   */
  set(key: string, result: RenderResult): void {
    this.used.add(key);
    this.queue.push({ key, result });
    if (this.writers.size < IO_CONCURRENCY) this.startWriter();
  }

  private startWriter(): void {
    const writer = this.drain();
    this.writers.add(writer);
    void writer.finally(() => this.writers.delete(writer));
  }

  private async drain(): Promise<void> {
    while (this.head < this.queue.length) {
      const entry = this.queue[this.head]!;
      this.queue[this.head] = undefined;
      this.head += 1;
      // Drop the written part now and then (shift() would copy the whole array each time).
      if (this.head > 4096 && this.head * 2 > this.queue.length) {
        this.queue.splice(0, this.head);
        this.head = 0;
      }
      await this.write(entry.key, entry.result).catch(() => {});
    }
  }

  private async write(key: string, result: RenderResult): Promise<void> {
    const file = this.fileOf(key);
    const folder = path.dirname(file);
    let made = this.folders.get(folder);
    if (!made) {
      made = mkdir(folder, { recursive: true });
      this.folders.set(folder, made);
    }
    await made;
    this.writes += 1;
    const temporary = `${file}.${process.pid}-${this.writes}.tmp`;
    await writeFile(temporary, JSON.stringify({ key, result }));
    await rename(temporary, file);
  }

  /**
   * Waits for the pending writes, then removes what this build did not use: other namespaces
   * (an older version, config or plugin list) and entries of documents that changed or went away.
   * So the cache holds about one entry per document.
   */
  async close(): Promise<void> {
    for (;;) {
      // A render queued just as the last writers were leaving has no writer yet.
      if (this.writers.size === 0 && this.head < this.queue.length) this.startWriter();
      if (this.writers.size === 0) break;
      await Promise.all([...this.writers]);
    }
    const layout = path.dirname(this.folder);
    const namespaces = await readdir(layout).catch(() => [] as string[]);
    await Promise.all(
      namespaces
        .filter((name) => name !== path.basename(this.folder))
        .map((name) => rm(path.join(layout, name), { recursive: true, force: true }).catch(() => {})),
    );
    const shards = await readdir(this.folder).catch(() => [] as string[]);
    const stale: string[] = [];
    for (const shard of shards) {
      const entries = await readdir(path.join(this.folder, shard)).catch(() => [] as string[]);
      for (const entry of entries) {
        const key = entry.endsWith('.json') ? entry.slice(0, -'.json'.length) : undefined;
        if (key === undefined || !this.used.has(key)) stale.push(path.join(this.folder, shard, entry));
      }
    }
    let next = 0;
    const remover = async () => {
      while (next < stale.length) await rm(stale[next++]!, { force: true }).catch(() => {});
    };
    await Promise.all(Array.from({ length: Math.min(IO_CONCURRENCY, stale.length) }, remover));
  }
}

function isRenderResult(value: unknown): value is RenderResult {
  if (value === null || typeof value !== 'object') return false;
  const result = value as Record<string, unknown>;
  return (
    typeof result.html === 'string' &&
    typeof result.summary === 'string' &&
    typeof result.wordCount === 'number' &&
    typeof result.readingTime === 'number' &&
    Array.isArray(result.headings) &&
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
