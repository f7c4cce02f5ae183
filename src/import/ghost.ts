import { exportDate, isoSeconds } from './dates';
import { asRecord, asRecords, asString, readJsonExport } from './json-export';
import type { ExportReader, ImportedPost } from './model';
import { wrongFormatDiagnostic } from './problems';

/** Ghost writes its own origin into URLs as this placeholder; on the new site they are root paths. */
const GHOST_URL = /__GHOST_URL__/g;

/** Ghost 0.x wrote dates as milliseconds since 1970; later versions as ISO 8601 text. */
function ghostDate(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return isoSeconds(new Date(value));
  return exportDate(asString(value));
}

const NO_PLACE = { line: 1, column: 1 };

/**
 * Reads a Ghost JSON export (Settings → Labs → Export): posts and pages with their status, tags
 * (internal `#tags` left out), authors and the rendered `html` (Ghost keeps it beside `mobiledoc` and
 * `lexical`). Ghost exports hold no comments. The file is read whole (see `readJsonExport`).
 *
 * @example
 * ```ts
 * const diagnostics = await readGhost('ghost.json', 'ghost.json', writer, { pingbacks: false });
 * ```
 */
export const readGhost: ExportReader = async (file, displayName, sink) => {
  const parsed = await readJsonExport(file, displayName);
  if (!parsed.ok) return parsed.diagnostics;
  const top = asRecord(parsed.value);
  const database = asRecord(asRecords(top?.db)[0]) ?? top;
  const data = asRecord(database?.data);
  if (!data) {
    return [
      wrongFormatDiagnostic(
        displayName,
        'this is not a Ghost export: it has no `db[0].data` (or `data`) object',
      ),
    ];
  }
  const tagNames = new Map<string, string>();
  for (const tag of asRecords(data.tags)) {
    const id = asString(tag.id);
    const name = asString(tag.name)?.trim();
    if (id !== undefined && name && !name.startsWith('#') && tag.visibility !== 'internal')
      tagNames.set(id, name);
  }
  for (const user of asRecords(data.users)) {
    const id = asString(user.id);
    const name = asString(user.name);
    if (id === undefined || !name) continue;
    sink.author({
      sourceId: id,
      slug: asString(user.slug) ?? name,
      name,
      ...(asString(user.website) ? { url: asString(user.website) } : {}),
      ...(asString(user.bio) ? { bio: asString(user.bio) } : {}),
      ...(asString(user.profile_image) ? { avatar: asString(user.profile_image) } : {}),
    });
  }
  const byPost = (links: unknown, field: string) => {
    const map = new Map<string, { id: string; order: number }[]>();
    for (const link of asRecords(links)) {
      const post = asString(link.post_id);
      const target = asString(link[field]);
      if (post === undefined || target === undefined) continue;
      const list = map.get(post) ?? [];
      list.push({ id: target, order: typeof link.sort_order === 'number' ? link.sort_order : list.length });
      map.set(post, list);
    }
    for (const list of map.values()) list.sort((a, b) => a.order - b.order);
    return map;
  };
  const postTags = byPost(data.posts_tags, 'tag_id');
  const postAuthors = byPost(data.posts_authors, 'author_id');
  for (const post of asRecords(data.posts)) {
    const id = asString(post.id) ?? '?';
    const kind = post.type === 'page' || post.page === true || post.page === 1 ? 'page' : 'post';
    const title = asString(post.title) ?? '';
    const what = `${kind} ${id}${title ? ` "${title}"` : ''}`;
    const status = asString(post.status) ?? 'draft';
    if (status !== 'published' && status !== 'draft' && status !== 'scheduled' && status !== 'sent') {
      sink.skip(NO_PLACE, what, `its status "${status}" is not one Ghost documents`);
      continue;
    }
    let draft = status === 'draft' || status === 'sent';
    const visibility = asString(post.visibility) ?? 'public';
    if (visibility !== 'public' && !draft) {
      draft = true;
      sink.note(
        NO_PLACE,
        'import-made-draft',
        `${what} is for "${visibility}" readers, and a static site has no members: it is imported as a draft`,
      );
    }
    let html = asString(post.html);
    if (html === undefined) {
      const plain = asString(post.plaintext);
      if (plain === undefined) {
        sink.skip(
          NO_PLACE,
          what,
          'the export has no `html` for it (only mobiledoc or lexical): export it again from Ghost 2 or later',
        );
        continue;
      }
      html = plain
        .split(/\n{2,}/)
        .map((paragraph) => `<p>${paragraph.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</p>`)
        .join('');
    }
    const slug = asString(post.slug);
    const authors = (postAuthors.get(id) ?? []).map((link) => link.id);
    const authorId = asString(post.author_id);
    if (authors.length === 0 && authorId !== undefined) authors.push(authorId);
    const item: ImportedPost = {
      kind,
      sourceId: id,
      title,
      date: ghostDate(post.published_at) ?? ghostDate(post.created_at),
      updated: ghostDate(post.updated_at),
      html: html.replace(GHOST_URL, ''),
      draft,
      tags: (postTags.get(id) ?? []).flatMap((link) => tagNames.get(link.id) ?? []),
      authors,
      place: NO_PLACE,
    };
    if (slug) {
      item.slug = slug;
      item.link = `/${slug}/`;
    }
    const excerpt = asString(post.custom_excerpt);
    if (excerpt) item.summary = excerpt;
    const image = asString(post.feature_image);
    if (image) item.image = image.replace(GHOST_URL, '');
    sink.post(item);
  }
  return [];
};
