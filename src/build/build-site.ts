import { existsSync, linkSync, unlinkSync, writeFileSync } from 'node:fs';
import { lstat, mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { setImmediate as setImmediatePromise } from 'node:timers/promises';
import { siteCacheFolder } from '../cache/location';
import { exists, trashOrRemove } from '../common/fs';
import { displayPath } from '../common/paths';
import { CONFIG_FILE_NAMES } from '../config/load-config';
import { type Diagnostic, diagnostic } from '../diagnostics/diagnostic';
import { BroadsheetError } from '../errors';
import { type LoadSiteOptions, loadSite } from '../load/load-site';
import { type OutputGroup, siteFilePlan } from '../outputs/index';
import type { Site } from '../site/types';
import { commitJournal, JOURNAL_FILE, journalFor, touchedFolders } from './commit';
import { checkOutputOnDisk } from './disk-check';
import {
  claimSibling,
  MARKER_FILE,
  MARKER_TEXT,
  recoverSiblings,
  refuseOut,
  releaseSibling,
  removeMarkedFolder,
  type SiblingKind,
  siblingPath,
} from './out-folder';
import { type KeyedGroup, keyedGroups, OutputKeys } from './output-keys';
import {
  type OutputManifest,
  outputCodeIdentity,
  readOutputManifest,
  writeOutputManifest,
} from './output-manifest';
import { checkOutputPaths, recordFolders, stagePlan } from './write-tree';

/** Options of {@link buildSite}. */
export interface BuildSiteOptions {
  /** The site root: the folder holding the config and `content/`. */
  root: string;
  /** The output folder, relative to the root (or absolute). Default: the config's `out` (`public`). */
  out?: string;
  /** A config file relative to the root, instead of looking for `broadsheet.config.*`. */
  configFile?: string;
  /** The build time that decides which future-dated posts are published. Default: now. */
  now?: Date;
  /** Publish posts dated after `now` (overrides the config's `future`). */
  future?: boolean;
  /** Called as the build goes: loading, making the outputs, writing each file, swapping in. */
  onProgress?: (progress: BuildProgress) => void;
  /**
   * Use the persistent cache (default `true`): rendered posts and comments are reused when their
   * markdown, the config, the plugins and broadsheet's version are unchanged, and output files whose
   * bytes are unchanged are not written again (a small change updates `out` in place, a large one
   * hard-links them into the new tree). `false` renders and writes everything, and neither reads nor
   * writes the cache.
   */
  cache?: boolean;
  /** Worker threads that render (see `LoadSiteOptions.workers`): `0` for none, `N` to force N. */
  workers?: number;
  /**
   * Build a preview (see `LoadSiteOptions.preview`: drafts and future posts marked, another
   * `site.url`), as `broadsheet dev` does. It needs an `out` of its own: a preview into the config's
   * `out` is refused with a `BroadsheetError`, so that nothing of a preview is ever published.
   */
  preview?: LoadSiteOptions['preview'];
}

/** Where a build is, for a progress display. */
export type BuildProgress =
  | { phase: 'load' }
  | { phase: 'render'; posts: number }
  | { phase: 'write'; written: number; total: number }
  /**
   * Every file is staged; `groups` says how many output groups (a page, an API document, a feed's
   * three files) were made and how many were reused from the last build without being made, because
   * their inputs were unchanged (docs/decisions/output-keys.md).
   */
  | { phase: 'swap'; groups: { made: number; reused: number } };

/**
 * What {@link buildSite} returns. On success `files` counts the output files (not counting the
 * marker file `.broadsheet-build`), `posts` the published posts and `comments` their approved
 * comments. On failure nothing was written and the previous output is as it was.
 */
export type BuildSiteResult =
  | { ok: true; out: string; files: number; posts: number; comments: number; warnings: Diagnostic[] }
  | { ok: false; diagnostics: Diagnostic[] };

let sequence = 0;

/** The new marker file of an update in place, in the staging folder (whose own marker stays). */
const STAGED_MARKER = '.broadsheet-marker';

/**
 * The most files an update in place may write or remove, for an output of `total` files: 2,000 or
 * a tenth of the files, whichever is more. Past it the build stages a whole new tree and swaps it
 * in. An update in place costs less per changed file than a new tree costs per file of the output,
 * but it must be undone by the next build if it is killed midway, so its commit is kept short
 * (docs/decisions/incremental-write.md).
 */
export function maxChangesInPlace(total: number): number {
  return Math.max(2000, Math.floor(total / 10));
}

/**
 * Builds a site: loads and validates it ({@link loadSite}), makes every output file (pages, JSON
 * API, feeds) and writes them all or nothing. The files are written into a sibling folder of `out`
 * (`<out>.broadsheet-tmp-<pid>-<n>`) first. When the last build's output is still exactly as it
 * left it and few files changed, only the changed files are staged and then moved into `out` one
 * by one, under a journal that undoes them if a step fails (or, after a crash, at the start of the
 * next build); otherwise the staging folder holds the whole new output and replaces `out` by two
 * renames. On a content error or a failed write, the previous `out` stays exactly as it was. A
 * build refuses (with a
 * `config-out-refused` diagnostic) an `out` that is or holds the site root, the content folder or
 * the config file, or that is a non-empty folder without broadsheet's marker file.
 *
 * @example
 * ```ts
 * import { buildSite, formatDiagnostic } from 'broadsheet';
 *
 * const result = await buildSite({ root: '.' });
 * if (!result.ok) {
 *   for (const d of result.diagnostics) console.error(formatDiagnostic(d));
 *   process.exit(1);
 * }
 * console.log(`built ${result.posts} posts into ${result.out} (${result.files} files)`);
 * ```
 */
export async function buildSite(options: BuildSiteOptions): Promise<BuildSiteResult> {
  const root = path.resolve(options.root);
  const report = options.onProgress ?? (() => {});
  // The outputs that earlier builds replaced are removed while this one loads and renders.
  const trash =
    options.cache === false
      ? undefined
      : path.join(await siteCacheFolder(root, Boolean(options.preview)), 'trash');
  const emptying = trash ? emptyTrash(trash) : Promise.resolve();
  try {
    return await build(options, root, report, trash);
  } finally {
    await emptying;
  }
}

async function build(
  options: BuildSiteOptions,
  root: string,
  report: (progress: BuildProgress) => void,
  trash: string | undefined,
): Promise<BuildSiteResult> {
  report({ phase: 'load' });
  const loaded = await loadSite({
    root,
    configFile: options.configFile,
    now: options.now,
    future: options.future,
    cache: options.cache,
    workers: options.workers,
    preview: options.preview,
  });
  if (!loaded.ok) return { ok: false, diagnostics: loaded.diagnostics };
  const { site, warnings } = loaded;

  const out = path.resolve(root, options.out ?? site.config.out);
  if (options.preview && (options.out === undefined || out === path.resolve(root, site.config.out))) {
    throw new BroadsheetError(
      'preview-into-out',
      `a preview is never built into the site's out folder (${site.config.out}): give it an out of its own`,
    );
  }
  const configFile = await findConfigFile(root, options.configFile);
  const refusal = await refuseOut({
    out,
    root,
    content: path.resolve(root, site.config.content),
    configFile,
  });
  if (refusal) {
    const shown = displayPath(root, out);
    const file = options.out !== undefined || !configFile ? shown : displayPath(root, configFile);
    const refused = diagnostic({
      code: 'config-out-refused',
      file,
      message: `refusing to build into "${shown}": ${refusal}; nothing was written or deleted`,
    });
    return { ok: false, diagnostics: [refused, ...warnings] };
  }

  report({ phase: 'render', posts: site.posts.length });
  // Every path up front (to check them and count them); each file's contents only when it is written.
  const outputPlan = siteFilePlan(site);
  const plan = keyedGroups(site, outputPlan);
  const paths = plan.flatMap((group) => group.paths);
  checkOutputPaths(paths, MARKER_FILE);
  checkNotReserved(paths);
  const total = paths.length;

  const useCache = trash !== undefined;
  const cache = useCache ? await siteCacheFolder(root, Boolean(options.preview)) : undefined;
  const previous = cache ? await readOutputManifest(cache, out) : undefined;
  if (previous && 'corrupt' in previous) warnings.push(cacheCorrupt(root, previous.corrupt));
  const before = previous && 'manifest' in previous ? previous.manifest : undefined;
  let manifest: OutputManifest | undefined;

  let staging: string | undefined;
  try {
    // A build killed while updating `out` in place is undone first, before `out` is looked at.
    await recoverSiblings(out);
    // The `lstat` of every recorded file and folder runs on another thread while the keys are computed.
    const checks = before ? checkOutputOnDisk(out, before) : undefined;
    const keyNamespace = useCache ? await outputCodeIdentity() : undefined;
    if (keyNamespace !== undefined) await computeKeys(site, outputPlan, plan);
    const onDisk = await checks;
    await mkdir(path.dirname(out), { recursive: true });
    staging = await createSibling(out, 'tmp');
    // The marker goes first, so that a build killed from here on leaves a folder the next one removes.
    writeFileSync(path.join(staging, MARKER_FILE), MARKER_TEXT, { flag: 'wx' });
    // Update in place only an output exactly as the last build left it, on a file system with hard links.
    const inPlace = onDisk?.foldersUnchanged === true && hardLinksWork(staging);
    const staged = await stagePlan(staging, plan, {
      previous: before ? { folder: out, manifest: before, onDisk } : undefined,
      maxChanges: inPlace ? maxChangesInPlace(total) : 0,
      record: useCache,
      keyNamespace,
      onWritten: (done) => report({ phase: 'write', written: done, total }),
    });
    report({ phase: 'swap', groups: { made: staged.groups.made.length, reused: staged.groups.reused } });
    if (staged.kind === 'changes') {
      // The marker is replaced too: it is then exactly what a build from scratch writes.
      writeFileSync(path.join(staging, STAGED_MARKER), MARKER_TEXT, { flag: 'wx' });
      const journal = journalFor({
        out,
        put: [
          ...staged.put.map((file) => ({ path: file, from: file, replaces: before!.files.has(file) })),
          { path: MARKER_FILE, from: STAGED_MARKER, replaces: existsSync(path.join(out, MARKER_FILE)) },
        ],
        removed: staged.removed,
        foldersBefore: before!.folders!.keys(),
        foldersAfter: staged.folders,
      });
      commitJournal(staging, journal);
      if (useCache) {
        const folders = new Map(before!.folders!);
        for (const folder of journal.removedFolders) folders.delete(folder);
        const touched = recordFolders(out, touchedFolders(journal));
        manifest = {
          files: staged.files,
          folders: touched && new Map([...folders, ...touched]),
          groups: staged.keys,
        };
      }
      await trashOrRemove(staging, trash, { remove: removeMarkedFolder });
    } else {
      await swapIn(staging, out, trash);
      if (useCache) {
        manifest = { files: staged.files, folders: recordFolders(out, staged.folders), groups: staged.keys };
      }
    }
    releaseSibling(staging);
    staging = undefined;
  } catch (error) {
    let undone = true;
    if (staging) {
      // After a failed update in place whose undoing failed too, the journal stays for the next build.
      undone = !existsSync(path.join(staging, JOURNAL_FILE));
      if (undone) await removeMarkedFolder(staging).catch(() => {});
      releaseSibling(staging);
    }
    if (!isSystemError(error)) throw error;
    const failed = diagnostic({
      code: 'write-failed',
      file: displayPath(root, out),
      message: undone
        ? `the output could not be written (${error.code}: ${error.message}); the previous output is unchanged`
        : `the output could not be written (${error.code}: ${error.message}), and the files changed so far could not be put back; the next build puts them back`,
    });
    return { ok: false, diagnostics: [failed, ...warnings] };
  }
  // The cache is an optimisation: failing to save the manifest only makes the next build write more.
  if (cache && manifest) await writeOutputManifest(cache, out, manifest).catch(() => {});

  return {
    ok: true,
    out,
    files: total,
    posts: site.posts.length,
    comments: site.posts.reduce((sum, post) => sum + post.comments.length, 0),
    warnings,
  };
}

/**
 * Computes every group's key (each group keeps its own), letting the event loop turn every few
 * milliseconds: the checks of the output run meanwhile, and the trash is emptied.
 */
async function computeKeys(site: Site, plan: readonly OutputGroup[], groups: KeyedGroup[]): Promise<void> {
  const keys = new OutputKeys(site);
  let turned = performance.now();
  for (const [index, group] of plan.entries()) {
    groups[index]!.key = keys.keyOf(group.paths, group.inputs);
    if (performance.now() - turned >= 20) {
      await setImmediatePromise();
      turned = performance.now();
    }
  }
}

/** Names beginning with `.broadsheet-` at the top of the output are the build's own (marker, journal). */
function checkNotReserved(files: readonly string[]): void {
  for (const file of files) {
    if (file.startsWith('.broadsheet-')) {
      throw new BroadsheetError('invalid-output-path', `output path "${file}" is reserved`);
    }
  }
}

/** Whether the file system of `staging` has hard links (an update in place keeps its backups as links). */
function hardLinksWork(staging: string): boolean {
  const probe = path.join(staging, '.broadsheet-link-probe');
  try {
    linkSync(path.join(staging, MARKER_FILE), probe);
    unlinkSync(probe);
    return true;
  } catch {
    return false;
  }
}

function cacheCorrupt(root: string, file: string): Diagnostic {
  return diagnostic({
    code: 'cache-corrupt',
    file: displayPath(root, file),
    message: 'this cache file is not a valid output manifest: it is ignored and rewritten',
  });
}

/**
 * Replaces `out` with the finished `staging` folder; if the second rename fails, puts `out` back.
 * The previous output is then moved into `trash` (when given and on the same file system: one
 * rename) for a later build to remove in the background, or removed now.
 */
async function swapIn(staging: string, out: string, trash: string | undefined): Promise<void> {
  const exists = await lstat(out).then(
    () => true,
    () => false,
  );
  if (!exists) {
    await rename(staging, out);
    return;
  }
  const previous = await createSibling(out, 'old', false);
  try {
    await rename(out, previous);
    try {
      await rename(staging, out);
    } catch (error) {
      await rename(previous, out);
      throw error;
    }
    await trashOrRemove(previous, trash, { remove: removeMarkedFolder });
  } finally {
    releaseSibling(previous);
  }
}

/** Removes the outputs earlier builds moved into the trash (never one this process moves in later). */
async function emptyTrash(trash: string): Promise<void> {
  const entries = await readdir(trash).catch(() => [] as string[]);
  await Promise.all(
    entries.map((entry) => rm(path.join(trash, entry), { recursive: true, force: true }).catch(() => {})),
  );
}

/** Picks an unused sibling name of `out`, claims it for this process and (for `tmp`) creates it. */
async function createSibling(out: string, kind: SiblingKind, create = true): Promise<string> {
  for (;;) {
    sequence += 1;
    const candidate = siblingPath(out, kind, sequence);
    if (create) {
      try {
        await mkdir(candidate);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw error;
      }
    } else if (await exists(candidate)) {
      continue;
    }
    claimSibling(candidate);
    return candidate;
  }
}

async function findConfigFile(root: string, configFile: string | undefined): Promise<string | undefined> {
  if (configFile !== undefined) return path.resolve(root, configFile);
  for (const name of CONFIG_FILE_NAMES) {
    const candidate = path.join(root, name);
    if (await exists(candidate)) return candidate;
  }
  return undefined;
}

function isSystemError(error: unknown): error is NodeJS.ErrnoException & { code: string } {
  return (
    error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && 'syscall' in error
  );
}
