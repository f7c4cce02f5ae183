import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseFrontMatterFile, parseYamlDocument } from '../../src/parse/parse';
import { parseSimpleYaml } from '../../src/parse/simple-yaml';

/** What `yaml` alone gives for a front matter's text: its data, or undefined when it has a diagnostic. */
function yamlData(text: string): Record<string, unknown> | undefined {
  const result = parseYamlDocument('post.md', text, 1, { line: 1, column: 1 });
  return 'parsed' in result ? result.parsed.data : undefined;
}

/** The same value down to key order, prototypes and `-0`. */
function identical(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(a, b) && JSON.stringify(a) === JSON.stringify(b);
}

/** Keys in and out of the subset: words YAML reads as null or booleans, quoted, JavaScript's own. */
const key = fc.oneof(
  fc.constantFrom(
    'title',
    'tags',
    'date',
    'a',
    'b',
    'x-y',
    'a_b',
    'true',
    'False',
    'null',
    'NULL',
    'yes',
    'on',
    '1',
    '0x1',
    '__proto__',
    'constructor',
    'hasOwnProperty',
    '"q"',
    "'q'",
    'k k',
    '~',
    '',
    '? a',
    '<<',
  ),
  fc.string({ unit: fc.constantFrom('a', 'Z', '1', '_', '-', 'é', ' ', '.'), minLength: 1, maxLength: 6 }),
);

/** Characters that matter to YAML's scanner, scalars and JavaScript strings. */
const trickyChar = fc.constantFrom(
  'a',
  'Z',
  'e',
  'x',
  'o',
  'n',
  'u',
  'l',
  't',
  '0',
  '1',
  '9',
  ' ',
  ':',
  '#',
  '"',
  "'",
  '\\',
  '-',
  '+',
  '.',
  '[',
  ']',
  ',',
  '{',
  '}',
  '&',
  '*',
  '!',
  '(',
  ')',
  '|',
  '>',
  '~',
  '%',
  '@',
  '`',
  '/',
  '\t',
  'é',
  '中',
  '🎉',
  '\u00a0',
  '\u0085',
  '\u2028',
  '\ufeff',
  '\ud800',
  '\u007f',
  '\u0001',
);

/** Scalars of every kind the core schema knows, written plain, quoted or in a flow list. */
const scalar = fc.oneof(
  fc.constantFrom(
    'yes',
    'no',
    '~',
    'null',
    'Null',
    'true',
    'TRUE',
    'False',
    '0x1',
    '0x1F',
    '0o7',
    '1e3',
    '1.5',
    '.5',
    '1.',
    '+1',
    '-1',
    '-0',
    '0',
    '007',
    '12345678901234567890',
    '.inf',
    '.NaN',
    'NaN',
    'Infinity',
    '2024-01-15',
    '2014-09-26T18:00:00Z',
    '2001-12-14 21:59:43.10 -5',
    '12:30',
    '1:2:3',
    'a # c',
    'a#b',
    'a: b',
    'a:b',
    'a:',
    'https://visitor3.example/',
    'foo, bar',
    '&a x',
    '*a',
    '!!str 1',
    '|',
    '>',
    '-',
    '- a',
    '? a',
    '"x"',
    "'x'",
    '"a\\"b"',
    '"a\\\\b"',
    '"a\\nb"',
    '"a\\u00e9"',
    "'it''s'",
    "'a\\b'",
    '"é ü 中文 🎉"',
    'Visitor 3',
    'é',
    '中文',
    '🎉 party',
    'a  b',
    'a ',
    '"a#b"',
    '"a: b"',
    '""',
    "''",
    '"',
    "'",
    '[]',
    '["a", "b"]',
    '[a, b]',
    '[a,b]',
    '[ a ]',
    '["a",]',
    '[a, [b]]',
    '[1, 2, 0x1]',
    '[true, ~, null]',
    '[a: b]',
    '["a" , "b"]',
    '{a: 1}',
    '{}',
  ),
  fc.string({ unit: trickyChar, maxLength: 10 }),
  fc.string({ unit: trickyChar, maxLength: 10 }).map((text) => JSON.stringify(text)),
  fc.string({ unit: trickyChar, maxLength: 10 }).map((text) => `'${text.replaceAll("'", "''")}'`),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }).map((text) => JSON.stringify(text)),
);

/** A value: a scalar, or a flow list of scalars. */
const value = fc.oneof(
  { weight: 4, arbitrary: scalar },
  fc.array(scalar, { maxLength: 3 }).map((items) => `[${items.join(', ')}]`),
);

/** Front matter inside the subset, with tricky but simple scalars. */
const simpleKey = fc
  .stringMatching(/^[a-z][a-z0-9_-]{0,6}$/)
  .filter((name) => !/^(?:null|true|false)$/.test(name));
