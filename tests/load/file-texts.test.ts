import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fileTexts } from '../../src/load/file-texts';
import { decodeUtf8 } from '../../src/parse/parse';

/** Files as `readFiles` leaves them: views of one shared buffer, one after another, with room left over. */
function shared(contents: readonly Uint8Array[], offset: number): Uint8Array[] {
  const size = contents.reduce((sum, bytes) => sum + bytes.length, offset);
  const buffer = Buffer.alloc(size + 100, 0xc3);
  let at = offset;
  return contents.map((bytes) => {
    buffer.set(bytes, at);
    at += bytes.length;
    return buffer.subarray(at - bytes.length, at);
  });
}

const text = fc.oneof(
  fc.string({ unit: 'binary-ascii', maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 100 }),
  fc.constantFrom('\uFEFF---\ntitle: A\n---\n', 'a\r\nb\rc\n', 'caf\u00e9', '\u{1F600}', ''),
);

describe('fileTexts', () => {
  it('gives what decodeUtf8 gives for every file, sliced from a shared string or not', () => {
    fc.assert(
      fc.property(
        fc.array(text, { maxLength: 30 }),
        fc.nat({ max: 40 }),
        fc.integer({ min: 0, max: 3 }),
        (texts, offset, filler) => {
          // ASCII filler files make the buffer large and mostly ASCII (the shared string is used).
          const contents = [
            ...Array.from({ length: filler }, (_, index) => Buffer.from(`${index}`.repeat(30_000))),
            ...texts.map((entry) => Buffer.from(entry)),
          ];
          const files = shared(contents, offset);
          const textOf = fileTexts(files);
          // In any order: the shared string is made by whichever file asks first.
          for (const index of [...files.keys()].reverse()) {
            expect(textOf(index)).toBe(decodeUtf8(files[index]!));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('also for files of several buffers, and of none shared', () => {
    const first = shared([Buffer.from('a'.repeat(70_000)), Buffer.from('b\r\nc')], 3);
    const second = shared([Buffer.from('caf\u00e9'), Buffer.from('x'.repeat(10))], 0);
    const files = [...first, ...second, Buffer.from('alone')];
    const textOf = fileTexts(files);
    expect(files.map((_, index) => textOf(index))).toEqual(files.map((bytes) => decodeUtf8(bytes)));
  });
});
