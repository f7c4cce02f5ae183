import {
  closeSync,
  constants,
  type Dirent,
  existsSync,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  realpathSync,
  type Stats,
  statSync,
} from 'node:fs';
import path from 'node:path';
import { readFully } from '../common/fs';
import { compareText } from '../common/text';
import type { DiagnosticCode } from '../diagnostics/codes';
import type { DiagnosticCollector } from '../diagnostics/collector';
import { type Diagnostic, diagnostic } from '../diagnostics/diagnostic';
import { type AssetSource, assetProblem } from './post-assets';

/** Larger files are refused: no post or comment is this long, and reading one whole is a risk. */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

/** Folders nested deeper than this under `posts/` (or a comment folder) are not walked. */
export const MAX_FOLDER_DEPTH = 32;

/** What a content file is, by where it sits. */
export type ContentKind = 'post' | 'comment' | 'author';

/** A content file as read from disk, before parsing. */
export interface SourceFile {
  kind: ContentKind;
  /** Path relative to the site root, `/`-separated. */
  file: string;
  /** For comments: the post slug (folder name) and the id (file name without `.md`). */
  postSlug?: string;
  id: string;
  bytes: Uint8Array;
  /** For a post that is a folder (`posts/<name>/index.md`, id `<name>`): its other files. */
  assets?: AssetSource[];
}

interface Found {
  kind: ContentKind;
  absolute: string;
  file: string;
  postSlug?: string;
  id: string;
  /** The folder listing (or `stat`, for a link) said it is a regular file: no `fstat` before reading. */
  listedAsFile?: boolean;
  assets?: AssetSource[];
}

/**
 * Opening for reading never waits: a FIFO (or a device) named like a content file would block an
 * ordinary open until a writer comes. `O_NONBLOCK` does nothing to regular files; Windows has none.
 */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** Files are read into shared buffers of this size (fewer allocations, less for the GC to track). */
const ARENA_BYTES = 1 << 20;

/** A file listed as regular is read without `fstat` into at least this much room; a larger one is `fstat`ed. */
const SMALL_FILE_BYTES = 64 * 1024;

/**
 * Finds and reads every content file under `contentDir`: `posts/**
 * The first stage of a load: every content file's bytes ({@link readContentFiles}), with the
 * problems found on the way reported to `problems`.
 */
export async function readFiles(
  root: string,
  contentDir: string,
  problems: DiagnosticCollector,
  earlier?: EarlierReads,
): Promise<SourceFile[]> {
  const { files, diagnostics } =
    (earlier && readChangedOnly(root, earlier)) ?? readContentFilesSync(root, contentDir, earlier);
  problems.addAll(diagnostics);
  earlier?.keep({ files, diagnostics });
  return files;
}

/**
 * What a watch loop kept of its last read (see `LoadedFileStore`): `take` gives back a file read
 * then that has not changed since (found again at the same path); `last` is that read, with the
 * paths changed since (`'all'` when they are not known); `keep` is told this read.
 */
export interface EarlierReads {
  take(file: string): SourceFile | undefined;
  last(): {
    files: readonly SourceFile[];
    diagnostics: readonly Diagnostic[];
    changed: readonly string[] | 'all';
    /** Whether `file` is one of `files`. */
    has(file: string): boolean;
  };
  keep(read: { files: readonly SourceFile[]; diagnostics: readonly Diagnostic[] }): void;
}

/**
 * The last read again without walking the folders, when every path changed since is one of its
 * files and still a regular file (an edit: nothing added, removed or replaced by a link): those
 * files are read again, the others taken back. `undefined` when the folders must be walked.
 */
function readChangedOnly(
  root: string,
  earlier: EarlierReads,
): { files: SourceFile[]; diagnostics: Diagnostic[] } | undefined {
  const last = earlier.last();
  if (last.changed === 'all' || last.files.length === 0) return undefined;
  for (const file of last.changed) {
    if (!last.has(file)) return undefined;
    try {
      if (!lstatSync(path.join(root, file)).isFile()) return undefined;
    } catch {
      return undefined;
    }
  }
  const diagnostics = [...last.diagnostics];
  const files: SourceFile[] = [];
  const reader = new ArenaReader();
  for (const source of last.files) {
    const result =
      earlier.take(source.file) ??
      readSource({ ...source, absolute: path.join(root, source.file), listedAsFile: true }, reader);
    if ('bytes' in result) files.push(result);
    else diagnostics.push(result);
  }
  return { files, diagnostics };
}

