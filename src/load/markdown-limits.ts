// Limits on the shape of a markdown document, checked in one pass over its lines before anything
// parses it. The markdown parser (micromark) and the tree utilities after it take super-linear time
// on a few constructs repeated many times (docs/decisions/hostile-input.md); these limits keep every
// document under them cheap. The figures are in docs/security.md.
import { type Diagnostic, diagnostic } from '../diagnostics/diagnostic';
import type { ParsedFile } from '../parse/parse';
import type { Trust } from '../render/render-markdown';

/** The limits a document of one trust level is held to. */
export interface MarkdownLimits {
  /** Characters of markdown (the body, without front matter). */
  characters: number;
  /** Block quotes and list items opened on one line (`> > - 1. x` opens four). */
  nesting: number;
  /** Emphasis and strikethrough delimiters (`*`, `_`, `~`) in one block (lines between blank lines). */
  delimiters: number;
  /** Opening brackets (`[`, links, images, footnotes, task items) in one block. */
  brackets: number;
  /** Setext heading underlines (`===` or `---` under a line of text) in the document. */
  setextHeadings: number;
}

/**
 * The limits for posts (written by the site's authors) and for comments (written by visitors).
 * Far above what a real post or comment holds; below them a document renders in well under a
 * second (docs/benchmarks.md, "Hostile input").
 */
export const MARKDOWN_LIMITS: Readonly<Record<Trust, Readonly<MarkdownLimits>>> = {
  post: { characters: 500_000, nesting: 32, delimiters: 5_000, brackets: 2_000, setextHeadings: 500 },
  comment: { characters: 20_000, nesting: 8, delimiters: 500, brackets: 200, setextHeadings: 20 },
};

/** Why a document is refused: the 1-based line of the body at fault and what is wrong there. */
export interface MarkdownLimitProblem {
  code: 'markdown-too-long' | 'markdown-too-complex';
  /** 1-based line: of the markdown text, or of the file when `firstLine` was given. */
  line: number;
  message: string;
}

const THEMATIC_BREAK = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const SETEXT_UNDERLINE = /^ {0,3}(?:=+|-+)[ \t]*$/;

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
): MarkdownLimitProblem | undefined {
  const limits = MARKDOWN_LIMITS[trust];
  const who = trust === 'post' ? 'a post' : 'a comment';
  if (markdown.length > limits.characters) {
    return {
      code: 'markdown-too-long',
      line: firstLine,
      message: `the markdown is ${markdown.length} characters long; the limit for ${who} is ${limits.characters}`,
    };
  }
  let line = firstLine;
  let blockStart = firstLine;
  let delimiters = 0;
  let brackets = 0;
  let setext = 0;
  let previousBlank = true;
  let start = 0;
  while (start <= markdown.length) {
    let end = markdown.indexOf('\n', start);
    if (end === -1) end = markdown.length;
    const blank = isBlank(markdown, start, end);
    if (blank) {
      delimiters = 0;
      brackets = 0;
    } else {
      if (previousBlank) blockStart = line;
      const text = end - start <= 1000 ? markdown.slice(start, end) : '';
      const thematicBreak = text !== '' && THEMATIC_BREAK.test(text);
      const nesting = thematicBreak ? 0 : containersOpened(markdown, start, end);
      if (nesting > limits.nesting) {
        return tooComplex(
          line,
          `line ${line} opens ${nesting} nested lists or quotes; the limit is ${limits.nesting}`,
        );
      }
      if (!previousBlank && text !== '' && SETEXT_UNDERLINE.test(text)) {
        setext++;
        if (setext > limits.setextHeadings) {
          return tooComplex(
            line,
            `line ${line} is setext heading underline number ${setext}; the limit is ${limits.setextHeadings} (use "#" headings)`,
          );
        }
      }
      if (!thematicBreak) {
        for (let index = start; index < end; index++) {
          const code = markdown.charCodeAt(index);
          // `*`, `_`, `~` (comparisons: a `Set` lookup per character was a tenth of a warm load).
          if (code === 42 || code === 95 || code === 126) delimiters++;
          else if (code === 91) brackets++;
        }
      }
      if (delimiters > limits.delimiters) {
        return tooComplex(
          line,
          `the block that starts on line ${blockStart} has more than ${limits.delimiters} emphasis marks (*, _, ~) by line ${line}`,
        );
      }
      if (brackets > limits.brackets) {
        return tooComplex(
          line,
          `the block that starts on line ${blockStart} has more than ${limits.brackets} "[" by line ${line}`,
        );
      }
    }
    previousBlank = blank;
    start = end + 1;
    line++;
  }
  return undefined;
}

function tooComplex(line: number, message: string): MarkdownLimitProblem {
  return { code: 'markdown-too-complex', line, message };
}

function isBlank(text: string, start: number, end: number): boolean {
  for (let index = start; index < end; index++) {
    const code = text.charCodeAt(index);
    if (code !== 32 && code !== 9) return false;
  }
  return true;
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
 * file at fault (`undefined` when the body is within the limits).
 */
export function markdownLimitDiagnostic(parsed: ParsedFile, trust: Trust): Diagnostic | undefined {
  const problem = checkMarkdownLimits(parsed.body, trust, parsed.bodyLine ?? 1);
  if (!problem) return undefined;
  return diagnostic({ code: problem.code, file: parsed.file, line: problem.line, message: problem.message });
}
