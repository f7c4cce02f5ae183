import { hash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { replaceFile } from '../common/fs';
import { displayPath } from '../common/paths';
import type { DiagnosticCollector } from '../diagnostics/collector';
import { type Diagnostic, diagnostic } from '../diagnostics/diagnostic';
import { withoutRenames } from '../fingerprint/code';
import { decodeExact, encodeExact, isPlainJson, NOT_EXACT, storedText } from '../fingerprint/exact';
import { contentHash } from '../fingerprint/hash';
import { decodeUtf8, decodeValidUtf8, parserIdentity, parseSimpleFrontMatter } from '../parse/parse';
import { configIdentity } from '../render/plugin-identity';
import type { ResolvedConfig } from '../schema/config';
import { VERSION } from '../version';
import { fileTexts } from './file-texts';
import type { SourceFile } from './files';
import {
  type FrontMatterHit,
  type FrontMatterStore,
  frontMatterKey,
  frontMatterStore,
  noFrontMatterStore,
  openFrontMatterCache,
} from './front-matter-cache';
import { recordLoaded } from './render-identity';
import type { CommentSource, PostSource } from './sources';
import { type FileOutcome, type FileOutcomeStore, parsedFromText, validatorIdentity } from './validate-files';

// Performance machinery beside the simple load (docs/decisions/warm-load.md, "The loaded-post
// cache"): the validate stage's outcome of each post and comment file, kept from the last build in
// one file of the cache folder, so that a warm build parses and validates only the files whose bytes
// changed. The load stages run as without it; only `validateFiles` is handed a `FileOutcomeStore`.

/** The layout of the cache file; a new layout starts an empty cache. */
const LAYOUT = 'loaded-v2';
const FILE_NAME = `${LAYOUT}.jsonl`;
/** Hex digits of a file key (`contentHash`). */
const KEY_LENGTH = 64;

/** What the load stage is handed from the site's cache folder: the front matter and loaded-post stores. */
export interface LoadCaches {
  frontMatter: FrontMatterStore;
  /** The loaded-post cache's outcomes (`undefined` when not asked for: a watch loop keeps its own). */
  outcomes: LoadedPostStore | undefined;
  /** Waits for both caches' writes. Never throws. */
  close(): Promise<void>;
}

/** What decides a file's validated outcome beside its path and bytes: the config and the schemas. */
export interface LoadedPostContext {
  config: ResolvedConfig;
  postSchema: z.ZodType;
  commentSchema: z.ZodType;
  /** The config file, relative to the root (its text is in the identity: closures of schema extensions). */
  file?: string;
}

/**
 * Opens the loaded-post cache (when `outcomes` is true) and the front matter cache of a site's cache
 * folder for `files`. Each file's bytes are hashed once ({@link fileKey}) for the loaded-post cache;
 * the front matter cache is opened only when some file is not answered by it (and decodes only
 * those files: its key is a hash of the front matter's text), keeping the entries of the others.
 * Their `cache-corrupt` warnings go to `problems`.
 *
 * @example
 * ```ts
 * const caches = await openLoadCaches(root, folder, files, loaded, problems, { outcomes: true });
 * const validated = validateFiles(files, { ...loaded, frontMatter: caches.frontMatter, outcomes: caches.outcomes }, problems);
 * await caches.close();
 * ```
 */
export async function openLoadCaches(
  root: string,
  folder: string,
  files: readonly SourceFile[],
  context: LoadedPostContext,
  problems: DiagnosticCollector,
  options: { outcomes: boolean },
): Promise<LoadCaches> {
  if (!options.outcomes) {
    const frontMatter = await openFrontMatterCache(root, folder);
    const store = frontMatterStore(frontMatter, files, problems);
    return { frontMatter: store, outcomes: undefined, close: () => frontMatter.close() };
  }
  const keys = files.map((source) => (source.kind === 'author' ? undefined : fileKey(source.bytes)));
  const loaded = LoadedPostCache.open({ root, folder, identity: loadedPostIdentity(root, context) });
  let store: FrontMatterStore = noFrontMatterStore;
  const outcomes = loaded.store(files, keys, (index) => store.keyOf(index));
  problems.addAll(loaded.warnings);
  // A changed file whose front matter is the same as in its last line (an edit to the body), and
  // whose raw front matter was its validated data, needs neither yaml nor the front matter cache.
  // So does one whose front matter the fast path reads (src/parse/simple-yaml.ts): it is read now.
  const known = new Map<number, FrontMatterHit & { key?: string }>();
  // The changed files whose front matter is as it was: their body changed (see `changedDocuments`).
  const asItWas = new Set<number>();
  const others = new Set<number>();
  files.forEach((source, index) => {
    if (source.kind === 'author' || outcomes.has(index)) return;
    const text = decodeValidUtf8(source.bytes);
    if (text === undefined) return;
    const simple = parseSimpleFrontMatter(text);
    if (simple) {
      known.set(index, { ...simple, text });
      if (outcomes.storedAsData(index, simple.data)) asItWas.add(index);
      return;
    }
    const found = frontMatterKey(text);
    const data = found && outcomes.frontMatterOf(index, found.key);
    if (data) {
      known.set(index, { data, bodyStart: found.bodyStart, text, key: found.key });
      asItWas.add(index);
    } else if (found) others.add(index);
  });
  // A build where no other file has front matter to look up (a CI build, most warm builds) neither
  // opens nor rewrites it.
  const frontMatter = others.size > 0 ? await openFrontMatterCache(root, folder) : undefined;
  const cached = frontMatter
    ? frontMatterStore(frontMatter, files, problems, (index) => others.has(index), [
        ...outcomes.keptKeys(),
        ...[...known.values()].flatMap((hit) => (hit.key === undefined ? [] : [hit.key])),
      ])
    : noFrontMatterStore;
  const keyOf = new Map(
    [...known].flatMap(([index, hit]) => (hit.key === undefined ? [] : [[index, hit.key]])),
  );
  store = {
    take(index) {
      const hit = known.get(index);
      known.delete(index);
      return hit ?? cached.take(index);
    },
    save: (index, text, entry) => cached.save(index, text, entry),
    keyOf: (index) => keyOf.get(index) ?? cached.keyOf(index),
    has: (index) => asItWas.has(index) || cached.has(index),
  };
  return {
    frontMatter: store,
    outcomes,
    close: async () => {
      await Promise.all([frontMatter?.close(), loaded.close()]);
    },
  };
}

/**
 * The loaded-post cache's key of a file's bytes: their SHA-256 (the cache file's identity holds
 * everything else), one call on the bytes where they lie (no copy).
 */
export function fileKey(bytes: Uint8Array): string {
  return hash('sha256', bytes, 'hex');
}

/**
 * The identity of what validates a file, for the loaded-post cache: broadsheet's version, the parsing
 * and validating code, the resolved config, the config file's text and the post and comment schemas
 * (with the config's extensions: their structure and the source of their functions).
 */
export function loadedPostIdentity(root: string, context: LoadedPostContext): string {
  let configText = '';
  if (context.file !== undefined) {
    try {
      configText = readFileSync(path.resolve(root, context.file), 'utf8');
    } catch {
      // An unreadable config file loaded a moment ago: its text is only part of the key.
    }
  }
  return contentHash(
    LAYOUT,
    VERSION,
    parserIdentity(),
    validatorIdentity(),
    configIdentity(context.config),
    configText,
    schemaText(context.postSchema),
    schemaText(context.commentSchema),
  );
}

/**
 * A zod schema as text: its definition (zod's `_zod.def`, nested schemas and checks included) with
 * each function as its source text. Two schemas with the same text validate alike, as far as their
 * source shows (a closure over a changed variable is not seen; the config file's text is also in the
 * cache's identity).
 */
export function schemaText(schema: z.ZodType): string {
  const ancestors: unknown[] = [];
  const walk = (value: unknown): unknown => {
    if (typeof value === 'function') return { $fn: value.name, source: withoutRenames(value.toString()) };
    if (typeof value === 'bigint' || typeof value === 'symbol') return { $t: typeof value, v: String(value) };
    if (typeof value === 'number' && !Number.isFinite(value)) return { $t: 'number', v: String(value) };
    if (value === null || typeof value !== 'object') return value;
    const up = ancestors.indexOf(value);
    if (up !== -1) return { $cycle: ancestors.length - up };
    if (value instanceof RegExp) return { $t: 'regexp', v: String(value) };
    if (value instanceof Date) return { $t: 'date', v: value.getTime() };
    ancestors.push(value);
    try {
      const internals = (value as { _zod?: { def?: unknown } })._zod;
      if (internals !== null && typeof internals === 'object' && 'def' in internals) {
        return { $zod: walk(internals.def) };
      }
      if (Array.isArray(value)) return value.map(walk);
      if (value instanceof Map || value instanceof Set)
        return { $t: value.constructor.name, v: [...value].map(walk) };
      const text: Record<string, unknown> = {};
      const prototype = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) text.$class = prototype?.constructor?.name;
      for (const key of Object.keys(value)) text[key] = walk((value as Record<string, unknown>)[key]);
      return text;
    } finally {
      ancestors.pop();
    }
  };
  return JSON.stringify(walk(schema));
}

