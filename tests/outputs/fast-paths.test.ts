import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeHtml, htmlSafeText } from '../../src/outputs/pages/html';

/**
 * Round six made the outputs' escaping cheaper (docs/decisions/performance.md, "Round six"): each
 * fast path must give exactly what the routine it stands for gave, for any text. The references
 * below are the routines as they were.
 */

/** Any text: code units drawn one by one (lone surrogates, controls, noncharacters), and mixes of the characters that matter. */
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({
    unit: fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit)),
    maxLength: 80,
  }),
  fc.string({
    unit: fc.constantFrom(
      'a',
      ' ',
      '&',
      '<',
      '>',
      '"',
      "'",
      '\t',
      '\n',
      '\r',
      '\f',
      '\u000B',
      '\u0000',
      '\u001F',
      '\u007F',
      '\u0085',
      '\u009F',
      '\u00A0',
      '\uD800',
      '\uDBFF',
      '\uDC00',
      '\uDFFF',
      '\uD83F',
      '\uFDCF',
      '\uFDD0',
      '\uFDEF',
      '\uFDF0',
      '\uFFFD',
      '\uFFFE',
      '\uFFFF',
      'é',
      '—',
      '😀',
      '\u{1FFFE}',
    ),
    maxLength: 40,
  }),
  // Long text too (escapeHtml scans it another way).
  fc
    .tuple(fc.string({ unit: 'binary', maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 80 }))
    .map(([a, b]) => `${a}${'x'.repeat(50)}${b}`),
);

const ESCAPED: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** `escapeHtml` before round six. */
function escapeHtmlBefore(text: string): string {
  return htmlSafeText(text).replace(/[&<>"']/g, (character) => ESCAPED[character]!);
}

describe('escapeHtml', () => {
  it('gives what it gave before its fast path, for any text', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(escapeHtml(text)).toBe(escapeHtmlBefore(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('gives what it gave before for every single code unit, in short text and in long', () => {
    for (let unit = 0; unit <= 0xffff; unit++) {
      for (const text of [
        `a${String.fromCharCode(unit)}b`,
        `${'a'.repeat(60)}${String.fromCharCode(unit)}`,
      ]) {
        if (escapeHtml(text) !== escapeHtmlBefore(text)) expect.unreachable(`U+${unit.toString(16)}`);
      }
    }
  });
});
