import path from 'node:path';
import { slug as githubSlug } from 'github-slugger';
import type { z } from 'zod';
import { siteCacheFolder } from '../cache/location';
import { compareText } from '../common/text';
import { loadConfig } from '../config/load-config';
import type { DiagnosticCode } from '../diagnostics/codes';
import { compareDiagnostics, type Diagnostic, diagnostic, hasErrors } from '../diagnostics/diagnostic';
import { BroadsheetError } from '../errors';
import {
  decodeText,
  decodeUtf8,
  type ParsedFile,
  parseFrontMatterFile,
  parserIdentity,
  parseYamlFile,
} from '../parse/parse';
import { validateData } from '../parse/validate';
import { type RenderJob, renderDocuments } from '../render/render-stage';
import type { BroadsheetConfig, ResolvedConfig } from '../schema/config';
import {
  authorSchema,
  COMMENT_ID_PATTERN,
  type CommentFrontMatter,
  type CommentSchema,
  type PostFrontMatter,
  type PostSchema,
  SLUG_PATTERN,
} from '../schema/content';
import { datePartsToInstant, parseDateParts } from '../schema/dates';
import { isHttpUrl } from '../schema/urls';
import { assembleSite, compareNewestFirst } from '../site/assemble';
import { absoluteUrl, paths } from '../site/paths';
import type { Author, Comment, Post, Site, TagRef } from '../site/types';
import { readContentFiles, type SourceFile } from './files';
import { type CachedFrontMatter, FrontMatterCache } from './front-matter-cache';

/**
 * The longest comment body accepted. Visitors' text is untrusted, and the markdown parser slows down
 * sharply on some crafted inputs (tens of thousands of nested brackets), so an approved comment
 * could otherwise stall every build. WordPress's own limit is 65,525 characters.
 */
const MAX_COMMENT_CHARACTERS = 20_000;

/** Options of {@link loadSite}. */
export interface LoadSiteOptions<
  TPost extends z.ZodType = PostSchema,
  TComment extends z.ZodType = CommentSchema,
> {
  /** The site root: the folder holding the config and `content/`. */
  root: string;
  /** Use this config instead of loading the root's config file; its schema extensions type the result. */
  config?: BroadsheetConfig<TPost, TComment>;
  /** A config file relative to the root, instead of looking for `broadsheet.config.*`. */
  configFile?: string;
  /** The build time that decides which future-dated posts are published. Default: now. */
  now?: Date;
  /** Publish posts dated after `now` (overrides the config's `future`). */
  future?: boolean;
  /**
   * Use the persistent cache (default `true`): rendered posts and comments, keyed by a hash of their
   * markdown, URL, the config, the plugin lists and broadsheet's version, and parsed front matter,
   * keyed by a hash of each file's bytes. It lives outside the root (docs/decisions/cache.md).
   */
  cache?: boolean;
  /**
   * Worker threads that render: `0` renders in the main thread, `N` uses N threads whatever the
   * amount of work (a pool asked for that cannot start is a `BroadsheetError`). Default: the
   * `BROADSHEET_WORKERS` environment variable when set, else threads when there are enough documents
   * to render. Threads load the config file themselves (plugins are functions, which cannot be sent
   * to a thread), so with a `config` object the main thread always renders.
   */
  workers?: number;
  /**
   * Load the site for a local preview, never for publishing (`broadsheet dev`, a framework's dev
   * server): drafts and posts dated after `now` are included, each marked with `post.unpublished`;
   * `{origin}` also replaces the origin of `site.url`, keeping its path, so that every absolute link
   * points at the preview (`http://127.0.0.1:4000` makes `https://example.com/blog/` into
   * `http://127.0.0.1:4000/blog/`).
   * A preview keeps its persistent cache apart from the builds' (docs/decisions/dev.md).
   */
  preview?: boolean | PreviewOptions;
}

/** The `preview` option of {@link loadSite} as an object. */
export interface PreviewOptions {
  /** An http(s) origin (`http://127.0.0.1:4000`) that replaces the origin of `site.url`; its path stays. */
  origin?: string;
}

