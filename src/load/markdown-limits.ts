// Limits on the shape of a markdown document, checked in one pass over its lines before anything
// parses it. The markdown parser (micromark) and the tree utilities after it take super-linear time
// on a few constructs repeated many times, and tens of microseconds per node on all of them
// (docs/decisions/hostile-input.md); these limits keep every document under them within a second.
// The figures are in docs/security.md.
import { type Diagnostic, diagnostic } from '../diagnostics/diagnostic';
import type { ParsedFile } from '../parse/parse';
import type { Trust } from '../render/render-markdown';
import type { ResolvedConfig } from '../schema/config';

/**
 * The limits a document of one trust level is held to. The counts in the whole document
 * (`containers`, `blocks`, `documentDelimiters`, `brackets`, `cells`, `inline`) share one budget: each
 * may go up to its limit, and a mix of them as long as their fractions of their limits add up to at
 * most 1 (half the list items and half the table cells, say). Their costs add up, so the worst
 * document is then no worse than the worst at one limit.
 */
export interface MarkdownLimits {
  /** Characters of markdown (the body, without front matter). */
  characters: number;
  /** Block quotes and list items opened on one line (`> > - 1. x` opens four). */
  nesting: number;
  /** Block quotes and list items opened in the whole document. */
  containers: number;
  /**
   * Lines that may start a block other than a list item or quote: a non-blank line after a blank
   * one, or one whose first non-space character is a block marker (`#`, `-`, `*`, `+`, `=`, `_`,
   * `<`, `[`, a backtick, `~`, or a digit). A table row starting with `|` counts as cells only.
   */
  blocks: number;
  /** Emphasis and strikethrough delimiters (`*`, `_`, `~`) in one block (lines between blank lines). */
  delimiters: number;
  /** Emphasis and strikethrough delimiters in the whole document. */
  documentDelimiters: number;
  /** Opening brackets (`[`: links, images, footnotes, task items) in the whole document. */
  brackets: number;
  /** Table cell separators (`|`) in the whole document. */
  cells: number;
  /** Inline markup that makes nodes: `<`, `&`, backticks and autolinks (`www.`, `://`, `@`). */
  inline: number;
  /** Setext heading underlines (`===` or `---` under a line of text) in the document. */
  setextHeadings: number;
}

/**
 * The limits for posts and pages (written by the site's authors) and for comments (written by
 * visitors). Far above what a real post or comment holds; the worst document under them renders
 * in under a second (docs/benchmarks.md, "Hostile input").
 */
export const MARKDOWN_LIMITS: Readonly<Record<Trust, Readonly<MarkdownLimits>>> = {
  post: {
    characters: 150_000,
    nesting: 32,
    containers: 700,
    blocks: 1_800,
    delimiters: 2_000,
    documentDelimiters: 3_500,
    brackets: 700,
    cells: 1_400,
    inline: 3_000,
    setextHeadings: 400,
  },
  comment: {
    characters: 20_000,
    nesting: 8,
    containers: 200,
    blocks: 400,
    delimiters: 500,
    documentDelimiters: 1_000,
    brackets: 200,
    cells: 400,
    inline: 800,
    setextHeadings: 20,
  },
};

/**
 * The limits a post or page is held to under this config: the defaults of {@link MARKDOWN_LIMITS}
 * with the config's `markdown.limits` over them.
 *
 * @example
 * ```ts
 * postMarkdownLimits(config).containers; // 700, or the config's markdown.limits.containers
 * ```
 */
export function postMarkdownLimits(config: ResolvedConfig): Readonly<MarkdownLimits> {
  const set = config.markdown.limits;
  return Object.keys(set).length === 0 ? MARKDOWN_LIMITS.post : { ...MARKDOWN_LIMITS.post, ...set };
}

/**
 * When the config raises a post limit: whether a post or page is over the default limits (and so
 * let through only by the raised ones), so that it renders on a thread, where the render time
 * budget bounds it. `undefined` when the config raises none.
 */
export function overDefaultPostLimits(
  config: ResolvedConfig,
): ((job: { trust: Trust; markdown: string }) => boolean) | undefined {
  const limits = config.markdown.limits;
  const raised = Object.entries(limits).some(
    ([name, value]) => value !== undefined && value > MARKDOWN_LIMITS.post[name as keyof MarkdownLimits],
  );
  if (!raised) return undefined;
  return (job) => job.trust === 'post' && checkMarkdownLimits(job.markdown, 'post') !== undefined;
}

