import {
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';

/** The journal of an update in place, in the staging folder while the update runs. */
export const JOURNAL_FILE = '.broadsheet-journal.json';

/** Files replaced or removed by an update are kept here (hard links), in the staging folder, until it ends. */
const BACKUP_FOLDER = '.broadsheet-backup';

const JOURNAL_FORMAT = 'broadsheet-journal-1';

/**
 * What an update in place of the output folder does, written into the staging folder before the
 * first change, so that the update can be undone after a failure or a crash. Every path is
 * relative and `/`-separated: `path` inside the output folder, `from` and `backup` inside the
 * staging folder.
 */
export interface Journal {
  format: typeof JOURNAL_FORMAT;
  /** The output folder (absolute). */
  out: string;
  /** Files moved from the staging folder into the output; `backup` when they replace a file. */
  put: { path: string; from: string; backup?: string }[];
  /** Files removed from the output, moved to `backup`. */
  removed: { path: string; backup: string }[];
  /** Folders created in the output, parents first. */
  createdFolders: string[];
  /** Folders removed from the output once empty, children first. */
  removedFolders: string[];
}

/**
 * The journal that updates `out` from its recorded contents to the staged ones: `put` files are at
 * their own paths in the staging folder (`replaced` tells which ones replace a file), except
 * `extra`, staged elsewhere. Folders no output needs any more are removed; folders new outputs
 * need are created.
 */
export function journalFor(options: {
  out: string;
  put: readonly { path: string; from: string; replaces: boolean }[];
  removed: readonly string[];
  foldersBefore: Iterable<string>;
  foldersAfter: ReadonlySet<string>;
}): Journal {
  let backups = 0;
  const backup = () => `${BACKUP_FOLDER}/${backups++}`;
  const before = new Set(options.foldersBefore);
  before.delete('');
  return {
    format: JOURNAL_FORMAT,
    out: options.out,
    put: options.put.map((file) =>
      file.replaces
        ? { path: file.path, from: file.from, backup: backup() }
        : { path: file.path, from: file.from },
    ),
    removed: options.removed.map((file) => ({ path: file, backup: backup() })),
    // A parent sorts before its children (a prefix sorts first).
    createdFolders: [...options.foldersAfter].filter((folder) => !before.has(folder)).sort(),
    removedFolders: [...before]
      .filter((folder) => !options.foldersAfter.has(folder))
      .sort()
      .reverse(),
  };
}

/**
 * Applies a journal to its output folder: writes the journal into `staging`, hard-links every file
 * about to be replaced into the backup folder, creates the new folders, renames each staged file
 * into place (one atomic rename per file), moves the removed files to the backup folder, removes
 * the folders left empty, and deletes the journal, which is the commit point. If any step fails,
 * the changes made so far are undone ({@link rollBack}) and the error is thrown; if undoing fails
 * too, the journal stays in `staging` for the next build to finish the job.
 */
export function commitJournal(staging: string, journal: Journal): void {
  const journalFile = path.join(staging, JOURNAL_FILE);
  try {
    const temporary = `${journalFile}.tmp`;
    writeFileSync(temporary, JSON.stringify(journal), { flag: 'wx' });
    renameSync(temporary, journalFile);
    const inOut = (file: string) => path.join(journal.out, file);
    const inStaging = (file: string) => path.join(staging, file);
    mkdirSync(inStaging(BACKUP_FOLDER));
    for (const file of journal.put) if (file.backup) linkSync(inOut(file.path), inStaging(file.backup));
    for (const folder of journal.createdFolders) mkdirSync(inOut(folder));
    for (const file of journal.put) renameSync(inStaging(file.from), inOut(file.path));
    for (const file of journal.removed) renameSync(inOut(file.path), inStaging(file.backup));
    for (const folder of journal.removedFolders) rmdirSync(inOut(folder));
  } catch (error) {
    try {
      rollBack(staging, journal);
    } catch {
      // The journal stays: the next build (recoverSiblings) undoes the update.
    }
    throw error;
  }
  unlinkSync(journalFile);
}

/**
 * Undoes an update in place, from any point of {@link commitJournal}: puts every backed-up file
 * back, removes the files that were added, recreates removed folders and removes created ones
 * (when empty), then deletes the journal. Safe to run again if it is interrupted.
 */
export function rollBack(staging: string, journal: Journal): void {
  const inOut = (file: string) => path.join(journal.out, file);
  const inStaging = (file: string) => path.join(staging, file);
  for (const folder of [...journal.removedFolders].reverse()) {
    if (!existsSync(inOut(folder))) mkdirSync(inOut(folder), { recursive: true });
  }
  for (const file of journal.removed) {
    if (existsSync(inStaging(file.backup))) renameSync(inStaging(file.backup), inOut(file.path));
  }
  for (const file of journal.put) {
    if (file.backup) {
      // Renaming a second link over the first does nothing when the file was not replaced yet.
      if (existsSync(inStaging(file.backup))) renameSync(inStaging(file.backup), inOut(file.path));
    } else if (lstatSync(inOut(file.path), { throwIfNoEntry: false })?.isFile()) {
      unlinkSync(inOut(file.path));
    }
  }
  for (const folder of [...journal.createdFolders].reverse()) {
    try {
      rmdirSync(inOut(folder));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
    }
  }
  rmSync(path.join(staging, JOURNAL_FILE), { force: true });
}

/**
 * Undoes the update in place that a killed build left in `staging`, if there is one for `out`.
 * Returns `true` when there was nothing to undo or it was undone, `false` when the staging folder
 * holds a journal that cannot be read or is not for `out` (the folder must then be left alone).
 */
export function recoverJournal(staging: string, out: string): boolean {
  let text: string;
  try {
    text = readFileSync(path.join(staging, JOURNAL_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    return false;
  }
  const journal = parseJournal(text);
  if (!journal || journal.out !== out) return false;
  rollBack(staging, journal);
  return true;
}

/** The folders whose mtime an applied journal changed (`''` is the output folder itself). */
export function touchedFolders(journal: Journal): Set<string> {
  const touched = new Set<string>();
  const parent = (file: string) => {
    const folder = path.posix.dirname(file);
    return folder === '.' ? '' : folder;
  };
  for (const file of journal.put) touched.add(parent(file.path));
  for (const file of journal.removed) touched.add(parent(file.path));
  for (const folder of journal.createdFolders) touched.add(folder).add(parent(folder));
  for (const folder of journal.removedFolders) touched.add(parent(folder));
  for (const folder of journal.removedFolders) touched.delete(folder);
  return touched;
}

function parseJournal(text: string): Journal | undefined {
  let value: Partial<Journal>;
  try {
    value = JSON.parse(text) as Partial<Journal>;
  } catch {
    return undefined;
  }
  const isPath = (file: unknown): file is string =>
    typeof file === 'string' &&
    !path.posix.isAbsolute(file) &&
    file.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
  const valid =
    value.format === JOURNAL_FORMAT &&
    typeof value.out === 'string' &&
    Array.isArray(value.put) &&
    value.put.every(
      (file) => isPath(file?.path) && isPath(file.from) && (file.backup === undefined || isPath(file.backup)),
    ) &&
    Array.isArray(value.removed) &&
    value.removed.every((file) => isPath(file?.path) && isPath(file.backup)) &&
    Array.isArray(value.createdFolders) &&
    value.createdFolders.every(isPath) &&
    Array.isArray(value.removedFolders) &&
    value.removedFolders.every(isPath);
  return valid ? (value as Journal) : undefined;
}
