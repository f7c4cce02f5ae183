import { createHash } from 'node:crypto';

/**
 * The SHA-256 of some text parts, hex. Parts are joined with a separator that cannot occur in
 * their length prefixes, so `('ab', 'c')` and `('a', 'bc')` hash differently.
 *
 * @example
 * ```ts
 * contentHash('post', 'https://example.com/posts/a/', '# A'); // '9f…' (64 hex digits)
 * ```
 */
export function contentHash(...parts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) {
    hash.update(`${part.length}:`);
    hash.update(part);
    hash.update('\0');
  }
  return hash.digest('hex');
}

/**
 * A stable text for any config value, functions included: object keys sorted, a function written as
 * its name and source text, a cycle as `[cycle]`. Two configs with the same text render the same
 * markdown (as far as their source shows: a plugin's closure over a changed variable is not seen, which
 * is why the cache also hashes the config file's text).
 *
 * @example
 * ```ts
 * stableIdentity([[remarkToc, { heading: 'contents' }]]);
 * // '[[function remarkToc(options) {…},{"heading":"contents"}]]'
 * ```
 */
export function stableIdentity(value: unknown): string {
  const seen = new Set<object>();
  const write = (item: unknown): string => {
    if (typeof item === 'function') return `function ${item.name}:${Function.prototype.toString.call(item)}`;
    if (item === undefined) return 'undefined';
    if (typeof item === 'bigint') return `${item}n`;
    if (typeof item === 'symbol') return item.toString();
    if (item === null || typeof item !== 'object') return JSON.stringify(item);
    if (seen.has(item)) return '[cycle]';
    seen.add(item);
    let text: string;
    if (Array.isArray(item)) text = `[${item.map(write).join(',')}]`;
    else if (item instanceof Date) text = `Date(${item.toISOString()})`;
    else if (item instanceof RegExp) text = `RegExp(${item.toString()})`;
    else {
      const keys = Object.keys(item).sort();
      text = `{${keys.map((key) => `${JSON.stringify(key)}:${write((item as Record<string, unknown>)[key])}`).join(',')}}`;
    }
    seen.delete(item);
    return text;
  };
  return write(value);
}
