import type { Diagnostic } from '../diagnostics/diagnostic';
import type { CommentStatus } from '../schema/content';
import { ATOM_NS, atomAuthor, atomHtml, atomLink, atomText } from './atom';
import { exportDate } from './dates';
import type { ExportReader, ImportedComment, ImportSink } from './model';
import { wrongRootDiagnostic, xmlProblemDiagnostics } from './problems';
import { child, children, childText, streamXml, type XmlElement } from './xml-stream';

const BLOGGER_NS = 'http://schemas.google.com/blogger/2018';
const THREAD_NS = 'http://purl.org/syndication/thread/1.0';
const KIND_SCHEME = 'http://schemas.google.com/g/2005#kind';

/** `tag:blogger.com,1999:blog-1.post-456` → `456`; other ids as they are. */
function bloggerId(id: string): string {
  return /\.post-(\d+)$/.exec(id)?.[1] ?? /(\d+)\/?$/.exec(id)?.[1] ?? id;
}

const POST_STATUS: Record<string, 'published' | 'draft' | 'skip'> = {
  LIVE: 'published',
  SCHEDULED: 'published',
  DRAFT: 'draft',
  SOFT_TRASHED: 'skip',
  DELETED: 'skip',
};

const COMMENT_STATUS: Record<string, CommentStatus> = {
  LIVE: 'approved',
  PENDING: 'pending',
  DRAFT: 'pending',
  SPAM: 'spam',
  SPAM_COMMENT: 'spam',
  SOFT_TRASHED: 'trash',
  TRASHED: 'trash',
  DELETED: 'trash',
};

/** What an entry is: a classic export says it in a `kind#` category, Takeout in `blogger:type`. */
function kindOf(entry: XmlElement): string {
  const type = childText(entry, 'type', BLOGGER_NS);
  if (type) return type.toLowerCase();
  for (const category of children(entry, 'category', ATOM_NS)) {
    if (category.attributes.scheme === KIND_SCHEME)
      return /#(\w+)$/.exec(category.attributes.term ?? '')?.[1] ?? '';
  }
  return '';
}

function labels(entry: XmlElement): string[] {
  return children(entry, 'category', ATOM_NS)
    .filter((category) => category.attributes.scheme !== KIND_SCHEME && category.attributes.term)
    .map((category) => (category.attributes.term as string).trim())
    .filter((term) => term !== '');
}

function readPost(entry: XmlElement, kind: 'post' | 'page', sink: ImportSink): void {
  const id = bloggerId(childText(entry, 'id', ATOM_NS) ?? `${entry.line}`);
  const title = atomText(child(entry, 'title', ATOM_NS));
  const what = `${kind} ${id}${title ? ` "${title}"` : ''}`;
  const status = childText(entry, 'status', BLOGGER_NS);
  let draft = false;
  if (status !== undefined) {
    const mapped = POST_STATUS[status] ?? 'skip';
    if (mapped === 'skip') {
      sink.skip(entry, what, `its status is ${status}`);
      return;
    }
    draft = mapped === 'draft';
  }
  const control = child(entry, 'control');
  if (control && childText(control, 'draft') === 'yes') draft = true;
  const author = atomAuthor(entry);
  if (author)
    sink.author({ sourceId: author.name, name: author.name, ...(author.url ? { url: author.url } : {}) });
  const filename = childText(entry, 'filename', BLOGGER_NS);
  const content = child(entry, 'content', ATOM_NS);
  sink.post({
    kind,
    sourceId: id,
    title,
    date:
      exportDate(childText(entry, 'published', ATOM_NS)) ??
      exportDate(childText(entry, 'created', BLOGGER_NS)),
    updated: exportDate(childText(entry, 'updated', ATOM_NS)),
    link: filename || atomLink(entry, 'alternate'),
    html: content ? atomHtml(content) : '',
    draft,
    tags: [...new Set(labels(entry))],
    authors: author ? [author.name] : [],
    place: entry,
  });
}

function readComment(
  entry: XmlElement,
  sink: ImportSink,
): { postId: string; comment: ImportedComment } | undefined {
  const id = bloggerId(childText(entry, 'id', ATOM_NS) ?? `${entry.line}`);
  // Takeout: blogger:parent is the post, blogger:inReplyTo the comment replied to. Classic: the
  // thr:in-reply-to ref is the post, a `related` link the comment replied to.
  const postRef =
    childText(entry, 'parent', BLOGGER_NS) ?? child(entry, 'in-reply-to', THREAD_NS)?.attributes.ref;
  if (!postRef) {
    sink.skip(entry, `comment ${id}`, 'it does not say which post it is on');
    return undefined;
  }
  const status = childText(entry, 'status', BLOGGER_NS);
  const mapped = status === undefined ? 'approved' : COMMENT_STATUS[status];
  if (mapped === undefined) {
    sink.skip(entry, `comment ${id}`, `its status ${status} is not one broadsheet knows`);
    return undefined;
  }
  const inReplyTo = childText(entry, 'inReplyTo', BLOGGER_NS) ?? atomLink(entry, 'related');
  const author = atomAuthor(entry);
  const content = child(entry, 'content', ATOM_NS);
  const comment: ImportedComment = {
    sourceId: id,
    author: { name: author?.name ?? 'Anonymous', ...(author?.url ? { url: author.url } : {}) },
    html: content ? atomHtml(content) : '',
    status: mapped,
    place: entry,
  };
  const date =
    exportDate(childText(entry, 'published', ATOM_NS)) ?? exportDate(childText(entry, 'created', BLOGGER_NS));
  if (date !== undefined) comment.date = date;
  if (inReplyTo) comment.parentSourceId = bloggerId(inReplyTo);
  return { postId: bloggerId(postRef), comment };
}

/**
 * Reads a Blogger export, streaming: the classic export (Settings → Back up content: `kind#post`,
 * `kind#page` and `kind#comment` categories, `thr:in-reply-to`, `app:draft`, labels as categories)
 * and the Takeout `feed.atom` (`blogger:type`, `blogger:status`, `blogger:parent`,
 * `blogger:inReplyTo`, `blogger:filename`). Comments are held until the end of the file (a post's
 * comments may come before or after it): memory grows with the comments' text, not the posts'.
 *
 * @example
 * ```ts
 * const diagnostics = await readBlogger('feed.atom', 'feed.atom', writer, { pingbacks: false });
 * ```
 */
export const readBlogger: ExportReader = async (file, displayName, sink) => {
  let rootProblem: Diagnostic | undefined;
  const comments = new Map<string, ImportedComment[]>();
  const problem = await streamXml(file, 1, {
    root: (root) => {
      if (root.local !== 'feed' || root.uri !== ATOM_NS)
        rootProblem = wrongRootDiagnostic(displayName, root, 'a Blogger export (an Atom <feed>)');
    },
    record: (entry) => {
      if (rootProblem || entry.local !== 'entry') return;
      const kind = kindOf(entry);
      if (kind === 'post' || kind === 'page') readPost(entry, kind, sink);
      else if (kind === 'comment') {
        const found = readComment(entry, sink);
        if (found) {
          const list = comments.get(found.postId);
          if (list) list.push(found.comment);
          else comments.set(found.postId, [found.comment]);
        }
      }
      // Settings and the template are the old blog's, not content.
    },
    progress: (bytes) => sink.progress(bytes),
  });
  for (const [postId, list] of comments) sink.comments(postId, list);
  return [...(rootProblem ? [rootProblem] : []), ...xmlProblemDiagnostics(problem, displayName)];
};
