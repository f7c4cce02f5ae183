import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeExact,
  encodeExact,
  exactText,
  isPlainJson,
  NOT_EXACT,
  storedText,
} from '../../src/fingerprint/exact';

/** Values of the kinds YAML gives (and more): what front matter can hold. */
const value = fc.anything({
  withBigInt: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withBoxedValues: false,
  withTypedArray: false,
  withSparseArray: false,
  withNullPrototype: false,
  withObjectString: true,
  maxDepth: 3,
});

describe('encodeExact', () => {
  it('gives back an equal value through JSON (store mode): the encoding loses nothing', () => {
    fc.assert(
      fc.property(value, (item) => {
        const encoded = encodeExact(item);
        if (encoded === NOT_EXACT) return;
        expect(decodeExact(JSON.parse(JSON.stringify(encoded)))).toStrictEqual(item);
      }),
    );
  });

  it('writes in fingerprint mode what it stores, for every value it can store (so texts are exact)', () => {
    fc.assert(
      fc.property(value, (item) => {
        const encoded = encodeExact(item);
        if (encoded === NOT_EXACT) return;
        expect(exactText(item)).toBe(JSON.stringify(encoded));
      }),
    );
  });

  it('tells apart values JSON writes alike', () => {
    const confusable: unknown[] = [
      null,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      0,
      -0,
      '1970-01-01T00:00:00.000Z',
      new Date(0),
      {},
      new Map(),
      new Set(),
      [],
      { $t: 'date', v: '0' },
      { $$t: 'date' },
      undefined,
      1n,
      '1',
      () => 1,
      () => 2,
    ];
    const texts = confusable.map((item) => exactText(item));
    expect(new Set(texts).size).toBe(confusable.length);
  });

  it('refuses an object reached twice when storing, and marks a cycle only when asked', () => {
    const shared = { a: 1 };
    expect(encodeExact({ x: shared, y: shared })).toBe(NOT_EXACT);
    expect(exactText({ x: shared, y: shared })).toBe('{"x":{"a":1},"y":{"a":1}}');
    const cycle: Record<string, unknown> = { name: 'c' };
    cycle.self = cycle;
    expect(exactText(cycle)).toBeUndefined();
    expect(exactText(cycle, { cycles: 'mark' })).toBe('{"name":"c","self":{"$t":"cycle","v":1}}');
  });
});

describe('isPlainJson', () => {
  it('holds only for values JSON writes exactly as encodeExact does', () => {
    fc.assert(
      fc.property(value, (item) => {
        if (isPlainJson(item)) expect(JSON.stringify(item)).toBe(exactText(item));
      }),
    );
  });

  it('in store mode, holds only for values JSON writes as encodeExact stores them: storedText is that text', () => {
    // Plain data most of the time, and what store mode refuses: objects without a prototype, holes,
    // an object reached twice, getters, symbols, hidden properties, keys starting with `$`.
    const plain = fc.jsonValue({ maxDepth: 3 });
    const awkward = fc.oneof(
      fc.anything({ withNullPrototype: true, withSparseArray: true, withDate: true, maxDepth: 2 }),
      plain.map((item) => ({ a: item, b: item })),
      plain.map((item) => [item, item]),
      plain.map((item) => Object.defineProperty({ a: 1 }, 'b', { get: () => item, enumerable: true })),
      plain.map((item) => Object.defineProperty({ a: item }, 'hidden', { value: 1, enumerable: false })),
      plain.map((item) => ({ a: item, [Symbol('s')]: 1 })),
      plain.map((item) => Object.assign([item], { extra: 1 })),
      plain.map((item) => ({ $ref: item })),
    );
    let plainCount = 0;
    fc.assert(
      fc.property(fc.oneof(plain, awkward, fc.record({ a: awkward, b: plain })), (item) => {
        const encoded = encodeExact(item);
        const text = encoded === NOT_EXACT ? undefined : JSON.stringify(encoded);
        expect(storedText(item)).toBe(text);
        if (isPlainJson(item, { mode: 'store' })) {
          plainCount++;
          expect(JSON.stringify(item)).toBe(text);
        }
      }),
      { numRuns: 1000 },
    );
    expect(plainCount).toBeGreaterThan(100);
  });
});
