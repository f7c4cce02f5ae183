import path from 'node:path';
import type { z } from 'zod';
import { cacheOutConflict, cacheFolder as rootCacheFolder, siteCacheFolder } from '../cache/location';
import { loadConfig } from '../config/load-config';
import { DiagnosticCollector } from '../diagnostics/collector';
import { type Diagnostic, diagnostic } from '../diagnostics/diagnostic';
import { RenderSession } from '../render/render-session';
import type { BroadsheetConfig } from '../schema/config';
import type { CommentFrontMatter, CommentSchema, PostFrontMatter, PostSchema } from '../schema/content';
import { withPages } from '../site/assemble';
import type { Site } from '../site/types';
import { checkAcrossFiles } from './check-across-files';
import { changedDocuments, offerEarlyRenders } from './early-renders';
import { readFiles } from './files';
import { noFrontMatterStore } from './front-matter-cache';
import { loadPages } from './load-pages';
import { loadStylesheet } from './load-theme';
import type { LoadedFileStore } from './loaded-file-store';
import { openLoadCaches } from './loaded-post-cache';
import { overDefaultPostLimits } from './markdown-limits';
import { assetsByFile } from './post-assets';
import { previewOf, withOrigin } from './preview';
import { renderSite } from './render-site';
import { publish, resolve } from './resolve';
import { validateFiles } from './validate-files';

// The load pipeline: readFiles → validateFiles → checkAcrossFiles → resolve → render. Each stage is
// a function of its own file in src/load, handed what it needs (the front matter store, the render
// stage's options) and the one collector of diagnostics (docs/architecture.md).

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
   * The folder the site will be built into, relative to the root (default: the config's `out`). A
   * cache folder inside it (or holding it) is refused before anything is cached: the cache holds
   * every comment's front matter, emails included, and would be published.
   */
  out?: string;
  /**
   * Load the site for a local preview, never for publishing (`broadsheet dev`, a framework's dev
   * server): drafts and posts dated after `now` are included, each marked with `post.unpublished`;
   * `{origin}` also replaces the origin of `site.url`, keeping its path, so that every absolute link
   * points at the preview (`http://127.0.0.1:4000` makes `https://example.com/blog/` into
   * `http://127.0.0.1:4000/blog/`).
   * A preview keeps its persistent cache apart from the builds' (docs/decisions/dev.md).
   */
  preview?: boolean | PreviewOptions;
  /** Called when checking is done and rendering starts, with the number of posts to publish. */
  onProgress?: (progress: LoadProgress) => void;
}

/** Where a load is, for a progress display (see `LoadSiteOptions.onProgress`). */
export type LoadProgress = { phase: 'render'; posts: number };

/** The `preview` option of {@link loadSite} as an object. */
export interface PreviewOptions {
  /** An http(s) origin (`http://127.0.0.1:4000`) that replaces the origin of `site.url`; its path stays. */
  origin?: string;
}

/** What {@link loadSite} returns: a site and its warnings, or every diagnostic (errors and warnings). */
export type LoadSiteResult<TPostData = PostFrontMatter, TCommentData = CommentFrontMatter> =
  | { ok: true; site: Site<TPostData, TCommentData>; warnings: Diagnostic[] }
  | { ok: false; diagnostics: Diagnostic[] };

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
export function loadSite<TPost extends z.ZodType = PostSchema, TComment extends z.ZodType = CommentSchema>(
  options: LoadSiteOptions<TPost, TComment>,
): Promise<LoadSiteResult<z.output<TPost>, z.output<TComment>>> {
  return loadSiteWith(options, undefined);
}

/**
 * {@link loadSite} for a watch loop: `store` keeps this load's per-file work (reads, parses,
 * renders) and hands the stages the last load's, so that only changed files are read, parsed and
 * rendered again (see `LoadedFileStore`); the result is the same as `loadSite`'s. With `deferHtml`
 * (a build, a check: they read the HTML of few documents), the `html` of a post or comment whose
 * render came from the cache is decoded when first read (src/render/deferred-html.ts): the same
 * string, from bytes already in memory.
 */
export async function loadSiteWith<
  TPost extends z.ZodType = PostSchema,
  TComment extends z.ZodType = CommentSchema,
