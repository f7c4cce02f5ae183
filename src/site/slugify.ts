/**
 * A slug for a title: accents dropped, lower case, runs of anything but letters and digits become
 * one hyphen. `"Hello, Wörld!"` → `hello-world`. Falls back to `post` when nothing is left.
 */
export function slugify(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug === '' ? 'post' : slug;
}