const word = fc
  .string({
    unit: fc.constantFrom('a', 'Z', 'é', '中', '🎉', '1', '.', '/', ':', '-', ',', '!', '#', '(', ')'),
    minLength: 1,
    maxLength: 6,
  })
  .filter((text) => /^[A-Za-z0-9(\u00a0-\uffff]/.test(text) && !text.endsWith(':') && !text.includes(':.'));
const plain = fc.oneof(
  fc
    .array(word, { minLength: 1, maxLength: 3 })
    .map((words) => words.join(' '))
    // Numbers other than plain digits (`1.`, `1.5`) are left to yaml.
    .filter((text) => !/^[0-9.]+$/.test(text) || /^[0-9]+$/.test(text)),
  fc.nat().map(String),
  fc.constantFrom(
    '2024-01-15',
    '2014-09-26T18:00:00Z',
    'null',
    'True',
    'false',
    'yes',
    'https://a.example/b',
  ),
);
const printable = fc.string({
  unit: fc.constantFrom('a', ' ', '#', ':', '"', "'", '\\', 'é', '中', '🎉', ',', ']', '['),
  maxLength: 10,
});
const simpleScalar = fc.oneof(
  plain,
  printable.map((text) => JSON.stringify(text)),
  printable.map((text) => `'${text.replaceAll("'", "''")}'`),
);
const flowItem = fc.oneof(
  printable.map((text) => JSON.stringify(text)),
  fc.constantFrom('a', 'Notes', 'é b', '12', 'x-y', 'true', 'null'),
);
const simpleEntry = fc.oneof(
  { weight: 4, arbitrary: simpleScalar.map((text) => ` ${text}`) },
  fc.array(flowItem, { maxLength: 4 }).map((items) => ` [${items.join(', ')}]`),
  fc.constant(''),
  fc
    .tuple(fc.constantFrom('', '  ', '    '), fc.array(simpleScalar, { minLength: 1, maxLength: 3 }))
    .map(([indent, items]) => items.map((item) => `\n${indent}- ${item}`).join('')),
  fc
    .tuple(
      fc.constantFrom(' ', '  ', '    '),
      fc.uniqueArray(fc.tuple(simpleKey, simpleScalar), {
        minLength: 1,
        maxLength: 3,
        selector: ([name]) => name,
      }),
    )
    .map(([indent, pairs]) => pairs.map(([name, text]) => `\n${indent}${name}: ${text}`).join('')),
);
const simpleFrontMatter = fc
  .uniqueArray(fc.tuple(simpleKey, simpleEntry), { maxLength: 8, selector: ([name]) => name })
  .map((entries) => entries.map(([name, entry]) => `${name}:${entry}`).join('\n'));

/** Keys and values of the lines below: mostly of the subset, often not. */
const lineKey = fc.oneof({ weight: 3, arbitrary: simpleKey }, { weight: 2, arbitrary: key });
const lineValue = fc.oneof({ weight: 2, arbitrary: simpleScalar }, { weight: 3, arbitrary: value });

/** One line of front matter, in or out of the subset. */
const line = fc.oneof(
  { weight: 12, arbitrary: fc.tuple(lineKey, lineValue).map(([name, text]) => `${name}: ${text}`) },
  { weight: 2, arbitrary: lineKey.map((name) => `${name}:`) },
  fc
    .tuple(fc.constantFrom(' ', '  ', '   ', '    '), lineKey, lineValue)
    .map(([indent, name, text]) => `${indent}${name}: ${text}`),
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom('', '  ', ' '), lineValue)
      .map(([indent, text]) => `${indent}- ${text}`),
  },
  fc.tuple(lineKey, lineValue).map(([name, text]) => `${name}:${text}`),
  fc.tuple(lineKey, lineValue).map(([name, text]) => `${name}:  ${text}`),
  fc.tuple(lineKey, lineValue).map(([name, text]) => `${name}: ${text} # note`),
  fc.constantFrom('', ' ', '# a comment', '---', '...', '-', 'a: b: c', '  more text', 'key: |', '\t- a'),
);

/** Front matter: lines of any of those shapes. */
const frontMatter = fc.array(line, { minLength: 1, maxLength: 6 }).map((lines) => lines.join('\n'));

