import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { slug as githubSlug } from 'github-slugger';
import { stringify } from 'yaml';
import type { DiagnosticCode } from '../diagnostics/codes';
import { type Diagnostic, diagnostic } from '../diagnostics/diagnostic';
import { isAliasPath } from '../schema/aliases';
import { COMMENT_ID_PATTERN, type CommentStatus, commentStatuses } from '../schema/content';
import { isHttpUrl } from '../schema/urls';
import { slugify } from '../site/slugify';
import { htmlToMarkdown, htmlToText } from './html-to-markdown';
import type { ImportedAuthor, ImportedComment, ImportedPost, ImportSink, SourcePlace } from './model';
import { aliasFor } from './permalinks';

/** What happened, or would happen, to one file of an import. */
export type FileAction = 'write' | 'unchanged' | 'kept';

/** One file an import writes (or would write, with `--dry-run`). */
export interface ImportedFile {
  /** Relative to the site root, `/`-separated. */
  path: string;
  /** `write`: new; `unchanged`: already there, same bytes; `kept`: already there, different, not touched. */
  action: FileAction;
}

/** The counts an import ends with. */
export interface ImportSummary {
  posts: number;
  /** Of `posts`, how many are drafts (`draft: true`). */
  drafts: number;
  pages: number;
  comments: Record<CommentStatus, number>;
  authors: number;
  tags: number;
  /** Redirects recorded (old paths in `aliases`). */
  redirects: number;
  /** URLs of the files the old blog hosted (not downloaded). */
  attachments: string[];
  /** Items of the export not imported; each has a diagnostic with the reason. */
  skipped: number;
  files: Record<FileAction, number>;
}

/** Options of {@link ImportWriter}. */
export interface ImportWriterOptions {
  /** The site root (absolute). */
  root: string;
  /** The content folder, relative to the root (`content`). */
  contentDir: string;
  /** The export's name as diagnostics show it. */
  exportName: string;
  /** Write nothing; list what would be written. */
  dryRun: boolean;
}

interface PostRecord {
  slug: string;
  kind: 'post' | 'page';
  date: string;
  title: string;
}

/** At most this many characters of a title (the schema's limit). */
const MAX_TITLE = 300;

/**
 * Makes the items a reader finds into site files (posts, pages, comments, author profiles) and writes
 * them as they come, never over an existing file: a file already there with the same bytes is
 * `unchanged`, with other bytes `kept` (and reported). It fixes what the content format cannot hold
 * and says so in a warning: an empty title, a slug taken twice, a comment dated before its post, a
 * reply to a comment that is not imported. Memory holds a few facts per post (slug, date, tags), not
 * the posts.
 *
 * @example
 * ```ts
 * const writer = new ImportWriter({ root, contentDir: 'content', exportName: 'export.xml', dryRun: false });
 * const problems = await readWordpress(file, 'export.xml', writer, { pingbacks: false });
 * console.log(writer.summary(), writer.diagnostics);
 * ```
 */
export class ImportWriter implements ImportSink {
  readonly diagnostics: Diagnostic[] = [];
  readonly files: ImportedFile[] = [];
  private readonly options: ImportWriterOptions;
  private readonly posts = new Map<string, PostRecord>();
  /** Post and page slugs (pages as `page:<path>`) to the file that owns them. */
  private readonly taken = new Map<string, string>();
  /** Tag slug → the display name first seen: two names with one slug would be a `tag-collision`. */
  private readonly tags = new Map<string, string>();
  /** Author source id → profile id. */
  private readonly authorIds = new Map<string, string>();
  private readonly authorFiles = new Set<string>();
  private readonly pendingComments = new Map<string, { comments: ImportedComment[] }>();
  private readonly counts = {
    posts: 0,
    drafts: 0,
    pages: 0,
    redirects: 0,
    skipped: 0,
    comments: Object.fromEntries(commentStatuses.map((status) => [status, 0])) as Record<
      CommentStatus,
      number
    >,
    files: { write: 0, unchanged: 0, kept: 0 } as Record<FileAction, number>,
  };
  private readonly attachments: string[] = [];
  /** Called after each chunk of the export with the bytes read and the posts so far. */
  onProgress: ((bytesRead: number, posts: number) => void) | undefined;

  constructor(options: ImportWriterOptions) {
    this.options = options;
    this.scanExistingSlugs();
  }

  author(author: ImportedAuthor): void {
    if (this.authorIds.has(author.sourceId)) return;
    const id = this.uniqueAuthorId(author.slug ?? author.sourceId);
    this.authorIds.set(author.sourceId, id);
    const profile: Record<string, string> = { name: author.name.trim() || author.sourceId };
    if (author.url && isHttpUrl(author.url)) profile.url = author.url;
    if (author.avatar && isHttpUrl(author.avatar)) profile.avatar = author.avatar;
    if (author.bio?.trim()) profile.bio = author.bio.trim();
    this.writeFile(`authors/${id}.yaml`, stringify(profile, { lineWidth: 0 }));
  }

