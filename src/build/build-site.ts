import { existsSync, linkSync, unlinkSync, writeFileSync } from 'node:fs';
import { lstat, mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { exists, trashOrRemove } from '../common/fs';
import { displayPath } from '../common/paths';
import { CONFIG_FILE_NAMES } from '../config/load-config';
import { type Diagnostic, diagnostic } from '../diagnostics/diagnostic';
import { BroadsheetError } from '../errors';
import { type LoadSiteOptions, loadSiteWith } from '../load/load-site';
import type { Site } from '../site/types';
import { JOURNAL_FILE } from './commit';
import {
  type BuildCache,
  commitInPlace,
  manifestOfTree,
  maxChangesInPlace,
  openBuildCache,
  type Previous,
  readPrevious,
  saveManifest,
  startReadingPrevious,
} from './incremental';
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
import type { OutputManifest } from './output-manifest';
import { rememberedOut, rememberOut } from './output-store';
import { type PlannedOutput, planOutput, withStaticFiles } from './plan-output';
import { Speculation, speculationStart } from './speculation';
import { prestartWriters, releaseWriters, stagePlan } from './write-tree';

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
  /** Checking is done and rendering starts: `posts` posts to publish (from the cache, on threads or here). */
  | { phase: 'render'; posts: number }
  | { phase: 'write'; written: number; total: number }
  /**
   * Every file is staged; `groups` says how many output groups (a page, an API document, a feed's
   * three files) were made, how many were reused from the last build's output without being made,
   * because their inputs were unchanged (docs/decisions/output-keys.md), and how many were written
   * from the cache of made outputs, for the same reason, where the last build's output is gone.
   */
  | { phase: 'swap'; groups: { made: number; reused: number; stored: number } };

/**
 * What {@link buildSite} returns. On success `files` counts the output files (not counting the
 * marker file `.broadsheet-build`), `posts` the published posts and `comments` their approved
 * comments. On failure nothing was written and the previous output is as it was.
 */
export type BuildSiteResult =
  | { ok: true; out: string; files: number; posts: number; comments: number; warnings: Diagnostic[] }
  | { ok: false; diagnostics: Diagnostic[] };

let sequence = 0;

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
  // The incremental path's cache; its trash is emptied while this build loads and renders.
  const cache = options.cache === false ? undefined : await openBuildCache(root, Boolean(options.preview));
  // A CI build (the output gone, the output store kept) starts writing the last build's files now, or
  // once its keys are known (src/build/speculation.ts).
  // Where this build will likely write: `--out`, or where the last whole tree went.
  const likelyOut =
    options.out === undefined ? cache && rememberedOut(cache.folder) : path.resolve(root, options.out);
  const when = cache && !options.preview ? speculationStart() : 'off';
  const speculation =
    cache && when === 'early'
      ? Speculation.start({ root, out: likelyOut, cacheFolder: cache.folder })
      : undefined;
  // The last build's output there is read and checked while this one loads.
  if (cache && likelyOut) cache.early = startReadingPrevious(cache, likelyOut);
  try {
    return await build(options, root, report, cache, speculation ?? when === 'late');
  } finally {
    await speculation?.discard();
    await releaseWriters();
    await cache?.emptied;
  }
}

/** The build: load → refuse → plan → stage → commit. */
async function build(
  options: BuildSiteOptions,
  root: string,
  report: (progress: BuildProgress) => void,
  cache: BuildCache | undefined,
  speculation: Speculation | boolean,
): Promise<BuildSiteResult> {
  report({ phase: 'load' });
  // The HTML of cached renders is decoded only for the output groups that are made.
  const loaded = await loadSiteWith(
    {
      root,
      configFile: options.configFile,
      now: options.now,
      future: options.future,
      cache: options.cache,
      workers: options.workers,
      preview: options.preview,
      onProgress: report,
      out: options.out,
    },
    undefined,
    true,
  );
  if (!loaded.ok) return { ok: false, diagnostics: loaded.diagnostics };
  const { site, warnings } = loaded;

  const out = path.resolve(root, options.out ?? site.config.out);
  const refused = await refuse(root, out, site, options);
  if (refused) return { ok: false, diagnostics: [refused, ...warnings] };
  // The file writer threads start while the plan and the keys are computed.
  if (cache && !(speculation instanceof Speculation)) prestartWriters(out, cache.folder);

  const planned = withStaticFiles(root, site, planOutput(site));
  if ('diagnostics' in planned) return { ok: false, diagnostics: [...planned.diagnostics, ...warnings] };
  const { plan } = planned;
  const written = await stageAndCommit(root, out, site, plan, cache, warnings, report, speculation);
  if (written) return { ok: false, diagnostics: [written, ...warnings] };
  return {
    ok: true,
    out,
    files: plan.paths.length,
    posts: site.posts.length,
    comments: site.posts.reduce((sum, post) => sum + post.comments.length, 0),
    warnings,
  };
}