/** The loaded-post cache's store for one list of files: `has` says which it answers. */
export interface LoadedPostStore extends FileOutcomeStore {
  /** Whether the cache holds the outcome of file `index` (same path, same bytes). */
  has(index: number): boolean;
  /** The front matter cache keys of the files it answers (their entries stay in that cache). */
  keptKeys(): string[];
  /**
   * The raw front matter of file `index`, which it does not answer, from the last line of its path
   * when that line's front matter key is `key` (the same text) and its raw front matter was the
   * validated data stored.
   */
  frontMatterOf(index: number, key: string): Record<string, unknown> | undefined;
  /**
   * Whether the last line of file `index`'s path, which it does not answer, stored `data` (raw front
   * matter read again) as the validated data that was its raw front matter: the same front matter.
   */
  storedAsData(index: number, data: Record<string, unknown>): boolean;
}

/**
 * The validated outcome of each post and comment file of the last load, in one file of the cache
 * folder (`loaded-v2.jsonl`): a line of `{layout, identity}`, then one line per file, `"<path as
 * JSON>" TAB <key of its bytes> TAB <its front matter cache key, or nothing> TAB <outcome as
 * JSON>`; a later line of a path replaces an earlier one. Read once when opened. At {@link close},
 * the lines of files validated anew are appended, or, when the lines no load needs any more would
 * be over half of those it needs (or the file was of another identity, or not valid), the file is
 * written whole with the lines of this load's files only (to a temporary file, then renamed). A file
 * of another identity is ignored; a file or line that cannot be read is ignored with a
 * `cache-corrupt` warning.
 */
