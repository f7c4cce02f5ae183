import { type Diagnostic, diagnostic } from '../diagnostics/diagnostic';
import type { XmlProblem } from './xml-stream';

/**
 * The diagnostic of a malformed XML export (`export.xml:12:7: error import-malformed-xml: …`), or
 * none when the export was read to its end.
 */
export function xmlProblemDiagnostics(problem: XmlProblem | undefined, displayName: string): Diagnostic[] {
  if (problem === undefined) return [];
  return [
    diagnostic({
      code: 'import-malformed-xml',
      file: displayName,
      line: problem.line,
      column: problem.column,
      message: `the export is not well-formed XML: ${problem.message}`,
    }),
  ];
}

/** An export a reader cannot read (`import-wrong-format`), as an error at `place` (1:1 for JSON). */
export function wrongFormatDiagnostic(
  displayName: string,
  message: string,
  place: { line: number; column: number } = { line: 1, column: 1 },
): Diagnostic {
  return diagnostic({
    code: 'import-wrong-format',
    file: displayName,
    line: place.line,
    column: place.column,
    message,
  });
}

/** The diagnostic of a root element a reader does not read (an Atom feed given as a WordPress export). */
export function wrongRootDiagnostic(
  displayName: string,
  root: { line: number; column: number; local: string },
  expected: string,
): Diagnostic {
  return wrongFormatDiagnostic(
    displayName,
    `this is not ${expected}: its root element is <${root.local}>`,
    root,
  );
}
