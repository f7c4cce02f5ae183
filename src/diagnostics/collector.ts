import type { DiagnosticCode } from './codes';
import { compareDiagnostics, type Diagnostic, diagnostic, hasErrors } from './diagnostic';

/** A parsed file as the collector sees it: its path and where a key path of its data is written. */
export interface PositionedFile {
  file: string;
  positionOf(at: readonly PropertyKey[], options?: { key?: boolean }): { line: number; column: number };
}

/**
 * The diagnostics of one load, collected as the stages run: each stage is handed the collector and
 * adds what it finds; the load ends with {@link DiagnosticCollector.sorted}.
 *
 * @example
 * ```ts
 * const problems = new DiagnosticCollector();
 * problems.error(parsed, ['tags', 0], 'invalid-tag', 'tag "!!" has no letters or digits');
 * if (problems.hasErrors()) return { ok: false, diagnostics: problems.sorted() };
 * ```
 */
export class DiagnosticCollector {
  private readonly list: Diagnostic[] = [];

  constructor(initial: Iterable<Diagnostic> = []) {
    this.addAll(initial);
  }

  /** Adds diagnostics made elsewhere (a parse, a cache's warnings). */
  addAll(diagnostics: Iterable<Diagnostic>): void {
    for (const item of diagnostics) this.list.push(item);
  }

  /** An error at a key path of a parsed file (`key`: at the key itself rather than its value). */
  error(
    parsed: PositionedFile,
    at: readonly PropertyKey[],
    code: DiagnosticCode,
    message: string,
    options: { key?: boolean } = {},
  ): void {
    this.at(parsed, at, code, message, 'error', options.key ?? false);
  }

  /** A warning at a key path of a parsed file. */
  warning(parsed: PositionedFile, at: readonly PropertyKey[], code: DiagnosticCode, message: string): void {
    this.at(parsed, at, code, message, 'warning', false);
  }

  /** Whether an error was collected. */
  hasErrors(): boolean {
    return hasErrors(this.list);
  }

  /** Every diagnostic collected, in the stable order of {@link compareDiagnostics}. */
  sorted(): Diagnostic[] {
    return [...this.list].sort(compareDiagnostics);
  }

  private at(
    parsed: PositionedFile,
    at: readonly PropertyKey[],
    code: DiagnosticCode,
    message: string,
    severity: Diagnostic['severity'],
    key: boolean,
  ): void {
    const { line, column } = parsed.positionOf(at, { key });
    this.list.push(diagnostic({ code, file: parsed.file, line, column, message, severity }));
  }
}