/**
 * A `config-out-refused` diagnostic when `out` must not be built into (see `refuseOut`); a preview
 * into the site's own `out` throws (a programmer error: nothing of a preview is ever published).
 */
async function refuse(
  root: string,
  out: string,
  site: Site,
  options: BuildSiteOptions,
): Promise<Diagnostic | undefined> {
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
  if (!refusal) return undefined;
  const shown = displayPath(root, out);
  return diagnostic({
    code: 'config-out-refused',
    file: options.out !== undefined || !configFile ? shown : displayPath(root, configFile),
    message: `refusing to build into "${shown}": ${refusal}; nothing was written or deleted`,
  });
}

/**
 * Stages the output beside `out` and commits it: the whole tree swapped in by two renames, or (on
 * the incremental path, when few files changed) the changes applied in place under a journal.
 * Returns a `write-failed` diagnostic when the output could not be written; `out` is then as it was.
 */
async function stageAndCommit(
  root: string,
  out: string,
  site: Site,
  plan: PlannedOutput,
  cache: BuildCache | undefined,
  warnings: Diagnostic[],
  report: (progress: BuildProgress) => void,
  speculation: Speculation | boolean,
): Promise<Diagnostic | undefined> {
  const total = plan.paths.length;
  let manifest: OutputManifest | undefined;
  let staging: string | undefined;
  let closing: Promise<void> | undefined;
  try {
    // A build killed while updating `out` in place is undone first, before `out` is looked at.
    await recoverSiblings(out);
    const previous: Previous | undefined = cache
      ? await readPrevious(root, out, cache, site, plan, warnings)
      : undefined;
    await mkdir(path.dirname(out), { recursive: true });
    // Started early, or now (`true`: once the keys are known).
    const ahead =
      speculation === true && cache
        ? Speculation.start({ root, out, cacheFolder: cache.folder })
        : speculation;
    const speculated =
      ahead instanceof Speculation ? await ahead.adopt(out, previous?.keyNamespace) : undefined;
    staging = speculated ?? (await createSibling(out, 'tmp'));
    // The marker goes first, so that a build killed from here on leaves a folder the next one removes.
    if (!speculated) writeFileSync(path.join(staging, MARKER_FILE), MARKER_TEXT, { flag: 'wx' });
    // Update in place only an output exactly as the last build left it, on a file system with hard links.
    const inPlace = previous?.onDisk?.foldersUnchanged === true && hardLinksWork(staging);
    const before = previous?.manifest;
    const staged = await stagePlan(staging, plan.groups, {
      previous: before ? { folder: out, manifest: before, onDisk: previous?.onDisk } : undefined,
      maxChanges: inPlace ? maxChangesInPlace(total) : 0,
      record: cache !== undefined,
      keyNamespace: previous?.keyNamespace,
      openStore: previous?.openStore,
      speculation: speculated ? (ahead as Speculation) : undefined,
      onWritten: (done) => report({ phase: 'write', written: done, total }),
    });
    // The store's new entries are written while the output is swapped in.
    closing = staged.store?.close();
    warnings.push(...(staged.store?.warnings() ?? []));
    const { made, reused, stored } = staged.groups;
    report({ phase: 'swap', groups: { made: made.length, reused, stored } });
    if (staged.kind === 'changes') {
      manifest = await commitInPlace(staging, out, staged, before!, cache!);
    } else {
      await swapIn(staging, out, cache?.trash);
      if (cache) manifest = manifestOfTree(out, staged);
      // Where the next build without `--out` speculates (src/build/speculation.ts).
      if (cache && staged.store) await rememberOut(cache.folder, out);
    }
    releaseSibling(staging);
    staging = undefined;
  } catch (error) {
    await closing;
    let undone = true;
    if (staging) {
      // After a failed update in place whose undoing failed too, the journal stays for the next build.
      undone = !existsSync(path.join(staging, JOURNAL_FILE));
      if (undone) await removeMarkedFolder(staging).catch(() => {});
      releaseSibling(staging);
    }
    if (!isSystemError(error)) throw error;
    return diagnostic({
      code: 'write-failed',
      file: displayPath(root, out),
      message: undone
        ? `the output could not be written (${error.code}: ${error.message}); the previous output is unchanged`
        : `the output could not be written (${error.code}: ${error.message}), and the files changed so far could not be put back; the next build puts them back`,
    });
  }
  await closing;
  if (cache && manifest) await saveManifest(cache, out, manifest);
  return undefined;
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