/**\/*.md`,
 * `comments/<post-slug>/<id>.md` and `authors/<id>.yaml`. Problems with the files themselves
 * (a folder named like a post, a symlink loop, an oversized or unreadable file, a FIFO or device)
 * become diagnostics.
 *
 * The calls are synchronous: thousands of small files are read several times faster with
 * `open`/`fstat`/`read`/`close` in a row than through the thread pool, and nothing else is waiting.
 */
export async function readContentFiles(
  root: string,
  contentDir: string,
): Promise<{ files: SourceFile[]; diagnostics: Diagnostic[] }> {
  return readContentFilesSync(root, contentDir);
}

function readContentFilesSync(
  root: string,
  contentDir: string,
  earlier?: EarlierReads,
): { files: SourceFile[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const found: Found[] = [];
  const absoluteContent = path.resolve(root, contentDir);
  const relative = (absolute: string) => path.relative(root, absolute).split(path.sep).join('/');
  const fileProblem = (absolute: string, code: DiagnosticCode, message: string) =>
    diagnostics.push(diagnostic({ code, file: relative(absolute), message }));

  if (!isDirectory(absoluteContent)) {
    fileProblem(absoluteContent, 'missing-content', `the content folder "${contentDir}" does not exist`);
    return { files: [], diagnostics };
  }
  // Nothing outside the root is read: a symbolic link (or a folder reached through one) whose
  // target resolves outside it is refused, naming the link.
  const realRoot = realPath(root) ?? root;
  const leavesRoot = (absolute: string): boolean => {
    const real = realPath(absolute);
    return real !== undefined && real !== realRoot && !real.startsWith(`${realRoot}${path.sep}`);
  };
  const refuseOutside = (absolute: string): boolean => {
    if (!leavesRoot(absolute)) return false;
    fileProblem(
      absolute,
      'symlink-outside-root',
      'this symbolic link leads outside the site root: only files inside the root are published',
    );
    return true;
  };
  if (refuseOutside(absoluteContent)) return { files: [], diagnostics };

  // Walks a folder, following symlinks but never into a folder it has already entered (a loop).
  // `onFile` gets the file's path relative to the root (computed once per folder, not per file).
  // `visited` holds the real paths of the folders being walked; `undefined` for the first folder,
  // whose real path is looked up only if it has a subfolder (a comment folder has none).
  function walk(
    directory: string,
    visited: Set<string> | undefined,
    onFile: (absolute: string, entryName: string, file: string, regular: boolean) => void,
    onDirectory: (absolute: string, entryName: string) => boolean,
    depth = 0,
  ): void {
    if (depth > MAX_FOLDER_DEPTH) {
      fileProblem(
        directory,
        'folder-too-deep',
        `folders nest more than ${MAX_FOLDER_DEPTH} deep here: nothing below is read`,
      );
      return;
    }
    let entries: Dirent[];
    try {
      entries = readdirSync(directory, { withFileTypes: true });
    } catch (error) {
      fileProblem(
        directory,
        'unreadable-file',
        `cannot read folder: ${(error as NodeJS.ErrnoException).code}`,
      );
      return;
    }
    entries.sort(compareNames);
    const folder = relative(directory);
    // `directory` is normalised and an entry name is never `.`, `..` or has a separator: joining them
    // is `path.join` without its normalising pass over every path.
    const prefix = directory.endsWith(path.sep) ? directory : `${directory}${path.sep}`;
    for (const entry of entries) {
      const absolute = `${prefix}${entry.name}`;
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const target = statSync(absolute);
          isDirectory = target.isDirectory();
          isFile = target.isFile();
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'ELOOP')
            fileProblem(absolute, 'symlink-loop', 'this symbolic link is part of a loop of links');
          else fileProblem(absolute, 'broken-symlink', `this symbolic link points at nothing (${code})`);
          continue;
        }
        if ((isDirectory || entry.name.endsWith('.md')) && refuseOutside(absolute)) continue;
      }
      if (isDirectory) {
        if (!onDirectory(absolute, entry.name)) continue;
        visited ??= new Set([realPath(directory) ?? directory]);
        const real = realPath(absolute) ?? absolute;
        // A folder that is, or contains, one already being walked would be walked forever.
        if ([...visited].some((entered) => entered === real || entered.startsWith(`${real}${path.sep}`))) {
          fileProblem(absolute, 'symlink-loop', 'this folder links back to a folder that contains it');
          continue;
        }
        walk(absolute, new Set([...visited, real]), onFile, onDirectory, depth + 1);
      } else {
        // Not a folder: a regular file, or a FIFO, socket or device, which `readSource` refuses.
        onFile(absolute, entry.name, folder === '' ? entry.name : `${folder}/${entry.name}`, isFile);
      }
    }
  }

  const postsDir = path.join(absoluteContent, 'posts');
  if (isDirectory(postsDir) && !refuseOutside(postsDir)) {
    walk(
      postsDir,
      undefined,
      (absolute, name, file, regular) => {
        if (name.endsWith('.md'))
          found.push({ kind: 'post', absolute, file, id: name.slice(0, -3), listedAsFile: regular });
      },
      (absolute, name) => {
        if (name.endsWith('.md')) {
          fileProblem(absolute, 'not-a-file', 'this is a folder named like a post: a post must be a file');
          return false;
        }
        // A folder holding `index.md` is one post; every other file in it (at any depth) is the post's.
        const index = `${absolute}${path.sep}index.md`;
        if (!existsSync(index)) return true;
        if (refuseOutside(index)) return false;
        const assets: AssetSource[] = [];
        found.push({ kind: 'post', absolute: index, file: relative(index), id: name, assets });
        const folder = relative(absolute);
        walk(
          absolute,
          undefined,
          (file, fileName, shown, regular) => {
            if (file === index || fileName.startsWith('.') || refuseOutside(file)) return;
            const asset = { path: shown.slice(folder.length + 1), file: shown };
            const problem = assetProblem(asset, regular);
            if (problem) diagnostics.push(problem);
            else assets.push(asset);
          },
          (_, folderName) => !folderName.startsWith('.'),
        );
        return false;
      },
    );
  }

  const commentsDir = path.join(absoluteContent, 'comments');
  if (isDirectory(commentsDir) && !refuseOutside(commentsDir)) {
    const postFolders = readFolder(commentsDir);
    postFolders.sort(compareNames);
    for (const folder of postFolders) {
      const folderPath = path.join(commentsDir, folder.name);
      if (!(folder.isDirectory() || (folder.isSymbolicLink() && isDirectory(folderPath)))) {
        if (folder.name.endsWith('.md')) {
          fileProblem(folderPath, 'misplaced-comment', 'a comment belongs in comments/<post-slug>/<id>.md');
        }
        continue;
      }
      if (folder.isSymbolicLink() && refuseOutside(folderPath)) continue;
      walk(
        folderPath,
        undefined,
        (absolute, name, file, regular) => {
          if (!name.endsWith('.md')) return;
          if (path.dirname(absolute) !== folderPath) {
            fileProblem(absolute, 'misplaced-comment', 'a comment belongs in comments/<post-slug>/<id>.md');
            return;
          }
          found.push({
            kind: 'comment',
            absolute,
            file,
            postSlug: folder.name,
            id: name.slice(0, -3),
            listedAsFile: regular,
          });
        },
        (absolute, name) => {
          if (name.endsWith('.md')) {
            fileProblem(
              absolute,
              'not-a-file',
              'this is a folder named like a comment: a comment must be a file',
            );
            return false;
          }
          return true;
        },
      );
    }
  }

  const authorsDir = path.join(absoluteContent, 'authors');
  if (isDirectory(authorsDir) && !refuseOutside(authorsDir)) {
    const entries = readFolder(authorsDir);
    entries.sort(compareNames);
    for (const entry of entries) {
      const match = /^(.+)\.ya?ml$/.exec(entry.name);
      if (!match) continue;
      const absolute = path.join(authorsDir, entry.name);
      if (entry.isSymbolicLink() && refuseOutside(absolute)) continue;
      found.push({ kind: 'author', absolute, file: relative(absolute), id: match[1]! });
    }
  }

  const files: SourceFile[] = [];
  const reader = new ArenaReader();
  for (const entry of found) {
    const kept = earlier?.take(entry.file);
    // A post folder's files are listed anew on every read: its index.md may be unchanged.
    const result = kept
      ? { ...kept, ...(entry.assets ? { assets: entry.assets } : {}) }
      : readSource(entry, reader);
    if ('bytes' in result) files.push(result);
    else diagnostics.push(result);
  }
  return { files, diagnostics };
}

