import { createHash, hash } from 'node:crypto';

/**
 * broadsheet's one hash: the SHA-256 of some parts, as 64 hex digits. Every key and fingerprint
 * (cache keys, output group keys, the hashes of output files, the cache folder's name) is one. Each
 * part is hashed as `<length>:<part>\0` (the length in UTF-16 code units for text, in bytes for
 * bytes), so `('ab', 'c')` and `('a', 'bc')` hash differently.
 *
 * @example
 * ```ts
 * contentHash('post', 'https://example.com/posts/a/', '# A'); // '9f…' (64 hex digits)
 * contentHash(namespace, fileBytes);
 * ```
 */
export function contentHash(...parts: readonly (string | Uint8Array)[]): string {
  // Short text parts are joined and hashed with one call (the UTF-8 of a concatenation is the
  // concatenation of the UTF-8s); a long part (a document, a file's bytes) is given to the hash as
  // it is, not copied into a joined string.
  let pending = '';
  let running: ReturnType<typeof createHash> | undefined;
  for (const part of parts) {
    if (typeof part === 'string' && part.length < LONG_PART) {
      pending += `${part.length}:${part}\0`;
      continue;
    }
    running ??= createHash('sha256');
    running.update(`${pending}${typeof part === 'string' ? part.length : part.byteLength}:`);
    running.update(part);
    pending = '\0';
  }
  return running ? running.update(pending).digest('hex') : hash('sha256', pending, 'hex');
}

/** Text parts at least this long are hashed without being joined to the others. */
const LONG_PART = 512;
