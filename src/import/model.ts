import type { DiagnosticCode } from '../diagnostics/codes';
import type { Diagnostic } from '../diagnostics/diagnostic';
import type { CommentStatus } from '../schema/content';

/** The export formats `broadsheet import` reads. */
export const importFormats = ['wordpress', 'blogger', 'ghost', 'feed'] as const;
/** One of {@link importFormats}. */
export type ImportFormat = (typeof importFormats)[number];

/** Where an item starts in the export (1-based), for diagnostics. */
export interface SourcePlace {
  line: number;
  column: number;
}

/** A post or page as a reader found it in an export, before it is made into a file. */
export interface ImportedPost {
  kind: 'post' | 'page';
  /** The export's own id of the item (comments refer to it). */
  sourceId: string;
  /** Plain text (a reader decodes a title the format gives as HTML). */
  title: string;
  /** RFC 3339 date-time, or `undefined` when the export has none. */
  date?: string;
  updated?: string;
  /** The old permalink (absolute URL or path): the slug comes from it, and a redirect when the path changes. */
  link?: string;
  /** The slug the old platform gave the item, used when the link has none. */
  slug?: string;
  /** Body HTML. */
  html: string;
  draft: boolean;
  /** Display names of categories and tags, plain text. */
  tags: string[];
  /** Export ids of its authors (as given to {@link ImportSink.author}). */
  authors: string[];
  summary?: string;
  image?: string;
  /** `true` when the old blog had closed comments on it. */
  commentsClosed?: boolean;
  place: SourcePlace;
}

/** A comment as a reader found it. */
export interface ImportedComment {
  sourceId: string;
  /** The export id of the comment it replies to. */
  parentSourceId?: string;
  author: { name: string; url?: string; email?: string };
  /** RFC 3339 date-time. */
  date?: string;
  html: string;
  status: CommentStatus;
  place: SourcePlace;
}

/** An author profile as a reader found it. */
export interface ImportedAuthor {
  /** The export's id for the author (a login, a Ghost user id, a Blogger name). */
  sourceId: string;
  /** Used for the profile's file name; the source id when absent. */
  slug?: string;
  name: string;
  url?: string;
  bio?: string;
  avatar?: string;
}

/** What a reader tells the writer as it reads: items, one at a time, in the export's order. */
export interface ImportSink {
  author(author: ImportedAuthor): void;
  /** A post or page, and the comments of it the reader has (more may come by {@link comments}). */
  post(post: ImportedPost, comments?: ImportedComment[]): void;
  /** Comments of an item already given to {@link post}, or given later in the file. */
  comments(postSourceId: string, comments: ImportedComment[]): void;
  /** Something the export holds that is not imported, with the reason. */
  skip(place: SourcePlace, what: string, reason: string): void;
  /** Something imported, but changed to fit (a protected post made a draft), with the reason. */
  note(place: SourcePlace, code: DiagnosticCode, message: string): void;
  /** A file the old blog hosted (an image, an upload): listed, not downloaded. */
  attachment(url: string): void;
  /** Bytes of the export read so far. */
  progress(bytesRead: number): void;
}

/** Options of a reader. */
export interface ReaderOptions {
  /** Keep pingbacks and trackbacks as comments (WordPress); they are skipped by default. */
  pingbacks: boolean;
}

/**
 * Reads an export file and tells `sink` what it holds. Returns diagnostics for a malformed export
 * (`file:line:col`); the items read before the fault have been given to the sink.
 */
export type ExportReader = (
  file: string,
  displayName: string,
  sink: ImportSink,
  options: ReaderOptions,
) => Promise<Diagnostic[]>;
