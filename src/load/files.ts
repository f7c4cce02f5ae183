import type { Dirent } from 'node:fs';
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic';

/** Larger files are refused: no post or comment is this long, and reading one whole is a risk. */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

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
}

interface Found {
  kind: ContentKind;
  absolute: string;
  file: string;
  postSlug?: string;
  id: string;
}

/**
 * Finds and reads every content file under `contentDir`: `posts/**\/*.md`,
 * `comments/<post-slug>/<id>.md` and `authors/<id>.yaml`. Problems with the files themselves
 * (a folder named like a post, a symlink loop, an oversized or unreadable file) become diagnostics.
 */
export async function readContentFiles(
  root: string,
  contentDir: string,
): Promise<{ files: SourceFile[]; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  const found: Found[] = [];
  const absoluteContent = path.resolve(root, contentDir);
  const relative = (absolute: string) => path.relative(root, absolute).split(path.sep).join('/');
  const fileProblem = (absolute: string, code: string, message: string) =>
    diagnostics.push({ file: relative(absolute), line: 1, column: 1, severity: 'error', code, message });

  const contentStat = await stat(absoluteContent).catch(() => undefined);
  if (!contentStat?.isDirectory()) {
    fileProblem(absoluteContent, 'missing-content', `the content folder "${contentDir}" does not exist`);
    return { files: [], diagnostics };
  }

  // Walks a folder, following symlinks but never into a folder it has already entered (a loop).
  async function walk(
    directory: string,
    visited: Set<string>,
    onFile: (absolute: string, entryName: string) => void,
    onDirectory: (absolute: string, entryName: string) => boolean,
  ): Promise<void> {
    let entries: Dirent[];
    try {
      entries = await readdir(directory, { withFileTypes: true });
    } catch (error) {
      fileProblem(
        directory,
        'unreadable-file',
        `cannot read folder: ${(error as NodeJS.ErrnoException).code}`,
      );
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const absolute = path.join(directory, entry.name);
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const target = await stat(absolute);
          isDirectory = target.isDirectory();
          isFile = target.isFile();
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'ELOOP')
            fileProblem(absolute, 'symlink-loop', 'this symbolic link is part of a loop of links');
          else fileProblem(absolute, 'broken-symlink', `this symbolic link points at nothing (${code})`);
          continue;
        }
      }
      if (isDirectory) {
        if (!onDirectory(absolute, entry.name)) continue;
        const real = await realpath(absolute).catch(() => absolute);
        // A folder that is, or contains, one already being walked would be walked forever.
        if ([...visited].some((entered) => entered === real || entered.startsWith(`${real}${path.sep}`))) {
          fileProblem(absolute, 'symlink-loop', 'this folder links back to a folder that contains it');
          continue;
        }
        await walk(absolute, new Set([...visited, real]), onFile, onDirectory);
      } else if (isFile) {
        onFile(absolute, entry.name);
      }
    }
  }

  const postsDir = path.join(absoluteContent, 'posts');
  if (await isDirectory(postsDir)) {
    await walk(
      postsDir,
      new Set([await realpath(postsDir)]),
      (absolute, name) => {
        if (name.endsWith('.md'))
          found.push({ kind: 'post', absolute, file: relative(absolute), id: name.slice(0, -3) });
      },
      (absolute, name) => {
        if (name.endsWith('.md')) {
          fileProblem(absolute, 'not-a-file', 'this is a folder named like a post: a post must be a file');
          return false;
        }
        return true;
      },
    );
  }

  const commentsDir = path.join(absoluteContent, 'comments');
  if (await isDirectory(commentsDir)) {
    const postFolders = await readdir(commentsDir, { withFileTypes: true }).catch(() => []);
    postFolders.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const folder of postFolders) {
      const folderPath = path.join(commentsDir, folder.name);
      if (!(await isDirectory(folderPath))) {
        if (folder.name.endsWith('.md')) {
          fileProblem(folderPath, 'misplaced-comment', 'a comment belongs in comments/<post-slug>/<id>.md');
        }
        continue;
      }
      await walk(
        folderPath,
        new Set([await realpath(folderPath).catch(() => folderPath)]),
        (absolute, name) => {
          if (!name.endsWith('.md')) return;
          if (path.dirname(absolute) !== folderPath) {
            fileProblem(absolute, 'misplaced-comment', 'a comment belongs in comments/<post-slug>/<id>.md');
            return;
          }
          found.push({
            kind: 'comment',
            absolute,
            file: relative(absolute),
            postSlug: folder.name,
            id: name.slice(0, -3),
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
  if (await isDirectory(authorsDir)) {
    const entries = await readdir(authorsDir, { withFileTypes: true }).catch(() => []);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const match = /^(.+)\.ya?ml$/.exec(entry.name);
      if (!match) continue;
      const absolute = path.join(authorsDir, entry.name);
      found.push({ kind: 'author', absolute, file: relative(absolute), id: match[1]! });
    }
  }

  const files: SourceFile[] = [];
  const READ_CONCURRENCY = 64;
  for (let start = 0; start < found.length; start += READ_CONCURRENCY) {
    const batch = found.slice(start, start + READ_CONCURRENCY);
    const read = await Promise.all(batch.map((entry) => readSource(entry)));
    for (const result of read) {
      if ('bytes' in result) files.push(result);
      else diagnostics.push(result);
    }
  }
  return { files, diagnostics };

  async function readSource(entry: Found): Promise<SourceFile | Diagnostic> {
    const problem = (code: string, message: string): Diagnostic => ({
      file: entry.file,
      line: 1,
      column: 1,
      severity: 'error',
      code,
      message,
    });
    try {
      const info = await lstat(entry.absolute).then((link) =>
        link.isSymbolicLink() ? stat(entry.absolute) : link,
      );
      if (!info.isFile()) return problem('not-a-file', 'not a regular file');
      if (info.size > MAX_FILE_BYTES) {
        return problem(
          'file-too-large',
          `file is ${info.size} bytes; the limit is ${MAX_FILE_BYTES} bytes (${MAX_FILE_BYTES / 1024 / 1024} MiB)`,
        );
      }
      const bytes = await readFile(entry.absolute);
      return { kind: entry.kind, file: entry.file, id: entry.id, postSlug: entry.postSlug, bytes };
    } catch (error) {
      return problem(
        'unreadable-file',
        `cannot read file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      );
    }
  }
}

async function isDirectory(absolute: string): Promise<boolean> {
  return stat(absolute)
    .then((info) => info.isDirectory())
    .catch(() => false);
}
