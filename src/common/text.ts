/**
 * Orders two strings by their UTF-16 code units, as `Array.prototype.sort` does by default: the
 * same order on every machine and locale (unlike `localeCompare`), so outputs stay byte-identical.
 *
 * @example
 * ```ts
 * ['b', 'B', 'a'].sort(compareText); // ['B', 'a', 'b']
 * ```
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
