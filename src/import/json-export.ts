import { readFile } from 'node:fs/promises';
import { type Diagnostic, diagnostic } from '../diagnostics/diagnostic';

/** The 1-based line and column of a UTF-16 offset in `text`. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let at = text.indexOf('\n'); at !== -1 && at < offset; at = text.indexOf('\n', at + 1)) {
    line += 1;
    lineStart = at + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Reads a JSON export whole (Ghost, JSON Feed: formats that are one JSON document) and parses it.
 * Memory is a few times the file's size, so these readers suit exports up to a few hundred MB.
 * Malformed JSON is a diagnostic at the line and column where the parser stopped.
 *
 * @example
 * ```ts
 * const parsed = await readJsonExport('ghost.json', 'ghost.json');
 * if (!parsed.ok) console.error(parsed.diagnostics);
 * ```
 */
export async function readJsonExport(
  file: string,
  displayName: string,
): Promise<{ ok: true; value: unknown } | { ok: false; diagnostics: Diagnostic[] }> {
  const text = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const message = (error as Error).message;
    // V8 says where it stopped as "at position N" (and, in newer versions, "(line L column C)").
    const position = /at position (\d+)/.exec(message);
    const offset = position ? Number(position[1]) : text.length;
    const { line, column } = lineColumnAt(text, offset);
    return {
      ok: false,
      diagnostics: [
        diagnostic({
          code: 'import-malformed-json',
          file: displayName,
          line,
          column,
          message: `the export is not valid JSON: ${message.replace(/ in JSON at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)$/, '')}`,
        }),
      ],
    };
  }
}

/** A JSON value as an object whose fields can be read, or `undefined`. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** A JSON value as an array of objects (other entries dropped). */
export function asRecords(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.map(asRecord).filter((item) => item !== undefined) : [];
}

/** A JSON string or number as a string, else `undefined`. */
export function asString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}
