import { slugify } from '../site/slugify';
import type { ImportedPost } from './model';

/** File extensions old platforms put on permalinks (`/2012/03/a-post.html`). */
const PAGE_EXTENSION = /\.(?:html?|php|aspx?)$/i;

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** A slug from a path segment: `How-To.html` → `how-to`; `''` when nothing usable is left. */
function segmentSlug(segment: string): string {
  const slug = slugify(decode(segment).replace(PAGE_EXTENSION, ''));
  return slug === 'post' && !/post/i.test(segment) ? '' : slug;
}

/**
 * Where an imported item goes, from its old permalink: the slug (for a page, its path, such as
 * `about` or `company/team`) and the old path, which becomes a redirect (`aliases`) when the new path
 * differs. The slug is the permalink's last segment (`/2012/03/a-post.html` → `a-post`) unless that
 * is a number (`/archives/123`) or absent (`/?p=123`); then the platform's own slug; then none (the
 * writer makes one from the title).
 *
 * @example
 * ```ts
 * aliasFor({ kind: 'post', link: 'https://x.blogspot.com/2012/03/a-post.html', ... });
 * // { slug: 'a-post', oldPath: '/2012/03/a-post.html' }
 * ```
 */
export function aliasFor(post: Pick<ImportedPost, 'kind' | 'link' | 'slug'>): {
  slug: string;
  oldPath?: string;
} {
  let pathname: string | undefined;
  if (post.link && URL.canParse(post.link, 'http://old.invalid/')) {
    pathname = new URL(post.link, 'http://old.invalid/').pathname;
  }
  const segments = (pathname ?? '').split('/').filter((segment) => segment !== '');
  const own = post.slug ? segmentSlug(post.slug) : '';
  let slug: string;
  if (post.kind === 'page') {
    const parts = segments.map(segmentSlug);
    slug = parts.length > 0 && parts.every((part) => part !== '') ? parts.join('/') : own;
  } else {
    const last = segments.at(-1);
    const fromLink = last === undefined || /^\d+(?:\.\w+)?$/.test(last) ? '' : segmentSlug(last);
    slug = fromLink || own;
  }
  const oldPath = pathname && pathname !== '/' ? decode(pathname) : undefined;
  return oldPath === undefined ? { slug } : { slug, oldPath };
}