export class LoadedPostCache {
  /** `cache-corrupt` warnings found when opening. */
  readonly warnings: Diagnostic[] = [];
  /** The last load's lines (and what they hold) by their path's JSON text. */
  private readonly lines = new Map<string, { line: string; stored: StoredOutcome; frontMatter: string }>();
  private writing: (() => { text: string; append: boolean } | undefined) | undefined;
  /** Lines read at open under this identity, repeats and lines of removed files included; `undefined` when the file must be written whole. */
  private linesRead: number | undefined;
  /** The header's hash: with a file's key (both 64 hex digits) and path, the identity of its outcome. */
  private readonly headerHash: string;
  private closed: Promise<void> | undefined;

  private constructor(
    private readonly root: string,
    private readonly file: string,
    private readonly header: string,
  ) {
    this.headerHash = contentHash(header);
  }

  /** Opens (reads) the cache file of a site's cache folder for this identity. */
  static open(options: { root: string; folder: string; identity: string }): LoadedPostCache {
    const file = path.join(options.folder, FILE_NAME);
    const header = JSON.stringify({ layout: LAYOUT, identity: options.identity });
    const cache = new LoadedPostCache(options.root, file, header);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return cache;
    }
    const end = text.indexOf('\n');
    const first = end === -1 ? text : text.slice(0, end);
    let stored: unknown;
    try {
      stored = JSON.parse(first);
    } catch {
      stored = undefined;
    }
    if ((stored as { layout?: unknown } | undefined)?.layout !== LAYOUT || end === -1) {
      cache.corrupt('this cache file is not valid: it is ignored and rewritten');
      return cache;
    }
    if (first !== header) return cache;
    let bad = 0;
    let count = 0;
    for (let start = end + 1; start < text.length; count++) {
      const next = text.indexOf('\n', start);
      // A last line without its line feed was cut short (a write that did not finish).
      if (next === -1) {
        bad++;
        break;
      }
      const line = text.slice(start, next);
      start = next + 1;
      const tab = line.indexOf('\t');
      const third = tab + KEY_LENGTH + 1;
      const fourth = line.charCodeAt(third) === 9 ? line.indexOf('\t', third + 1) : -1;
      const frontMatter = fourth === -1 ? '' : line.slice(third + 1, fourth);
      const stored =
        tab === -1 || fourth === -1 || (frontMatter !== '' && frontMatter.length !== KEY_LENGTH)
          ? undefined
          : readStored(line.slice(fourth + 1));
      if (stored) cache.lines.set(line.slice(0, tab), { line, stored, frontMatter });
      else bad++;
    }
    if (bad === 0) cache.linesRead = count;
    else {
      cache.corrupt(
        `${bad === 1 ? '1 cache entry' : `${bad} cache entries`} in this file ${bad === 1 ? 'is' : 'are'} not valid: ignored and rewritten`,
      );
    }
    return cache;
  }

  private corrupt(message: string): void {
    this.warnings.push(
      diagnostic({ code: 'cache-corrupt', file: displayPath(this.root, this.file), message }),
    );
  }

  /**
   * The store for `files`, whose front matter keys (a hash of the bytes) are `keys`: a file with the
   * same path and key as a line of the last load gets that line's outcome, any other is validated
   * and its outcome kept for the file written at {@link close}. Author profiles (no key) are always
   * validated.
   */
  store(
    files: readonly SourceFile[],
    keys: readonly (string | undefined)[],
    frontMatterKeyOf: (index: number) => string | undefined,
  ): LoadedPostStore {
    const paths = files.map((source) => source.file);
    const names = paths.map((file) => JSON.stringify(file));
    const written: (string | undefined)[] = new Array(files.length);
    // Each file's line of the last load, when its bytes are the same.
    const lines = names.map((name, index) => {
      const key = keys[index];
      const kept = key === undefined ? undefined : this.lines.get(name);
      return kept?.line.startsWith(key!, name.length + 1) ? kept : undefined;
    });
    const known = (index: number) => lines[index];
    // The texts of the files it answers (known to be UTF-8: the same bytes decoded before).
    const textOf = fileTexts(files.map((source) => source.bytes));
    this.writing = () => {
      const fresh: string[] = [];
      let live = 0;
      for (let index = 0; index < names.length; index++) {
        if (written[index] !== undefined && written[index] !== known(index)?.line)
          fresh.push(written[index]!);
        if (written[index] !== undefined || known(index) !== undefined) live++;
      }
      // New lines are appended (a later line of a path wins) while the lines no load needs any
      // more (replaced, removed) stay under half of those it needs; otherwise the file is written whole.
      if (this.linesRead !== undefined && (this.linesRead + fresh.length - live) * 2 <= live) {
        return fresh.length === 0 ? undefined : { text: `${fresh.join('\n')}\n`, append: true };
      }
      const out = [this.header];
      for (let index = 0; index < names.length; index++) {
        const line = written[index] ?? known(index)?.line;
        if (line !== undefined) out.push(line);
      }
      return { text: `${out.join('\n')}\n`, append: false };
    };
    return {
      has: (index) => known(index) !== undefined,
      keptKeys: () => lines.flatMap((kept) => (kept && kept.frontMatter !== '' ? [kept.frontMatter] : [])),
      frontMatterOf: (index, key) => {
        const last = lines[index] === undefined ? this.lines.get(names[index]!) : undefined;
        return last?.frontMatter === key && last.stored.r === 1
          ? (last.stored.d as Record<string, unknown>)
          : undefined;
      },
      storedAsData: (index, data) => {
        const last = lines[index] === undefined ? this.lines.get(names[index]!) : undefined;
        if (last?.stored.r !== 1) return false;
        const text = storedText(data);
        return text !== undefined && text === storedText(last.stored.d);
      },
      outcome: (source, validate, index) => {
        const kept = known(index);
        const restored = kept && restoreOutcome(source, kept.stored, () => textOf(index));
        const key = keys[index];
        // An outcome this cache holds stands, in the output keys, as its header, key and path.
        const identity = () => `${this.headerHash}${key}${paths[index]}`;
        if (restored) {
          recordLoaded(restored.post ?? restored.comment, identity());
          return restored;
        }
        const outcome = validate();
        const encoded = key === undefined ? undefined : encodeOutcome(outcome, bodyStartOf(source, outcome));
        if (encoded !== undefined) {
          written[index] = `${names[index]}\t${key}\t${frontMatterKeyOf(index) ?? ''}\t${encoded}`;
          recordLoaded(outcome.post ?? outcome.comment, identity());
        }
        return outcome;
      },
    };
  }

  /** Writes the file again when anything changed. Never throws. */
  close(): Promise<void> {
    this.closed ??= this.write().catch(() => {});
    return this.closed;
  }

  private async write(): Promise<void> {
    const writing = this.writing?.();
    this.writing = undefined;
    if (writing === undefined) return;
    const { text, append } = writing;
    if (append) {
      // One write with O_APPEND: a process that stops in the middle leaves a last line without its
      // line feed, which the next open ignores (with a warning) and writes whole again.
      await appendFile(this.file, text);
      return;
    }
    await replaceFile(this.file, text);
  }
}