  post(post: ImportedPost, comments: ImportedComment[] = []): void {
    const date = post.date;
    const what = `${post.kind} "${post.title.trim() || post.sourceId}"`;
    if (date === undefined) {
      this.skip(post.place, what, 'it has no date');
      if (comments.length > 0)
        this.skip(post.place, `${comments.length} comments of ${what}`, 'their post is not imported');
      return;
    }
    const title = this.title(post);
    const { slug, alias } = this.place(post);
    const frontMatter: Record<string, unknown> = { title, date };
    if (post.updated && Date.parse(post.updated) > Date.parse(date)) frontMatter.updated = post.updated;
    if (post.kind === 'post') {
      const tags = this.tagNames(post);
      if (tags.length > 0) frontMatter.tags = tags;
      const authors = post.authors.map((sourceId) => this.authorId(sourceId));
      if (authors.length > 0) frontMatter.authors = [...new Set(authors)];
    }
    if (post.draft) frontMatter.draft = true;
    if (post.commentsClosed && post.kind === 'post') frontMatter.comments = false;
    const summary = post.summary === undefined ? '' : htmlToText(post.summary);
    if (summary !== '') frontMatter.summary = summary;
    if (post.image && (isHttpUrl(post.image) || post.image.startsWith('/'))) frontMatter.image = post.image;
    if (alias !== undefined) {
      frontMatter.aliases = [alias];
      this.counts.redirects += 1;
    }
    const body = htmlToMarkdown(post.html, 'post');
    const text = `---\n${stringify(frontMatter, { lineWidth: 0 })}---\n\n${body}`;
    const file = post.kind === 'post' ? `posts/${date.slice(0, 10)}-${slug}.md` : `pages/${slug}.md`;
    this.writeFile(file, text);
    if (post.kind === 'post') {
      this.counts.posts += 1;
      if (post.draft) this.counts.drafts += 1;
    } else {
      this.counts.pages += 1;
    }
    this.posts.set(post.sourceId, { slug, kind: post.kind, date, title });
    const pending = this.pendingComments.get(post.sourceId);
    if (pending) {
      this.pendingComments.delete(post.sourceId);
      comments = [...pending.comments, ...comments];
    }
    if (comments.length > 0) this.comments(post.sourceId, comments);
  }

  comments(postSourceId: string, comments: ImportedComment[]): void {
    const post = this.posts.get(postSourceId);
    if (!post) {
      // The post may come later in the file; whatever is still waiting at the end is reported by `finish`.
      const pending = this.pendingComments.get(postSourceId) ?? { comments: [] };
      pending.comments.push(...comments);
      this.pendingComments.set(postSourceId, pending);
      return;
    }
    if (post.kind === 'page') {
      for (const comment of comments)
        this.skip(
          comment.place,
          `comment ${comment.sourceId}`,
          `it is on the page "${post.title}" (pages have no comments)`,
        );
      return;
    }
    const ids = new Map<string, string>();
    const used = new Set<string>();
    for (const comment of comments) {
      let id = comment.sourceId.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'comment';
      if (!COMMENT_ID_PATTERN.test(id)) id = 'comment';
      const base = id;
      for (let n = 2; used.has(id); n += 1) id = `${base}-${n}`;
      used.add(id);
      ids.set(comment.sourceId, id);
    }
    const parents = new Map<string, string | undefined>();
    for (const comment of comments) {
      const parent = comment.parentSourceId;
      if (parent === undefined || parent === '' || parent === '0') continue;
      if (!ids.has(parent)) {
        this.warn(
          comment.place,
          'import-missing-parent',
          `comment ${comment.sourceId} replies to comment ${parent}, which is not imported: it becomes a top-level comment`,
        );
        continue;
      }
      parents.set(comment.sourceId, parent);
    }
    // A reply chain that loops (no export should have one) is cut where it closes.
    for (const comment of comments) {
      const seen = new Set([comment.sourceId]);
      for (let at = parents.get(comment.sourceId); at !== undefined; at = parents.get(at)) {
        if (seen.has(at)) {
          parents.delete(comment.sourceId);
          this.warn(
            comment.place,
            'import-parent-cycle',
            `comment ${comment.sourceId} is part of a loop of replies: it becomes a top-level comment`,
          );
          break;
        }
        seen.add(at);
      }
    }
    for (const comment of comments) {
      const id = ids.get(comment.sourceId) as string;
      let date = comment.date ?? post.date;
      if (comment.date === undefined)
        this.warn(
          comment.place,
          'import-comment-date',
          `comment ${comment.sourceId} has no date: it takes its post's date`,
        );
      else if (Date.parse(comment.date) < Date.parse(post.date)) {
        this.warn(
          comment.place,
          'import-comment-date',
          `comment ${comment.sourceId} is dated ${comment.date}, before its post (${post.date}): it takes its post's date`,
        );
        date = post.date;
      }
      if (!/T/.test(date)) date = `${date}T00:00:00Z`;
      const name = htmlToText(comment.author.name) || 'Anonymous';
      const author: Record<string, string> = { name };
      if (comment.author.url && isHttpUrl(comment.author.url)) author.url = comment.author.url;
      if (comment.author.email?.trim()) author.email = comment.author.email.trim();
      const frontMatter: Record<string, unknown> = {
        author: Object.keys(author).length === 1 ? name : author,
        date,
      };
      const parent = parents.get(comment.sourceId);
      if (parent !== undefined) frontMatter.parent = ids.get(parent);
      frontMatter.status = comment.status;
      const body = htmlToMarkdown(comment.html, 'comment');
      this.writeFile(
        `comments/${post.slug}/${id}.md`,
        `---\n${stringify(frontMatter, { lineWidth: 0 })}---\n\n${body}`,
      );
      this.counts.comments[comment.status] += 1;
    }
  }

