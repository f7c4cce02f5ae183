import type { ResolvedConfig } from '../schema/config';
import type { CommentFrontMatter, PostFrontMatter } from '../schema/content';
import type { PageFrontMatter } from '../schema/page';

/** A heading of a post, for a table of contents. */
export interface Heading {
  /** 1 for `<h1>` … 6 for `<h6>`. */
  depth: number;
  /** The heading's plain text. */
  text: string;
  /** The `id` of the heading element, unique within the post. */
  id: string;
}

/** A person credited on a post: a profile from `content/authors/`, or `site.author`. */
export interface Author {
  /** The profile's file name without `.yaml`; `site` for `site.author`. */
  id: string;
  name: string;
  email?: string;
  url?: string;
  avatar?: string;
  bio?: string;
}

/** A tag as a post refers to it. */
export interface TagRef {
  /** The display name, as first written in a post. */
  name: string;
  /** GitHub-style slug of the name. */
  slug: string;
  /** Absolute URL of the tag's page. */
  url: string;
}

/** A tag with its published posts, newest first. */
export interface Tag<TPostData = PostFrontMatter> extends TagRef {
  posts: Post<TPostData>[];
}

/** A visitor as a published comment shows them. The email is never part of it. */
export interface CommentAuthor {
  /** Plain text; tags in the name are stripped. */
  name: string;
  /** Kept only when it is an http(s) URL. */
  url?: string;
}

/** An approved comment, ready to publish. */
export interface Comment<TCommentData = CommentFrontMatter> {
  /** The file name without `.md`, unique within its post. */
  id: string;
  /** The slug of the post it belongs to. */
  postSlug: string;
  /** The id of the comment it replies to. */
  parent?: string;
  /** How deep it sits in its thread: 0 for a top-level comment. */
  depth: number;
  author: CommentAuthor;
  date: Date;
  /** Sanitised HTML at the strictest trust level, links absolute. */
  html: string;
  /** Absolute URL of the comment: the post's URL with `#comment-<id>`. */
  url: string;
  /** The file it came from, relative to the site root. */
  file: string;
  /** The validated front matter, with `author.email` removed. */
  data: TCommentData;
}

/** A published post. */
export interface Post<TPostData = PostFrontMatter, TCommentData = CommentFrontMatter> {
  slug: string;
  title: string;
  date: Date;
  updated?: Date;
  /** Absolute URL of the post's page (`<site.url>posts/<slug>/`). */
  url: string;
  /** The file it came from, relative to the site root. */
  file: string;
  /** Plain-text summary: front matter `summary`, else the text before `<!-- more -->`, else the first paragraph. */
  summary: string;
  tags: TagRef[];
  authors: Author[];
  /** `false` when the post's front matter says `comments: false`. */
  commentsOpen: boolean;
  lang: string;
  canonical?: string;
  image?: string;
  /** Sanitised HTML of the body; every `href` and `src` is absolute (resolved against `url`). */
  html: string;
  headings: Heading[];
  wordCount: number;
  /** Minutes, at least 1. */
  readingTime: number;
  /** Approved comments, oldest first. */
  comments: Comment<TCommentData>[];
  /** The validated front matter, including the fields a `schema.post` extension adds. */
  data: TPostData;
  /**
   * Only for a post folder (`content/posts/<name>/index.md`) with other files: those files, by
   * path, published beside the post's page (`posts/<slug>/<path>`).
   */
  assets?: PostAsset[];
  /**
   * Only in a preview (`loadSite({preview})`, `broadsheet dev`): why a build would leave this post
   * out, `draft` (front matter `draft: true`) or `future` (dated after the build time). Absent on
   * every published post.
   */
  unpublished?: 'draft' | 'future';
}

/** A file of a post folder, published beside the post's page. */
export interface PostAsset {
  /** Its path inside the post's folder and below the post's page, `/`-separated: `pic.png`, `files/a.pdf`. */
  path: string;
  /** The file it is copied from, relative to the site root. */
  file: string;
}

/** A page of the site (`content/pages/**\/*.md`): About, Contact. Not in feeds. */
export interface SitePage {
  /** Its path without the trailing slash: `about`, `docs/setup`. */
  slug: string;
  /** Its folder relative to the site root: `about/`. */
  path: string;
  /** Absolute URL of the page. */
  url: string;
  /** The file it came from, relative to the site root. */
  file: string;
  title: string;
  /** Plain text: front matter `summary`, else the first paragraph. */
  summary: string;
  /** Its place in the site's navigation, lower first; `undefined`: not in it. */
  menu?: number;
  lang: string;
  image?: string;
  /** When it last changed: its `updated`, else its `date`; none when it has neither. */
  updated?: Date;
  /** Sanitised HTML of the body; every `href` and `src` is absolute. */
  html: string;
  headings: Heading[];
  /** The validated front matter. */
  data: PageFrontMatter;
}

/** A theme's CSS: appended to the default stylesheet, or instead of it. */
export interface ThemeStylesheet {
  css: string;
  mode: 'extend' | 'replace';
}

/** An entry of the site's navigation: a page with `menu`. */
export interface MenuItem {
  title: string;
  url: string;
}

/**
 * A whole site, loaded, validated, resolved and rendered: what every output is made from.
 * It holds no absolute file-system path and no clock reading, so outputs made from it are
 * byte-identical for the same content.
 */
export interface Site<TPostData = PostFrontMatter, TCommentData = CommentFrontMatter> {
  config: ResolvedConfig;
  /** `site.url`, with a trailing slash. */
  url: string;
  /** Published posts, newest first (ties broken by slug). */
  posts: Post<TPostData, TCommentData>[];
  /** Tags of the published posts, ordered by slug. */
  tags: Tag<TPostData>[];
  /** Every author profile, ordered by id. */
  authors: Author[];
  /** Approved comments on published posts, newest first. */
  comments: Comment<TCommentData>[];
  /** Published pages, by path. */
  pages: SitePage[];
  /** The site's navigation: the pages with `menu`, by `menu` then path. Every page shows it. */
  menu: MenuItem[];
  /** The theme's stylesheet (`theme.stylesheet`), read from its file; else the default alone. */
  stylesheet?: ThemeStylesheet;
}

/** One file an output produces, with a path relative to the output folder (always `/`-separated). */
export interface OutputFile {
  path: string;
  contents: string;
  /**
   * Only in a build's own plan, never from an output function: the file of the site (in `static/`)
   * whose bytes the file is, copied verbatim; `contents` is then empty.
   */
  source?: string;
}
