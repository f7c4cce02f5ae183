import type { PluggableList } from 'unified';
import { z } from 'zod';
import type { CommentsConfig } from './comments-config';
import { commentsConfigSchema } from './comments-config';
import type { CommentSchema, PostSchema } from './content';
import { isLanguageTag, isTimeZone } from './dates';
import { httpUrl } from './urls';

const relativePath = z
  .string()
  .min(1)
  .refine((value) => !value.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(value), {
    message: 'must be a path relative to the site root',
  });

/** The formats of a feed: RSS 2.0, Atom 1.0, JSON Feed 1.1. */
export const FEED_FORMATS = ['rss', 'atom', 'json'] as const;

/** One of {@link FEED_FORMATS}. */
export type FeedFormat = (typeof FEED_FORMATS)[number];

const isFunction = (value: unknown): value is (...args: never[]) => unknown => typeof value === 'function';

const pluginList = z.array(z.unknown()).default([]);

/** The default of `markdown.renderTimeoutMs`: the render time budget of one document, in milliseconds. */
export const DEFAULT_RENDER_TIMEOUT_MS = 10_000;

/**
 * The names of the markdown shape limits of posts and pages that the config may set
 * (`markdown.limits`): the keys of `MarkdownLimits` (src/load/markdown-limits.ts, where each is
 * described; a type test keeps the two lists equal).
 */
export const MARKDOWN_LIMIT_NAMES = [
  'characters',
  'nesting',
  'containers',
  'blocks',
  'delimiters',
  'documentDelimiters',
  'brackets',
  'cells',
  'inline',
  'setextHeadings',
] as const;

/**
 * `markdown.limits`: the operator's values for some of the markdown shape limits of posts and
 * pages, each a positive integer; the others keep their defaults (docs/security.md, "Limits").
 * Comments keep theirs: visitors are untrusted.
 */
export type MarkdownLimitsConfig = Partial<Record<(typeof MARKDOWN_LIMIT_NAMES)[number], number>>;

const markdownLimitsSchema = z
  .object(
    Object.fromEntries(
      MARKDOWN_LIMIT_NAMES.map((name) => [name, z.number().int().min(1).optional()]),
    ) as Record<(typeof MARKDOWN_LIMIT_NAMES)[number], z.ZodOptional<z.ZodNumber>>,
  )
  .default({});

/**
 * A page kind's template as this layer knows it: a function. Its precise type (the data of its page
 * kind, the `html` fragment it returns) is `ThemeTemplates` in src/outputs/pages/theme.ts, which
 * the `BroadsheetConfig` and `defineConfig` that broadsheet exports use.
 */
export type LooseTemplate = (data: never, byDefault: never) => unknown;

/** The page kinds a theme may give a template. */
export type TemplateKind = 'home' | 'post' | 'tagIndex' | 'tag' | 'page' | 'notFound';

const template = () =>
  z.custom<LooseTemplate>(isFunction, 'must be a function (data, byDefault) => html`…`').optional();

/** A site's theme: its stylesheet, extra head HTML and page templates. */
export interface ThemeConfig<TTemplates = Partial<Record<TemplateKind, LooseTemplate>>> {
  /**
   * A CSS file relative to the root: appended to the default stylesheet (`mode: 'extend'`, the
   * default) or instead of it (`mode: 'replace'`).
   */
  stylesheet?: { file: string; mode?: 'extend' | 'replace' };
  /** Trusted HTML added to the `<head>` of every page, as it is (not escaped). */
  head?: string;
  /** Page kinds whose `<main>` a function makes instead of the default template (TS/JS config only). */
  templates?: TTemplates;
}

/**
 * The configuration schema: the site settings, folders, paging, feeds, markdown plugins, theme and schema extensions. `broadsheet.config.json` is checked against it; so is the
 * object a TS or JS config exports.
 */
