import type { Diagnostic } from '../diagnostics/diagnostic';
import type { CommentStatus } from '../schema/content';
import { exportDate } from './dates';
import { htmlToText } from './html-to-markdown';
import type { ExportReader, ImportedComment, ImportSink, ReaderOptions } from './model';
import { wrongRootDiagnostic, xmlProblemDiagnostics } from './problems';
import { expandShortcodes, wpautop } from './wordpress-html';
import { children, childText, streamXml, type XmlElement } from './xml-stream';

const CONTENT_NS = 'http://purl.org/rss/1.0/modules/content/';
const DC_NS = 'http://purl.org/dc/elements/1.1/';

/** WXR 1.0, 1.1 and 1.2 differ in the namespace's version: `http://wordpress.org/export/1.2/`. */
function isWpNamespace(uri: string): boolean {
  return /^https?:\/\/wordpress\.org\/export\/\d+\.\d+\/$/.test(uri);
}

function wp(element: XmlElement, local: string): string | undefined {
  const found = element.children.find((node) => node.local === local && isWpNamespace(node.uri));
  return found?.text.trim();
}

function wpAll(element: XmlElement, local: string): XmlElement[] {
  return element.children.filter((node) => node.local === local && isWpNamespace(node.uri));
}

const COMMENT_STATUS: Record<string, CommentStatus> = {
  '1': 'approved',
  approve: 'approved',
  approved: 'approved',
  '0': 'pending',
  hold: 'pending',
  spam: 'spam',
  trash: 'trash',
  'post-trashed': 'trash',
};

/** A date WordPress writes for a draft never published: `Mon, 30 Nov -0001 00:00:00 +0000`. */
function plausible(date: string | undefined): string | undefined {
  return date !== undefined && Date.parse(date) > Date.UTC(1970, 0, 1) ? date : undefined;
}

/** A post's or comment's HTML as WordPress shows it: shortcodes expanded, paragraphs added. */
function wordpressHtml(raw: string, sink: ImportSink, place: XmlElement, what: string): string {
  const { html, dropped } = expandShortcodes(raw);
  for (const name of new Set(dropped))
    sink.skip(place, `the [${name}] shortcode in ${what}`, 'it needs the old site to mean anything');
  return wpautop(html);
}

function readComment(
  element: XmlElement,
  options: ReaderOptions,
  sink: ImportSink,
): ImportedComment | undefined {
  const id = wp(element, 'comment_id') ?? `${element.line}`;
  const type = wp(element, 'comment_type') ?? '';
  if ((type === 'pingback' || type === 'trackback') && !options.pingbacks) {
    sink.skip(element, `${type} ${id}`, 'pingbacks and trackbacks are skipped (--pingbacks keeps them)');
    return undefined;
  }
  const approved = wp(element, 'comment_approved') ?? '1';
  const status = COMMENT_STATUS[approved];
  if (status === undefined) {
    sink.skip(element, `comment ${id}`, `its status "${approved}" is not one broadsheet knows`);
    return undefined;
  }
  const comment: ImportedComment = {
    sourceId: id,
    author: { name: wp(element, 'comment_author') ?? '' },
    html: wordpressHtml(wp(element, 'comment_content') ?? '', sink, element, `comment ${id}`),
    status,
    place: element,
  };
  const url = wp(element, 'comment_author_url');
  if (url) comment.author.url = url;
  const email = wp(element, 'comment_author_email');
  if (email) comment.author.email = email;
  const date = exportDate(wp(element, 'comment_date_gmt')) ?? exportDate(wp(element, 'comment_date'));
  if (date !== undefined) comment.date = date;
  const parent = wp(element, 'comment_parent');
  if (parent && parent !== '0') comment.parentSourceId = parent;
  return comment;
}

