import { type HeldHtml, heldHtml, sameHtml } from '../render/deferred-html';
import type { Comment, Post } from '../site/types';
import type { CommentSource, PostSource } from './sources';

// Performance machinery beside the simple load (docs/decisions/output-keys.md, "A render key for the
// HTML" and "Round four"): the load records, for each post and comment, what its fields were made
// of — the render cache key its HTML was rendered under, and the loaded-post cache's identity of
// the file it was validated from — so that the build's output keys fingerprint those instead of
// serializing the fields (megabytes on a large site). Nothing else reads it.

/**
 * The loaded-post cache's identity of each post and comment source it answered or stored: the hash
 * of the cache's header (layout, version, parsing and validating code, config, schemas), the hash of
 * the file's bytes (64 hex digits each) and the file's path, which decide the validated outcome
 * (src/load/loaded-post-cache.ts).
 */
const loadedFrom = new WeakMap<PostSource | CommentSource, string>();

/**
 * What a document was made of: the key of the render cache it was rendered under and the HTML it
 * gave (or the cached bytes it is still to be decoded from, src/render/deferred-html.ts: never
 * decoded here); when its source has a loaded-post identity, that identity and its own fields as
 * made (`names`, `values`), else `undefined` for all three.
 */
interface Recorded {
  key: string;
  html: HeldHtml;
  source: string | undefined;
  names: readonly string[] | undefined;
  values: unknown[] | undefined;
}

/** One entry per document (one WeakMap to fill per document, not one per fact). */
const recorded = new WeakMap<Post | Comment, Recorded>();

/**
 * The field names of the last document recorded: the next one's, when they are the same (most
 * documents of a site have the same fields), share its array rather than keep one each.
 */
let lastNames: readonly string[] = [];

/**
 * Records that `source` is the validated outcome of the file whose loaded-post cache identity is
 * `identity` (the hashes of the cache's header and of the file's bytes, then its path): the
 * loaded-post cache calls it for each outcome it restores or stores under that key, never for one it
 * cannot keep.
 */
export function recordLoaded(source: PostSource | CommentSource | undefined, identity: string): void {
  if (source !== undefined) loadedFrom.set(source, identity);
}

/**
 * Records, for a post and its comments rendered as `keys[at]` and the keys after it (one per comment
 * in `post.comments` order, how `renderSite` lays out its jobs), that each one's `html`, as it is
 * now, is the HTML of the render whose render cache key is that key (src/render/render-cache.ts:
 * the version, config, plugins, trust level, URL, markdown and asset facts, which decide the whole
 * render). No keys, or no key for a document (a render not keyed: no cache, a watch loop's memo, a
 * render stopped at its budget), record nothing for it. With the `source` the post was made of and
 * the `thread` its comments were (in the same order), also records, for each document whose source
 * has a loaded-post identity ({@link recordLoaded}), that identity and the document's own fields as
 * they are now ({@link sourceIdentityOf}).
 */
export function recordRenders(
  post: Post,
  keys: readonly (string | undefined)[] | undefined,
  at: number,
  source?: PostSource,
  thread?: readonly { comment: CommentSource }[],
): void {
  if (keys === undefined) return;
  record(post, keys[at], source);
  for (let index = 0; index < post.comments.length; index++) {
    record(post.comments[index]!, keys[at + 1 + index], thread?.[index]?.comment);
  }
}

function record(
  document: Post | Comment,
  key: string | undefined,
  source: PostSource | CommentSource | undefined,
): void {
  if (key === undefined) return;
  const identity = source === undefined ? undefined : loadedFrom.get(source);
  if (identity === undefined) {
    recorded.set(document, {
      key,
      html: heldHtml(document),
      source: undefined,
      names: undefined,
      values: undefined,
    });
    return;
  }
  let names: readonly string[] = Object.keys(document);
  if (sameNames(names, lastNames)) names = lastNames;
  else lastNames = names;
  const values = new Array<unknown>(names.length);
  // The HTML is the render key's to stand for (renderKeyOf), and read here it would be decoded.
  for (let at = 0; at < names.length; at++) {
    if (names[at] !== 'html') values[at] = (document as unknown as Record<string, unknown>)[names[at]!];
  }
  recorded.set(document, { key, html: heldHtml(document), source: identity, names, values });
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let at = 0; at < a.length; at++) if (a[at] !== b[at]) return false;
  return true;
}

/**
 * The render key that stands for `document.html`: the one {@link recordRenders} recorded, while
 * `document.html` is still the HTML recorded with it (strings are immutable, and an unchanged field
 * holds the very same string, so the check costs nothing; HTML still to be decoded from the render
 * cache's bytes is the same while the document holds the same deferred HTML, and is not decoded,
 * src/render/deferred-html.ts); `undefined` when there is none or the HTML was replaced since, for
 * whoever fingerprints a document to hash its HTML instead.
 *
 * @example
 * ```ts
 * const key = renderKeyOf(post); // the render key, or undefined: hash post.html
 * ```
 */
export function renderKeyOf(document: Post | Comment): string | undefined {
  const entry = recorded.get(document);
  return entry !== undefined && sameHtml(document, entry.html) ? entry.key : undefined;
}

/**
 * The loaded-post identity of the file `document` was made from (see {@link recordLoaded}), while
 * the document still has exactly the own fields it was made with, each holding the same value
 * (a string equal, anything else the very same object); `undefined` when none was recorded (no
 * cache, a watch loop, a `Site` built or copied by hand) or a field was set, added or removed since.
 * With {@link renderKeyOf}, it stands for every field of the document that comes from its file and
 * its render (src/build/output-keys.ts lists them): `html` is the render key's, not compared here
 * (so not decoded), and whoever asks for the identity has asked for the render key first.
 *
 * @example
 * ```ts
 * const source = sourceIdentityOf(post); // undefined: fingerprint the fields themselves
 * ```
 */
export function sourceIdentityOf(document: Post | Comment): string | undefined {
  const made = recorded.get(document);
  if (made === undefined) return undefined;
  const { names, values } = made;
  if (names === undefined || values === undefined) return undefined;
  let count = 0;
  for (const name in document) {
    if (name !== names[count]) return undefined;
    if (name !== 'html' && (document as unknown as Record<string, unknown>)[name] !== values[count]) {
      return undefined;
    }
    count++;
  }
  return count === names.length ? made.source : undefined;
}
