import { readdirSync } from 'node:fs';
import { lstat, readdir, readFile, realpath, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { CONFIG_FILE_NAMES } from '../config/load-config';
import { recoverJournal } from './commit';

/**
 * The file `broadsheet build` writes into every output folder, so that a later build knows the
 * folder is its own and may replace it. Fixed text, no timestamp: outputs stay byte-identical.
 */
export const MARKER_FILE = '.broadsheet-build';

/** The marker's contents. Its first line is what identifies a folder as broadsheet's. */
export const MARKER_TEXT =
  'broadsheet build output\nThis folder is replaced as a whole on every `broadsheet build`: do not keep your own files in it.\n';

const MARKER_FIRST_LINE = MARKER_TEXT.slice(0, MARKER_TEXT.indexOf('\n') + 1);

/** Where a build stages its files and parks the previous output: siblings of `out`. */
export type SiblingKind = 'tmp' | 'old';

/** The name of a sibling folder of `out`: `<out>.broadsheet-tmp-<pid>-<n>` or `<out>.broadsheet-old-<pid>-<n>`. */
export function siblingPath(out: string, kind: SiblingKind, sequence: number): string {
  return `${out}.broadsheet-${kind}-${process.pid}-${sequence}`;
}

/** Why an output folder is refused, or `undefined` when a build may replace it. */
export async function refuseOut(options: {
  out: string;
  root: string;
  content: string;
  configFile: string | undefined;
}): Promise<string | undefined> {
  const out = await resolveReal(options.out);
  const root = await resolveReal(options.root);
  const content = await resolveReal(options.content);
  if (out === root) return 'it is the site root';
  if (isInside(root, out)) return 'it holds the site root';
  if (out === content) return 'it is the content folder';
  if (isInside(out, content)) return 'it is inside the content folder';
  if (isInside(content, out)) return 'it holds the content folder';
  if (options.configFile) {
    const configFile = await resolveReal(options.configFile);
    if (isInside(configFile, out)) return `it holds the config file ${path.basename(configFile)}`;
  }

  let stats: Awaited<ReturnType<typeof lstat>>;
  try {
    stats = await lstat(options.out);
  } catch (error) {
    // Absent is fine (the build makes it); anything else (a parent that is a file: ENOTDIR, a
    // parent that cannot be searched: EACCES) means it cannot be read, whoever runs the build.
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? undefined : `it cannot be read (${code ?? String(error)})`;
  }
  if (stats.isSymbolicLink()) return 'it is a symbolic link: give the folder it points to';
  if (!stats.isDirectory()) return 'it is a file, not a folder';
  let entries: string[];
  try {
    entries = await readdir(options.out);
  } catch (error) {
    return `it cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
  }
  if (entries.length === 0) return undefined;
  if (entries.includes('content')) return 'it holds a content/ folder';
  const config = entries.find((entry) => (CONFIG_FILE_NAMES as readonly string[]).includes(entry));
  if (config) return `it holds a config file (${config})`;
  if (!(await hasMarker(options.out))) {
    return `it is a folder that broadsheet did not create (it has files but no ${MARKER_FILE}): empty it, remove it or choose another --out`;
  }
  return undefined;
}

/** Whether a folder carries broadsheet's marker file. */
export async function hasMarker(folder: string): Promise<boolean> {
  const text = await readFile(path.join(folder, MARKER_FILE), 'utf8').catch(() => undefined);
  return text?.startsWith(MARKER_FIRST_LINE) ?? false;
}

/** Staging folders of builds running in this process, which a cleanup must leave alone. */
const activeSiblings = new Set<string>();

/** Marks a sibling folder as in use by this process (until {@link releaseSibling}). */
export function claimSibling(folder: string): void {
  activeSiblings.add(folder);
}

/** Forgets a sibling folder claimed with {@link claimSibling}. */
export function releaseSibling(folder: string): void {
  activeSiblings.delete(folder);
}

/**
 * Whether {@link recoverSiblings} may have something to do beside `out`: a sibling folder named as a
 * build's (`<out>.broadsheet-…`) that no build of this process holds. Synchronous: one listing.
 */
export function hasStraySiblings(out: string): boolean {
  const prefix = `${path.basename(out)}.broadsheet-`;
  let entries: string[];
  try {
    entries = readdirSync(path.dirname(out));
  } catch {
    // Left to recoverSiblings, which reads the folder again and treats a failure as nothing there.
    return true;
  }
  const parent = path.dirname(out);
  return entries.some((entry) => entry.startsWith(prefix) && !activeSiblings.has(path.join(parent, entry)));
}

/**
 * Cleans up after a build that was killed: first undoes an update in place that it left half done
 * (from the journal in its staging folder), then removes the stray staging folders of `out` (those
 * carrying the marker, or empty) whose process is gone, and, when `out` itself is missing because
 * the build died between its two renames, puts the previous output back.
 */
export async function recoverSiblings(out: string): Promise<void> {
  const parent = path.dirname(out);
  const prefix = `${path.basename(out)}.broadsheet-`;
  const entries = await readdir(parent).catch(() => [] as string[]);
  const pattern = /^(tmp|old)-(\d+)-(\d+)$/;
  let outExists = await lstat(out).then(
    () => true,
    () => false,
  );
  // Older folders are put back first; a leftover `old` is the last good output.
  const strays = entries
    .filter((entry) => entry.startsWith(prefix))
    .map((entry) => ({ entry, match: pattern.exec(entry.slice(prefix.length)) }))
    .filter((stray) => stray.match !== null)
    .sort((a, b) => (a.match![1] === b.match![1] ? 0 : a.match![1] === 'old' ? -1 : 1));
  for (const { entry, match } of strays) {
    const folder = path.join(parent, entry);
    const pid = Number(match![2]);
    if (activeSiblings.has(folder)) continue;
    if (pid !== process.pid && isProcessAlive(pid)) continue;
    if (!(await hasMarker(folder)) && !(await isEmptyFolder(folder))) continue;
    if (match![1] === 'tmp' && !recoverJournal(folder, path.resolve(out))) continue;
    if (match![1] === 'old' && !outExists) {
      await rename(folder, out);
      outExists = true;
      continue;
    }
    await removeMarkedFolder(folder);
  }
}

/**
 * Removes a folder that carries the marker so that a build killed at any moment of the removal leaves
 * a folder the next one still recognises and removes: everything else first, the marker last.
 * (`rm` alone unlinks the small marker file among the first, and a kill then left a folder without
 * it, which no later build would touch.)
 */
export async function removeMarkedFolder(folder: string): Promise<void> {
  const entries = await readdir(folder).catch(() => [] as string[]);
  await Promise.all(
    entries
      .filter((entry) => entry !== MARKER_FILE)
      .map((entry) => rm(path.join(folder, entry), { recursive: true, force: true })),
  );
  await rm(folder, { recursive: true, force: true });
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function isEmptyFolder(folder: string): Promise<boolean> {
  const entries = await readdir(folder).catch(() => undefined);
  return entries !== undefined && entries.length === 0;
}

/** Whether `child` lies strictly inside `parent` (both absolute and normalised). */
function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return (
    relative !== '' &&
    !relative.startsWith(`..${path.sep}`) &&
    relative !== '..' &&
    !path.isAbsolute(relative)
  );
}

/** The real path of a path that may not exist yet: its deepest existing ancestor, resolved, plus the rest. */
async function resolveReal(target: string): Promise<string> {
  const absolute = path.resolve(target);
  let existing = absolute;
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(await realpath(existing), ...rest);
    } catch {
      const parent = path.dirname(existing);
      if (parent === existing) return absolute;
      rest.unshift(path.basename(existing));
      existing = parent;
    }
  }
}
