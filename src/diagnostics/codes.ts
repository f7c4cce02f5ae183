import type { Severity } from './diagnostic';

/** One row of the catalog: codes that share a description (one row of the table in docs/cli.md). */
export interface DiagnosticCodeRow {
  readonly codes: readonly string[];
  /** Families of codes written in the table after the codes (`config-<code>`). */
  readonly families?: readonly string[];
  /** `warning` for codes that never fail a build; errors otherwise. */
  readonly severity: Severity;
  /** When the codes are reported, as docs/cli.md says it. */
  readonly what: string;
}

/** A section of the catalog: the codes of one stage of the pipeline. */
export interface DiagnosticCodeSection {
  readonly title: string;
  /** Said after the title in docs/cli.md (`exit code 2`). */
  readonly note?: string;
  readonly rows: readonly DiagnosticCodeRow[];
}

/**
 * Every diagnostic code broadsheet reports, by stage: the one list of them. The table of codes in
 * docs/cli.md is this catalog written out (tests/diagnostics/codes.test.ts checks that they are
 * the same), and {@link diagnostic} accepts only a code listed here. A new code goes here first.
 * Config problems are the codes of `config` plus any field code (`files` to `across files`) with
 * the prefix `config-` (`config-invalid-url`).
 */
export const diagnosticCatalog = [
  {
    title: 'files',
    rows: [
      { codes: ['missing-content'], severity: 'error', what: 'the content folder does not exist' },
      {
        codes: ['empty-file', 'invalid-utf8', 'file-too-large'],
        severity: 'error',
        what: 'a content file is empty, is not UTF-8, or is over 2 MiB',
      },
      {
        codes: ['unreadable-file', 'not-a-file', 'broken-symlink', 'symlink-loop'],
        severity: 'error',
        what: 'a file or folder cannot be read, is a folder named like a post or comment or is not a regular file (a FIFO, socket or device: never read, so never a hang), or is a bad link',
      },
      {
        codes: ['symlink-outside-root'],
        severity: 'error',
        what: 'a symbolic link (to a file or a folder, `content/posts` and `content` included) whose target is outside the site root: nothing outside the root is published',
      },
      {
        codes: ['folder-too-deep'],
        severity: 'error',
        what: 'folders nested more than 32 deep under `posts/` or a comment folder: nothing below is read',
      },
      {
        codes: ['misplaced-comment'],
        severity: 'error',
        what: 'a comment that is not at `comments/<post-slug>/<id>.md`',
      },
    ],
  },
  {
    title: 'front matter',
    rows: [
      {
        codes: ['missing-front-matter', 'unclosed-front-matter', 'invalid-front-matter'],
        severity: 'error',
        what: 'no `---` block, no closing `---`, or front matter that is not a mapping',
      },
      {
        codes: ['invalid-yaml', 'duplicate-key'],
        severity: 'error',
        what: 'YAML that does not parse, a key given twice',
      },
      {
        codes: ['front-matter-too-large', 'too-many-keys'],
        severity: 'error',
        what: 'front matter (or an author file) over 65,536 characters or 2,000 keys at all depths ([security](security.md#limits))',
      },
      {
        codes: ['missing-field', 'missing-value'],
        severity: 'error',
        what: 'a required field is missing, or a key has no value',
      },
      {
        codes: ['invalid-type', 'invalid-value', 'too-long', 'too-short', 'out-of-range'],
        severity: 'error',
        what: "a value of the wrong type or outside the field's limits",
      },
      {
        codes: ['invalid-date', 'invalid-slug', 'invalid-url', 'invalid-language'],
        severity: 'error',
        what: 'a value in the wrong format (a date before the year 0100 or on a leap second `:60`; a URL that is not http(s) as written, or, for `image` and `avatar`, a relative path: see [security](security.md#urls))',
      },
      {
        codes: ['invalid-alias'],
        severity: 'error',
        what: 'an `aliases` entry that is not a path from the site root (it must start with `/`, with no `.`/`..` segment, `?`, `#` or space)',
      },
      {
        codes: ['unknown-key'],
        severity: 'warning',
        what: 'a key the schema does not know, with the known key it likely means: the one other tools use the key for (`name`, `email` → `author`; `published` → `date`; `categories` → `tags`; `reply_to` → `parent`), else the closest spelling',
      },
    ],
  },
  {
    title: 'across files',
    rows: [
      {
        codes: ['duplicate-slug'],
        severity: 'error',
        what: 'two posts with the same slug (both files named)',
      },
      { codes: ['updated-before-date'], severity: 'error', what: "a post's `updated` before its `date`" },
      { codes: ['unknown-post'], severity: 'error', what: 'a comment folder with no post of that slug' },
      {
        codes: ['invalid-comment-id'],
        severity: 'error',
        what: 'a comment file name that is not letters, digits, `-` and `_`',
      },
      {
        codes: ['comment-too-long'],
        severity: 'error',
        what: "a comment body over 20,000 characters (visitors' text; some crafted markdown stalls the parser)",
      },
      {
        codes: ['markdown-too-long', 'markdown-too-complex'],
        severity: 'error',
        what: 'a post or page over 150,000 characters (a comment over 20,000), or a post, page or approved comment over a shape limit (nesting on one line, emphasis marks in one block, setext headings, and the shared budget of list items, blocks, emphasis marks, `[`, table cells and inline markup in the document), at the line at fault; for a post or page the message names the config key that raises the limit (`markdown.limits.<name>`) ([security](security.md#limits))',
      },
      {
        codes: ['missing-asset', 'invalid-asset-name'],
        severity: 'error',
        what: "a relative link or image in a post that leads into the post's folder but to no file of it (a file post has none: make it a folder, `posts/<name>/index.md`), or that climbs above the site's root, at the reference's line and column; a file of a post folder with a backslash or a control character in its name",
      },
      { codes: ['comment-before-post'], severity: 'error', what: 'a comment dated before its post' },
      {
        codes: ['unknown-parent', 'parent-cycle'],
        severity: 'error',
        what: 'a `parent` that is not a comment on the same post, or replies that form a cycle',
      },
      {
        codes: ['invalid-comment-url'],
        severity: 'warning',
        what: "a visitor's `url` that is not http(s): it is dropped",
      },
      {
        codes: ['unknown-author'],
        severity: 'error',
        what: 'an `authors` id with no `content/authors/<id>.yaml`',
      },
      {
        codes: ['invalid-tag', 'tag-collision'],
        severity: 'error',
        what: 'a tag with nothing to make a slug from, or two tag names with the same slug (both named)',
      },
      {
        codes: ['reserved-page-path'],
        severity: 'error',
        what: "a page of `content/pages/` at a path the site's own outputs use: the home page (`index.md`), `posts/`, `tags/`, `page/`, `api/`, `comments/`",
      },
      {
        codes: ['invalid-page-path'],
        severity: 'error',
        what: 'a page whose path (file and folder names) is not lower-case words joined by hyphens',
      },
      {
        codes: ['duplicate-page-path'],
        severity: 'error',
        what: 'two page files for one path (`about.md` and `about/index.md`; both files named)',
      },
      {
        codes: ['missing-theme-file'],
        severity: 'error',
        what: "the config's `theme.stylesheet.file` cannot be read (at the config file)",
      },
    ],
  },
  {
    title: 'config',
    note: 'exit code 2',
    rows: [
      {
        codes: ['config-missing', 'config-unreadable', 'config-load-failed', 'config-invalid-json'],
        severity: 'error',
        what: 'no config file, or one that cannot be read, run or parsed',
      },
      {
        codes: ['config-invalid'],
        families: ['config-<code>'],
        severity: 'error',
        what: 'a config that is not an object, or a field code above prefixed with `config-` (`config-invalid-url`, …)',
      },
      {
        codes: ['config-invalid-schema'],
        severity: 'error',
        what: 'a `schema.post` or `schema.comment` function that throws or does not return a zod schema',
      },
      {
        codes: ['config-out-refused'],
        severity: 'error',
        what: '`build` refuses the output folder (see above), or cannot read it',
      },
      {
        codes: ['config-cache-in-out'],
        severity: 'error',
        what: "the cache folder is inside the output folder, or the output inside the cache folder (the cache holds commenters' emails)",
      },
    ],
  },
  {
    title: 'build',
    rows: [
      {
        codes: ['write-failed'],
        severity: 'error',
        what: 'the output could not be written; the previous output is unchanged',
      },
      {
        codes: ['static-collision', 'asset-collision'],
        severity: 'error',
        what: 'a file of `static/`, or of a post folder, at the path of a generated file or folder (both named); nothing is written',
      },
      {
        codes: ['render-timeout'],
        severity: 'error',
        what: 'a post, page or comment whose render ran past its time budget (`markdown.renderTimeoutMs`, 10 s by default) on a render thread: the thread was stopped ([security](security.md#limits))',
      },
      {
        codes: ['cache-corrupt'],
        severity: 'warning',
        what: 'a file of the cache cannot be read: it is ignored and rewritten (the build is the same)',
      },
    ],
  },
  {
    title: 'watch',
    rows: [
      {
        codes: ['load-failed'],
        severity: 'error',
        what: '`watchSite`: loading threw (a programmer error such as an invalid option); the watcher goes on',
      },
    ],
  },
  {
    title: 'import',
    note: "printed by `import`, at the export's line and column; at 1:1 for JSON",
    rows: [
      {
        codes: ['import-malformed-xml', 'import-malformed-json'],
        severity: 'error',
        what: 'the export is not well-formed XML or valid JSON, at the line and column where the parser stopped',
      },
      {
        codes: ['import-wrong-format'],
        severity: 'error',
        what: 'the export is of another format (`wordpress` given an Atom feed)',
      },
      {
        codes: ['import-unreadable-file'],
        severity: 'error',
        what: 'the export cannot be read',
      },
      {
        codes: ['import-write-failed'],
        severity: 'error',
        what: 'a content file cannot be written',
      },
      {
        codes: ['import-skipped'],
        severity: 'warning',
        what: 'an item not imported, with the reason',
      },
      {
        codes: ['import-made-draft'],
        severity: 'warning',
        what: 'a password-protected or members-only post imported as a draft',
      },
      {
        codes: ['import-empty-title', 'import-long-title'],
        severity: 'warning',
        what: 'a title made from the first words, or cut to 300 characters',
      },
      {
        codes: ['import-duplicate-slug'],
        severity: 'warning',
        what: 'a slug taken twice: the later post gets `-2`, `-3`…',
      },
      {
        codes: ['import-comment-date'],
        severity: 'warning',
        what: "a comment dated before its post, or undated: it takes the post's date",
      },
      {
        codes: ['import-missing-parent', 'import-parent-cycle'],
        severity: 'warning',
        what: 'a reply to a comment not imported, or a loop of replies: it becomes top-level',
      },
      {
        codes: ['import-skipped-tag'],
        severity: 'warning',
        what: 'a tag with nothing to make a slug from',
      },
      {
        codes: ['import-no-redirect'],
        severity: 'warning',
        what: 'an old path that cannot be an alias',
      },
      {
        codes: ['import-file-exists'],
        severity: 'warning',
        what: 'a file already there with other contents: kept as it is',
      },
    ],
  },
] as const satisfies readonly DiagnosticCodeSection[];

type Catalog = typeof diagnosticCatalog;
type RowCodes<S> = S extends { rows: readonly (infer R)[] }
  ? R extends { codes: readonly (infer C)[] }
    ? C
    : never
  : never;
type FieldCode = RowCodes<Catalog[0] | Catalog[1] | Catalog[2]>;

/** A diagnostic code of the catalog, or a field code prefixed with `config-` (a problem in the config). */
export type DiagnosticCode = RowCodes<Catalog[number]> | `config-${FieldCode}`;

const severities = new Map<string, Severity>(
  diagnosticCatalog.flatMap((section) =>
    section.rows.flatMap((row) => row.codes.map((code) => [code, row.severity] as const)),
  ),
);

/**
 * The severity of a code as the catalog gives it (`config-<code>` as `<code>`); `undefined` for a
 * code that is not in the catalog.
 *
 * @example
 * ```ts
 * severityOf('unknown-key'); // 'warning'
 * severityOf('config-invalid-url'); // 'error'
 * ```
 */
export function severityOf(code: string): Severity | undefined {
  return severities.get(code) ?? (code.startsWith('config-') ? severities.get(code.slice(7)) : undefined);
}
