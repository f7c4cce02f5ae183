import { fileURLToPath } from 'node:url';

/**
 * The file of the module whose `import.meta.url` is `url` (each caller passes its own): its path in
 * the ES build and from source; in the CommonJS build, where the bundler leaves `import.meta.url`
 * undefined, the bundle's `__filename`. The URL comes first: `node -e` defines a global
 * `__filename` of `[eval]` that ES modules see too.
 *
 * @example
 * ```ts
 * const folder = path.dirname(moduleFile(import.meta.url));
 * ```
 */
export function moduleFile(url: string | undefined): string {
  return url !== undefined ? fileURLToPath(url) : __filename;
}