export const configSchema = z.object({
  site: z.object({
    title: z.string().min(1),
    url: httpUrl,
    description: z.string().optional(),
    language: z
      .string()
      .refine(isLanguageTag, { message: 'must be a BCP 47 language tag such as en or pt-BR' })
      .default('en'),
    timezone: z
      .string()
      .refine(isTimeZone, { message: 'must be an IANA time zone such as UTC or Europe/Paris' })
      .default('UTC'),
    author: z
      .object({ name: z.string().min(1), email: z.string().optional(), url: httpUrl.optional() })
      .optional(),
    copyright: z.string().optional(),
  }),
  content: relativePath.default('content'),
  out: relativePath.default('public'),
  static: relativePath.default('static'),
  postsPerPage: z.number().int().min(1).default(10),
  feeds: z
    .object({
      limit: z.number().int().min(1).default(20),
      fullContent: z.boolean().default(true),
      postComments: z
        .array(z.enum(FEED_FORMATS))
        .refine((formats) => new Set(formats).size === formats.length, {
          message: 'lists a format twice',
        })
        .default(['atom']),
    })
    .prefault({}),
  future: z.boolean().default(false),
  theme: z
    .object({
      stylesheet: z
        .object({ file: relativePath, mode: z.enum(['extend', 'replace']).default('extend') })
        .optional(),
      head: z.string().optional(),
      templates: z
        .object({
          home: template(),
          post: template(),
          tagIndex: template(),
          tag: template(),
          page: template(),
          notFound: template(),
        })
        .optional(),
    })
    .optional(),
  comments: commentsConfigSchema,
  markdown: z
    .object({
      remarkPlugins: pluginList,
      rehypePlugins: pluginList,
      renderTimeoutMs: z.number().int().min(1).max(3_600_000).default(DEFAULT_RENDER_TIMEOUT_MS),
      limits: markdownLimitsSchema,
    })
    .prefault({}),
  schema: z
    .object({
      post: z
        .custom<(base: PostSchema) => z.ZodType>(isFunction, 'must be a function (base) => schema')
        .optional(),
      comment: z
        .custom<(base: CommentSchema) => z.ZodType>(isFunction, 'must be a function (base) => schema')
        .optional(),
    })
    .optional(),
});

/** The configuration after defaults are applied. */
export type ResolvedConfig = Omit<z.output<typeof configSchema>, 'markdown' | 'schema'> & {
  markdown: {
    remarkPlugins: PluggableList;
    rehypePlugins: PluggableList;
    renderTimeoutMs: number;
    /** Only the limits the config sets; `postMarkdownLimits` (src/load/markdown-limits.ts) adds the defaults. */
    limits: MarkdownLimitsConfig;
  };
};

/**
 * What a site's `broadsheet.config.ts` exports. `TPost` and `TComment` are the schemas that
 * `schema.post` and `schema.comment` return; the types of `loadSite`'s posts and comments follow them.
 * `TTemplates` types `theme.templates` (broadsheet's export of this type fills it in).
 */
export interface BroadsheetConfig<
  TPost extends z.ZodType = PostSchema,
  TComment extends z.ZodType = CommentSchema,
  TTemplates = Partial<Record<TemplateKind, LooseTemplate>>,
> {
  site: {
    title: string;
    /** Absolute http(s) URL, the base of every link and feed id. May hold a path: `https://example.com/blog/`. */
    url: string;
    description?: string;
    /** BCP 47 tag, default `en`. */
    language?: string;
    /** IANA zone in which a date-only `date` is read, default `UTC`. */
    timezone?: string;
    author?: { name: string; email?: string; url?: string };
    copyright?: string;
  };
  /** Content folder relative to the root, default `content`. */
  content?: string;
  /** Output folder relative to the root, default `public`. */
  out?: string;
  /** Folder relative to the root whose files are copied verbatim to the root of `out`, default `static`. */
  static?: string;
  postsPerPage?: number;
  feeds?: {
    limit?: number;
    fullContent?: boolean;
    /** Formats of each post's comment feeds under `posts/<slug>/comments/`, default `['atom']`; `[]` for none. */
    postComments?: FeedFormat[];
  };
  future?: boolean;
  /** Stylesheet, head HTML and page templates of the site's pages. */
  theme?: ThemeConfig<TTemplates>;
  /** Comment intake: where the form posts, length and rate limits. */
  comments?: CommentsConfig;
  markdown?: {
    remarkPlugins?: PluggableList;
    rehypePlugins?: PluggableList;
    /**
     * The render time budget of one document (post, page or comment), in milliseconds, default
     * 10,000: a render thread still on a document after it is stopped and the document is a
     * `render-timeout` error (docs/security.md).
     */
    renderTimeoutMs?: number;
    /**
     * Raises (or lowers) the markdown shape limits of posts and pages: any of `characters`,
     * `nesting`, `containers` (list items and quotes), `blocks`, `delimiters`,
     * `documentDelimiters`, `brackets`, `cells`, `inline`, `setextHeadings`, each a positive
     * integer; the rest keep their defaults (docs/security.md, "Limits"). Past the defaults, the
     * render time budget (`renderTimeoutMs`) is what bounds a post's render. Comment limits are fixed.
     *
     * @example
     * ```ts
     * markdown: { limits: { containers: 5_000, characters: 400_000 } }
     * ```
     */
    limits?: MarkdownLimitsConfig;
  };
  schema?: {
    post?: (base: PostSchema) => TPost;
    comment?: (base: CommentSchema) => TComment;
  };
}
