import type { LoadConfigResult } from '../config/load-config';
import type { Diagnostic } from '../diagnostics/diagnostic';
import { configIdentity } from '../render/plugin-identity';
import { RenderMemo } from '../render/render-memo';
import type { ResolvedConfig } from '../schema/config';
import type { EarlierReads, SourceFile } from './files';
import type { FileOutcome, FileOutcomeStore } from './validate-files';

/** What one load with a {@link LoadedFileStore} hands its stages. */
export interface LoadMemory {
  /** For the read stage: the bytes of files that did not change. */
  reads: EarlierReads;
  /** For the validate stage: the outcomes of files whose bytes are unchanged. */
  outcomes: FileOutcomeStore;
  /** For the render stage: the renders of unchanged documents. */
  renders: RenderMemo;
}

/**
 * A watch loop's memory of its last load (`broadsheet dev`, `watchSite`), so that after a one-file
 * edit the next load reads, parses, validates and renders that file alone, and runs only the cheap
 * cross-file stages over everything: the bytes read, by path (taken again unless the loop said the
 * path {@link changed}); each file's validate outcome, by path and bytes; the renders, as
 * {@link RenderMemo} keeps them. All of it holds for one config (its identity, with the plugins'
 * source): a load with another forgets everything first, and so does a change to a file outside the
 * content and static folders (the config file, a module it imports). The loaded config itself is
 * kept too ({@link config}): a load after changes under the content and static folders alone does
 * not import the config again. Nothing of it is written.
 *
 * @example
 * ```ts
 * const store = new LoadedFileStore();
 * await loadSiteWith({ root }, store); // reads, parses and renders everything
 * store.changed(['content/posts/a.md']);
 * await loadSiteWith({ root }, store); // reads, parses and renders a.md alone
 * ```
 */
export class LoadedFileStore {
  private identity: string | undefined;
  private reads = new Map<string, SourceFile>();
  private lastRead: { files: readonly SourceFile[]; diagnostics: readonly Diagnostic[] } = {
    files: [],
    diagnostics: [],
  };
  /** Paths (files or folders) changed since the last read; `'all'` when every file must be read. */
  private stale: Set<string> | 'all' = 'all';
  private previous = new Map<string, { bytes: Uint8Array; outcome: FileOutcome }>();
  private current = new Map<string, { bytes: Uint8Array; outcome: FileOutcome }>();
  private renders = new RenderMemo();
  /** The content and static folders of the last load's config (relative to the root, `/`-separated). */
  private folders: string[] = [];
  /** The last good config load: it stands until a file outside the content and static folders changes. */
  private loadedConfig: LoadConfigResult | undefined;

  /** Whether a load already filled the store: the next one reuses its work. */
  get warm(): boolean {
    return this.identity !== undefined;
  }

  /**
   * Files or folders (relative to the root, `/`-separated) that changed since the last load: they
   * are read again (a folder: every file under it).
   */
  changed(paths: readonly string[]): void {
    const within = (file: string, folder: string) => file === folder || file.startsWith(`${folder}/`);
    if (paths.some((file) => !this.folders.some((folder) => within(file, folder)))) this.forget();
    if (this.stale === 'all') return;
    for (const file of paths) this.stale.add(file);
  }

  /**
   * The site's config: the one kept from the last load, or, after a change outside the content and
   * static folders (the config file, a module it imports, anything else: which files the config
   * imports is not tracked) or a failed load, `load()`'s. Only a good result is kept.
   */
  async config(load: () => Promise<LoadConfigResult>): Promise<LoadConfigResult> {
    if (this.loadedConfig) return this.loadedConfig;
    const result = await load();
    if (result.ok) this.loadedConfig = result;
    return result;
  }

  /** Forgets everything: the next load does all its work again. */
  forget(): void {
    this.loadedConfig = undefined;
    this.identity = undefined;
    this.reads = new Map();
    this.lastRead = { files: [], diagnostics: [] };
    this.stale = 'all';
    this.previous = new Map();
    this.current = new Map();
    this.renders = new RenderMemo();
  }

  /** Starts a load with this config: what its stages are handed. */
  begin(config: ResolvedConfig): LoadMemory {
    const identity = configIdentity(config);
    if (identity !== this.identity) {
      const loadedConfig = this.loadedConfig;
      this.forget();
      this.loadedConfig = loadedConfig;
    }
    this.identity = identity;
    this.folders = [config.content, config.static].map(folderPath);
    this.previous = this.current;
    this.current = new Map();
    return { reads: this.earlierReads(), outcomes: this.outcomeStore(), renders: this.renders };
  }

  private earlierReads(): EarlierReads {
    const stale = this.stale;
    const folders = stale === 'all' ? [] : [...stale].map((path) => `${path}/`);
    const changed = (file: string) =>
      stale === 'all' || stale.has(file) || folders.some((folder) => file.startsWith(folder));
    return {
      take: (file) => (changed(file) ? undefined : this.reads.get(file)),
      last: () => ({
        ...this.lastRead,
        changed: stale === 'all' ? 'all' : [...stale],
        has: (file) => this.reads.has(file),
      }),
      keep: (read) => {
        this.lastRead = { files: [...read.files], diagnostics: [...read.diagnostics] };
        this.reads = new Map(read.files.map((source) => [source.file, source]));
        this.stale = new Set();
      },
    };
  }

  private outcomeStore(): FileOutcomeStore {
    return {
      outcome: (source, validate) => {
        const kept = this.previous.get(source.file);
        const outcome = kept && sameBytes(kept.bytes, source.bytes) ? kept.outcome : validate();
        this.current.set(source.file, { bytes: source.bytes, outcome });
        return outcome;
      },
    };
  }
}

function folderPath(folder: string): string {
  return folder
    .split(/[\\/]/)
    .filter((segment) => segment !== '' && segment !== '.')
    .join('/');
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a === b || Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}