  skip(place: SourcePlace, what: string, reason: string): void {
    this.counts.skipped += 1;
    this.warn(place, 'import-skipped', `${what} is not imported: ${reason}`);
  }

  note(place: SourcePlace, code: DiagnosticCode, message: string): void {
    this.warn(place, code, message);
  }

  attachment(url: string): void {
    this.attachments.push(url);
  }

  progress(bytesRead: number): void {
    this.onProgress?.(bytesRead, this.counts.posts + this.counts.pages);
  }

  /** Reports the comments whose post never came. Call once the reader is done. */
  finish(): void {
    for (const [postSourceId, { comments }] of this.pendingComments) {
      for (const comment of comments)
        this.skip(comment.place, `comment ${comment.sourceId}`, `its post (${postSourceId}) is not imported`);
    }
    this.pendingComments.clear();
  }

  /** The counts so far. */
  summary(): ImportSummary {
    return {
      posts: this.counts.posts,
      drafts: this.counts.drafts,
      pages: this.counts.pages,
      comments: { ...this.counts.comments },
      authors: this.authorFiles.size,
      tags: this.tags.size,
      redirects: this.counts.redirects,
      attachments: [...this.attachments],
      skipped: this.counts.skipped,
      files: { ...this.counts.files },
    };
  }

  private warn(place: SourcePlace, code: DiagnosticCode, message: string): void {
    this.diagnostics.push(
      diagnostic({ code, file: this.options.exportName, line: place.line, column: place.column, message }),
    );
  }

  private title(post: ImportedPost): string {
    let title = post.title.trim();
    if (title === '') {
      const words = htmlToText(post.html).split(/\s+/).filter(Boolean).slice(0, 8).join(' ');
      title = words === '' ? `Untitled ${post.kind}` : `${words}…`;
      this.warn(
        post.place,
        'import-empty-title',
        `${post.kind} ${post.sourceId} has no title: it is titled "${title}"`,
      );
    }
    if (title.length > MAX_TITLE) {
      title = `${title.slice(0, MAX_TITLE - 1).trimEnd()}…`;
      this.warn(
        post.place,
        'import-long-title',
        `the title of ${post.kind} ${post.sourceId} is cut to ${MAX_TITLE} characters`,
      );
    }
    return title;
  }

  /** The slug (for a page, its path) and the old path to redirect from, if it differs from the new one. */
  private place(post: ImportedPost): { slug: string; alias?: string } {
    const { slug: wanted, oldPath } = aliasFor(post);
    let slug = wanted || slugify(post.title);
    if (slug === 'post' || slug === '') slug = `${post.kind}-${slugify(post.sourceId)}`;
    const base = slug;
    const key = (candidate: string) => (post.kind === 'post' ? candidate : `page:${candidate}`);
    const fileOf = (candidate: string) =>
      post.kind === 'post' ? `posts/${post.date?.slice(0, 10)}-${candidate}.md` : `pages/${candidate}.md`;
    for (let n = 2; ; n += 1) {
      const owner = this.taken.get(key(slug));
      if (owner === undefined || owner === fileOf(slug)) break;
      slug = `${base}-${n}`;
    }
    if (slug !== base)
      this.warn(
        post.place,
        'import-duplicate-slug',
        `the slug "${base}" is taken: ${post.kind} ${post.sourceId} gets "${slug}"`,
      );
    this.taken.set(key(slug), `${fileOf(slug)}#imported`);
    const newPath = post.kind === 'post' ? `/posts/${slug}/` : `/${slug}/`;
    if (oldPath === undefined || oldPath === newPath) return { slug };
    if (!isAliasPath(oldPath)) {
      this.warn(
        post.place,
        'import-no-redirect',
        `the old path ${oldPath} of ${post.kind} ${post.sourceId} cannot be a redirect (it has a space, ?, # or a dot segment)`,
      );
      return { slug };
    }
    return { slug, alias: oldPath };
  }

