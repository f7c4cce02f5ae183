import { z } from 'zod';

/**
 * Whether `value` can be an old path that redirects to a post (`aliases`): it starts with `/`, has no
 * `.` or `..` segment, no `?`, `#`, `\` or control character, and is not the site's root. Paths are
 * relative to the site's root (`site.url`), as in Hugo.
 */
export function isAliasPath(value: string): boolean {
  if (!value.startsWith('/') || value === '/' || value.startsWith('//')) return false;
  if (/[?#\\\u0000-\u001f\u007f\s]/.test(value)) return false;
  return !value.split('/').some((segment) => segment === '.' || segment === '..');
}

/** An old path of a post (front matter `aliases`): the build writes a redirect from it to the post. */
export const aliasPath = z.string().refine(isAliasPath, {
  message: 'must be a path from the site root such as /2012/03/old-name.html (no ., .., ?, # or spaces)',
  params: { broadsheetCode: 'invalid-alias' },
});
