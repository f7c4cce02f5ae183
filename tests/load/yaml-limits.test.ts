import { describe, expect, it } from 'vitest';
import { loadSite } from '../../src/load/load-site';
import { MAX_FRONT_MATTER_CHARACTERS, MAX_FRONT_MATTER_KEYS, parseYamlFile } from '../../src/parse/parse';
import { lines, NOW, temporarySite } from './helpers';

const post = (yaml: string) => `---\ntitle: Keys\ndate: 2020-01-01\n${yaml}---\n\nBody.\n`;

describe('front matter limits and duplicate keys', () => {
  it('32,000 unknown top-level keys are refused at the first key over the limit', async () => {
    const keys = Array.from({ length: 32_000 }, (_, index) => `k${index}: 1\n`).join('');
    const root = await temporarySite({ 'content/posts/keys.md': post(keys.slice(0, 60_000)) });
    expect(lines(await loadSite({ root, now: NOW, cache: false }))).toMatchInlineSnapshot(`
      [
        "content/posts/keys.md:2002:1: error too-many-keys: the YAML has 6792 keys; the limit is 2000",
      ]
    `);
  });

  it('deeply nested keys count too', () => {
    // 1,500 mappings of one key each: 3,000 keys in all.
    const nested = Array.from({ length: 1_500 }, (_, index) => `a${index}:\n  b: 1\n`).join('');
    expect(parseYamlFile('authors/x.yaml', nested)).toMatchObject({
      diagnostics: [{ code: 'too-many-keys', message: 'the YAML has 3000 keys; the limit is 2000' }],
    });
  });

  it('front matter longer than the limit is refused before it is parsed', async () => {
    const root = await temporarySite({
      'content/posts/long.md': post(`summary: "${'x'.repeat(MAX_FRONT_MATTER_CHARACTERS)}"\n`),
      'content/authors/long.yaml': `name: A\nbio: "${'x'.repeat(MAX_FRONT_MATTER_CHARACTERS)}"\n`,
    });
    expect(lines(await loadSite({ root, now: NOW, cache: false }))).toMatchInlineSnapshot(`
      [
        "content/authors/long.yaml:1:1: error front-matter-too-large: the YAML is 65552 characters long; the limit is 65536",
        "content/posts/long.md:1:1: error front-matter-too-large: the YAML is 65576 characters long; the limit is 65536",
      ]
    `);
  });

  it('a duplicate among many keys is found, with the other duplicates, in one pass', () => {
    const keys = Array.from({ length: MAX_FRONT_MATTER_KEYS - 10 }, (_, index) => `k${index}: 1`);
    const yaml = [...keys, 'k5: 2', 'nested:', '  a: 1', '  a: 2'].join('\n');
    const result = parseYamlFile('authors/x.yaml', yaml);
    expect('diagnostics' in result && result.diagnostics).toMatchInlineSnapshot(`
      [
        {
          "code": "duplicate-key",
          "column": 1,
          "file": "authors/x.yaml",
          "line": 1991,
          "message": "key "k5" appears more than once: keep one",
          "severity": "error",
        },
        {
          "code": "duplicate-key",
          "column": 3,
          "file": "authors/x.yaml",
          "line": 1994,
          "message": "key "a" appears more than once: keep one",
          "severity": "error",
        },
      ]
    `);
  });

  it('keys equal as values, not as text, are the same key (as yaml compares them)', () => {
    expect(parseYamlFile('authors/x.yaml', 'a: 1\n"a": 2\n1: x\n"1": y\n')).toMatchInlineSnapshot(`
      {
        "diagnostics": [
          {
            "code": "duplicate-key",
            "column": 1,
            "file": "authors/x.yaml",
            "line": 2,
            "message": "key "a" appears more than once: keep one",
            "severity": "error",
          },
        ],
      }
    `);
  });
});
