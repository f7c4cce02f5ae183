import type { z } from 'zod';
import { DiagnosticCollector } from '../diagnostics/collector';
import type { Diagnostic } from '../diagnostics/diagnostic';
import { codeIdentity } from '../fingerprint/code';
import { decodeText, type ParsedFile, parseFrontMatterFile, parseYamlFile } from '../parse/parse';
import { validateData } from '../parse/validate';
import type { ResolvedConfig } from '../schema/config';
import { authorSchema, COMMENT_ID_PATTERN, SLUG_PATTERN } from '../schema/content';
import { datePartsToInstant, parseDateParts } from '../schema/dates';
import type { Author } from '../site/types';
import type { SourceFile } from './files';
import type { FrontMatterStore } from './front-matter-cache';
import { markdownLimitDiagnostic, postMarkdownLimits } from './markdown-limits';
import type { CommentSource, PostSource } from './sources';

/**
 * The longest comment body accepted. Visitors' text is untrusted, and the markdown parser slows down
 * sharply on some crafted inputs (tens of thousands of nested brackets), so an approved comment
 * could otherwise stall every build. WordPress's own limit is 65,525 characters.
 */
const MAX_COMMENT_CHARACTERS = 20_000;

/** What {@link validateFiles} is handed: the config, the schemas and the front matter store. */
export interface ValidateContext {
  config: ResolvedConfig;
  postSchema: z.ZodType;
  commentSchema: z.ZodType;
  /** Parsed front matter from earlier loads, by each file's bytes (see `frontMatterStore`). */
  frontMatter: FrontMatterStore;
  /** Whole outcomes of files from an earlier load, by path and bytes (a watch loop's `LoadedFileStore`). */
  outcomes?: FileOutcomeStore;
  /** Told each file's outcome as soon as it is known (a build hands posts to its render threads). */
  onOutcome?: (outcome: FileOutcome) => void;
}

/** The files that parsed and validated, and what the cross-file checks must know of the others. */
export interface ValidatedFiles {
  posts: PostSource[];
  comments: CommentSource[];
  /** Author profiles by id. */
  profiles: Map<string, Author>;
  /** Slugs a post that failed validation may have had: comments under them are not reported again. */
  slugsOfInvalidPosts: Set<string>;
  /** Comments that failed validation, as `<post-slug>/<id>`: replies to them are not reported again. */
  invalidComments: Set<string>;
}

/**
 * What one file gives the validate stage on its own: at most one of a post, a comment or an author
 * profile, what the cross-file checks must know of it when it failed, and its diagnostics. It depends
 * only on the file (its path and bytes) and the {@link ValidateContext}'s config and schemas, so a
 * watch loop may keep it for the next load of the same bytes (see `LoadedFileStore`).
 */
export interface FileOutcome {
  post?: PostSource;
  comment?: CommentSource;
  profile?: Author;
  /** Slugs of a post that failed validation. */
  invalidSlugs?: string[];
  /** `<post-slug>/<id>` of a comment that failed validation. */
  invalidComment?: string;
  diagnostics: Diagnostic[];
}

/**
 * Where the validate stage finds a file's outcome from an earlier load: `outcome` answers from what
 * it kept for the same path and bytes, or calls `validate` (and may keep its answer).
 */
export interface FileOutcomeStore {
  /** `index` is the file's index in the list handed to {@link validateFiles}. */
  outcome(source: SourceFile, validate: () => FileOutcome, index: number): FileOutcome;
}

/**
 * The second stage of a load: decodes, parses and validates every file on its own (front matter
 * against the post or comment schema, profiles against the author schema, slugs, comment ids and
 * lengths), reporting each problem to `problems`. Empties `files` as it goes: the bytes are not
 * needed once parsed (100,000 posts are 270 MB of them).
 */