  private tagNames(post: ImportedPost): string[] {
    const names: string[] = [];
    for (const raw of post.tags) {
      const name = raw.replace(/\s+/g, ' ').trim();
      const slug = githubSlug(name);
      if (slug === '') {
        this.warn(
          post.place,
          'import-skipped-tag',
          `the tag "${name}" has no letters or digits: it is left out`,
        );
        continue;
      }
      const known = this.tags.get(slug);
      if (known === undefined) this.tags.set(slug, name);
      const canonical = known ?? name;
      if (!names.includes(canonical)) names.push(canonical);
    }
    return names;
  }

  private authorId(sourceId: string): string {
    const known = this.authorIds.get(sourceId);
    if (known !== undefined) return known;
    this.author({ sourceId, name: sourceId });
    return this.authorIds.get(sourceId) as string;
  }

  private uniqueAuthorId(wanted: string): string {
    const base = slugify(wanted) === 'post' ? 'author' : slugify(wanted);
    let id = base;
    for (let n = 2; this.authorFiles.has(id); n += 1) id = `${base}-${n}`;
    this.authorFiles.add(id);
    return id;
  }

  /** Writes `relative` (under the content folder) unless a file is there already. */
  private writeFile(relative: string, text: string): void {
    const sitePath = path.posix.join(this.options.contentDir, relative);
    const absolute = path.join(this.options.root, ...sitePath.split('/'));
    // A new file is created in one `open` (`wx` never replaces a file); only when that finds a file
    // there is it read, to tell "unchanged" from "kept". Folders are made when an open says so.
    let created: boolean;
    try {
      created = this.options.dryRun ? false : createFile(absolute, text);
    } catch (error) {
      this.diagnostics.push(
        diagnostic({
          code: 'import-write-failed',
          file: sitePath,
          line: 1,
          column: 1,
          message: `cannot write this file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
        }),
      );
      return;
    }
    let action: FileAction = 'write';
    if (!created) {
      const existing = readIfThere(absolute);
      if (existing === text) action = 'unchanged';
      else if (existing !== undefined) {
        action = 'kept';
        this.diagnostics.push(
          diagnostic({
            code: 'import-file-exists',
            file: sitePath,
            message:
              'this file is already there with other contents: it is kept as it is, and the imported version is not written',
          }),
        );
      }
    }
    this.counts.files[action] += 1;
    this.files.push({ path: sitePath, action });
  }

  /**
   * The slugs of the posts already in the site (from file names and `slug:` lines), so that an
   * imported post never takes one: the check would fail with `duplicate-slug`.
   */
  private scanExistingSlugs(): void {
    const postsDir = path.join(this.options.root, this.options.contentDir, 'posts');
    let entries: string[];
    try {
      entries = readdirSync(postsDir, { recursive: true, encoding: 'utf8' });
    } catch {
      return;
    }
    for (const entry of entries.sort()) {
      if (!entry.endsWith('.md')) continue;
      const relative = entry.split(path.sep).join('/');
      const name = path.posix.basename(relative, '.md');
      let slug = name.replace(/^\d{4}-\d{2}-\d{2}-/, '');
      try {
        const head = readFileSync(path.join(postsDir, entry), 'utf8').slice(0, 4096);
        const match = /^slug:\s*['"]?([a-z0-9-]+)['"]?\s*$/m.exec(head.split(/^---\s*$/m)[1] ?? '');
        if (match) slug = match[1] as string;
      } catch {
        continue;
      }
      if (!this.taken.has(slug)) this.taken.set(slug, `posts/${relative}`);
    }
  }
}

/** Creates `absolute` with `text`, making its folder if need be; `false` when a file is there already. */
function createFile(absolute: string, text: string): boolean {
  let handle: number;
  try {
    handle = openSync(absolute, 'wx');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'ENOENT') throw error;
    mkdirSync(path.dirname(absolute), { recursive: true });
    handle = openSync(absolute, 'wx');
  }
  try {
    writeSync(handle, text);
  } finally {
    closeSync(handle);
  }
  return true;
}

/** The file's text, or `undefined` when there is none. */
function readIfThere(absolute: string): string | undefined {
  try {
    return readFileSync(absolute, 'utf8');
  } catch {
    return undefined;
  }
}