/** What {@link loadSite} returns: a site and its warnings, or every diagnostic (errors and warnings). */
export type LoadSiteResult<TPostData = PostFrontMatter, TCommentData = CommentFrontMatter> =
  | { ok: true; site: Site<TPostData, TCommentData>; warnings: Diagnostic[] }
  | { ok: false; diagnostics: Diagnostic[] };

/** Files of a site that parsed and validated, before cross-file checks. */
interface PostSource {
  parsed: ParsedFile;
  data: Record<string, unknown> & PostFrontMatter;
  slug: string;
  date: Date;
  updated?: Date;
}

interface CommentSource {
  parsed: ParsedFile;
  data: Record<string, unknown> & CommentFrontMatter;
  id: string;
  postSlug: string;
  date: Date;
  status: string;
}

/**
 * Loads a site root: reads the config and the content, validates every file, runs the cross-file
 * checks, resolves comments, threads, authors and tags, and renders posts and approved comments.
 * Never throws for bad content: problems come back as diagnostics with file, line and column.
 *
 * @example
 * ```ts
 * import { loadSite, formatDiagnostic } from 'broadsheet';
 *
 * const result = await loadSite({ root: '.' });
 * if (!result.ok) {
 *   for (const d of result.diagnostics) console.error(formatDiagnostic(d));
 *   process.exit(1);
 * }
 * for (const post of result.site.posts) console.log(post.date.toISOString(), post.title);
 * ```
 */
export async function loadSite<
  TPost extends z.ZodType = PostSchema,
  TComment extends z.ZodType = CommentSchema,
