import type { Comment, Post } from '../site/types';

// Performance machinery beside the simple load (docs/decisions/output-keys.md, "A render key for the
// HTML"): the load records, for each post and comment whose HTML came from the render stage with a
// render cache key, that key and the HTML it stands for. The build's output keys then fingerprint the
// key instead of hashing the HTML (megabytes on a large site). Nothing else reads it.

/** A document's render: the key of the render cache it was rendered under, and the HTML it gave. */
interface RenderedAs {
  key: string;
  html: string;
}

const renders = new WeakMap<Post | Comment, RenderedAs>();

/**
 * Records that `document.html`, as it is now, is the HTML of the render whose render cache key is
 * `key` (src/render/render-cache.ts: the version, config, plugins, trust level, URL, markdown and
 * asset facts, which decide the whole render). No key (a render not keyed: no cache, a watch loop's
 * memo, a render stopped at its budget) records nothing.
 */
export function recordRender(document: Post | Comment, key: string | undefined): void {
  if (key !== undefined) renders.set(document, { key, html: document.html });
}

/**
 * {@link recordRender} for a post and its comments, rendered as `keys[at]` and the keys after it, one
 * per comment in `post.comments` order (how `renderSite` lays out its jobs); no keys record nothing.
 */
export function recordRenders(
  post: Post,
  keys: readonly (string | undefined)[] | undefined,
  at: number,
): void {
  if (keys === undefined) return;
  recordRender(post, keys[at]);
  for (let index = 0; index < post.comments.length; index++) {
    recordRender(post.comments[index]!, keys[at + 1 + index]);
  }
}

/**
 * The render key that stands for `document.html`: the one {@link recordRender} recorded, while
 * `document.html` is still the HTML recorded with it (strings are immutable, and an unchanged field
 * holds the very same string, so the check costs nothing); `undefined` when there is none or the
 * HTML was replaced since, for whoever fingerprints a document to hash its HTML instead.
 *
 * @example
 * ```ts
 * const key = renderKeyOf(post); // the render key, or undefined: hash post.html
 * ```
 */
export function renderKeyOf(document: Post | Comment): string | undefined {
  const recorded = renders.get(document);
  return recorded !== undefined && recorded.html === document.html ? recorded.key : undefined;
}
