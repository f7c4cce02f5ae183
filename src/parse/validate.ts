import type { z } from 'zod';
import type { DiagnosticCode } from '../diagnostics/codes';
import { type Diagnostic, diagnostic } from '../diagnostics/diagnostic';
import { aliasesFor, aliasOf } from './key-aliases';
import type { ParsedFile } from './parse';

/**
 * Validates parsed YAML against a zod schema. Each issue becomes a diagnostic at the key or value at
 * fault; keys the schema does not know (at any depth of nested objects) become `unknown-key`
 * warnings that suggest the closest known key.
 *
 * @example
 * ```ts
 * const { data, diagnostics } = validateData(parsed, postSchema);
 * ```
 */
export function validateData<TSchema extends z.ZodType>(
  parsed: ParsedFile,
  schema: TSchema,
): { data?: z.output<TSchema>; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  reportUnknownKeys(parsed, schema, parsed.data, [], diagnostics);
  const result = schema.safeParse(parsed.data);
  if (result.success) return { data: result.data, diagnostics };
  for (const issue of result.error.issues) {
    diagnostics.push(issueToDiagnostic(parsed, issue));
  }
  return { diagnostics };
}

function reportUnknownKeys(
  parsed: ParsedFile,
  schema: z.ZodType,
  value: unknown,
  path: PropertyKey[],
  diagnostics: Diagnostic[],
): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
  const object = objectShape(schema);
  if (!object) return;
  const { shape, knownKeys } = object;
  for (const key of Object.keys(value)) {
    const childSchema = shape[key];
    if (childSchema) {
      const child = (value as Record<string, unknown>)[key];
      // Only mappings have keys to check: no path is made for the rest.
      if (child !== null && typeof child === 'object' && !Array.isArray(child)) {
        reportUnknownKeys(parsed, childSchema, child, [...path, key], diagnostics);
      }
      continue;
    }
    const { line, column } = parsed.positionOf([...path, key], { key: true });
    // Another tool's name for a known key (`name` → `author`) before the closest spelling.
    const suggestion = aliasOf(key, knownKeys) ?? closest(key, knownKeys);
    const name = [...path, key].map(String).join('.');
    diagnostics.push(
      diagnostic({
        code: 'unknown-key',
        file: parsed.file,
        line,
        column,
        message: `unknown key "${name}"${suggestion ? `: did you mean \`${suggestion}\`?` : ' is ignored'}`,
      }),
    );
  }
}

const shapes = new WeakMap<z.ZodType, { shape: Record<string, z.ZodType>; knownKeys: string[] } | null>();

/** {@link unwrapObject} with the shape's keys, once per schema (every file of a kind has the same one). */
function objectShape(
  schema: z.ZodType,
): { shape: Record<string, z.ZodType>; knownKeys: string[] } | undefined {
  let known = shapes.get(schema);
  if (known === undefined) {
    const object = unwrapObject(schema);
    known = object ? { shape: object.shape, knownKeys: Object.keys(object.shape) } : null;
    shapes.set(schema, known);
  }
  return known ?? undefined;
}

// Sees through `.optional()`, `.default()`, `.prefault()` and `.nullable()` to an object schema. Duck-typed,
// because a config loaded through jiti may extend the schemas with its own copy of zod.
function unwrapObject(schema: z.ZodType): { shape: Record<string, z.ZodType> } | undefined {
  let current = schema as unknown as {
    _zod?: { def?: { type?: string; innerType?: unknown } };
    shape?: unknown;
  };
  for (let depth = 0; depth < 8; depth++) {
    const def = current?._zod?.def;
    if (!def) return undefined;
    if (def.type === 'object' && current.shape && typeof current.shape === 'object') {
      return { shape: current.shape as Record<string, z.ZodType> };
    }
    if (!def.innerType) return undefined;
    current = def.innerType as typeof current;
  }
  return undefined;
}

function issueToDiagnostic(parsed: ParsedFile, issue: z.core.$ZodIssue): Diagnostic {
  const key = issue.path.map(String).join('.') || 'front matter';
  const value = getIn(parsed.data, issue.path);
  // A required key that is absent: zod says `invalid_type`, or a union's or custom check's issue.
  const missing =
    value === undefined &&
    issue.path.length > 0 &&
    (issue.code === 'invalid_type' || issue.code === 'invalid_union' || issue.code === 'custom');
  const empty = issue.code === 'invalid_type' && value === null;
  const { line, column } = parsed.positionOf(issue.path);
  const custom = (issue as { params?: { broadsheetCode?: string } }).params?.broadsheetCode;
  let code: DiagnosticCode;
  let message: string;
  if (missing) {
    code = 'missing-field';
    message = issue.path.length > 0 ? missingMessage(parsed, issue.path, key) : 'front matter is required';
  } else if (empty) {
    code = 'missing-value';
    message = `${key} has no value: give it one or remove the key`;
  } else if (custom) {
    code = custom as DiagnosticCode;
    message = `${key} ${issue.message}`;
  } else {
    ({ code, message } = describeIssue(key, issue));
  }
  return diagnostic({ code, file: parsed.file, line, column, message });
}

/** `author is required`, naming the keys of other tools that the file has in its place (`name`, `email`). */
function missingMessage(parsed: ParsedFile, path: readonly PropertyKey[], key: string): string {
  const parent = getIn(parsed.data, path.slice(0, -1));
  const field = String(path.at(-1));
  if (parent === null || typeof parent !== 'object' || Array.isArray(parent)) return `${key} is required`;
  const keys = Object.keys(parent);
  // The keys the schema knows here are the ones present that are not aliases, plus the missing one.
  const found = aliasesFor(field, keys, [field]);
  if (found.length === 0) return `${key} is required`;
  const list = found.map((name) => `\`${name}\``).join(', ');
  return field === 'author'
    ? `${key} is required: write ${list} under \`${field}\` (author: {name, url, email}, or author: a name)`
    : `${key} is required: rename ${found.map((name) => `\`${name}\``).join(' or ')} to \`${field}\``;
}

