import { stringify } from 'yaml';

/** A comment the intake accepted, as a store receives it. Every field is already validated. */
export interface NewComment {
  /** The id to create it under (time-sortable, see {@link newCommentId}). */
  id: string;
  /** The post's slug: the folder of the comment. */
  post: string;
  /** The id of the approved comment it replies to. */
  parent?: string;
  /** The visitor: a plain-text name, an optional email (never published) and http(s) url. */
  author: { name: string; email?: string; url?: string };
  /** When it was received, RFC 3339. */
  date: string;
  /** The markdown the visitor wrote (line feeds only, no control characters). */
  body: string;
}

/**
 * Where accepted comments go. The handler calls `create` once per accepted comment, and answers
 * the visitor only after the promise settles: a store resolves once the comment is durable.
 * A store must never overwrite: when `comment.id` is taken it rejects with an error whose `code`
 * is `'EEXIST'` (the handler then retries once with a new id).
 *
 * @example
 * ```ts
 * const store: CommentStore = {
 *   async create(comment) {
 *     await kv.put(`comments/${comment.post}/${comment.id}.md`, commentFileText(comment));
 *   },
 * };
 * ```
 */
export interface CommentStore {
  create(comment: NewComment): Promise<void>;
}

/**
 * The text of a comment file (`content/comments/<post>/<id>.md`) with `status: pending`: YAML
 * front matter (`author`, `date`, `parent`, `status`), then the body. The YAML is written by a
 * YAML library, so no name or URL can break out of its value.
 *
 * @example
 * ```ts
 * commentFileText({ id: 'x', post: 'hello', author: { name: 'Ann' }, date: '2024-01-02T10:00:00.000Z', body: 'Hi!' });
 * // '---\nauthor:\n  name: Ann\ndate: 2024-01-02T10:00:00.000Z\nstatus: pending\n---\nHi!\n'
 * ```
 */
export function commentFileText(comment: NewComment): string {
  const author: Record<string, string> = { name: comment.author.name };
  if (comment.author.url !== undefined) author.url = comment.author.url;
  if (comment.author.email !== undefined) author.email = comment.author.email;
  const front: Record<string, unknown> = { author, date: comment.date };
  if (comment.parent !== undefined) front.parent = comment.parent;
  front.status = 'pending';
  const yaml = stringify(front, { lineWidth: 0 });
  const body = comment.body.endsWith('\n') ? comment.body : `${comment.body}\n`;
  return `---\n${yaml}---\n${body}`;
}