/** Why a document is refused: the 1-based line of the body at fault and what is wrong there. */
export interface MarkdownLimitProblem {
  code: 'markdown-too-long' | 'markdown-too-complex';
  /** 1-based line: of the markdown text, or of the file when `firstLine` was given. */
  line: number;
  message: string;
  /** The limits it is over: one, or the shared budget's counts that it uses. */
  limits: (keyof MarkdownLimits)[];
}

const THEMATIC_BREAK = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const SETEXT_UNDERLINE = /^ {0,3}(?:=+|-+)[ \t]*$/;
/** First characters of a line that may open a block, by character code (digits too: ordered list items). */
const BLOCK_START = new Uint8Array(128);
for (const char of '#>-*+=_<[`~0123456789') BLOCK_START[char.charCodeAt(0)] = 1;

/** Running counts of one document. */
interface Counts {
  containers: number;
  blocks: number;
  blockDelimiters: number;
  delimiters: number;
  brackets: number;
  cells: number;
  inline: number;
  setext: number;
}

/**
 * Checks a markdown document against the limits of its trust level in one pass (linear in its
 * length): the first limit it goes over, or `undefined` when it is within all of them.
 *
 * @example
 * ```ts
 * checkMarkdownLimits('- '.repeat(5000), 'comment');
 * // { code: 'markdown-too-complex', line: 1, message: 'line 1 opens 5000 nested lists or quotes; the limit is 8' }
 * ```
 */
export function checkMarkdownLimits(
  markdown: string,
  trust: Trust,
  firstLine = 1,
  limits: Readonly<MarkdownLimits> = MARKDOWN_LIMITS[trust],
): MarkdownLimitProblem | undefined {
  // The usual document is far within every limit, which bounds of its counts show at a fraction of
  // the cost of the line-by-line scan; only one they do not clear is scanned (the same verdict).
  if (markdown.length <= limits.characters && withinBounds(markdown, limits)) return undefined;
  return scanMarkdownLimits(markdown, trust, firstLine, limits);
}

/**
 * {@link checkMarkdownLimits} line by line, without its shortcut: the counts after each line, and
 * the first line where one is over its limit.
 */
export function scanMarkdownLimits(
  markdown: string,
  trust: Trust,
  firstLine = 1,
  limits: Readonly<MarkdownLimits> = MARKDOWN_LIMITS[trust],
): MarkdownLimitProblem | undefined {
  const who = trust === 'post' ? 'a post' : 'a comment';
  if (markdown.length > limits.characters) {
    return {
      code: 'markdown-too-long',
      line: firstLine,
      message: `the markdown is ${markdown.length} characters long; the limit for ${who} is ${limits.characters}`,
      limits: ['characters'],
    };
  }
  const counts: Counts = {
    containers: 0,
    blocks: 0,
    blockDelimiters: 0,
    delimiters: 0,
    brackets: 0,
    cells: 0,
    inline: 0,
    setext: 0,
  };
  let line = firstLine;
  let blockStart = firstLine;
  let previousBlank = true;
  let start = 0;
  while (start <= markdown.length) {
    let end = markdown.indexOf('\n', start);
    if (end === -1) end = markdown.length;
    const blank = isBlank(markdown, start, end);
    if (blank) counts.blockDelimiters = 0;
    else {
      if (previousBlank) blockStart = line;
      const text = end - start <= 1000 ? markdown.slice(start, end) : '';
      const thematicBreak = text !== '' && THEMATIC_BREAK.test(text);
      const nesting = thematicBreak ? 0 : containersOpened(markdown, start, end);
      if (nesting > limits.nesting) {
        return tooComplex(
          line,
          `line ${line} opens ${nesting} nested lists or quotes; the limit is ${limits.nesting}`,
          ['nesting'],
        );
      }
      counts.containers += nesting;
      // List items and quotes count as containers, table rows as cells: the other blocks here.
      if (nesting === 0 && (previousBlank || opensBlock(markdown, start, end))) counts.blocks++;
      if (!previousBlank && text !== '' && SETEXT_UNDERLINE.test(text)) counts.setext++;
      if (!thematicBreak) countInline(markdown, start, end, counts);
      const over = overLimit(counts, limits);
      if (over) return tooComplex(line, over.message(line, blockStart), over.limits);
    }
    previousBlank = blank;
    start = end + 1;
    line++;
  }
  return undefined;
}

