import { hash } from 'node:crypto';

/** A made file's UTF-8 bytes and their {@link contentHash}, from {@link MadeBytes.encode}. */
export interface EncodedText {
  /** The text's UTF-8 bytes: a view of the encoder's room, valid until its next `reset()`. */
  bytes: Uint8Array;
  /** `contentHash(text)`: the hash every output file is recorded with. */
  hash: string;
}

/**
 * Encodes made files' text to UTF-8 once, for both their hash and their write: `contentHash(text)`
 * hashes `<UTF-16 length>:<UTF-8 bytes>\0` (src/fingerprint/hash.ts), so the text is encoded
 * with that frame around it into a room this encoder keeps, hashed there in one call, and the bytes
 * between the frame are what the file holds (its size, and what the file writer copies). Before,
 * each file's text was encoded to be hashed, scanned for its byte length, then encoded again into
 * the writer's batch (docs/decisions/performance.md, "Round six"). The files of one group are
 * encoded one after the other (each view stays valid until {@link MadeBytes.reset}), so that a
 * group's sizes and hashes are known before its first file is written.
 *
 * @example
 * ```ts
 * const encoder = new MadeBytes();
 * const { bytes, hash } = encoder.encode('<!doctype html>…'); // hash === contentHash('<!doctype html>…')
 * writer.file(target, bytes, done);
 * encoder.reset();
 * ```
 */
export class MadeBytes {
  private room: Buffer = Buffer.allocUnsafe(1 << 16);
  private used = 0;

  /** Encodes `text` after the views given since the last {@link MadeBytes.reset}, which stay valid. */
  encode(text: string): EncodedText {
    const head = `${text.length}:`;
    // UTF-8 takes at most 3 bytes per UTF-16 code unit (a pair's 4 bytes are 2 per unit).
    const most = head.length + 3 * text.length + 1;
    if (this.used + most > this.room.length) this.grow(most);
    const start = this.used;
    const bytesAt = start + this.room.write(head, start, 'latin1');
    const length = this.room.write(text, bytesAt, 'utf8');
    const end = bytesAt + length;
    this.room[end] = 0;
    this.used = end + 1;
    return {
      bytes: this.room.subarray(bytesAt, end),
      hash: hash('sha256', this.room.subarray(start, end + 1), 'hex'),
    };
  }

  /** Lets the room be reused: every view given so far is invalid. */
  reset(): void {
    this.used = 0;
  }

  /** A new room with space for `most` bytes: the views given keep the old one alive, so none of them move. */
  private grow(most: number): void {
    this.room = Buffer.allocUnsafe(Math.max(2 * this.room.length, most));
    this.used = 0;
  }
}