describe('the fast path for simple front matter', () => {
  it('gives what yaml gives, for any front matter it takes', () => {
    let taken = 0;
    let valid = 0;
    fc.assert(
      fc.property(frontMatter, (text) => {
        const fast = parseSimpleYaml(text);
        if (yamlData(text) !== undefined) valid++;
        if (fast === undefined) return;
        taken++;
        expect(identical(fast, yamlData(text))).toBe(true);
      }),
      { numRuns: 3000 },
    );
    // The generator reaches the fast path often (about one text in nine), and yaml's valid texts
    // more often still.
    expect(taken).toBeGreaterThan(150);
    expect(valid).toBeGreaterThan(taken);
  });

  it('takes the usual shapes of front matter, giving what yaml gives', () => {
    fc.assert(
      fc.property(simpleFrontMatter, (text) => {
        const fast = parseSimpleYaml(text);
        expect(fast).toBeDefined();
        expect(identical(fast, yamlData(text))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('takes nearly all front matter that yaml writes (the importers), giving it back', () => {
    const text = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 20 }), fc.lorem({ maxCount: 6 }));
    const data = fc.record({
      title: text,
      date: fc
        .date({ noInvalidDate: true, min: new Date(0), max: new Date(4e12) })
        .map((d) => d.toISOString()),
      tags: fc.array(text, { maxLength: 3 }),
      author: fc.record({ name: text, url: fc.webUrl() }),
      draft: fc.boolean(),
      weight: fc.nat(),
    });
    let taken = 0;
    fc.assert(
      fc.property(data, (item) => {
        // What the importers write between the fences (src/import/writer.ts), less its last line feed.
        const yaml = stringify(item, { lineWidth: 0 }).slice(0, -1);
        const fast = parseSimpleYaml(yaml);
        if (fast === undefined) return;
        taken++;
        expect(identical(fast, yamlData(yaml))).toBe(true);
        expect(fast).toEqual(item);
      }),
      { numRuns: 1000 },
    );
    // Texts left to yaml: a scalar yaml quotes with an escape, or starts with an indicator (`-`, `)`).
    expect(taken).toBeGreaterThan(900);
  });

  it('reads the tricky scalars as the core schema does, or leaves them to yaml', () => {
    const cases = [
      'a: yes',
      'a: ~',
      'a: null',
      'a: 0x1',
      'a: 1e3',
      'a: 007',
      'a: 2024-01-15',
      'a: 12:30',
      'a: "x # y"',
      'a: x # y',
      'tags: [C#, F#]',
      'a: (Re)thinking',
      'a: http://x.example/',
      "a: 'it''s'",
      'a: 中文 🎉',
      'tags: [Notes, "Design", \'x\']',
      'author:\n  name: Visitor 3\n  url: https://visitor3.example/',
      'tags:\n- a\n- b',
    ];
    expect(cases.map((text) => [text, parseSimpleYaml(text) ?? 'yaml'])).toMatchInlineSnapshot(`
      [
        [
          "a: yes",
          {
            "a": "yes",
          },
        ],
        [
          "a: ~",
          "yaml",
        ],
        [
          "a: null",
          {
            "a": null,
          },
        ],
        [
          "a: 0x1",
          "yaml",
        ],
        [
          "a: 1e3",
          "yaml",
        ],
        [
          "a: 007",
          {
            "a": 7,
          },
        ],
        [
          "a: 2024-01-15",
          {
            "a": "2024-01-15",
          },
        ],
        [
          "a: 12:30",
          {
            "a": "12:30",
          },
        ],
        [
          "a: "x # y"",
          {
            "a": "x # y",
          },
        ],
        [
          "a: x # y",
          "yaml",
        ],
        [
          "tags: [C#, F#]",
          {
            "tags": [
              "C#",
              "F#",
            ],
          },
        ],
        [
          "a: (Re)thinking",
          {
            "a": "(Re)thinking",
          },
        ],
        [
          "a: http://x.example/",
          {
            "a": "http://x.example/",
          },
        ],
        [
          "a: 'it''s'",
          {
            "a": "it's",
          },
        ],
        [
          "a: 中文 🎉",
          {
            "a": "中文 🎉",
          },
        ],
        [
          "tags: [Notes, "Design", 'x']",
          {
            "tags": [
              "Notes",
              "Design",
              "x",
            ],
          },
        ],
        [
          "author:
        name: Visitor 3
        url: https://visitor3.example/",
          {
            "author": {
              "name": "Visitor 3",
              "url": "https://visitor3.example/",
            },
          },
        ],
        [
          "tags:
      - a
      - b",
          {
            "tags": [
              "a",
              "b",
            ],
          },
        ],
      ]
    `);
    for (const text of cases) {
      const fast = parseSimpleYaml(text);
      if (fast !== undefined) expect(identical(fast, yamlData(text))).toBe(true);
    }
  });

  it('leaves positions to yaml: a diagnostic points where it did before', () => {
    const text = '---\ntitle: "A"\nauthor:\n  name: Visitor 3\ntags: [a, b]\n---\nbody\n';
    const fast = parseFrontMatterFile('post.md', text);
    expect('parsed' in fast).toBe(true);
    if (!('parsed' in fast)) return;
    const slow = parseYamlDocument('post.md', text.split('\n').slice(1, 5).join('\n'), 1, {
      line: 1,
      column: 1,
    });
    if (!('parsed' in slow)) throw new Error('yaml refused it');
    for (const path of [['title'], ['author', 'name'], ['tags', 1], ['missing'], []]) {
      expect(fast.parsed.positionOf(path)).toEqual(slow.parsed.positionOf(path));
      expect(fast.parsed.positionOf(path, { key: true })).toEqual(
        slow.parsed.positionOf(path, { key: true }),
      );
    }
    expect(fast.parsed.positionOf(['tags', 1])).toEqual({ line: 5, column: 11 });
  });
});
