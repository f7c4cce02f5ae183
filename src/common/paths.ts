import path from 'node:path';

/**
 * A path as diagnostics show it: relative to `root` with `/` separators when it is inside the root
 * (`.` for the root itself), else the absolute path. A name inside the root that starts with two
 * dots (`..notes`) is inside it.
 *
 * @example
 * ```ts
 * displayPath('/site', '/site/content/posts/a.md'); // 'content/posts/a.md'
 * displayPath('/site', '/elsewhere/out'); // '/elsewhere/out'
 * ```
 */
export function displayPath(root: string, target: string): string {
  const relative = path.relative(root, target);
  if (relative === '') return '.';
  if (relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) return target;
  return relative.split(path.sep).join('/');
}
