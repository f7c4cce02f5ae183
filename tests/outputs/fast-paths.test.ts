import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonText, toJsonValue } from '../../src/outputs/api/json';
import { httpUrl, normalizeUrl } from '../../src/outputs/api/links';
import {
  escapeXml,
  plainTextElement,
  serializeXml,
  type XmlElement,
  xml,
  xmlCharacters,
} from '../../src/outputs/feeds/xml';
import { escapeHtml, htmlSafeText } from '../../src/outputs/pages/html';
import { isHttpUrl } from '../../src/schema/urls';

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

const XML_REFERENCES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};
const XML_HEX_REFERENCES: Record<string, string> = {
  ...XML_REFERENCES,
  '&': '&#x26;',
  '<': '&#x3C;',
  '>': '&#x3E;',
};

/** `escapeXml` before round six. */
function escapeXmlBefore(text: string, context: 'text' | 'attribute' | 'plain-text'): string {
  const pattern = context === 'attribute' ? /[&<>"\t\n\r]/g : /[&<>\r]/g;
  const references = context === 'plain-text' ? XML_HEX_REFERENCES : XML_REFERENCES;
  return xmlCharacters(text).replace(pattern, (character) => references[character]!);
}

/** `serializeXml` before round six: pieces pushed to an array, joined at the end. */
function serializeXmlBefore(root: XmlElement): string {
  const out: string[] = ['<?xml version="1.0" encoding="utf-8"?>\n'];
  const startTag = (element: XmlElement, end = '>'): string => {
    let tag = `<${element.name}`;
    for (const [name, value] of element.attributes)
      tag += ` ${name}="${escapeXmlBefore(value, 'attribute')}"`;
    return tag + end;
  };
  const writeInline = (element: XmlElement): void => {
    if (element.children.length === 0) {
      out.push(startTag(element, '/>'));
      return;
    }
    out.push(startTag(element));
    for (const child of element.children) {
      if (typeof child === 'string')
        out.push(escapeXmlBefore(child, element.plainText ? 'plain-text' : 'text'));
      else writeInline(child);
    }
    out.push('</', element.name, '>');
  };
  const writeElement = (element: XmlElement, indent: string): void => {
    out.push(indent);
    const { children } = element;
    if (children.length > 0 && children.every((child) => typeof child !== 'string')) {
      out.push(startTag(element), '\n');
      for (const child of children) writeElement(child as XmlElement, `${indent}  `);
      out.push(indent, '</', element.name, '>\n');
      return;
    }
    writeInline(element);
    out.push('\n');
  };
  writeElement(root, '');
  return out.join('');
}

describe('escapeXml', () => {
  it('gives what it gave before its fast path, for any text in each context', () => {
    fc.assert(
      fc.property(anyText, fc.constantFrom('text', 'attribute', 'plain-text' as const), (text, context) => {
        expect(escapeXml(text, context)).toBe(escapeXmlBefore(text, context));
      }),
      { numRuns: 2000 },
    );
  });

  it('gives what it gave before for every single code unit and pair', () => {
    for (let unit = 0; unit <= 0xffff; unit++) {
      const text = `a${String.fromCharCode(unit)}b`;
      for (const context of ['text', 'attribute', 'plain-text'] as const) {
        if (escapeXml(text, context) !== escapeXmlBefore(text, context)) {
          expect.unreachable(`U+${unit.toString(16)} (${context})`);
        }
      }
    }
    for (const text of ['\uD83D\uDE00', '\uD83F\uDFFE', '\uDBFF\uDFFF', '\uDE00\uD83D']) {
      expect(escapeXml(text, 'text')).toBe(escapeXmlBefore(text, 'text'));
    }
  });
});

describe('serializeXml', () => {
  const name = fc.constantFrom('feed', 'entry', 'title', 'link', 'thr:in-reply-to', 'a');
  const attributes = fc.dictionary(
    fc.constantFrom('href', 'rel', 'xml:lang', 'type', 'n'),
    fc.oneof(anyText, fc.integer(), fc.constant(undefined)),
    { maxKeys: 3 },
  );
  const tree = fc.letrec<{ element: XmlElement }>((tie) => ({
    element: fc.oneof(
      { depthSize: 'small' },
      fc
        .tuple(name, attributes, fc.array(fc.oneof(anyText, tie('element')), { maxLength: 4 }))
        .map(([elementName, given, children]) => xml(elementName, given, ...children)),
      fc.tuple(name, anyText).map(([elementName, text]) => plainTextElement(elementName, text)),
    ),
  }));

  it('writes any tree as it wrote it before (one string built as it goes)', () => {
    fc.assert(
      fc.property(tree.element, (root) => {
        expect(serializeXml(root)).toBe(serializeXmlBefore(root));
      }),
      { numRuns: 500 },
    );
  });
});

/**
 * `toJsonValue` before round six: every value converted, every object copied. It is still the way
 * for a value that is not plain JSON: inside an object with a `$` key (which `isPlainJson` refuses).
 */
function toJsonValueBefore(value: unknown): unknown {
  return (toJsonValue({ $: value }) as { $?: unknown }).$;
}

describe('toJsonValue', () => {
  it('gives the JSON text it gave before for any value (plain JSON is written as it is)', () => {
    const plain = fc.jsonValue();
    const any = fc.anything({
      withBigInt: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
    });
    const withProto = fc.constant(JSON.parse('{"__proto__": {"a": 1}, "b": [1, -0, "\\ud800"]}'));
    fc.assert(
      fc.property(fc.oneof(plain, any, withProto), (value) => {
        // A Map keyed by an object that has no string form throws, before as now.
        const outcome = (convert: (value: unknown) => unknown) => {
          try {
            return jsonText(convert(value));
          } catch (error) {
            return `throws ${(error as Error).name}`;
          }
        };
        expect(outcome(toJsonValue)).toBe(outcome(toJsonValueBefore));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('httpUrl', () => {
  /** `httpUrl` before round six: worked out at each call. */
  const httpUrlBefore = (value: string | undefined, base?: string): string | undefined => {
    const href = normalizeUrl(value, base);
    return href !== undefined && isHttpUrl(href) ? href : undefined;
  };
  const url = fc.oneof(
    fc.webUrl(),
    fc.constantFrom(
      'https://a.example/',
      'x',
      '1:x',
      '/p',
      'javascript:alert(1)',
      'https://u:p@h/',
      ' https://a/',
    ),
    anyText,
  );

  it('gives what it gave before, for any value and base, asked once or again', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(url, fc.option(url, { nil: undefined })), { maxLength: 8 }), (calls) => {
        for (const [value, base] of [...calls, ...calls]) {
          expect(httpUrl(value, base)).toBe(httpUrlBefore(value, base));
          expect(httpUrl(`${base?.length ?? 0}:${base ?? ''}${value}`)).toBe(
            httpUrlBefore(`${base?.length ?? 0}:${base ?? ''}${value}`),
          );
        }
      }),
      { numRuns: 500 },
    );
  });
});
