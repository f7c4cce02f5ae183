import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contentHash } from '../../src/fingerprint/hash';

/** The definition: SHA-256 over `<length>:<part>\0` for each part, each piece given to the hash on its own. */
function reference(parts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) {
    hash.update(`${part.length}:`);
    hash.update(part);
    hash.update('\0');
  }
  return hash.digest('hex');
}

describe('contentHash', () => {
  it('is the SHA-256 of each part with its length, however long the parts (cache keys never change)', () => {
    const part = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      // Long parts, lone surrogates included: hashed without being joined to the others.
      fc
        .tuple(fc.string({ unit: 'binary', maxLength: 8 }), fc.integer({ min: 500, max: 3000 }))
        .map(([text, length]) => text.padEnd(length, 'é\uD800a')),
    );
    fc.assert(
      fc.property(fc.array(part, { maxLength: 5 }), (parts) => {
        expect(contentHash(...parts)).toBe(reference(parts));
      }),
    );
  });

  it('tells apart parts that join to the same text', () => {
    expect(contentHash('ab', 'c')).not.toBe(contentHash('a', 'bc'));
    expect(contentHash('x'.repeat(600), 'y')).not.toBe(contentHash('x'.repeat(599), 'xy'));
  });
});

describe('contentHash of bytes', () => {
  it('hashes a byte part with its length in bytes', () => {
    const bytes = new TextEncoder().encode('é');
    const expected = createHash('sha256').update('2:').update(bytes).update('\0').digest('hex');
    expect(contentHash(bytes)).toBe(expected);
    expect(contentHash('ns', bytes)).not.toBe(contentHash('ns', new TextEncoder().encode('e')));
  });
});