>(
  options: LoadSiteOptions<TPost, TComment>,
  store: LoadedFileStore | undefined,
  deferHtml = false,
): Promise<LoadSiteResult<z.output<TPost>, z.output<TComment>>> {
  const root = path.resolve(options.root);
  const given = options.config as BroadsheetConfig<z.ZodType, z.ZodType> | undefined;
  const loadIt = () => loadConfig({ root, configFile: options.configFile, config: given });
  // A watch loop's store keeps the loaded config while only content and static files change.
  const configResult = store && !given ? await store.config(loadIt) : await loadIt();
  if (!configResult.ok) return { ok: false, diagnostics: configResult.diagnostics };
  const loaded = configResult.loaded;
  const preview = options.preview ? previewOf(options.preview) : undefined;
  const config = preview?.origin ? withOrigin(loaded.config, preview.origin) : loaded.config;
  const cacheFolder =
    options.cache === false ? undefined : await siteCacheFolder(root, preview !== undefined);
  // A preview is never published (`broadsheet dev` builds it inside the cache folder).
  const conflict =
    preview === undefined &&
    cacheFolder &&
    (await cacheOutConflict(await rootCacheFolder(root), path.resolve(root, options.out ?? config.out)));
  if (conflict) {
    const file = loaded.file ?? 'broadsheet.config.ts';
    return { ok: false, diagnostics: [diagnostic({ code: 'config-cache-in-out', file, message: conflict })] };
  }
  const problems = new DiagnosticCollector(loaded.warnings);
  const now = options.now ?? new Date();
  const publishing = { now, future: options.future ?? config.future, preview: !!preview };

  const memory = store?.begin(config);
  const renderStage = {
    root,
    config,
    configFile: given ? undefined : loaded.file,
    cache: options.cache,
    cacheFolder,
    workers: options.workers,
    memo: memory?.renders,
    needsBudget: overDefaultPostLimits(config),
    deferHtml,
  };
  // A build that renders on threads starts them while it reads and validates (early-renders.ts).
  const opening = RenderSession.open(renderStage);
  const files = await readFiles(root, config.content, problems, memory?.reads);
  // Taken before validateFiles empties `files`.
  const assets = assetsByFile(files);
  const session = await opening;
  session?.expect(files.filter((file) => file.kind !== 'author').length);
  // A watch loop keeps its own outcomes; a build takes the unchanged files' from the loaded-post cache.
  const caches =
    cacheFolder === undefined
      ? undefined
      : await openLoadCaches(root, cacheFolder, files, { ...loaded, config }, problems, {
          outcomes: !memory,
        });
  // A warm build starts its render thread as soon as it knows the body of a post or comment changed.
  if (caches) await session?.changed(changedDocuments(files, caches.outcomes, caches.frontMatter));
  const validated = validateFiles(
    files,
    {
      ...loaded,
      config,
      frontMatter: caches?.frontMatter ?? noFrontMatterStore,
      outcomes: memory?.outcomes ?? caches?.outcomes,
      onOutcome: session && offerEarlyRenders(session, config, publishing, assets),
    },
    problems,
  );
  // The new parses are written while the site is checked and rendered.
  const saving = caches?.close();
  try {
    const checked = checkAcrossFiles(validated, problems);
    const resolved = resolve(validated, checked, config, problems);
    // Pages (content/pages/) and the theme's stylesheet stand apart from posts and comments.
    // Pages are not cached: the render cache keeps only the entries of the last stage that opened it.
    const pages = await loadPages(root, config, { ...renderStage, cache: false });
    problems.addAll(pages.diagnostics);
    const theme = loadStylesheet(root, config, given ? undefined : loaded.file);
    problems.addAll(theme.diagnostics);
    if (problems.hasErrors()) return { ok: false, diagnostics: problems.sorted() };

    const published = publish(resolved, publishing);
    options.onProgress?.({ phase: 'render', posts: published.length });
    const profiles = [...validated.profiles.values()];
    const rendered = await renderSite(
      published,
      checked.commentsByPost,
      profiles,
      renderStage,
      problems,
      assets,
      session,
    );
    // A document stopped at its render time budget (render-timeout); a post's missing files (missing-asset).
    if (problems.hasErrors()) return { ok: false, diagnostics: problems.sorted() };
    const site = {
      ...withPages(rendered, pages.pages),
      ...(theme.stylesheet ? { stylesheet: theme.stylesheet } : {}),
    };
    return { ok: true, site: site as Site<z.output<TPost>, z.output<TComment>>, warnings: problems.sorted() };
  } finally {
    // A load that failed drops its session (the renders it made stay cached); rendering closed it.
    await session?.discard();
    await saving;
  }
}
