import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFrontMatterFile, parseYamlDocument } from '../../src/parse/parse';

/**
 * How a post's text was split before the parser looked only at the lines up to the closing fence:
 * every line of the file, then the lines between the fences and those after the closing one joined.
 */
function splitByLines(text: string): { yaml: string; body: string; bodyLine: number } | string {
  if (text.trim() === '') return 'empty-file';
  const lines = text.split('\n');
  if (!/^---[ \t]*$/.test(lines[0]!)) return 'missing-front-matter';
  const closing = lines.findIndex((line, index) => index > 0 && /^(?:---|\.\.\.)[ \t]*$/.test(line));
  if (closing === -1) return 'unclosed-front-matter';
  return {
    yaml: lines.slice(1, closing).join('\n'),
    body: lines.slice(closing + 1).join('\n'),
    bodyLine: closing + 2,
  };
}

describe('splitting a post into front matter and body', () => {
  it('gives the parts that splitting every line gave', () => {
    const line = fc.constantFrom(
      '---',
      '--- ',
      '---\t',
      '...',
      '----',
      '---x',
      ' ---',
      'title: A',
      'tags: [a, b]',
      'a: [1',
      '',
      ' ',
      '\t',
      '\u00a0',
      'b: |',
      '  text',
      'Body text.',
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), fc.constantFrom('', '\n', '\n\n'), (lines, end) => {
        const text = `${lines.join('\n')}${end}`;
        const expected = splitByLines(text);
        const result = parseFrontMatterFile('post.md', text);
        if (typeof expected === 'string') {
          expect('diagnostics' in result && result.diagnostics.map((d) => d.code)).toEqual([expected]);
          return;
        }
        const yaml = parseYamlDocument('post.md', expected.yaml, 1, { line: 1, column: 1 });
        if ('diagnostics' in yaml) {
          expect(result).toEqual(yaml);
          return;
        }
        if (!('parsed' in result)) throw new Error('yaml took the front matter, the parser did not');
        expect(result.parsed.body).toBe(expected.body);
        expect(result.parsed.bodyLine).toBe(expected.bodyLine);
        expect(isDeepStrictEqual(result.parsed.data, yaml.parsed.data)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