>(options: LoadSiteOptions<TPost, TComment>): Promise<LoadSiteResult<z.output<TPost>, z.output<TComment>>> {
  const root = path.resolve(options.root);
  const now = options.now ?? new Date();
  const configResult = await loadConfig({
    root,
    configFile: options.configFile,
    config: options.config as BroadsheetConfig<z.ZodType, z.ZodType> | undefined,
  });
  if (!configResult.ok) return { ok: false, diagnostics: configResult.diagnostics };
  const preview = options.preview ? previewOf(options.preview) : undefined;
  const config = preview?.origin
    ? withOrigin(configResult.loaded.config, preview.origin)
    : configResult.loaded.config;
  const publishFuture = options.future ?? config.future;
  const cacheAt = options.cache === false ? undefined : await siteCacheFolder(root, preview !== undefined);

  const { files, diagnostics } = await readContentFiles(root, config.content);
  diagnostics.push(...configResult.loaded.warnings);
  // Parsed front matter from the cache, by each file's bytes (author profiles are few: always parsed).
  const frontMatter =
    options.cache === false
      ? undefined
      : await FrontMatterCache.open({ root, folder: cacheAt!, parser: parserIdentity() });
  const frontMatterKeys = frontMatter
    ? files.map((source) => (source.kind === 'author' ? undefined : frontMatter.key(source.bytes)))
    : [];
  const cachedFrontMatter = frontMatter ? frontMatter.getMany(frontMatterKeys) : [];
  if (frontMatter) diagnostics.push(...frontMatter.warnings);
  const report = (
    parsed: ParsedFile,
    at: readonly PropertyKey[],
    code: DiagnosticCode,
    message: string,
    key = false,
  ) => {
    const { line, column } = parsed.positionOf(at, { key });
    diagnostics.push(diagnostic({ code, file: parsed.file, line, column, message, severity: 'error' }));
  };
  const warn = (parsed: ParsedFile, at: readonly PropertyKey[], code: DiagnosticCode, message: string) => {
    const { line, column } = parsed.positionOf(at);
    diagnostics.push(diagnostic({ code, file: parsed.file, line, column, message, severity: 'warning' }));
  };
  const toInstant = (text: string) => datePartsToInstant(parseDateParts(text)!, config.site.timezone);

  // Parse and validate every file on its own.
  const posts: PostSource[] = [];
  const comments: CommentSource[] = [];
  const profiles = new Map<string, Author>();
  // Slugs a post that failed validation may have had: comments under them are not reported again.
  const slugsOfInvalidPosts = new Set<string>();
  // Comments that failed validation, as `<post-slug>/<id>`: replies to them are not reported again.
  const invalidComments = new Set<string>();
  for (const [index, source] of files.entries()) {
    const parsed = parseSource(
      source,
      diagnostics,
      frontMatter && { store: frontMatter, key: frontMatterKeys[index], hit: cachedFrontMatter[index] },
    );
    cachedFrontMatter[index] = undefined;
    if (!parsed) continue;
    if (source.kind === 'author') {
      const { data, diagnostics: problems } = validateData(parsed, authorSchema);
      diagnostics.push(...problems);
      if (data) profiles.set(source.id, { id: source.id, ...data });
      continue;
    }
    if (source.kind === 'post') {
      const { data, diagnostics: problems } = validateData(parsed, configResult.loaded.postSchema);
      diagnostics.push(...problems);
      const fileSlug = source.id.replace(/^\d{4}-\d{2}-\d{2}-/, '');
      if (!data) {
        slugsOfInvalidPosts.add(fileSlug);
        if (typeof parsed.data.slug === 'string') slugsOfInvalidPosts.add(parsed.data.slug);
        continue;
      }
      const post = data as PostSource['data'];
      const slug = post.slug ?? fileSlug;
      if (!post.slug && !SLUG_PATTERN.test(slug)) {
        report(
          parsed,
          [],
          'invalid-slug',
          `the file name gives the slug "${slug}", which is not lower-case letters and digits joined by hyphens: rename the file or set \`slug\``,
        );
        slugsOfInvalidPosts.add(slug);
        continue;
      }
      const date = toInstant(post.date);
      const updated = post.updated ? toInstant(post.updated) : undefined;
      if (updated && updated < date) {
        report(
          parsed,
          ['updated'],
          'updated-before-date',
          `updated (${post.updated}) is before date (${post.date})`,
        );
      }
      posts.push({ parsed, data: post, slug, date, updated });
      continue;
    }
    if (!COMMENT_ID_PATTERN.test(source.id)) {
      report(
        parsed,
        [],
        'invalid-comment-id',
        `comment id "${source.id}" must be letters, digits, "-" and "_"`,
      );
      continue;
    }
    if (parsed.body.length > MAX_COMMENT_CHARACTERS) {
      report(
        parsed,
        [],
        'comment-too-long',
        `the comment is ${parsed.body.length} characters long; the limit is ${MAX_COMMENT_CHARACTERS}`,
      );
      invalidComments.add(`${source.postSlug}/${source.id}`);
      continue;
    }
    const { data, diagnostics: problems } = validateData(parsed, configResult.loaded.commentSchema);
    diagnostics.push(...problems);
    if (!data) {
      invalidComments.add(`${source.postSlug}/${source.id}`);
      continue;
    }
    const comment = data as CommentSource['data'];
    comments.push({
      parsed,
      data: comment,
      id: source.id,
      postSlug: source.postSlug!,
      date: toInstant(comment.date),
      status: comment.status ?? 'approved',
    });
  }

  // The files' bytes are parsed: let them go (100,000 posts are 270 MB of them).
  files.length = 0;
  frontMatterKeys.length = 0;
  // The new parses are written while the site is checked and rendered.
  const frontMatterSaved = frontMatter?.close();

  // Cross-file checks: slugs, comments, threads, authors, tags.
  // Posts sharing a slug give one diagnostic naming every file, at the second file.
  const postsBySlug = new Map<string, PostSource>();
  const sharing = new Map<string, PostSource[]>();
  for (const post of posts) {
    const group = sharing.get(post.slug);
    if (group) group.push(post);
    else {
      sharing.set(post.slug, [post]);
      postsBySlug.set(post.slug, post);
    }
  }
  for (const [slug, group] of sharing) {
    if (group.length < 2) continue;
    const second = group[1]!;
    const names = group.map((post) => post.parsed.file);
    report(
      second.parsed,
      second.data.slug ? ['slug'] : [],
      'duplicate-slug',
      `${names.slice(0, -1).join(', ')} and ${names.at(-1)} have the same slug "${slug}": each post needs its own slug`,
    );
  }

  const commentsByPost = new Map<string, Map<string, CommentSource>>();
  for (const comment of comments) {
    const post = postsBySlug.get(comment.postSlug);
    if (!post) {
      if (!slugsOfInvalidPosts.has(comment.postSlug)) {
        report(
          comment.parsed,
          [],
          'unknown-post',
          `no post has the slug "${comment.postSlug}" (the comment's folder name)`,
        );
      }
      continue;
    }
    if (comment.date < post.date) {
      report(
        comment.parsed,
        ['date'],
        'comment-before-post',
        `the comment is dated ${comment.data.date}, before its post (${post.data.date})`,
      );
    }
    let byId = commentsByPost.get(comment.postSlug);
    if (!byId) {
      byId = new Map();
      commentsByPost.set(comment.postSlug, byId);
    }
    byId.set(comment.id, comment);
  }
  for (const byId of commentsByPost.values()) {
    for (const comment of byId.values()) {
      const parent = comment.data.parent;
      if (parent === undefined) continue;
      if (!byId.has(parent)) {
        if (invalidComments.has(`${comment.postSlug}/${parent}`)) continue;
        report(
          comment.parsed,
          ['parent'],
          'unknown-parent',
          `parent "${parent}" is not a comment on the same post`,
        );
        continue;
      }
      // Follow the chain of parents; coming back to this comment is a cycle.
      const seen = new Set<string>([comment.id]);
      let current: string | undefined = parent;
      while (current !== undefined) {
        if (seen.has(current)) {
          if (current === comment.id) {
            report(
              comment.parsed,
              ['parent'],
              'parent-cycle',
              `parent "${parent}" leads back to this comment: replies cannot form a cycle`,
            );
          }
          break;
        }
        seen.add(current);
        current = byId.get(current)?.data.parent;
      }
    }
  }

  const siteAuthor: Author | undefined = config.site.author
    ? { id: 'site', ...config.site.author }
    : undefined;
  const authorsOf = (post: PostSource): Author[] => {
    const ids = post.data.authors;
    if (!ids) return siteAuthor ? [siteAuthor] : [];
    const authors: Author[] = [];
    ids.forEach((id, index) => {
      const profile = profiles.get(id);
      if (profile) authors.push(profile);
      else
        report(
          post.parsed,
          ['authors', index],
          'unknown-author',
          `no author profile "${id}" (content/authors/${id}.yaml)`,
        );
    });
    return authors;
  };

  const tagNamesBySlug = new Map<string, { name: string; post: PostSource; index: number }>();
  const tagsOf = (post: PostSource): TagRef[] => {
    const refs: TagRef[] = [];
    const seen = new Set<string>();
    (post.data.tags ?? []).forEach((name, index) => {
      const slug = githubSlug(name);
      if (slug === '') {
        report(
          post.parsed,
          ['tags', index],
          'invalid-tag',
          `tag "${name}" has no letters or digits to make a slug from`,
        );
        return;
      }
      const first = tagNamesBySlug.get(slug);
      if (first && first.name !== name) {
        report(
          post.parsed,
          ['tags', index],
          'tag-collision',
          `tag "${name}" and tag "${first.name}" (${first.post.parsed.file}) both have the slug "${slug}": use one name`,
        );
        return;
      }
      if (!first) tagNamesBySlug.set(slug, { name, post, index });
      if (seen.has(slug)) return;
      seen.add(slug);
      refs.push({ name, slug, url: absoluteUrl(config.site.url, paths.tag(slug)) });
    });
    return refs;
  };

  // Resolve every post (drafts too, so that their problems are found), then publish.
  const ordered = [...postsBySlug.values()].sort(compareNewestFirst);
  const resolved = ordered.map((post) => ({ post, authors: authorsOf(post), tags: tagsOf(post) }));

  for (const comment of comments) {
    const author = comment.data.author;
    if (typeof author === 'object' && author.url !== undefined && !isHttpUrl(author.url)) {
      warn(
        comment.parsed,
        ['author', 'url'],
        'invalid-comment-url',
        `author.url "${author.url}" is not an http(s) URL: it is dropped`,
      );
    }
  }

  const all = [...diagnostics].sort(compareDiagnostics);
  if (hasErrors(all)) {
    await frontMatterSaved;
    return { ok: false, diagnostics: all };
  }

  const published: PublishedPost[] = [];
  for (const item of resolved) {
    const unpublished =
      item.post.data.draft === true ? 'draft' : !publishFuture && item.post.date > now ? 'future' : undefined;
    if (!unpublished) published.push(item);
    else if (preview) published.push({ ...item, unpublished });
  }
  const { site, warnings: cacheWarnings } = await renderSite(
    config,
    published,
    commentsByPost,
    [...profiles.values()],
    {
      root,
      config,
      configFile: options.config ? undefined : configResult.loaded.file,
      cache: options.cache,
      cacheFolder: cacheAt,
      workers: options.workers,
    },
  );
  const warnings = cacheWarnings.length > 0 ? [...all, ...cacheWarnings].sort(compareDiagnostics) : all;
  await frontMatterSaved;
  return { ok: true, site: site as Site<z.output<TPost>, z.output<TComment>>, warnings };
}

