// A render cache record's payload (src/render/render-cache.ts, layout render-v4): the fields in a
// fixed binary layout, then the HTML. What is stored comes back exactly; bytes that do not fit the
// layout are a miss, never an exception or a render made of other bytes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRenderResult, encodeRenderResult } from '../../src/render/render-cache';
import type { RenderResult } from '../../src/render/render-markdown';

/** Any text UTF-8 holds (no lone surrogate): emoji, combining marks, NUL, line feeds. */
const text = fc.string({ unit: 'grapheme', maxLength: 40 });

const render: fc.Arbitrary<RenderResult> = fc.record(
  {
    html: fc.string({ unit: 'grapheme', maxLength: 200 }),
    summary: text,
    headings: fc.array(
      fc.record({ depth: fc.integer({ min: 1, max: 6 }), text, id: text }, { noNullPrototype: true }),
      { maxLength: 6 },
    ),
    wordCount: fc.oneof(fc.nat(), fc.double()),
    readingTime: fc.oneof(fc.nat(), fc.double()),
    assetProblems: fc.array(
      fc.record(
        {
          line: fc.nat(),
          column: fc.nat(),
          reference: text,
          reason: fc.constantFrom('missing' as const, 'outside' as const),
        },
        { noNullPrototype: true },
      ),
    ),
  },
  { requiredKeys: ['html', 'summary', 'headings', 'wordCount', 'readingTime'], noNullPrototype: true },
);

/** A decoded render as plain data: its fields and its HTML (decoded from its bytes now). */
function plain(result: RenderResult | undefined) {
  if (result === undefined) return undefined;
  return { ...result, html: result.html };
}

describe('render cache records', () => {
  it('give back every render they store: fields, numbers (as Object.is), key order and HTML', () => {
    fc.assert(
      fc.property(render, (result) => {
        const payload = encodeRenderResult(result)!;
        expect(payload).toBeInstanceOf(Buffer);
        const decoded = decodeRenderResult(payload);
        expect(plain(decoded)).toStrictEqual(plain(result));
        for (const [index, heading] of result.headings.entries()) {
          expect(Object.keys(decoded!.headings[index]!)).toEqual(Object.keys(heading));
        }
        expect(Object.is(decoded!.wordCount, result.wordCount)).toBe(true);
        expect(Object.is(decoded!.readingTime, result.readingTime)).toBe(true);
      }),
    );
  });

  it('do not store a render whose summary or headings hold a lone surrogate (UTF-8 cannot)', () => {
    const base: RenderResult = { html: '<p>x</p>', summary: 'x', headings: [], wordCount: 1, readingTime: 1 };
    expect(encodeRenderResult({ ...base, summary: 'a\ud800b' })).toBeUndefined();
    expect(
      encodeRenderResult({ ...base, headings: [{ depth: 2, text: '\udc00', id: 'a' }] }),
    ).toBeUndefined();
    expect(
      encodeRenderResult({ ...base, headings: [{ depth: 2, text: 'a', id: 'b\ud83d' }] }),
    ).toBeUndefined();
    // A pair is a character like any other.
    const paired = {
      ...base,
      summary: '\ud83d\ude00',
      headings: [{ depth: 2, text: '\ud83d\ude00', id: 'x' }],
    };
    expect(plain(decodeRenderResult(encodeRenderResult(paired)!))).toStrictEqual(paired);
  });

  it('read any bytes without throwing: a render only when every length fits', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const decoded = decodeRenderResult(Buffer.from(bytes));
        if (decoded !== undefined) expect(typeof decoded.summary).toBe('string');
      }),
    );
  });

  it('cut short anywhere before their HTML, or with a length past the end, read as a miss', () => {
    fc.assert(
      fc.property(render, fc.nat(), fc.integer({ min: 16, max: 31 }), (result, cut, field) => {
        const payload = encodeRenderResult(result)!;
        const htmlBytes = Buffer.byteLength(result.html, 'utf8');
        const fields = payload.length - htmlBytes;
        // Cut inside the fields (the summary, a heading, the asset problems): a miss.
        expect(decodeRenderResult(payload.subarray(0, cut % fields))).toBeUndefined();
        // A count or length (headings, texts, asset problems, summary) made larger than the payload: a miss.
        const damaged = Buffer.from(payload);
        const at = field - (field % 4);
        damaged.writeUInt32LE(payload.length + 1 + damaged.readUInt32LE(at), at);
        expect(decodeRenderResult(damaged)).toBeUndefined();
      }),
    );
  });

  it('whose text lengths do not add up to their texts read as a miss', () => {
    fc.assert(
      fc.property(render, fc.nat(), fc.integer({ min: -3, max: 3 }), (result, pick, change) => {
        fc.pre(change !== 0);
        const payload = encodeRenderResult(result)!;
        // The summary's length, or a heading's text or id length (after its depth).
        const places = [
          28,
          ...result.headings.flatMap((_, index) => [32 + 16 * index + 8, 32 + 16 * index + 12]),
        ];
        const at = places[pick % places.length]!;
        const length = payload.readUInt32LE(at) + change;
        fc.pre(length >= 0);
        const damaged = Buffer.from(payload);
        damaged.writeUInt32LE(length, at);
        expect(decodeRenderResult(damaged)).toBeUndefined();
      }),
    );
  });
});
