import { compareText } from '../common/text';
import type { CommentFrontMatter } from '../schema/content';
import { isHttpUrl } from '../schema/urls';
import type { Comment } from './types';

/** A comment as loaded and validated, before it is published. */
export interface LoadedComment {
  id: string;
  /** The comment's file, relative to the site root. */
  file: string;
  date: Date;
  /** `approved`, `pending`, `spam` or `trash` (`approved` when the front matter has none). */
  status: string;
  data: Record<string, unknown> & CommentFrontMatter;
}

/** One comment of a thread: its published parent (if any) and its depth (0 for a top-level comment). */
export interface ThreadEntry<C extends LoadedComment = LoadedComment> {
  comment: C;
  parent: string | undefined;
  depth: number;
}

/**
 * A post's approved comments, oldest first (then by id), each with its published parent and depth.
 * A reply whose parent is not published hangs from its nearest published ancestor. `byId` holds
 * every valid comment of the post (the cross-file checks ensured the parents form no cycle).
 *
 * @example
 * ```ts
 * approvedThread(commentsByPost.get('hello')); // [{ comment, parent: undefined, depth: 0 }, …]
 * ```
 */
export function approvedThread<C extends LoadedComment>(byId: Map<string, C> | undefined): ThreadEntry<C>[] {
  if (!byId) return [];
  const approved = new Map([...byId].filter(([, comment]) => comment.status === 'approved'));
  const publishedParent = (comment: C): string | undefined => {
    let parent = comment.data.parent;
    while (parent !== undefined && !approved.has(parent)) parent = byId.get(parent)?.data.parent;
    return parent;
  };
  const ordered = [...approved.values()].sort(
    (a, b) => a.date.getTime() - b.date.getTime() || compareText(a.id, b.id),
  );
  const depths = new Map<string, number>();
  const depthOf = (comment: C): number => {
    const known = depths.get(comment.id);
    if (known !== undefined) return known;
    const parent = publishedParent(comment);
    const depth = parent === undefined ? 0 : depthOf(approved.get(parent)!) + 1;
    depths.set(comment.id, depth);
    return depth;
  };
  return ordered.map((comment) => ({ comment, parent: publishedParent(comment), depth: depthOf(comment) }));
}

/**
 * A post's published comments from its approved thread; `nextHtml` gives each one's rendered HTML
 * in order. The visitor's email never leaves the loader, a URL that is not http(s) is dropped, and
 * the name is the same plain text everywhere ({@link plainName}, `Anonymous` when empty).
 */
export function publishComments(
  postSlug: string,
  thread: readonly ThreadEntry[],
  postUrl: string,
  nextHtml: () => string,
): Comment[] {
  const result: Comment[] = [];
  for (const { comment, parent, depth } of thread) {
    const author = comment.data.author;
    const name = plainName(typeof author === 'string' ? author : author.name) || 'Anonymous';
    const url = typeof author === 'object' && author.url && isHttpUrl(author.url) ? author.url : undefined;
    const html = nextHtml();
    const { author: _author, ...rest } = comment.data;
    const data = { ...rest, author: typeof author === 'string' ? name : url ? { name, url } : { name } };
    result.push({
      id: comment.id,
      postSlug,
      parent,
      depth,
      author: url ? { name, url } : { name },
      date: comment.date,
      html,
      url: `${postUrl}#comment-${comment.id}`,
      file: comment.file,
      data: data as CommentFrontMatter,
    });
  }
  return result;
}

/**
 * A visitor's name as plain text: tags stripped as WordPress does, white space collapsed.
 *
 * @example
 * ```ts
 * plainName('<b>Ada</b>\n Lovelace'); // 'Ada Lovelace'
 * ```
 */
export function plainName(name: string): string {
  return name
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<[^>]*>?/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
