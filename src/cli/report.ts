import type { Diagnostic } from '../diagnostics/diagnostic';
import { formatDiagnostic, formatDiagnosticsJson, formatGithubAnnotation } from '../diagnostics/format';
import type { CliIo } from './io';

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
  if (io.env.GITHUB_ACTIONS === 'true') {
    const write = format === 'json' ? io.stderr : io.stdout;
    for (const diagnostic of diagnostics) write(`${formatGithubAnnotation(diagnostic)}\n`);
  }
}

/** Whether diagnostics come from the configuration (exit code 2) rather than the content (1). */
export function isConfigProblem(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some(
    (diagnostic) => diagnostic.severity === 'error' && diagnostic.code.startsWith('config-'),
  );
}
