import { createHash, hash } from 'node:crypto';

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
  // The digest of `<length>:<part>\0` for each part. Short parts are joined and hashed with one call
  // (the UTF-8 of a concatenation is the concatenation of the UTF-8s); a long part (a document) is
  // given to the hash as it is, not copied into a joined string.
  let pending = '';
  let running: ReturnType<typeof createHash> | undefined;
  for (const part of parts) {
    if (part.length < LONG_PART) {
      pending += `${part.length}:${part}\0`;
      continue;
    }
    running ??= createHash('sha256');
    running.update(`${pending}${part.length}:`);
    running.update(part);
    pending = '\0';
  }
  return running ? running.update(pending).digest('hex') : hash('sha256', pending, 'hex');
}

/** Parts at least this long are hashed without being joined to the others. */
const LONG_PART = 512;

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
