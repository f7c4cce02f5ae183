import { isPlainJson } from '../../fingerprint/exact';

/**
 * A value as JSON can carry it: dates become RFC 3339 strings, big integers decimal strings,
 * maps objects, sets arrays; functions, symbols and `undefined` are left out (`null` in an array);
 * a value met again inside itself becomes `null`. Front matter that a schema extension turned into
 * such values still gives a valid document. Plain JSON (`isPlainJson`) is returned as it is: its
 * JSON text is the same.
 */
export function toJsonValue(value: unknown): unknown {
  // Front matter nearly always is plain JSON already: it is then written as it is, not copied.
  return isPlainJson(value) ? value : convert(value, new Set());
}

function convert(value: unknown, ancestors: Set<object>): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object') return undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof URL) return value.href;
  if (ancestors.has(value)) return null;
  ancestors.add(value);
  try {
    if (Array.isArray(value) || value instanceof Set) {
      return [...value].map((item) => convert(item, ancestors) ?? null);
    }
    const entries =
      value instanceof Map ? [...value].map(([key, item]) => [String(key), item]) : Object.entries(value);
    const result: Record<string, unknown> = {};
    for (const [key, item] of entries) {
      const converted = convert(item, ancestors);
      // defineProperty, so that a key named `__proto__` stays a plain key.
      if (converted !== undefined) {
        Object.defineProperty(result, key as string, {
          value: converted,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
    }
    return result;
  } finally {
    ancestors.delete(value);
  }
}

/**
 * The text of a JSON document: two-space indentation and a final newline. `JSON.stringify` escapes
 * control characters and lone surrogates, so any text gives valid JSON.
 */
export function jsonText(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
