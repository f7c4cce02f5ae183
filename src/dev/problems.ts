import type { Diagnostic } from '../diagnostics/diagnostic';

/** A line of a source file, with its 1-based number. */
export interface SourceLine {
  line: number;
  text: string;
}

/** A diagnostic as the dev overlay shows it: with a few lines of its file around its line. */
export interface Problem extends Diagnostic {
  /** Up to `context` lines before and after the diagnostic's line (none when the file cannot be read). */
  source: SourceLine[];
}

/** The most problems sent to a page: past it, the terminal has them all. */
export const MAX_PROBLEMS = 20;

/**
 * The lines `line - context` to `line + context` of `text` (those that exist), each cut at 200
 * characters so that a minified line does not flood the page.
 *
 * @example
 * ```ts
 * sourceLines('a\nb\nc\nd', 2, 1); // [{line: 1, text: 'a'}, {line: 2, text: 'b'}, {line: 3, text: 'c'}]
 * ```
 */
export function sourceLines(text: string, line: number, context = 2): SourceLine[] {
  const lines = text.split(/\r\n?|\n/);
  const first = Math.max(1, line - context);
  const last = Math.min(lines.length, line + context);
  const result: SourceLine[] = [];
  for (let number = first; number <= last; number++) {
    result.push({ line: number, text: lines[number - 1]!.slice(0, 200) });
  }
  return result;
}

/**
 * The overlay's problems: errors first (then warnings), at most {@link MAX_PROBLEMS}, each with the
 * lines around it from `read` (a file's text by its path relative to the root, or `undefined`).
 */
export function problemsOf(
  diagnostics: readonly Diagnostic[],
  read: (file: string) => string | undefined,
): Problem[] {
  const ordered = [
    ...diagnostics.filter((d) => d.severity === 'error'),
    ...diagnostics.filter((d) => d.severity !== 'error'),
  ].slice(0, MAX_PROBLEMS);
  return ordered.map((diagnostic) => {
    const text = read(diagnostic.file);
    return { ...diagnostic, source: text === undefined ? [] : sourceLines(text, diagnostic.line) };
  });
}
