import { isAscii } from 'node:buffer';
import { decodeUtf8 } from '../parse/parse';

/** Shared buffers smaller than this are decoded file by file. */
const MIN_SHARED_BYTES = 64 * 1024;

/** A buffer's files are sliced from one string only when files of ASCII text are this share of its bytes. */
const MIN_ASCII_SHARE = 0.75;

interface Shared {
  start: number;
  end: number;
  asciiBytes: number;
  text?: string;
}

/**
 * The texts of files whose bytes are known to be UTF-8 (their outcome was kept for the same bytes),
 * as {@link decodeUtf8} gives them, by index. `readFiles` reads files one after another into large
 * shared buffers; a file of ASCII bytes without a carriage return is a slice of one string made of
 * its buffer (Latin-1, which gives for ASCII what UTF-8 gives): one large string, which the garbage
 * collector never moves, instead of thousands of small ones that survive and are copied twice each
 * (docs/decisions/warm-load.md, "Round four"). Other files are decoded one by one, and so is every
 * file of a buffer mostly not ASCII, so that the shared string never holds much that is not used.
 *
 * @example
 * ```ts
 * const textOf = fileTexts(files.map((file) => file.bytes));
 * const text = textOf(0); // decodeUtf8(files[0].bytes)
 * ```
 */
export function fileTexts(files: readonly Uint8Array[]): (index: number) => string {
  const ascii = files.map((bytes) => isAscii(bytes));
  const shared = new Map<ArrayBufferLike, Shared>();
  files.forEach((bytes, index) => {
    const end = bytes.byteOffset + bytes.length;
    let span = shared.get(bytes.buffer);
    if (!span) {
      span = { start: bytes.byteOffset, end, asciiBytes: 0 };
      shared.set(bytes.buffer, span);
    }
    span.start = Math.min(span.start, bytes.byteOffset);
    span.end = Math.max(span.end, end);
    if (ascii[index]) span.asciiBytes += bytes.length;
  });
  return (index) => {
    const bytes = files[index]!;
    const span = ascii[index] ? shared.get(bytes.buffer) : undefined;
    const length = span ? span.end - span.start : 0;
    if (!span || length < MIN_SHARED_BYTES || span.asciiBytes < length * MIN_ASCII_SHARE) {
      return decodeUtf8(bytes);
    }
    span.text ??= Buffer.from(bytes.buffer, span.start, length).toString('latin1');
    const from = bytes.byteOffset - span.start;
    const text = span.text.slice(from, from + bytes.length);
    return text.includes('\r') ? decodeUtf8(bytes) : text;
  };
}
