import fc from 'fast-check';
import { XmlDocument } from 'libxml2-wasm';
import { describe, expect, it } from 'vitest';
import { escapeXml, serializeXml, xml, xmlCharacters } from '../../src/outputs/feeds/xml';
import { hostileString } from './arbitraries';
import { attr, parseXml, text, withoutNonXmlCharacters } from './support';

describe('escapeXml', () => {
  it('escapes markup, every ]]>, and a carriage return in text', () => {
    expect(escapeXml('a ]]> b ]]> & <c>', 'text')).toBe('a ]]&gt; b ]]&gt; &amp; &lt;c&gt;');
    expect(escapeXml('line\r\nnext', 'text')).toBe('line&#13;\nnext');
    expect(escapeXml('"quoted"\tand\nnot', 'text')).toBe('"quoted"\tand\nnot');
  });

  it('also escapes quotes and white space in attribute values', () => {
    expect(escapeXml('say "hi" &\t<you>\r\n', 'attribute')).toBe(
      'say &quot;hi&quot; &amp;&#9;&lt;you&gt;&#13;&#10;',
    );
  });

  it('drops the characters XML 1.0 cannot carry and nothing else', () => {
    // A low surrogate before a high one: two lone surrogates, not a pair.
    const cannot = '\u0000\u0001\u0008\u000B\u000C\u001F\uDFFF\uD800\uFFFE\uFFFF';
    expect(xmlCharacters(`a${cannot}b`)).toBe('ab');
    const can = '\t\n\r \u007F\u0085\u00A0\uD7FF\uE000\uFFFD\u{10000}\u{1F600}\u{10FFFF}';
    expect(xmlCharacters(can)).toBe(can);
    // A lone high surrogate followed by a valid pair: only the lone one goes.
    expect(xmlCharacters('\uD83D\uD83D\uDE00')).toBe('\u{1F600}');
  });
});

describe('serializeXml', () => {
  it('writes the declaration, indents element-only content and leaves text untouched', () => {
    const document = xml(
      'feed',
      { xmlns: 'urn:x', skipped: undefined },
      xml('a', { n: 1 }, ' spaced  text\n'),
      xml('b'),
      [false, undefined, xml('c', {}, '')],
    );
    expect(serializeXml(document)).toBe(
      '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="urn:x">\n  <a n="1"> spaced  text\n</a>\n  <b/>\n  <c></c>\n</feed>\n',
    );
  });

  it('round-trips any text and attribute value through two independent parsers, minus what XML cannot carry', () => {
    fc.assert(
      fc.property(hostileString(40), hostileString(40), (value, other) => {
        const document = serializeXml(
          xml(
            'root',
            { value },
            xml('text', {}, value),
            xml('mixed', {}, value, xml('inner', { other }, other), value),
          ),
        );
        const expected = withoutNonXmlCharacters(value);
        const expectedOther = withoutNonXmlCharacters(other);
        // saxes: strict, namespace-aware, XML 1.0 character rules.
        const root = parseXml(document);
        expect(attr(root, 'value')).toBe(expected);
        const [textElement, mixed] = root.children.filter((node) => typeof node !== 'string');
        expect(text(textElement!)).toBe(expected);
        expect(text(mixed!)).toBe(expected + expectedOther + expected);
        // libxml2 reads the same.
        const parsed = XmlDocument.fromString(document);
        try {
          expect(parsed.root.attr('value')?.value).toBe(expected);
          expect(parsed.get('/root/text')?.content).toBe(expected);
          expect(parsed.get('/root/mixed/inner/@other')?.content).toBe(expectedOther);
        } finally {
          parsed.dispose();
        }
      }),
      { numRuns: 300 },
    );
  });
});
