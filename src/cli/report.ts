import type { Diagnostic } from '../diagnostics/diagnostic';
import { formatDiagnostic, formatDiagnosticsJson, formatGithubAnnotation } from '../diagnostics/format';
import { type CliIo, EXIT } from './io';

/** Output format of `check` and `build`. */
export type ReportFormat = 'text' | 'json';

/**
 * Prints diagnostics: one compiler-style line each on stderr, or with `json` a JSON array on stdout.
 * When `GITHUB_ACTIONS=true` it also prints each as a workflow command (`::error file=…,line=…,col=…::…`)
 * so that it shows as an annotation: on stdout, or on stderr with `json` so that stdout stays valid JSON
 * (the runner reads workflow commands from both).
 */
export function reportDiagnostics(io: CliIo, diagnostics: readonly Diagnostic[], format: ReportFormat): void {
  if (format === 'json') io.stdout(formatDiagnosticsJson(diagnostics));
  else for (const diagnostic of diagnostics) io.stderr(`${formatDiagnostic(diagnostic)}\n`);
  reportAnnotations(io, diagnostics, format);
}

/** The GitHub Actions half of {@link reportDiagnostics}, for commands that print their own JSON. */
export function reportAnnotations(io: CliIo, diagnostics: readonly Diagnostic[], format: ReportFormat): void {
  if (io.env.GITHUB_ACTIONS !== 'true') return;
  const write = format === 'json' ? io.stderr : io.stdout;
  for (const diagnostic of diagnostics) write(`${formatGithubAnnotation(diagnostic)}\n`);
}

/** The exit code of a failed load or build: 2 when the configuration is at fault, else 1. */
export function failureExitCode(diagnostics: readonly Diagnostic[]): number {
  const configProblem = diagnostics.some(
    (diagnostic) => diagnostic.severity === 'error' && diagnostic.code.startsWith('config-'),
  );
  return configProblem ? EXIT.usageError : EXIT.contentError;
}

/** `1 post`, `2 posts`: a count with its noun, for summary lines. */
export function countOf(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * The summary line of a `check` or `build` that found errors, in words:
 * `check failed: 2 errors and 1 warning in 2 files`.
 */
export function failureSummary(command: 'check' | 'build', diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const files = new Set(diagnostics.map((diagnostic) => diagnostic.file)).size;
  const unchanged = command === 'build' ? '; nothing was written, the previous output is as it was' : '';
  return `${command} failed: ${countOf(errors, 'error')} and ${countOf(warnings, 'warning')} in ${countOf(files, 'file')}${unchanged}\n`;
}