/** Where the body of a validated post or comment starts in its decoded text. */
function bodyStartOf(source: SourceFile, outcome: FileOutcome): number {
  const parsed = (outcome.post ?? outcome.comment)?.parsed;
  return parsed ? decodeUtf8(source.bytes).length - parsed.body.length : 0;
}

/** A stored outcome: a post (`p`), a comment (`c`) or neither (`n`), and its diagnostics (`x`). */
interface StoredOutcome {
  k: 'p' | 'c' | 'n';
  /** Post or comment: where the body starts, the validated data (`encodeExact`), the date (ms). */
  s?: number;
  d?: unknown;
  t?: number;
  /** Post: slug and updated date (ms). */
  g?: string;
  u?: number;
  /** Comment: status. */
  a?: string;
  /** Post or comment: 1 when the raw front matter (what `yaml` gave) is `d` as well. */
  r?: 1;
  /** Neither: the slugs of an invalid post, the `<post-slug>/<id>` of an invalid comment. */
  i?: string[];
  c?: string;
  x: Diagnostic[];
}

/** The outcome as one JSON line, or `undefined` when it cannot come back identical (not stored). */
function encodeOutcome(outcome: FileOutcome, bodyStart: number): string | undefined {
  if (outcome.profile) return undefined;
  const stored: StoredOutcome = { k: 'n', x: outcome.diagnostics };
  const entry = outcome.post ?? outcome.comment;
  if (entry) {
    // Plain data (the usual) is stored as it is: its JSON is the text of `encodeExact`'s.
    const data = isPlainJson(entry.data, { mode: 'store' }) ? entry.data : encodeExact(entry.data);
    if (data === NOT_EXACT) return undefined;
    Object.assign(stored, { s: bodyStart, d: data, t: entry.date.getTime() });
    // Compared as text: `encodeExact` gives the same text for identical values.
    if (storedText(entry.parsed.data) === JSON.stringify(data)) stored.r = 1;
  }
  if (outcome.post) {
    stored.k = 'p';
    stored.g = outcome.post.slug;
    if (outcome.post.updated) stored.u = outcome.post.updated.getTime();
  } else if (outcome.comment) {
    stored.k = 'c';
    stored.a = outcome.comment.status;
  } else {
    if (outcome.invalidSlugs) stored.i = outcome.invalidSlugs;
    if (outcome.invalidComment !== undefined) stored.c = outcome.invalidComment;
  }
  return JSON.stringify(stored);
}

