import { link, mkdir, open, unlink } from 'node:fs/promises';
import path from 'node:path';
import { type CommentStore, commentFileText } from '../comments/store';
import { BroadsheetError } from '../errors';
import { COMMENT_ID_PATTERN, SLUG_PATTERN } from '../schema/content';

/**
 * The built-in {@link CommentStore}: writes `<folder>/<post>/<id>.md` (the folder is the site's
 * `content/comments`) with `status: pending`. Atomic (the text goes to a hidden temporary file
 * that is then hard-linked to its name, so the file never exists half-written), never
 * overwriting (the link fails with `EEXIST` when the name is taken), and durable: the promise
 * resolves only after the file and its folder (and any folder it created) are synced to disk.
 *
 * @example
 * ```ts
 * import { createFileCommentStore } from 'broadsheet';
 * const store = createFileCommentStore({ folder: 'content/comments' });
 * ```
 */
export function createFileCommentStore(options: { folder: string }): CommentStore {
  const folder = path.resolve(options.folder);
  return {
    async create(comment) {
      if (!SLUG_PATTERN.test(comment.post) || !COMMENT_ID_PATTERN.test(comment.id)) {
        throw new BroadsheetError('invalid-argument', `not a comment path: ${comment.post}/${comment.id}`);
      }
      const postFolder = path.join(folder, comment.post);
      const created = await mkdir(postFolder, { recursive: true });
      const file = path.join(postFolder, `${comment.id}.md`);
      const temporary = path.join(postFolder, `.${comment.id}.${Math.random().toString(36).slice(2)}.tmp`);
      const handle = await open(temporary, 'wx', 0o644);
      try {
        await handle.writeFile(commentFileText(comment), 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      try {
        await link(temporary, file);
      } finally {
        await unlink(temporary);
      }
      await syncFolder(postFolder);
      // A folder that mkdir made is an entry of its parent: sync each parent up to the first one
      // that existed before.
      if (created !== undefined) {
        for (let at = postFolder; at !== path.dirname(created); at = path.dirname(at)) {
          await syncFolder(path.dirname(at));
        }
      }
    },
  };
}

async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
