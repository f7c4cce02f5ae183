import { z } from 'zod';
import type { Diagnostic } from '../diagnostics/diagnostic';
import type { ParsedFile } from './parse';

/**
 * Validates parsed YAML against a zod schema. Each issue becomes a diagnostic at the key or value at
 * fault; keys the schema does not know become `unknown-key` warnings that suggest the closest known key.
 */
export function validateData<TSchema extends z.ZodType>(
  parsed: ParsedFile,
  schema: TSchema,
): { data?: z.output<TSchema>; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const knownKeys = objectKeys(schema);
  if (knownKeys) {
    for (const key of Object.keys(parsed.data)) {
      if (knownKeys.includes(key)) continue;
      const { line, column } = parsed.positionOf([key], { key: true });
      const suggestion = closest(key, knownKeys);
      diagnostics.push({
        file: parsed.file,
        line,
        column,
        severity: 'warning',
        code: 'unknown-key',
        message: `unknown key "${key}"${suggestion ? `: did you mean \`${suggestion}\`?` : ''}`,
      });
    }
  }
  const result = schema.safeParse(parsed.data);
  if (result.success) return { data: result.data, diagnostics };
  for (const issue of result.error.issues) {
    diagnostics.push(issueToDiagnostic(parsed, issue));
  }
  return { diagnostics };
}

function issueToDiagnostic(parsed: ParsedFile, issue: z.core.$ZodIssue): Diagnostic {
  const key = issue.path.map(String).join('.') || 'front matter';
  const missing = issue.code === 'invalid_type' && getIn(parsed.data, issue.path) === undefined;
  const { line, column } = missing ? parsed.positionOf([]) : parsed.positionOf(issue.path);
  const custom = (issue as { params?: { broadsheetCode?: string } }).params?.broadsheetCode;
  let code: string;
  let message: string;
  if (missing) {
    code = 'missing-field';
    message = issue.path.length > 0 ? `${key} is required` : 'front matter is required';
  } else if (custom) {
    code = custom;
    message = `${key} ${issue.message}`;
  } else {
    code = issue.code === 'invalid_type' ? 'invalid-type' : 'invalid-value';
    message = `${key}: ${issue.message}`;
  }
  return { file: parsed.file, line, column, severity: 'error', code, message };
}

function getIn(data: unknown, path: readonly PropertyKey[]): unknown {
  let value = data;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

function objectKeys(schema: z.ZodType): string[] | undefined {
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : undefined;
}

/** The candidate closest to `word` by edit distance, when it is close enough to be a likely typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  const lower = word.toLowerCase();
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const threshold = Math.max(2, Math.floor(word.length / 3));
  return bestDistance <= threshold ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j]!;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      previous[j] = Math.min(above + 1, previous[j - 1]! + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return previous[b.length]!;
}
