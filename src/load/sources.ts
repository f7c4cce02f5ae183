import type { ParsedFile } from '../parse/parse';
import type { PostFrontMatter } from '../schema/content';
import type { LoadedComment } from '../site/threads';

/** A post file that parsed and validated, before the cross-file checks. */
export interface PostSource {
  parsed: ParsedFile;
  data: Record<string, unknown> & PostFrontMatter;
  slug: string;
  date: Date;
  updated?: Date;
}

/** A comment file that parsed and validated, before the cross-file checks. */
export interface CommentSource extends LoadedComment {
  parsed: ParsedFile;
  /** The slug of the post it is on: its folder's name. */
  postSlug: string;
}