export function validateFiles(
  files: SourceFile[],
  context: ValidateContext,
  problems: DiagnosticCollector,
): ValidatedFiles {
  const result: ValidatedFiles = {
    posts: [],
    comments: [],
    profiles: new Map(),
    slugsOfInvalidPosts: new Set(),
    invalidComments: new Set(),
  };
  const toInstant = instantReader(context.config);
  for (const [index, source] of files.entries()) {
    const validate = () => validateFile(source, index, context, toInstant);
    const outcome = context.outcomes ? context.outcomes.outcome(source, validate, index) : validate();
    problems.addAll(outcome.diagnostics);
    context.onOutcome?.(outcome);
    if (outcome.post) result.posts.push(outcome.post);
    if (outcome.comment) result.comments.push(outcome.comment);
    if (outcome.profile) result.profiles.set(outcome.profile.id, outcome.profile);
    for (const slug of outcome.invalidSlugs ?? []) result.slugsOfInvalidPosts.add(slug);
    if (outcome.invalidComment) result.invalidComments.add(outcome.invalidComment);
  }
  files.length = 0;
  return result;
}

function instantReader(config: ResolvedConfig): (text: string) => Date {
  return (text) => datePartsToInstant(parseDateParts(text)!, config.site.timezone);
}

/** Decodes, parses and validates one file on its own. */
function validateFile(
  source: SourceFile,
  index: number,
  context: ValidateContext,
  toInstant: (text: string) => Date,
): FileOutcome {
  const problems = new DiagnosticCollector();
  const done = (outcome: Omit<FileOutcome, 'diagnostics'>): FileOutcome => ({
    ...outcome,
    diagnostics: problems.sorted(),
  });
  const parsed = parseSource(source, index, context.frontMatter, problems);
  if (!parsed) {
    // A post that does not parse has its file name's slug at least: its comments are not reported.
    return done(source.kind === 'post' ? { invalidSlugs: [fileSlugOf(source.id)] } : {});
  }
  if (source.kind === 'author') {
    const { data, diagnostics } = validateData(parsed, authorSchema);
    problems.addAll(diagnostics);
    return done(data ? { profile: { id: source.id, ...data } } : {});
  }
  if (source.kind === 'post') {
    const { data, diagnostics } = validateData(parsed, context.postSchema);
    problems.addAll(diagnostics);
    const fileSlug = fileSlugOf(source.id);
    if (!data) {
      const invalidSlugs = [fileSlug];
      if (typeof parsed.data.slug === 'string') invalidSlugs.push(parsed.data.slug);
      return done({ invalidSlugs });
    }
    const post = data as PostSource['data'];
    const slug = post.slug ?? fileSlug;
    if (!post.slug && !SLUG_PATTERN.test(slug)) {
      problems.error(
        parsed,
        [],
        'invalid-slug',
        `the ${source.assets ? 'folder' : 'file'} name gives the slug "${slug}", which is not lower-case letters and digits joined by hyphens: rename the ${source.assets ? 'folder' : 'file'} or set \`slug\``,
      );
      return done({ invalidSlugs: [slug] });
    }
    const tooComplex = markdownLimitDiagnostic(parsed, 'post', postMarkdownLimits(context.config));
    if (tooComplex) problems.addAll([tooComplex]);
    const date = toInstant(post.date);
    const updated = post.updated ? toInstant(post.updated) : undefined;
    if (updated && updated < date) {
      problems.error(
        parsed,
        ['updated'],
        'updated-before-date',
        `updated (${post.updated}) is before date (${post.date})`,
      );
    }
    return done({ post: { parsed, data: post, slug, date, updated } });
  }
  if (!COMMENT_ID_PATTERN.test(source.id)) {
    problems.error(
      parsed,
      [],
      'invalid-comment-id',
      `comment id "${source.id}" must be letters, digits, "-" and "_"`,
    );
    return done({});
  }
  const invalidComment = `${source.postSlug}/${source.id}`;
  if (parsed.body.length > MAX_COMMENT_CHARACTERS) {
    problems.error(
      parsed,
      [],
      'comment-too-long',
      `the comment is ${parsed.body.length} characters long; the limit is ${MAX_COMMENT_CHARACTERS}`,
    );
    return done({ invalidComment });
  }
  const { data, diagnostics } = validateData(parsed, context.commentSchema);
  problems.addAll(diagnostics);
  if (!data) return done({ invalidComment });
  const comment = data as CommentSource['data'];
  // Only approved comments are rendered: a pending one from a visitor is never parsed, so cannot
  // stall (or fail) a build.
  const tooComplex =
    (comment.status ?? 'approved') === 'approved' && markdownLimitDiagnostic(parsed, 'comment');
  if (tooComplex) {
    problems.addAll([tooComplex]);
    return done({ invalidComment });
  }
  return done({
    comment: {
      parsed,
      file: parsed.file,
      data: comment,
      id: source.id,
      postSlug: source.postSlug!,
      date: toInstant(comment.date),
      status: comment.status ?? 'approved',
    },
  });
}

