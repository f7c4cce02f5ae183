import { readFileSync } from 'node:fs';
import path from 'node:path';
import { replaceFile } from '../common/fs';
import { contentHash } from '../fingerprint/hash';
import type { ListingMemo } from './output-keys';

// Performance machinery beside the output keys (docs/decisions/output-keys.md, "Round six"): the
// listing fingerprint of each post made of a file of known identity, kept from one build to the next
// by the post's fingerprint, so that a warm or CI build does not write and hash the listing fields of
// every unchanged post again. Without the cache nothing of it runs.

/** The file in the site's cache folder: one line of header, then the pairs of fingerprints. */
const FILE = 'listing-prints-v1';

/** A fingerprint as {@link contentHash} writes it: 64 hex digits. */
const DIGITS = 64;

/**
 * The listing fingerprints of the posts of earlier builds, by post fingerprint (see `postFingerprints`
 * in src/build/output-keys.ts: a post fingerprint made of its file's identity, its render key, the
 * site fingerprint and what is resolved across files decides every field the listing shows, so the
 * listing fingerprint computed once for it holds for it in any later build of the same code).
 *
 * Stored in the site's cache folder under the namespace of the output keys (the identity of
 * broadsheet's output code): another code's file is not read. The file holds the pairs of the last
 * build that saved it (the posts it fingerprinted, none of the others), and a hash of them: a file
 * that is not whole, of another namespace or of another layout is read as none, and the next save
 * replaces it.
 *
 * @example
 * ```ts
 * const prints = ListingPrints.read(cacheFolder, namespace);
 * const keys = new OutputKeys(site, prints);
 * // … every group's key …
 * await prints.save();
 * ```
 */
export class ListingPrints implements ListingMemo {
  /** The pairs this build asked for or found, in the order it did: what {@link save} keeps. */
  private readonly used = new Map<string, string>();
  private added = false;

  private constructor(
    private readonly file: string,
    private readonly namespace: string,
    private readonly known: ReadonlyMap<string, string>,
  ) {}

  /** The listing fingerprints saved in `folder` under `namespace`; none when there are none (or not whole). */
  static read(folder: string, namespace: string): ListingPrints {
    const file = path.join(folder, FILE);
    let text: string | undefined;
    try {
      text = readFileSync(file, 'latin1');
    } catch {
      text = undefined;
    }
    return new ListingPrints(file, namespace, text === undefined ? new Map() : pairsOf(text, namespace));
  }

  /** The listing fingerprint of the post whose fingerprint is `post`, if a build saved it. */
  get(post: string): string | undefined {
    const listing = this.known.get(post);
    if (listing !== undefined) this.used.set(post, listing);
    return listing;
  }

  /** Records the listing fingerprint of the post whose fingerprint is `post`, for {@link save}. */
  set(post: string, listing: string): void {
    if (post.length !== DIGITS || listing.length !== DIGITS) return;
    this.used.set(post, listing);
    this.added = true;
  }

  /**
   * Saves the pairs this build used (a temporary file renamed over the old one), when it added one
   * or left one unused; nothing when they are those of the file. A failure to write is ignored: the
   * next build computes what it lacks.
   */
  async save(): Promise<void> {
    if (!this.added && this.used.size === this.known.size) return;
    let body = '';
    for (const [post, listing] of this.used) body += post + listing;
    const text = `${header(this.namespace, this.used.size, contentHash(body))}\n${body}`;
    // The cache folder is read-only: nothing is kept, nothing is wrong.
    await replaceFile(this.file, text, 'latin1').catch(() => {});
  }
}

function header(namespace: string, count: number, hash: string): string {
  return JSON.stringify({ namespace, count, hash });
}

/** The pairs of a file's text, if it is whole and of `namespace`; else none. */
function pairsOf(text: string, namespace: string): Map<string, string> {
  const pairs = new Map<string, string>();
  const end = text.indexOf('\n');
  if (end < 0) return pairs;
  let stored: { namespace?: unknown; count?: unknown; hash?: unknown };
  try {
    stored = JSON.parse(text.slice(0, end));
  } catch {
    return pairs;
  }
  if (stored === null || typeof stored !== 'object') return pairs;
  const body = text.slice(end + 1);
  const { count } = stored;
  if (
    stored.namespace !== namespace ||
    typeof count !== 'number' ||
    body.length !== count * 2 * DIGITS ||
    stored.hash !== contentHash(body)
  ) {
    return pairs;
  }
  for (let at = 0; at < body.length; at += 2 * DIGITS) {
    pairs.set(body.slice(at, at + DIGITS), body.slice(at + DIGITS, at + 2 * DIGITS));
  }
  return pairs;
}
