import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { isMap, isScalar, parseDocument } from 'yaml';
import { parseFrontMatterFile } from '../parse/parse';
import { COMMENT_ID_PATTERN, type CommentStatus, commentStatuses, SLUG_PATTERN } from '../schema/content';

/** One comment file as `broadsheet comments list` shows it. */
export interface CommentListing {
  /** `<post>/<id>`, what the other `comments` commands take. */
  ref: string;
  post: string;
  id: string;
  /** The file relative to the site root, `/`-separated. */
  file: string;
  /** The front matter's `status` (default `approved`), or `invalid` when the file does not parse. */
  status: CommentStatus | 'invalid';
  date: string | null;
  author: string | null;
  parent: string | null;
  /** The body's first 80 characters on one line. */
  excerpt: string;
}

/**
 * Every comment file under `<root>/<content>/comments`, oldest first (by date, then ref). Files
 * that do not parse are listed with status `invalid` (`broadsheet check` says why).
 */
export async function listCommentFiles(root: string, content: string): Promise<CommentListing[]> {
  const folder = path.join(root, content, 'comments');
  const posts = await readdir(folder, { withFileTypes: true }).catch(() => []);
  const listings: CommentListing[] = [];
  for (const post of posts) {
    if (!post.isDirectory() || !SLUG_PATTERN.test(post.name)) continue;
    const names = await readdir(path.join(folder, post.name)).catch(() => [] as string[]);
    for (const name of names) {
      const id = name.slice(0, -3);
      if (!name.endsWith('.md') || !COMMENT_ID_PATTERN.test(id)) continue;
      const file = path.join(folder, post.name, name);
      const text = await readFile(file, 'utf8').catch(() => undefined);
      listings.push(describe(root, file, post.name, id, text));
    }
  }
  return listings.sort(
    (a, b) => (a.date ?? '').localeCompare(b.date ?? '') || (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0),
  );
}

function describe(
  root: string,
  file: string,
  post: string,
  id: string,
  text: string | undefined,
): CommentListing {
  const base = {
    ref: `${post}/${id}`,
    post,
    id,
    file: path.relative(root, file).split(path.sep).join('/'),
  };
  const parsed = text === undefined ? undefined : parseFrontMatterFile(file, text.replace(/\r\n?/g, '\n'));
  if (!parsed || !('parsed' in parsed)) {
    return { ...base, status: 'invalid', date: null, author: null, parent: null, excerpt: '' };
  }
  const { data, body } = parsed.parsed;
  const status = (commentStatuses as readonly unknown[]).includes(data.status ?? 'approved')
    ? ((data.status ?? 'approved') as CommentStatus)
    : 'invalid';
  const author = typeof data.author === 'string' ? data.author : (data.author as { name?: unknown })?.name;
  const date = data.date instanceof Date ? data.date.toISOString() : data.date;
  const oneLine = body.replace(/\s+/g, ' ').trim();
  return {
    ...base,
    status,
    date: typeof date === 'string' ? date : null,
    author: typeof author === 'string' ? author : null,
    parent: typeof data.parent === 'string' ? data.parent : null,
    excerpt: oneLine.length > 80 ? `${oneLine.slice(0, 79)}…` : oneLine,
  };
}

/**
 * A comment file's text with its front matter's `status` set to `status`, everything else kept
 * byte for byte (other keys, comments, quoting, line endings, the body). When the front matter
 * has no `status`, a `status:` line is added at its end. `undefined` when the text has no front
 * matter mapping to edit.
 *
 * @example
 * ```ts
 * withStatus('---\nauthor: Ann # hi\nstatus: pending\n---\nBody\n', 'approved');
 * // '---\nauthor: Ann # hi\nstatus: approved\n---\nBody\n'
 * ```
 */
export function withStatus(text: string, status: CommentStatus): string | undefined {
  const opening = /^\uFEFF?---[ \t]*\r?\n/.exec(text);
  if (!opening) return undefined;
  const start = opening[0].length;
  const closing = /^(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/m;
  closing.lastIndex = 0;
  const rest = text.slice(start);
  const match = closing.exec(rest);
  if (!match) return undefined;
  const yamlText = rest.slice(0, match.index);
  const document = parseDocument(yamlText, { uniqueKeys: true });
  if (document.errors.length > 0 || !isMap(document.contents)) return undefined;
  for (const pair of document.contents.items) {
    if (!isScalar(pair.key) || pair.key.value !== 'status') continue;
    if (!isScalar(pair.value) || !pair.value.range) return undefined;
    const [from, to] = pair.value.range;
    return text.slice(0, start + from) + status + text.slice(start + to);
  }
  const newline = opening[0].endsWith('\r\n') ? '\r\n' : '\n';
  const separator = yamlText === '' || yamlText.endsWith('\n') ? '' : newline;
  return `${text.slice(0, start + match.index)}${separator}status: ${status}${newline}${text.slice(start + match.index)}`;
}
