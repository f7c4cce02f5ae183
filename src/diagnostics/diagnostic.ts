import { compareText } from '../common/text';
import { type DiagnosticCode, severityOf } from './codes';

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
  return compareText(a.message, b.message);
}

/** Whether any of the diagnostics is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((diagnostic) => diagnostic.severity === 'error');
}

/**
 * Makes a diagnostic: the one way broadsheet's own code does. `code` must be in the catalog
 * (src/diagnostics/codes.ts); `line` and `column` default to 1 (the start of the file), `severity`
 * to the code's severity in the catalog.
 *
 * @example
 * ```ts
 * diagnostic({ code: 'duplicate-slug', file: 'content/posts/b.md', line: 2, column: 7, message: '…' });
 * // { file: 'content/posts/b.md', line: 2, column: 7, severity: 'error', code: 'duplicate-slug', message: '…' }
 * ```
 */
export function diagnostic(fields: {
  code: DiagnosticCode;
  file: string;
  line?: number;
  column?: number;
  message: string;
  severity?: Severity;
}): Diagnostic {
  const { code, file, line = 1, column = 1, message } = fields;
  return { file, line, column, severity: fields.severity ?? severityOf(code) ?? 'error', code, message };
}
