// countWords counts ASCII text in one pass of its own (docs/decisions/render-speed.md, step 6): it
// must count exactly what the word patterns count, for any text.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countWords } from '../../src/render/document-info';

const NUM_RUNS = Number(process.env.FC_RUNS ?? 200);

/** The definition: each Han, Hiragana or Katakana character, then runs of letters, marks and digits with inner apostrophes. */
function wordsByPattern(text: string): number {
  const characterWords = text.match(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/gu)?.length ?? 0;
  const spaced = text.replace(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/gu, ' ');
  return characterWords + (spaced.match(/[\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}\p{N}]+)*/gu)?.length ?? 0);
}

/** Characters around the edges of a word: ASCII letters and digits, apostrophes, space, punctuation, and a few beyond ASCII. */
const piece = fc.constantFrom(..."aZ09'’ \n\t-_.`é字ア𝔸٣", 'e\u0301');

describe('countWords', () => {
  it('counts what the word patterns count', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const text = pieces.join('');
        expect(countWords(text)).toBe(wordsByPattern(text));
      }),
      { numRuns: NUM_RUNS * 20 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (text) => {
        expect(countWords(text)).toBe(wordsByPattern(text));
      }),
      { numRuns: NUM_RUNS * 5 },
    );
  });

  it('counts ASCII words with inner apostrophes once, and apostrophes that join nothing not at all', () => {
    expect(countWords("don't stop the 2nd time' 'twas a''b")).toBe(8);
    expect(countWords('')).toBe(0);
    expect(countWords("' '' - _ .")).toBe(0);
    expect(countWords('café naïve')).toBe(2);
  });
});
