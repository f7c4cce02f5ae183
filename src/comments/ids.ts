const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A new comment id: a ULID (26 characters of Crockford base 32: 48 bits of milliseconds, then 80
 * random bits), so ids sort by time as text and as file names, and two never meet. It matches
 * the comment id pattern `^[A-Za-z0-9_-]+$`.
 *
 * @example
 * ```ts
 * newCommentId(Date.UTC(2024, 0, 1)); // '01HK153X00' followed by 16 random characters
 * ```
 */
export function newCommentId(time: number = Date.now()): string {
  let head = '';
  let rest = Math.max(0, Math.floor(time));
  for (let index = 0; index < 10; index++) {
    head = CROCKFORD[rest % 32]! + head;
    rest = Math.floor(rest / 32);
  }
  const random = crypto.getRandomValues(new Uint8Array(16));
  let tail = '';
  for (const byte of random) tail += CROCKFORD[byte % 32]!;
  return head + tail;
}
