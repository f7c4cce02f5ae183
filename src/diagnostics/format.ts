import type { Diagnostic } from './diagnostic';

/**
 * Formats a diagnostic the way compilers print them:
 * `content/posts/a.md:3:7: error invalid-date: date "2012-13-45" is not a valid date`.
 *
 * @example
 * ```ts
 * for (const d of result.diagnostics) console.error(formatDiagnostic(d));
 * ```
 */
export function formatDiagnostic(diagnostic: Diagnostic): string {
  const { file, line, column, severity, code, message } = diagnostic;
  return `${file}:${line}:${column}: ${severity} ${code}: ${oneLine(message)}`;
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
    `file=${escapeProperty(diagnostic.file)}`,
    `line=${diagnostic.line}`,
    `col=${diagnostic.column}`,
  ].join(',');
  return `::${diagnostic.severity} ${properties}::${escapeData(`${diagnostic.code}: ${diagnostic.message}`)}`;
}

function oneLine(text: string): string {
  return text.replace(/\r?\n/g, ' ');
}

// Escaping as documented for workflow commands (toolkit/packages/core/src/command.ts).
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