/** A stored outcome read from its JSON text (data decoded), or `undefined` when it is not one. */
function readStored(json: string): StoredOutcome | undefined {
  try {
    const stored = JSON.parse(json) as StoredOutcome;
    if (stored === null || typeof stored !== 'object' || !Array.isArray(stored.x)) return undefined;
    if (stored.k === 'n') return stored;
    if (stored.k !== 'p' && stored.k !== 'c') return undefined;
    if (typeof stored.s !== 'number' || typeof stored.t !== 'number') return undefined;
    if (stored.k === 'p' ? typeof stored.g !== 'string' : typeof stored.a !== 'string') return undefined;
    // Tags and escaped keys all start with `"$` (as in the front matter cache).
    if (json.includes('"$')) stored.d = decodeExact(stored.d);
    if (stored.d === null || typeof stored.d !== 'object') return undefined;
    return stored;
  } catch {
    return undefined;
  }
}

/** The outcome of `source` from what was stored for the same path and bytes (its objects, used once). */
function restoreOutcome(
  source: SourceFile,
  stored: StoredOutcome,
  textOf: () => string,
): FileOutcome | undefined {
  if (stored.k === 'n') {
    return {
      ...(stored.i ? { invalidSlugs: stored.i } : {}),
      ...(stored.c !== undefined ? { invalidComment: stored.c } : {}),
      diagnostics: stored.x,
    };
  }
  const text = textOf();
  if (stored.s! > text.length) return undefined;
  const parsed = parsedFromText(source.file, text, stored.s!);
  const date = new Date(stored.t!);
  if (stored.k === 'p') {
    const post: PostSource = {
      parsed,
      data: stored.d as PostSource['data'],
      slug: stored.g!,
      date,
      updated: stored.u === undefined ? undefined : new Date(stored.u),
    };
    return { post, diagnostics: stored.x };
  }
  if (source.postSlug === undefined) return undefined;
  const comment: CommentSource = {
    parsed,
    file: source.file,
    data: stored.d as CommentSource['data'],
    id: source.id,
    postSlug: source.postSlug,
    date,
    status: stored.a!,
  };
  return { comment, diagnostics: stored.x };
}
