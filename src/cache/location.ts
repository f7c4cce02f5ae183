import { realpath } from 'node:fs/promises';
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

/**
 * Why a cache folder cannot be used with an output folder, or `undefined` when it can: the cache
 * holds every comment's front matter (emails of pending, spam and trashed comments too) and drafts,
 * so it must never be inside the output (which is published); nor may the folder holding the
 * caches of every root (the parent of `cache`) hold the output.
 *
 * @example
 * ```ts
 * await cacheOutConflict('/site/public/.cache', '/site/public'); // 'the cache folder … is inside …'
 * ```
 */
export async function cacheOutConflict(cache: string, out: string): Promise<string | undefined> {
  const [realCache, realOut] = await Promise.all([existingRealPath(cache), existingRealPath(out)]);
  const inside = (child: string, parent: string) =>
    child === parent || child.startsWith(`${parent}${path.sep}`);
  if (inside(realCache, realOut)) {
    return `the cache folder "${cache}" is inside the output folder "${out}", which is published: the cache holds every comment's email and the drafts; set BROADSHEET_CACHE_DIR to a folder outside it`;
  }
  // Against the folder that holds every root's cache (`BROADSHEET_CACHE_DIR` itself, or
  // `…/.cache/broadsheet`), not only this root's.
  const base = path.dirname(cache);
  if (inside(realOut, path.dirname(realCache))) {
    return `the output folder "${out}" is inside the cache folder "${base}": set BROADSHEET_CACHE_DIR or the output folder elsewhere`;
  }
  return undefined;
}

/** The real path of `target`, through its nearest existing ancestor when it does not exist yet. */
async function existingRealPath(target: string): Promise<string> {
  let existing = path.resolve(target);
  const rest: string[] = [];
  while (true) {
    try {
      return path.join(await realpath(existing), ...rest.reverse());
    } catch {
      const parent = path.dirname(existing);
      if (parent === existing) return path.resolve(target);
      rest.push(path.basename(existing));
      existing = parent;
    }
  }
}
