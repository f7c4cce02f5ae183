import { open } from 'node:fs/promises';
import type { Diagnostic } from '../diagnostics/diagnostic';
import { ATOM_NS, atomAuthor, atomHtml, atomLink, atomText } from './atom';
import { exportDate } from './dates';
import { htmlToText } from './html-to-markdown';
import { asRecord, asRecords, asString, readJsonExport } from './json-export';
import type { ExportReader, ImportedPost, ImportSink } from './model';
import { wrongFormatDiagnostic, wrongRootDiagnostic, xmlProblemDiagnostics } from './problems';
import { child, children, childText, streamXml, type XmlElement } from './xml-stream';

const CONTENT_NS = 'http://purl.org/rss/1.0/modules/content/';
const DC_NS = 'http://purl.org/dc/elements/1.1/';

/** The local name of the root element, from the start of the file; `json` when it is JSON. */
async function sniff(file: string): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const head = buffer
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/^\uFEFF/, '');
    if (/^\s*[{[]/.test(head)) return 'json';
    const withoutProlog = head.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<![A-Z][^>]*>/g, '');
    return /<(?:[\w.-]+:)?([\w.-]+)/.exec(withoutProlog)?.[1] ?? '';
  } finally {
    await handle.close();
  }
}

function rssItem(item: XmlElement, sink: ImportSink): void {
  const guid = childText(item, 'guid');
  const link =
    childText(item, 'link') ?? (child(item, 'guid')?.attributes.isPermaLink !== 'false' ? guid : undefined);
  const title = htmlToText(childText(item, 'title') ?? '');
  const author = childText(item, 'creator', DC_NS) ?? childText(item, 'author');
  if (author) sink.author({ sourceId: author, name: author });
  const post: ImportedPost = {
    kind: 'post',
    sourceId: guid ?? link ?? `${item.line}`,
    title,
    date: exportDate(childText(item, 'pubDate')) ?? exportDate(childText(item, 'date', DC_NS)),
    html: children(item, 'encoded', CONTENT_NS)[0]?.text ?? childText(item, 'description') ?? '',
    draft: false,
    tags: [
      ...new Set(
        children(item, 'category')
          .map((category) => category.text.trim())
          .filter(Boolean),
      ),
    ],
    authors: author ? [author] : [],
    place: item,
  };
  if (link) post.link = link;
  sink.post(post);
}

function atomEntry(entry: XmlElement, sink: ImportSink): void {
  const content = child(entry, 'content', ATOM_NS) ?? child(entry, 'summary', ATOM_NS);
  const author = atomAuthor(entry);
  if (author)
    sink.author({ sourceId: author.name, name: author.name, ...(author.url ? { url: author.url } : {}) });
  const summary = child(entry, 'summary', ATOM_NS);
  const post: ImportedPost = {
    kind: 'post',
    sourceId: childText(entry, 'id', ATOM_NS) ?? `${entry.line}`,
    title: atomText(child(entry, 'title', ATOM_NS)),
    date:
      exportDate(childText(entry, 'published', ATOM_NS)) ?? exportDate(childText(entry, 'updated', ATOM_NS)),
    updated: exportDate(childText(entry, 'updated', ATOM_NS)),
    html: content ? atomHtml(content) : '',
    draft: false,
    tags: [
      ...new Set(
        children(entry, 'category', ATOM_NS)
          .map((category) => (category.attributes.label ?? category.attributes.term ?? '').trim())
          .filter(Boolean),
      ),
    ],
    authors: author ? [author.name] : [],
    place: entry,
  };
  const link = atomLink(entry, 'alternate');
  if (link) post.link = link;
  if (summary && content !== summary) post.summary = atomHtml(summary);
  sink.post(post);
}

async function readJsonFeed(file: string, displayName: string, sink: ImportSink): Promise<Diagnostic[]> {
  const parsed = await readJsonExport(file, displayName);
  if (!parsed.ok) return parsed.diagnostics;
  const feed = asRecord(parsed.value);
  const version = asString(feed?.version) ?? '';
  if (!feed || !version.startsWith('https://jsonfeed.org/version/')) {
    return [
      wrongFormatDiagnostic(
        displayName,
        'this is not a JSON Feed: it has no `version` of https://jsonfeed.org/version/1 or 1.1',
      ),
    ];
  }
  const place = { line: 1, column: 1 };
  for (const item of asRecords(feed.items)) {
    const authors = [...asRecords(item.authors), ...asRecords([item.author])];
    const names: string[] = [];
    for (const author of authors) {
      const name = asString(author.name);
      if (!name) continue;
      const url = asString(author.url);
      sink.author({ sourceId: name, name, ...(url ? { url } : {}) });
      names.push(name);
    }
    const text = asString(item.content_text);
    const html =
      asString(item.content_html) ??
      (text === undefined
        ? ''
        : text
            .split(/\n{2,}/)
            .map((paragraph) => `<p>${paragraph.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</p>`)
            .join(''));
    const post: ImportedPost = {
      kind: 'post',
      sourceId: asString(item.id) ?? asString(item.url) ?? '?',
      title: asString(item.title) ?? '',
      date: exportDate(asString(item.date_published)) ?? exportDate(asString(item.date_modified)),
      updated: exportDate(asString(item.date_modified)),
      html,
      draft: false,
      tags: [
        ...new Set((Array.isArray(item.tags) ? item.tags : []).flatMap((tag) => asString(tag)?.trim() || [])),
      ],
      authors: [...new Set(names)],
      place,
    };
    const link = asString(item.url);
    if (link) post.link = link;
    const summary = asString(item.summary);
    if (summary) post.summary = summary.replace(/&/g, '&amp;').replace(/</g, '&lt;');
    const image = asString(item.image);
    if (image) post.image = image;
    sink.post(post);
  }
  return [];
}

/**
 * Reads any feed as posts (the fallback for platforms without an importer of their own): RSS 2.0
 * (`content:encoded`, else `description`), RSS 1.0, Atom 1.0 and JSON Feed 1.0/1.1, told apart by
 * their first element. XML feeds are streamed. Feeds hold no comments, drafts or pages.
 *
 * @example
 * ```ts
 * const diagnostics = await readFeed('atom.xml', 'atom.xml', writer, { pingbacks: false });
 * ```
 */
export const readFeed: ExportReader = async (file, displayName, sink) => {
  const kind = await sniff(file);
  if (kind === 'json') return readJsonFeed(file, displayName, sink);
  let rootProblem: Diagnostic | undefined;
  const depth = kind === 'rss' ? 2 : 1;
  const problem = await streamXml(file, depth, {
    root: (root) => {
      const known =
        (root.local === 'rss' && depth === 2) ||
        (root.local === 'feed' && root.uri === ATOM_NS) ||
        (root.local === 'RDF' && depth === 1);
      if (!known) rootProblem = wrongRootDiagnostic(displayName, root, 'an RSS, Atom or JSON feed');
    },
    record: (element) => {
      if (rootProblem) return;
      if (element.local === 'item') rssItem(element, sink);
      else if (element.local === 'entry' && element.uri === ATOM_NS) atomEntry(element, sink);
    },
    progress: (bytes) => sink.progress(bytes),
  });
  return [...(rootProblem ? [rootProblem] : []), ...xmlProblemDiagnostics(problem, displayName)];
};
