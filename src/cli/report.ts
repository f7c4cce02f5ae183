import type { Diagnostic } from '../diagnostics/diagnostic';
import { formatDiagnostic, formatDiagnosticsJson, formatGithubAnnotation } from '../diagnostics/format';
import type { CliIo } from './io';

/** Output format of `check` and `build`. */
export type ReportFormat = 'text' | 'json';

/**
 * Prints diagnostics: one compiler-style line each on stderr (or a JSON array on stdout), and
 * GitHub Actions annotations on stdout when `GITHUB_ACTIONS=true`.
 */
export function reportDiagnostics(io: CliIo, diagnostics: readonly Diagnostic[], format: ReportFormat): void {
  if (format === 'json') io.stdout(formatDiagnosticsJson(diagnostics));
  else for (const diagnostic of diagnostics) io.stderr(`${formatDiagnostic(diagnostic)}\n`);
  if (io.env.GITHUB_ACTIONS === 'true') {
    for (const diagnostic of diagnostics) io.stdout(`${formatGithubAnnotation(diagnostic)}\n`);
  }
}

/** Whether diagnostics come from the configuration (exit code 2) rather than the content (1). */
export function isConfigProblem(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((diagnostic) => diagnostic.severity === 'error' && diagnostic.code.startsWith('config-'));
}