function readItem(item: XmlElement, options: ReaderOptions, sink: ImportSink): void {
  const id = wp(item, 'post_id') ?? `${item.line}`;
  const type = wp(item, 'post_type') ?? 'post';
  const title = htmlToText(childText(item, 'title') ?? '');
  const what = `${type} ${id}${title ? ` "${title}"` : ''}`;
  if (type === 'attachment') {
    const url = wp(item, 'attachment_url') ?? childText(item, 'guid');
    if (url) sink.attachment(url);
    return;
  }
  if (type !== 'post' && type !== 'page') {
    sink.skip(item, what, `the post type "${type}" is not a post or a page`);
    return;
  }
  const status = wp(item, 'status') ?? 'publish';
  if (status === 'trash' || status === 'auto-draft' || status === 'inherit') {
    sink.skip(item, what, `its status is "${status}"`);
    return;
  }
  let draft = status === 'draft' || status === 'pending' || status === 'private';
  if (!draft && status !== 'publish' && status !== 'future') {
    sink.skip(item, what, `its status "${status}" is not one WordPress documents`);
    return;
  }
  if (wp(item, 'post_password')) {
    draft = true;
    sink.note(
      item,
      'import-made-draft',
      `${what} has a password, which a static site cannot ask for: it is imported as a draft`,
    );
  }
  const content = children(item, 'encoded', CONTENT_NS)[0]?.text ?? '';
  const excerpt = item.children.find((node) => node.local === 'encoded' && node.uri.includes('/excerpt/'));
  const tags: string[] = [];
  for (const category of children(item, 'category')) {
    const domain = category.attributes.domain;
    if (domain !== 'category' && domain !== 'post_tag') continue;
    if (domain === 'category' && category.attributes.nicename === 'uncategorized') continue;
    const name = htmlToText(category.text);
    if (name !== '') tags.push(name);
  }
  const creator = childText(item, 'creator', DC_NS);
  const date =
    exportDate(wp(item, 'post_date_gmt')) ??
    plausible(exportDate(childText(item, 'pubDate'))) ??
    exportDate(wp(item, 'post_date')) ??
    exportDate(wp(item, 'post_modified_gmt'));
  const comments: ImportedComment[] = [];
  for (const element of wpAll(item, 'comment')) {
    const comment = readComment(element, options, sink);
    if (comment) comments.push(comment);
  }
  const post = {
    kind: type,
    sourceId: id,
    title,
    link: childText(item, 'link'),
    slug: wp(item, 'post_name'),
    html: wordpressHtml(content, sink, item, what),
    draft,
    tags,
    authors: creator ? [creator] : [],
    commentsClosed: wp(item, 'comment_status') === 'closed' ? true : undefined,
    summary: excerpt?.text.trim() || undefined,
    date,
    updated: exportDate(wp(item, 'post_modified_gmt')),
    place: item,
  } as const;
  sink.post({ ...post, tags: [...new Set(tags)] }, comments);
}

/**
 * Reads a WordPress export (WXR 1.0–1.2, Tools → Export in WordPress), streaming: posts and pages
 * with their status, categories and tags, authors (`wp:author`), comments with their threads
 * (`wp:comment_parent`) and statuses (`wp:comment_approved`), and the attachments' URLs.
 *
 * @example
 * ```ts
 * const diagnostics = await readWordpress('export.xml', 'export.xml', writer, { pingbacks: false });
 * ```
 */
export const readWordpress: ExportReader = async (file, displayName, sink, options) => {
  let rootProblem: Diagnostic | undefined;
  const problem = await streamXml(file, 2, {
    root: (root) => {
      if (root.local !== 'rss')
        rootProblem = wrongRootDiagnostic(displayName, root, 'a WordPress export (WXR, with an <rss> root)');
    },
    record: (element) => {
      if (rootProblem) return;
      if (element.local === 'item') readItem(element, options, sink);
      else if (element.local === 'author' && isWpNamespace(element.uri)) {
        const login = wp(element, 'author_login');
        if (login)
          sink.author({
            sourceId: login,
            slug: login,
            name: wp(element, 'author_display_name') || login,
          });
      }
    },
    progress: (bytes) => sink.progress(bytes),
  });
  return [...(rootProblem ? [rootProblem] : []), ...xmlProblemDiagnostics(problem, displayName)];
};
