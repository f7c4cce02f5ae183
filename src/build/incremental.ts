import { existsSync, writeFileSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { siteCacheFolder } from '../cache/location';
import { trashOrRemove } from '../common/fs';
import { displayPath } from '../common/paths';
import { type Diagnostic, diagnostic } from '../diagnostics/diagnostic';
import type { Site } from '../site/types';
import { commitJournal, journalFor, touchedFolders } from './commit';
import { checkOutputOnDisk, type OutputOnDisk } from './disk-check';
import { ListingPrints } from './listing-prints';
import {
  hasStraySiblings,
  MARKER_FILE,
  MARKER_TEXT,
  recoverSiblings,
  removeMarkedFolder,
} from './out-folder';
import { OutputKeys } from './output-keys';
import {
  type ManifestRead,
  type OutputManifest,
  outputCodeIdentity,
  readOutputManifest,
  writeOutputManifest,
} from './output-manifest';
import { OutputStore } from './output-store';
import type { PlannedOutput } from './plan-output';
import { recordFolders, type StagePlanResult } from './write-tree';

// The incremental path of a build, beside the full one (src/build/build-site.ts): the trash of
// replaced outputs, the manifest of what the last build wrote, the keys that let a warm build reuse
// output groups, and the journaled update of `out` in place (docs/decisions/incremental-write.md,
// docs/decisions/output-keys.md). With `cache: false` none of it runs.

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

/** The cache of a build's incremental path: the site's cache folder and its trash. */
export interface BuildCache {
  folder: string;
  /** Where replaced outputs go (one rename) for a later build to remove in the background. */
  trash: string;
  /** Settles when the outputs earlier builds moved into the trash are removed. */
  emptied: Promise<void>;
  /** The last build's output, looked at while this one loads ({@link startReadingPrevious}). */
  early?: EarlyPrevious;
}

/**
 * Opens a site's build cache (a preview's own, see `siteCacheFolder`) and starts removing the
 * outputs that earlier builds moved into its trash (never one this build moves in later), while
 * this one loads and renders.
 */
export async function openBuildCache(root: string, preview: boolean): Promise<BuildCache> {
  const folder = await siteCacheFolder(root, preview);
  const trash = path.join(folder, 'trash');
  const emptied = readdir(trash)
    .catch(() => [] as string[])
    .then((entries) =>
      Promise.all(
        entries.map((entry) => rm(path.join(trash, entry), { recursive: true, force: true }).catch(() => {})),
      ),
    )
    .then(() => {});
  return { folder, trash, emptied };
}

/**
 * The manifest of the last build into `out` and the checks of its files on disk, started before
 * the site is loaded ({@link startReadingPrevious}); `undefined` when they could not be.
 */
export interface EarlyPrevious {
  out: string;
  started: Promise<{ read: ManifestRead; checks?: Promise<OutputOnDisk> } | undefined>;
}

/**
 * Starts what {@link readPrevious} does first for an output folder the build will likely write
 * (`--out`, or the one the last whole tree went to): undoing a killed commit beside it, reading its
 * manifest and checking its files on disk on another thread. A warm build's output is then checked
 * while the site loads instead of after the plan, where the keys waited for the last of it. A build
 * into another folder does it all again there; a failure here is met again, and reported, there.
 */
export function startReadingPrevious(cache: BuildCache, out: string): EarlyPrevious {
  // With nothing to undo, nothing is awaited before the read: the manifest is read and the checks
  // start now, not after the load's synchronous reads of every content file.
  const now = !hasStraySiblings(out);
  const started = (async () => {
    if (!now) await recoverSiblings(out);
    const read = previousManifest(cache, out);
    return { read, checks: checksOf(out, read) };
  })().catch(() => undefined);
  return { out, started };
}

/**
 * The manifest of the last build into `out`, read when `out` is there: without it (a CI job with the
 * cache restored) nothing of the last output can be reused.
 */
function previousManifest(cache: BuildCache, out: string): ManifestRead {
  return existsSync(out) ? readOutputManifest(cache.folder, out) : undefined;
}

/** The checks on disk of the files of a manifest read of `out` (none without one). */
function checksOf(out: string, read: ManifestRead): Promise<OutputOnDisk> | undefined {
  return read && 'manifest' in read ? checkOutputOnDisk(out, read.manifest) : undefined;
}

/** What the last build left of `out`, as far as this one can reuse it. */
export interface Previous {
  /** The manifest of the last successful build into `out`, when there is a valid one. */
  manifest?: OutputManifest;
  /** Checks of the recorded files and folders against the disk. */
  onDisk?: OutputOnDisk;
  /** The identity of the code that makes the outputs, when known: groups are keyed under it. */
  keyNamespace?: string;
  /**
   * Opens the store of the files of groups made by earlier builds, by key (when `keyNamespace` is
   * known); the build opens it only when it must make many groups, and closes it.
   */
  openStore?: () => Promise<OutputStore>;
}

/**
 * Reads the manifest of the last build into `out` (a corrupt one gives a `cache-corrupt` warning in
 * `warnings` and is ignored), then checks its files on disk on another thread while it computes
 * the key of every output group (into `plan.groups`); both are taken from `cache.early` when it was
 * started for this `out`. Run after a killed build's update was undone.
 */
export async function readPrevious(
  root: string,
  out: string,
  cache: BuildCache,
  site: Site,
  plan: PlannedOutput,
  warnings: Diagnostic[],
): Promise<Previous> {
  const early = cache.early?.out === out ? await cache.early.started : undefined;
  const read = early ? early.read : previousManifest(cache, out);
  if (read && 'corrupt' in read) warnings.push(cacheCorrupt(root, read.corrupt));
  const manifest = read && 'manifest' in read ? read.manifest : undefined;
  // The `lstat` of every recorded file and folder runs on another thread while the keys are computed.
  const checks = early ? early.checks : checksOf(out, read);
  const keyNamespace = await outputCodeIdentity();
  if (keyNamespace === undefined) return { manifest, onDisk: await checks };
  await computeKeys(site, plan, ListingPrints.read(cache.folder, keyNamespace));
  const openStore = () => OutputStore.open({ root, folder: cache.folder, namespace: keyNamespace });
  return { manifest, onDisk: await checks, keyNamespace, openStore };
}

/**
 * Computes every group's key, letting the event loop turn every few milliseconds: the checks of the
 * output run meanwhile, and the trash is emptied.
 */
async function computeKeys(site: Site, plan: PlannedOutput, prints: ListingPrints): Promise<void> {
  const keys = new OutputKeys(site, prints);
  let turned = performance.now();
  for (const [index, group] of plan.outputs.entries()) {
    plan.groups[index]!.key = keys.keyOf(group.paths, group.inputs);
    // The clock read every 32 groups (a read per group was ~2 ms of 14,422 keys).
    if (index % 32 === 31 && performance.now() - turned >= 20) {
      await nextTurn();
      turned = performance.now();
    }
  }
  await prints.save();
}

/**
 * Applies staged changes to `out` in place under a journal (src/build/commit.ts: undone if a step
 * fails, or by the next build after a crash), disposes of the staging folder with its backups, and
 * returns the manifest of the updated output.
 */
export async function commitInPlace(
  staging: string,
  out: string,
  staged: Extract<StagePlanResult, { kind: 'changes' }>,
  before: OutputManifest,
  cache: BuildCache,
): Promise<OutputManifest> {
  // The marker is replaced too: it is then exactly what a build from scratch writes.
  writeFileSync(path.join(staging, STAGED_MARKER), MARKER_TEXT, { flag: 'wx' });
  const journal = journalFor({
    out,
    put: [
      ...staged.put.map((file) => ({ path: file, from: file, replaces: before.files.has(file) })),
      { path: MARKER_FILE, from: STAGED_MARKER, replaces: existsSync(path.join(out, MARKER_FILE)) },
    ],
    removed: staged.removed,
    foldersBefore: before.folders!.keys(),
    foldersAfter: staged.folders,
  });
  commitJournal(staging, journal);
  const folders = new Map(before.folders!);
  for (const folder of journal.removedFolders) folders.delete(folder);
  const touched = recordFolders(out, touchedFolders(journal));
  await trashOrRemove(staging, cache.trash, { remove: removeMarkedFolder });
  return { files: staged.files, folders: touched && new Map([...folders, ...touched]), groups: staged.keys };
}

/** The manifest of an output that a whole new tree replaced. */
export function manifestOfTree(out: string, staged: StagePlanResult): OutputManifest {
  // The folders stated while staging are as they were (a rename moves a tree, not its folders' records).
  const stated = staged.folderRecords;
  const folders = stated ? recordFolders(out, []) : recordFolders(out, staged.folders);
  return {
    files: staged.files,
    folders: folders && stated ? new Map([...folders, ...stated]) : folders,
    groups: staged.keys,
  };
}

/** Saves the manifest for the next build. The cache is an optimisation: failing only makes the next build write more. */
export async function saveManifest(cache: BuildCache, out: string, manifest: OutputManifest): Promise<void> {
  await writeOutputManifest(cache.folder, out, manifest).catch(() => {});
}

function cacheCorrupt(root: string, file: string): Diagnostic {
  return diagnostic({
    code: 'cache-corrupt',
    file: displayPath(root, file),
    message: 'this cache file is not a valid output manifest: it is ignored and rewritten',
  });
}
