// fast-check arbitraries for text that breaks naive feed writers.
import fc from 'fast-check';

/** One unit of hostile text: any code point, C0 controls, lone surrogates, non-characters, markup. */
const hostileUnit: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 0x1f }).map((code) => String.fromCharCode(code)) },
  { weight: 1, arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      ']]>',
      ']]>]]>',
      '<![CDATA[',
      '&',
      '&amp;',
      '&#0;',
      '&lt;',
      '<',
      '>',
      '"',
      "'",
      '<script>alert(1)</script>',
      '\r\n',
      '\r',
      '\n',
      '\t',
      ' ',
      '\uFFFE',
      '\uFFFF',
      '\u0085',
      '\u2028',
      '\u{1F600}',
      '\u{10FFFF}',
    ),
  },
);

/** Any string, weighted towards the characters and sequences that break XML and HTML writers. */
export const hostileString = (maxLength = 24): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.string({ unit: hostileUnit, maxLength }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength }) },
  );
