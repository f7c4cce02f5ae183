import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MadeBytes } from '../../src/build/made-bytes';
import { contentHash } from '../../src/fingerprint/hash';

/** Any text, lone surrogates, controls and noncharacters included: code units drawn one by one. */
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({
    unit: fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit)),
    maxLength: 300,
  }),
  fc.constantFrom('', '\uD800', '\uDC00a', '\uFFFE\uFFFF', '\u0000\r\n', 'é—→'.repeat(2000)),
);

describe('MadeBytes', () => {
  it('gives each text its UTF-8 bytes and contentHash, every view of a group still valid at its end', () => {
    fc.assert(
      fc.property(fc.array(fc.array(anyText, { maxLength: 6 }), { maxLength: 6 }), (groups) => {
        const encoder = new MadeBytes();
        for (const texts of groups) {
          encoder.reset();
          const encoded = texts.map((text) => encoder.encode(text));
          for (const [at, text] of texts.entries()) {
            expect(Buffer.from(encoded[at]!.bytes).equals(Buffer.from(text, 'utf8'))).toBe(true);
            expect(encoded[at]!.hash).toBe(contentHash(text));
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the views it gave when it needs a larger room', () => {
    const encoder = new MadeBytes();
    const small = encoder.encode('a');
    const large = encoder.encode('b'.repeat(200_000));
    expect(Buffer.from(small.bytes).toString()).toBe('a');
    expect(large.bytes.length).toBe(200_000);
    expect(large.hash).toBe(contentHash('b'.repeat(200_000)));
  });
});
