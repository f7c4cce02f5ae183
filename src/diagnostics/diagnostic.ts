/** How bad a problem is: an `error` fails `check` and `build`, a `warning` does not. */
export type Severity = 'error' | 'warning';

/**
 * One problem found in the content or the configuration, pointing at the file, line and column at
 * fault (1-based). `file` is relative to the site root and uses `/` separators.
 */
export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  severity: Severity;
  /** A stable kebab-case code such as `invalid-date` or `duplicate-slug`. */
  code: string;
  message: string;
}

/** Orders diagnostics by file, line, column, then code, so that output is stable. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.line !== b.line) return a.line - b.line;
  if (a.column !== b.column) return a.column - b.column;
  if (a.code !== b.code) return a.code < b.code ? -1 : 1;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}

/** Whether any of the diagnostics is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((diagnostic) => diagnostic.severity === 'error');
}