/** The front matter cache as one file's parse sees it: where to store it, its key, and its entry if cached. */
interface FrontMatterLookup {
  store: FrontMatterCache;
  key: string | undefined;
  hit: CachedFrontMatter | undefined;
}

function parseSource(
  source: SourceFile,
  diagnostics: Diagnostic[],
  cache?: FrontMatterLookup,
): ParsedFile | undefined {
  // The same bytes parsed without a diagnostic before: no need to check the UTF-8 or run `yaml`.
  if (cache?.hit) {
    const text = decodeUtf8(source.bytes);
    if (cache.hit.bodyStart <= text.length) {
      return withLazyPositions(source.file, cache.hit.data, text, cache.hit.bodyStart);
    }
  }
  const decoded = decodeText(source.file, source.bytes);
  if ('diagnostic' in decoded) {
    diagnostics.push(decoded.diagnostic);
    return undefined;
  }
  if (source.kind === 'author') {
    const result = parseYamlFile(source.file, decoded.text);
    if ('diagnostics' in result) {
      diagnostics.push(...result.diagnostics);
      return undefined;
    }
    return result.parsed;
  }
  const result = parseFrontMatterFile(source.file, decoded.text);
  if ('diagnostics' in result) {
    diagnostics.push(...result.diagnostics);
    return undefined;
  }
  // The body is the end of the text: what comes before it is the front matter and its fences.
  const bodyStart = decoded.text.length - result.parsed.body.length;
  if (cache?.key) cache.store.set(cache.key, { data: result.parsed.data, bodyStart });
  return withLazyPositions(source.file, result.parsed.data, decoded.text, bodyStart);
}

