import os from 'node:os';
import path from 'node:path';
import { exists } from '../common/fs';
import { contentHash } from '../fingerprint/hash';

/**
 * The cache folder of a site root, one per root (so that removing one site's stale entries never
 * touches another's): `<base>/broadsheet/<hash of the root's path>`, where the base is, in order,
 * the `BROADSHEET_CACHE_DIR` environment variable, the `node_modules/.cache` of the nearest
 * `node_modules` at or above the root (as Babel, ESLint and webpack loaders do, and what CI caches
 * keep), else `$XDG_CACHE_HOME` or `~/.cache`. Never inside the root itself beside the content.
 *
 * @example
 * ```ts
 * await cacheFolder('/home/me/blog'); // '/home/me/blog/node_modules/.cache/broadsheet/3f2a…'
 * ```
 */
export async function cacheFolder(root: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const absolute = path.resolve(root);
  const name = contentHash(absolute).slice(0, 16);
  if (env.BROADSHEET_CACHE_DIR) return path.join(path.resolve(env.BROADSHEET_CACHE_DIR), name);
  for (let folder = absolute; ; folder = path.dirname(folder)) {
    const modules = path.join(folder, 'node_modules');
    if (await exists(modules)) return path.join(modules, '.cache', 'broadsheet', name);
    if (path.dirname(folder) === folder) break;
  }
  const base = env.XDG_CACHE_HOME ? path.resolve(env.XDG_CACHE_HOME) : path.join(os.homedir(), '.cache');
  return path.join(base, 'broadsheet', name);
}

/**
 * The cache folder a load or build uses: {@link cacheFolder} for a build, its `preview/` subfolder
 * for a preview (`broadsheet dev`), whose renders are keyed by another `site.url` and which may run
 * while a build does: the two never drop or rewrite each other's entries.
 */
export async function siteCacheFolder(root: string, preview: boolean): Promise<string> {
  const folder = await cacheFolder(root);
  return preview ? path.join(folder, 'preview') : folder;
}