/**
 * Whether bounds of the counts {@link scanMarkdownLimits} makes clear every limit: then no line is
 * over one, and the scan would give `undefined`. Each count only grows from line to line, and at
 * every line is at most its bound here: markup characters counted in the whole document (the scan
 * skips blank lines and thematic breaks), block quotes and list items opened on every line
 * (thematic breaks included), every non-blank line as a block, every non-blank line after a
 * non-blank one whose first character is `=` or `-` as a setext underline, and all emphasis marks
 * as the marks of one block. A limit's test (`count > limit`, and the shared budget's sum of
 * `count / limit`) holds for larger counts whenever it holds for smaller ones, so counts within
 * every limit at their bounds are within them at every line. (A limit of 0 or less is never cleared:
 * a count of 0 makes the budget's sum `NaN`.)
 */
function withinBounds(markdown: string, limits: Readonly<MarkdownLimits>): boolean {
  let lines = 0;
  let containers = 0;
  let setext = 0;
  let previousBlank = true;
  for (let start = 0; start <= markdown.length; ) {
    let end = markdown.indexOf('\n', start);
    if (end === -1) end = markdown.length;
    let first = start;
    while (first < end && (markdown.charCodeAt(first) === 32 || markdown.charCodeAt(first) === 9)) first++;
    if (first === end) previousBlank = true;
    else {
      lines++;
      const nesting = containersOpened(markdown, start, end);
      if (nesting > limits.nesting) return false;
      containers += nesting;
      const code = markdown.charCodeAt(first);
      if (!previousBlank && (code === 61 || code === 45)) setext++;
      previousBlank = false;
    }
    start = end + 1;
  }
  const delimiters = occurrences(markdown, '*') + occurrences(markdown, '_') + occurrences(markdown, '~');
  const counts: Counts = {
    containers,
    blocks: lines,
    blockDelimiters: delimiters,
    delimiters,
    brackets: occurrences(markdown, '['),
    cells: occurrences(markdown, '|'),
    inline:
      occurrences(markdown, '<') +
      occurrences(markdown, '&') +
      occurrences(markdown, '`') +
      occurrences(markdown, '@') +
      occurrences(markdown, '://') +
      occurrences(markdown, 'www.'),
    setext,
  };
  return overLimit(counts, limits) === undefined;
}

/** How many times `search` occurs in `text` (without overlaps; those searched for here cannot overlap). */
function occurrences(text: string, search: string): number {
  let count = 0;
  for (let index = text.indexOf(search); index !== -1; index = text.indexOf(search, index + search.length))
    count++;
  return count;
}

/** A limit that the counts are over: the message, as a function of the line and its block's first line, and the limits. */
interface Over {
  message: (line: number, blockStart: number) => string;
  limits: (keyof MarkdownLimits)[];
}

/** The first limit `counts` is over. */
function overLimit(counts: Counts, limits: MarkdownLimits): Over | undefined {
  if (counts.setext > limits.setextHeadings) {
    return {
      message: (line) =>
        `line ${line} is setext heading underline number ${counts.setext}; the limit is ${limits.setextHeadings} (use "#" headings)`,
      limits: ['setextHeadings'],
    };
  }
  if (counts.blockDelimiters > limits.delimiters) {
    return {
      message: (line, blockStart) =>
        `the block that starts on line ${blockStart} has more than ${limits.delimiters} emphasis marks (*, _, ~) by line ${line}`,
      limits: ['delimiters'],
    };
  }
  const totals: [number, keyof MarkdownLimits, string][] = [
    [counts.containers, 'containers', 'list items and quotes'],
    [counts.blocks, 'blocks', 'blocks other than list items, quotes and table rows'],
    [counts.delimiters, 'documentDelimiters', 'emphasis marks *, _, ~'],
    [counts.brackets, 'brackets', '"["'],
    [counts.cells, 'cells', 'table cell separators "|"'],
    [counts.inline, 'inline', 'inline marks <, &, backticks and autolinks'],
  ];
  let share = 0;
  for (const [count, name, what] of totals) {
    const limit = limits[name];
    if (count > limit) {
      return {
        message: (line) => `the document has more than ${limit} ${what} by line ${line}`,
        limits: [name],
      };
    }
    share += count / limit;
  }
  if (share <= 1) return undefined;
  const shares = totals.filter(([count]) => count > 0);
  const used = shares
    .map(
      ([count, name, what]) =>
        `${Math.round((count / limits[name]) * 100)}% (${count} of ${limits[name]} ${what})`,
    )
    .join(', ');
  return {
    message: (line) =>
      `by line ${line} the document uses ${used} of its markup budget: more than 100% in all (each may take up to its limit, or a mix up to 100%)`,
    limits: shares.map(([, name]) => name),
  };
}