/**
 * A parsed file without its YAML document, which weighs about 5 KB a file (500 MB for 100,000
 * posts) and is only needed to point a diagnostic at a key: `positionOf` parses the front matter
 * again (a copy of its text, a few hundred bytes, is kept) the first time it is called.
 */
function withLazyPositions(
  file: string,
  data: Record<string, unknown>,
  text: string,
  bodyStart: number,
): ParsedFile {
  // The body is a slice of the text, which it keeps alive anyway: the front matter's text is taken
  // from it only when a position is asked for.
  const body = text.slice(bodyStart);
  let positioned: ParsedFile['positionOf'] | undefined;
  return {
    file,
    data,
    body,
    positionOf: (at, options) => {
      if (!positioned) {
        const again = parseFrontMatterFile(file, text.slice(0, bodyStart));
        positioned = 'parsed' in again ? again.parsed.positionOf : () => ({ line: 1, column: 1 });
      }
      return positioned(at, options);
    },
  };
}

/** A visitor's name as plain text: tags stripped as WordPress does, white space collapsed. */
function plainName(name: string): string {
  return name
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<[^>]*>?/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A post to publish, resolved; `unpublished` only in a preview, for a post a build leaves out. */
interface PublishedPost {
  post: PostSource;
  authors: Author[];
  tags: TagRef[];
  unpublished?: Post['unpublished'];
}

/** The `preview` option as an object. */
function previewOf(preview: true | PreviewOptions): PreviewOptions {
  return preview === true ? {} : preview;
}

/** The config with `site.url` on another origin, its path kept; refuses an origin that is not http(s). */
function withOrigin(config: ResolvedConfig, origin: string): ResolvedConfig {
  const local = isHttpUrl(origin) ? new URL(origin) : undefined;
  if (local?.pathname !== '/' || local.search !== '' || local.hash !== '') {
    throw new BroadsheetError(
      'invalid-preview-origin',
      `preview.origin "${origin}" is not an http(s) origin such as http://127.0.0.1:4000`,
    );
  }
  const site = new URL(config.site.url);
  return { ...config, site: { ...config.site, url: `${local.origin}${site.pathname}` } };
}

async function renderSite(
  config: ResolvedConfig,
  published: PublishedPost[],
  commentsByPost: Map<string, Map<string, CommentSource>>,
  profiles: Author[],
  stage: Parameters<typeof renderDocuments>[1],
): Promise<{ site: Site; warnings: Diagnostic[] }> {
  // Every document to render, posts each followed by their approved comments, rendered in one go
  // (from the cache, on worker threads or here), then put together in the same order.
  const jobs: RenderJob[] = [];
  const threads = published.map(({ post }) => {
    const url = absoluteUrl(config.site.url, paths.post(post.slug));
    jobs.push({ trust: 'post', url, markdown: post.parsed.body });
    const thread = approvedThread(commentsByPost.get(post.slug));
    for (const { comment } of thread) jobs.push({ trust: 'comment', url, markdown: comment.parsed.body });
    return { url, thread };
  });
  const { results, warnings } = await renderDocuments(jobs, stage);
  let next = 0;
  const posts: Post[] = [];
  for (const [index, { post, authors, tags, unpublished }] of published.entries()) {
    const { url, thread } = threads[index]!;
    const rendered = results[next++]!;
    const comments = publishComments(post.slug, thread, url, () => results[next++]!.html);
    const { data } = post;
    posts.push({
      slug: post.slug,
      title: data.title,
      date: post.date,
      updated: post.updated,
      url,
      file: post.parsed.file,
      summary: data.summary ?? rendered.summary,
      tags,
      authors,
      commentsOpen: data.comments !== false,
      lang: data.lang ?? config.site.language,
      canonical: data.canonical,
      image: data.image,
      html: rendered.html,
      headings: rendered.headings,
      wordCount: rendered.wordCount,
      readingTime: rendered.readingTime,
      comments,
      data: post.data,
      ...(unpublished ? { unpublished } : {}),
    });
  }
  return { site: assembleSite(config, posts, profiles), warnings };
}

/** A post's approved comments, oldest first, each with its published parent and depth. */
function approvedThread(
  byId: Map<string, CommentSource> | undefined,
): { comment: CommentSource; parent: string | undefined; depth: number }[] {
  if (!byId) return [];
  const approved = new Map([...byId].filter(([, comment]) => comment.status === 'approved'));
  // A reply whose parent is not published hangs from its nearest published ancestor.
  const publishedParent = (comment: CommentSource): string | undefined => {
    let parent = comment.data.parent;
    while (parent !== undefined && !approved.has(parent)) parent = byId.get(parent)?.data.parent;
    return parent;
  };
  const ordered = [...approved.values()].sort(
    (a, b) => a.date.getTime() - b.date.getTime() || compareText(a.id, b.id),
  );
  const depths = new Map<string, number>();
  const depthOf = (comment: CommentSource): number => {
    const known = depths.get(comment.id);
    if (known !== undefined) return known;
    const parent = publishedParent(comment);
    const depth = parent === undefined ? 0 : depthOf(approved.get(parent)!) + 1;
    depths.set(comment.id, depth);
    return depth;
  };
  return ordered.map((comment) => ({ comment, parent: publishedParent(comment), depth: depthOf(comment) }));
}

/** A post's published comments from its approved thread; `nextHtml` gives each one's rendered HTML in order. */
function publishComments(
  postSlug: string,
  thread: ReturnType<typeof approvedThread>,
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
    // The visitor's email never leaves the loader, a URL that is not http(s) is dropped, and the
    // name is the same plain text everywhere.
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
      file: comment.parsed.file,
      data: data as CommentFrontMatter,
    });
  }
  return result;
}