/** Decodes and parses one file, or reports why it cannot be; the front matter store answers repeats. */
function parseSource(
  source: SourceFile,
  index: number,
  store: FrontMatterStore,
  problems: DiagnosticCollector,
): ParsedFile | undefined {
  // The same front matter parsed without a diagnostic before, in a file of valid UTF-8: no `yaml`.
  const hit = store.take(index);
  if (hit) return parsedFromText(source.file, hit.text, hit.bodyStart, hit.data);
  const decoded = decodeText(source.file, source.bytes);
  if ('diagnostic' in decoded) {
    problems.addAll([decoded.diagnostic]);
    return undefined;
  }
  if (source.kind === 'author') {
    const result = parseYamlFile(source.file, decoded.text);
    if ('diagnostics' in result) {
      problems.addAll(result.diagnostics);
      return undefined;
    }
    return result.parsed;
  }
  const result = parseFrontMatterFile(source.file, decoded.text);
  if ('diagnostics' in result) {
    problems.addAll(result.diagnostics);
    return undefined;
  }
  // The body is the end of the text: what comes before it is the front matter and its fences.
  const bodyStart = decoded.text.length - result.parsed.body.length;
  store.save(index, decoded.text, { data: result.parsed.data, bodyStart });
  return parsedFromText(source.file, decoded.text, bodyStart, result.parsed.data);
}

/**
 * A parsed file without its YAML document, which weighs about 5 KB a file (500 MB for 100,000
 * posts) and is only needed to point a diagnostic at a key: `positionOf` parses the front matter
 * again (a copy of its text, a few hundred bytes, is kept) the first time it is called. Without
 * `data` (a file whose validated outcome came from the loaded-post cache, which keeps only what
 * validation gave), the front matter's data is parsed again the first time it is read.
 */
export function parsedFromText(
  file: string,
  text: string,
  bodyStart: number,
  data?: Record<string, unknown>,
): ParsedFile {
  // The body is a slice of the text, which it keeps alive anyway: the front matter's text is taken
  // from it only when a position is asked for.
  const body = text.slice(bodyStart);
  let bodyLine = 1;
  for (
    let index = text.indexOf('\n');
    index !== -1 && index < bodyStart;
    index = text.indexOf('\n', index + 1)
  )
    bodyLine++;
  let again: ReturnType<typeof parseFrontMatterFile> | undefined;
  const parsedAgain = () => {
    again ??= parseFrontMatterFile(file, text.slice(0, bodyStart));
    return 'parsed' in again ? again.parsed : undefined;
  };
  const parsed: ParsedFile = {
    file,
    data: data ?? {},
    body,
    bodyLine,
    positionOf: (at, options) => parsedAgain()?.positionOf(at, options) ?? { line: 1, column: 1 },
  };
  if (!data) {
    Object.defineProperty(parsed, 'data', {
      enumerable: true,
      configurable: true,
      get: () => parsedAgain()?.data ?? {},
    });
  }
  return parsed;
}

/**
 * What identifies the validate stage's code for the loaded-post cache (beside broadsheet's version):
 * the source text of the functions whose outcome it stores.
 */
export function validatorIdentity(): string {
  return codeIdentity([
    validateFile,
    parseSource,
    parsedFromText,
    fileSlugOf,
    instantReader,
    validateData,
    markdownLimitDiagnostic,
  ]);
}

/** The slug a post file's name gives: the name without a leading `YYYY-MM-DD-`. */
function fileSlugOf(id: string): string {
  return id.replace(/^\d{4}-\d{2}-\d{2}-/, '');
}