/** Adds the delimiters, brackets, cell separators and inline markup of one line to `counts`. */
function countInline(text: string, start: number, end: number, counts: Counts): void {
  // A switch on the character code: a Set lookup per character costs a tenth of a warm load.
  for (let index = start; index < end; index++) {
    switch (text.charCodeAt(index)) {
      case 42: // *
      case 95: // _
      case 126: // ~
        counts.blockDelimiters++;
        counts.delimiters++;
        break;
      case 91: // [
        counts.brackets++;
        break;
      case 124: // |
        counts.cells++;
        break;
      case 60: // <
      case 38: // &
      case 96: // `
      case 64: // @
        counts.inline++;
        break;
      case 58: // : of ://
        if (text.startsWith('//', index + 1)) counts.inline++;
        break;
      case 119: // w of www.
        if (text.startsWith('ww.', index + 1)) counts.inline++;
        break;
    }
  }
}

function tooComplex(line: number, message: string, limits: (keyof MarkdownLimits)[]): MarkdownLimitProblem {
  return { code: 'markdown-too-complex', line, message, limits };
}

function isBlank(text: string, start: number, end: number): boolean {
  for (let index = start; index < end; index++) {
    const code = text.charCodeAt(index);
    if (code !== 32 && code !== 9) return false;
  }
  return true;
}

/** Whether the line's first non-space character may open a block (see {@link MarkdownLimits.blocks}). */
function opensBlock(text: string, start: number, end: number): boolean {
  let index = start;
  while (index < end && (text.charCodeAt(index) === 32 || text.charCodeAt(index) === 9)) index++;
  if (index === end) return false;
  return BLOCK_START[text.charCodeAt(index)] === 1;
}

/**
 * How many block quotes and list items the line opens before its content: `>`, `-`, `+`, `*` and
 * `1.`/`1)` markers, each followed by white space (or the end of the line), with white space between.
 */
function containersOpened(text: string, start: number, end: number): number {
  let count = 0;
  let index = start;
  while (index < end) {
    const code = text.charCodeAt(index);
    if (code === 32 || code === 9) {
      index++;
      continue;
    }
    if (code === 62) {
      count++;
      index++;
      continue;
    }
    let after = index;
    if (code === 45 || code === 43 || code === 42) after = index + 1;
    else {
      while (after < end && after - index < 9 && isDigit(text.charCodeAt(after))) after++;
      if (after === index || after >= end) return count;
      const mark = text.charCodeAt(after);
      if (mark !== 46 && mark !== 41) return count;
      after++;
    }
    if (after < end && text.charCodeAt(after) !== 32 && text.charCodeAt(after) !== 9) return count;
    count++;
    index = after;
  }
  return count;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/**
 * {@link checkMarkdownLimits} for a parsed file's body, as an error diagnostic at the line of the
 * file at fault (`undefined` when the body is within the limits). A post's (or page's) names the
 * config keys that raise the limits it is over; `limits` are a post's under the config (see
 * {@link postMarkdownLimits}).
 */
export function markdownLimitDiagnostic(
  parsed: ParsedFile,
  trust: Trust,
  limits: Readonly<MarkdownLimits> = MARKDOWN_LIMITS[trust],
): Diagnostic | undefined {
  const problem = checkMarkdownLimits(parsed.body, trust, parsed.bodyLine ?? 1, limits);
  if (!problem) return undefined;
  const keys = problem.limits.map((name) => `markdown.limits.${name}`);
  const raise =
    trust === 'post'
      ? `; the config's ${keys.length === 1 ? `${keys[0]} raises it` : `${keys.slice(0, -1).join(', ')} and ${keys.at(-1)} raise it`}`
      : '';
  return diagnostic({
    code: problem.code,
    file: parsed.file,
    line: problem.line,
    message: `${problem.message}${raise}`,
  });
}