/** Reads one found file: its type and size are checked on the open descriptor, then it is read whole. */
function readSource(entry: Found, reader: ArenaReader): SourceFile | Diagnostic {
  const problem = (code: DiagnosticCode, message: string): Diagnostic =>
    diagnostic({ code, file: entry.file, message });
  const unreadable = (error: unknown) =>
    problem('unreadable-file', `cannot read file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  const checkKind = (info: Stats): Diagnostic | undefined => {
    if (!info.isFile()) return problem('not-a-file', 'not a regular file');
    if (info.size > MAX_FILE_BYTES) {
      return problem(
        'file-too-large',
        `file is ${info.size} bytes; the limit is ${MAX_FILE_BYTES} bytes (${MAX_FILE_BYTES / 1024 / 1024} MiB)`,
      );
    }
    return undefined;
  };
  let descriptor: number;
  try {
    descriptor = openSync(entry.absolute, OPEN_FLAGS);
  } catch (openError) {
    // Some things cannot be opened at all (a socket: ENXIO; no permission: EACCES): say what they are
    // as a path lookup sees them, and only then that they cannot be read.
    try {
      const link = lstatSync(entry.absolute);
      const kindProblem = checkKind(link.isSymbolicLink() ? statSync(entry.absolute) : link);
      return kindProblem ?? unreadable(openError);
    } catch (error) {
      return unreadable(error);
    }
  }
  try {
    // A file the listing called a regular file is read at once (a `Stats` object and four `Date`s
    // fewer per file); only one that turns out larger than the room left is `fstat`ed, for its size.
    // Anything else is checked first: an author profile is taken by its name alone.
    let bytes = entry.listedAsFile ? reader.readSmall(descriptor) : undefined;
    if (bytes === undefined) {
      const info = fstatSync(descriptor);
      const kindProblem = checkKind(info);
      if (kindProblem) return kindProblem;
      bytes = reader.read(descriptor, info.size);
    }
    const { kind, file, id, postSlug, assets } = entry;
    return { kind, file, id, postSlug, bytes, ...(assets ? { assets } : {}) };
  } catch (error) {
    return unreadable(error);
  } finally {
    closeSync(descriptor);
  }
}

/**
 * Reads files into large shared buffers: each file's bytes are a view of one of them, so that
 * thousands of small files are a few allocations. A file that changes size while it is read is
 * read as far as its size at `fstat` (or to its end, when it shrank).
 */
class ArenaReader {
  private arena: Buffer = Buffer.alloc(0);
  private used = 0;

  /**
   * Reads a file of unknown size into the room left in the current buffer (at least
   * {@link SMALL_FILE_BYTES}): its bytes, or `undefined` when it did not fit, with nothing kept and
   * the file's position back at its start.
   */
  readSmall(descriptor: number): Uint8Array | undefined {
    if (this.arena.length - this.used <= SMALL_FILE_BYTES) {
      this.arena = Buffer.allocUnsafeSlow(ARENA_BYTES);
      this.used = 0;
    }
    const room = this.arena.length - this.used;
    // A file that fills the room is taken as not fitting: its end was not seen.
    const filled = readFully(descriptor, this.arena, 0, this.used, room);
    if (filled === room) return undefined;
    const bytes = view(this.arena, this.used, filled);
    this.used += filled;
    return bytes;
  }

  read(descriptor: number, size: number): Uint8Array {
    if (size > this.arena.length - this.used) {
      if (size >= ARENA_BYTES / 4) return this.readInto(descriptor, Buffer.allocUnsafeSlow(size), 0, size);
      this.arena = Buffer.allocUnsafeSlow(ARENA_BYTES);
      this.used = 0;
    }
    const bytes = this.readInto(descriptor, this.arena, this.used, size);
    this.used += bytes.length;
    return bytes;
  }

  private readInto(descriptor: number, buffer: Buffer, offset: number, size: number): Uint8Array {
    const filled = readFully(descriptor, buffer, 0, offset, size);
    return view(buffer, offset, filled);
  }
}

/**
 * `length` bytes of `buffer` from `offset`, as a plain `Uint8Array` view: `Buffer#subarray` looks up
 * the constructor of the `Buffer` species each time, several times the cost, 7,000 times a load.
 */
function view(buffer: Buffer, offset: number, length: number): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset + offset, length);
}

function compareNames(a: Dirent, b: Dirent): number {
  return compareText(a.name, b.name);
}

function readFolder(folder: string): Dirent[] {
  try {
    return readdirSync(folder, { withFileTypes: true });
  } catch {
    return [];
  }
}

function realPath(absolute: string): string | undefined {
  try {
    return realpathSync.native(absolute);
  } catch {
    return undefined;
  }
}

function isDirectory(absolute: string): boolean {
  try {
    return statSync(absolute).isDirectory();
  } catch {
    return false;
  }
}
