import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { compareText } from '../common/text';

/** A file of the site's `static/` folder, to copy verbatim to the same path in `out`. */
export interface StaticFile {
  /** Relative to `out` (and to the static folder), `/`-separated. */
  path: string;
  /** Absolute path of the file to copy. */
  source: string;
}

/**
 * Every regular file under `folder` (the config's `static`, relative to the root), dot files
 * included (`.nojekyll`, `.well-known/`), by path; none when the folder does not exist.
 * Symbolic links are followed.
 */
export function listStaticFiles(root: string, folder: string): StaticFile[] {
  const base = path.join(root, folder);
  let entries: string[];
  try {
    entries = readdirSync(base, { recursive: true, encoding: 'utf8' });
  } catch {
    return [];
  }
  const files: StaticFile[] = [];
  for (const entry of entries) {
    const source = path.join(base, entry);
    let isFile = false;
    try {
      isFile = statSync(source).isFile();
    } catch {
      continue;
    }
    if (isFile) files.push({ path: entry.split(path.sep).join('/'), source });
  }
  return files.sort((a, b) => compareText(a.path, b.path));
}

/**
 * Static files whose path a generated file or folder takes: `[static path, generated path]` for
 * each, where the generated path is the file (`index.html`), or one file of the folder
 * (`posts/a/index.html` for a static file `posts`), or a generated file where a static file needs
 * a folder (`robots.txt` for `robots.txt/x`).
 */
export function staticCollisions(
  staticPaths: readonly string[],
  generated: readonly string[],
): [staticPath: string, generatedPath: string][] {
  const files = new Set(generated);
  const underFolder = new Map<string, string>();
  for (const file of generated) {
    for (let slash = file.indexOf('/'); slash !== -1; slash = file.indexOf('/', slash + 1)) {
      const folder = file.slice(0, slash);
      if (!underFolder.has(folder)) underFolder.set(folder, file);
    }
  }
  const collisions: [string, string][] = [];
  for (const staticPath of staticPaths) {
    if (files.has(staticPath)) {
      collisions.push([staticPath, staticPath]);
      continue;
    }
    const inside = underFolder.get(staticPath);
    if (inside !== undefined) {
      collisions.push([staticPath, inside]);
      continue;
    }
    for (let slash = staticPath.indexOf('/'); slash !== -1; slash = staticPath.indexOf('/', slash + 1)) {
      const folder = staticPath.slice(0, slash);
      if (files.has(folder)) {
        collisions.push([staticPath, folder]);
        break;
      }
    }
  }
  return collisions;
}
