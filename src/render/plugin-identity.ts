import { exactText } from '../fingerprint/exact';
import { contentHash } from '../fingerprint/hash';
import type { ResolvedConfig } from '../schema/config';

/**
 * The identity of a config value for the render cache and the worker threads: the hash of its exact
 * text, functions (plugins) by name and source text, a cycle (in a plugin's options) marked. Two
 * configs with the same identity render the same markdown, as far as their source shows: a plugin's
 * closure over a changed variable is not seen, which is why the render cache also hashes the config
 * file's text.
 *
 * @example
 * ```ts
 * configIdentity(config.markdown) === configIdentity(workerConfig.markdown); // same plugin lists
 * ```
 */
export function configIdentity(value: ResolvedConfig | ResolvedConfig['markdown']): string {
  return contentHash(exactText(value, { cycles: 'mark' })!);
}
