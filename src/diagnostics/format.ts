import type { Diagnostic } from './diagnostic';

/**
 * Formats a diagnostic the way compilers print them:
 * `content/posts/a.md:3:7: error invalid-date: date "2012-13-45" is not a valid date`.
 * The line is safe to print to a terminal: a file name or message that quotes untrusted text cannot
 * move the cursor, recolour the screen or reorder what follows (control and bidirectional formatting
 * characters are written as `\x1b`, `\u202e`), and a line break becomes a space.
 *
 * @example
 * ```ts
 * for (const d of result.diagnostics) console.error(formatDiagnostic(d));
 * ```
 */
export function formatDiagnostic(diagnostic: Diagnostic): string {
  const { file, line, column, severity, code, message } = diagnostic;
  return `${printable(oneLine(file))}:${line}:${column}: ${severity} ${code}: ${printable(oneLine(message))}`;
}

/**
 * Formats diagnostics as a JSON array (pretty-printed, with a trailing newline).
 *
 * @example
 * ```ts
 * process.stdout.write(formatDiagnosticsJson(result.ok ? result.warnings : result.diagnostics));
 * ```
 */
export function formatDiagnosticsJson(diagnostics: readonly Diagnostic[]): string {
  return `${JSON.stringify(diagnostics, null, 2)}\n`;
}

/**
 * Formats a diagnostic as a GitHub Actions workflow command, so that it shows as an annotation on
 * the file and line: `::error file=content/posts/a.md,line=3,col=7::invalid-date: date "2012-13-45" …`.
 *
 * @example
 * ```ts
 * if (process.env.GITHUB_ACTIONS === 'true') console.log(formatGithubAnnotation(diagnostic));
 * ```
 */
export function formatGithubAnnotation(diagnostic: Diagnostic): string {
  const properties = [
    `file=${escapeProperty(printable(diagnostic.file))}`,
    `line=${diagnostic.line}`,
    `col=${diagnostic.column}`,
  ].join(',');
  return `::${diagnostic.severity} ${properties}::${escapeData(printable(`${diagnostic.code}: ${diagnostic.message}`))}`;
}

function oneLine(text: string): string {
  return text.replace(/\r?\n|\r/g, ' ');
}

// C0 and C1 controls but line breaks (each format deals with those), DEL, and the bidirectional
// embeddings, overrides and isolates.
const UNPRINTABLE = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

function printable(text: string): string {
  return text.replace(UNPRINTABLE, (character) => {
    const code = character.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
  });
}

// Escaping as documented for workflow commands (toolkit/packages/core/src/command.ts).
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