function describeIssue(key: string, issue: z.core.$ZodIssue): { code: DiagnosticCode; message: string } {
  switch (issue.code) {
    case 'invalid_type':
      return { code: 'invalid-type', message: `${key} must be ${article(issue.expected)}` };
    case 'too_big': {
      const limit = Number(issue.maximum);
      if (issue.origin === 'string') {
        return { code: 'too-long', message: `${key} is too long: at most ${limit} characters` };
      }
      if (issue.origin === 'array')
        return { code: 'too-long', message: `${key} has too many items: at most ${limit}` };
      return { code: 'out-of-range', message: `${key} must be at most ${limit}` };
    }
    case 'too_small': {
      const limit = Number(issue.minimum);
      if (issue.origin === 'string') {
        return limit <= 1
          ? { code: 'missing-value', message: `${key} is empty` }
          : { code: 'too-short', message: `${key} is too short: at least ${limit} characters` };
      }
      if (issue.origin === 'array')
        return { code: 'too-short', message: `${key} needs at least ${limit} items` };
      return { code: 'out-of-range', message: `${key} must be at least ${limit}` };
    }
    case 'invalid_value':
      return {
        code: 'invalid-value',
        message: `${key} must be one of ${issue.values.map((option) => JSON.stringify(option)).join(', ')}`,
      };
    case 'invalid_union':
      // zod's own message ("Invalid input") says nothing: name the types the key takes.
      return {
        code: 'invalid-value',
        message:
          issue.message && issue.message !== 'Invalid input'
            ? `${key} ${issue.message}`
            : `${key} must be ${unionExpectation(issue)}`,
      };
    default:
      return { code: 'invalid-value', message: `${key}: ${issue.message}` };
  }
}

/** "a string or a list": what the branches of a union expected, from their first issues. */
function unionExpectation(issue: z.core.$ZodIssueInvalidUnion): string {
  const expected = new Set<string>();
  for (const branch of issue.errors) {
    const first = branch[0];
    if (first?.code !== 'invalid_type') return 'another kind of value';
    expected.add(article(first.expected));
  }
  return expected.size > 0 ? [...expected].join(' or ') : 'another kind of value';
}

function article(expected: string): string {
  const names: Record<string, string> = {
    string: 'a string',
    number: 'a number',
    int: 'a whole number',
    boolean: 'true or false',
    array: 'a list',
    object: 'a mapping of keys to values',
    date: 'a date',
  };
  return names[expected] ?? expected;
}

function getIn(data: unknown, path: readonly PropertyKey[]): unknown {
  let value = data;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

/**
 * The candidate closest to `word` by edit distance, when it is close enough to be a likely typo.
 *
 * @example
 * ```ts
 * closest('tagz', ['title', 'tags']); // 'tags'
 * ```
 */
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
