import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cacheFolder } from '../../src/cache/location';
import { loadSite } from '../../src/index';
import { FrontMatterCache } from '../../src/load/front-matter-cache';
import {
  decodeUtf8,
  decodeValidUtf8,
  firstInvalidUtf8,
  frontMatterLength,
  parseFrontMatterFile,
  parserIdentity,
} from '../../src/parse/parse';
import {
  build,
  cacheEntries,
  copyGoldenSite,
  frontMatterReadByYaml,
  GOLDEN_NOW,
  hashTree,
  temporaryFolder,
  writeText,
} from '../cache/helpers';

const QUIET_POST = 'content/posts/2024/2024-03-05-quiet-post.md';

/** Whether two values are the same down to prototypes, key order, `-0` and `NaN`. */
function identical(a: unknown, b: unknown): boolean {
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return Object.is(a, b);
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (a instanceof Date) return Object.is(a.getTime(), (b as Date).getTime());
  if (a instanceof Uint8Array) return Buffer.compare(a, b as Uint8Array) === 0;
  if (a instanceof Set) return identical([...a], [...(b as Set<unknown>)]);
  if (a instanceof Map) return identical([...a], [...(b as Map<unknown, unknown>)]);
  const keys = Reflect.ownKeys(a);
  const otherKeys = Reflect.ownKeys(b);
  if (keys.length !== otherKeys.length || keys.some((key, index) => key !== otherKeys[index])) return false;
  return keys.every((key) => {
    const first = Object.getOwnPropertyDescriptor(a, key)!;
    const second = Object.getOwnPropertyDescriptor(b, key);
    return (
      second !== undefined && first.enumerable === second.enumerable && identical(first.value, second.value)
    );
  });
}

/** Mapping keys, including ones that are special to JavaScript objects or to the cache's encoding. */
const yamlKey = fc.oneof(
  fc.constantFrom('title', '__proto__', '$t', '$$t', '$', '1', '"a b"', 'constructor', 'toString', '""'),
  fc.string({ minLength: 1, maxLength: 8 }).map((key) => JSON.stringify(key)),
);

/** Front matter values written as YAML flow text, including what JSON does not carry. */
const yamlValue: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(
      '0',
      '-0',
      '-0.0',
      '.inf',
      '-.inf',
      '.nan',
      '0o17',
      '0x1F',
      '1e400',
      '12345678901234567890',
      'true',
      'null',
      '~',
      '2024-01-01',
      '2024-01-01T10:00:00Z',
      '!!timestamp 2001-12-14',
      '!!timestamp 2001-12-14t21:59:43.10-05:00',
      '!!binary aGVsbG8=',
      '!!str 12',
    ),
    fc.double().map((number) => (Number.isFinite(number) ? String(number) : '.nan')),
    fc.integer().map(String),
    fc.string().map((text) => JSON.stringify(text)),
    fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(', ')}]`),
    fc
      .array(fc.tuple(yamlKey, tie('value')), { maxLength: 4 })
      .map((pairs) => `{${pairs.map(([key, value]) => `${key}: ${value}`).join(', ')}}`),
    fc
      .uniqueArray(fc.string({ maxLength: 6 }), { maxLength: 4 })
      .map((items) => `!!set {${items.map((item) => JSON.stringify(item)).join(', ')}}`),
    fc
      .uniqueArray(fc.tuple(fc.string({ maxLength: 6 }), tie('value')), {
        maxLength: 3,
        selector: ([key]) => key,
      })
      .map(
        (pairs) => `!!omap [${pairs.map(([key, value]) => `{${JSON.stringify(key)}: ${value}}`).join(', ')}]`,
      ),
  ),
})).value;

describe('the front matter cache', () => {
  it('gives the same output as --no-cache for the golden site and after a front matter edit', async () => {
    const root = await frontMatterReadByYaml(await copyGoldenSite());
    const folder = await temporaryFolder();
    const variants = async (name: string) => {
      await build(root, path.join(folder, `${name}-none`), { cache: false });
      await build(root, path.join(folder, `${name}-cold`));
      await build(root, path.join(folder, `${name}-warm`));
      const none = await hashTree(path.join(folder, `${name}-none`));
      expect(await hashTree(path.join(folder, `${name}-cold`))).toEqual(none);
      expect(await hashTree(path.join(folder, `${name}-warm`))).toEqual(none);
      return none;
    };
    const before = await variants('before');
    const entries = await cacheEntries('front-matter-v2');
    expect(entries).toHaveLength(13); // every post and comment file

    const file = path.join(root, QUIET_POST);
    const text = await readFile(file, 'utf8');
    await writeFile(
      file,
      text
        .replace('title: A Quiet Post', 'title: A Louder Post')
        .replace('tags: [Open Source]', 'tags: [Open Source, Noise]'),
    );
    const after = await variants('after');
    expect(after).not.toEqual(before);
    const page = await readFile(path.join(folder, 'after-warm/posts/quiet-post/index.html'), 'utf8');
    expect(page).toContain('A Louder Post');
    expect(page).not.toContain('A Quiet Post');
    expect(Object.keys(after)).toContain('tags/noise/index.html');
    // The edited file's entry replaced the old one; the others were kept.
    const now = await cacheEntries('front-matter-v2');
    expect(now.filter((key) => !entries.includes(key))).toHaveLength(1);
    expect(entries.filter((key) => !now.includes(key))).toHaveLength(1);
  });

  it('parses an edited file again: its new title shows', async () => {
    const root = await copyGoldenSite();
    const load = async () => {
      const result = await loadSite({ root, now: GOLDEN_NOW, workers: 0 });
      if (!result.ok) throw new Error('the golden site does not load');
      return result.site.posts.find((post) => post.slug === 'quiet-post')!;
    };
    expect((await load()).title).toBe('A Quiet Post');
    expect((await load()).title).toBe('A Quiet Post');
    const file = path.join(root, QUIET_POST);
    await writeFile(file, (await readFile(file, 'utf8')).replace('A Quiet Post', 'A Quieter Post'));
    expect((await load()).title).toBe('A Quieter Post');
  });

  it('is what a warm load takes the front matter from (yaml is not run on a cached file)', async () => {
    const root = await frontMatterReadByYaml(await copyGoldenSite());
    await loadSite({ root, now: GOLDEN_NOW, workers: 0 });
    // Store, for the quiet post's bytes, a parse that yaml would not give.
    const bytes = await readFile(path.join(root, QUIET_POST));
    const parsed = parseFrontMatterFile(QUIET_POST, bytes.toString('utf8'));
    if (!('parsed' in parsed)) throw new Error('the quiet post does not parse');
    const cache = await FrontMatterCache.open({
      root,
      folder: await cacheFolder(root),
      parser: parserIdentity(),
    });
    const bodyStart = bytes.toString('utf8').length - parsed.parsed.body.length;
    expect(
      cache.set(cache.key(bytes.toString('utf8').slice(0, bodyStart)), {
        data: { ...parsed.parsed.data, title: 'From the cache' },
        bodyStart,
      }),
    ).toBe(true);
    await cache.close();
    // The loaded-post cache would answer first (its outcomes spare the front matter of unchanged files).
    await rm(path.join(await cacheFolder(root), 'loaded-v2.jsonl'));
    const result = await loadSite({ root, now: GOLDEN_NOW, workers: 0 });
    expect(result.ok && result.site.posts.find((post) => post.slug === 'quiet-post')?.title).toBe(
      'From the cache',
    );
    expect(result.ok && result.warnings.filter((warning) => warning.code === 'cache-corrupt')).toEqual([]);
  });

  it('answers an edit to the body from the cache (its front matter is the same), never a file that is no longer UTF-8', async () => {
    const root = await frontMatterReadByYaml(await copyGoldenSite());
    await loadSite({ root, now: GOLDEN_NOW, workers: 0 });
    const file = path.join(root, QUIET_POST);
    const text = await readFile(file, 'utf8');
    const parsed = parseFrontMatterFile(QUIET_POST, text);
    if (!('parsed' in parsed)) throw new Error('the quiet post does not parse');
    const bodyStart = text.length - parsed.parsed.body.length;
    const cache = await FrontMatterCache.open({
      root,
      folder: await cacheFolder(root),
      parser: parserIdentity(),
    });
    const planted = { data: { ...parsed.parsed.data, title: 'From the cache' }, bodyStart };
    expect(cache.set(cache.key(text.slice(0, bodyStart)), planted)).toBe(true);
    await cache.close();
    // The loaded-post cache would answer first (an unchanged file, or the front matter in its line).
    await rm(path.join(await cacheFolder(root), 'loaded-v2.jsonl'));
    await writeFile(file, `${text}\nAn edited body.\n`);
    const result = await loadSite({ root, now: GOLDEN_NOW, workers: 0 });
    const post = result.ok ? result.site.posts.find((entry) => entry.slug === 'quiet-post') : undefined;
    expect(post?.title).toBe('From the cache');
    expect(post?.html).toContain('An edited body.');
    // The same front matter before a body that is not UTF-8: reported as without the cache.
    await writeFile(file, Buffer.concat([Buffer.from(text), Buffer.from([0xc3, 0x28, 0x0a])]));
    const cached = await loadSite({ root, now: GOLDEN_NOW, workers: 0 });
    const uncached = await loadSite({ root, now: GOLDEN_NOW, workers: 0, cache: false });
    expect(cached.ok).toBe(false);
    expect(cached).toEqual(uncached);
  });

  it('keys a parse by the text before the body: frontMatterLength splits where parseFrontMatterFile does', () => {
    const line = fc.constantFrom(
      '---',
      '--- ',
      '...',
      '---x',
      'title: A',
      'date: 2024-01-01',
      'a: [1',
      '',
      ' ',
      'b: |',
      '  text',
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), fc.constantFrom('', '\n'), (lines, end) => {
        const text = `${lines.join('\n')}${end}`;
        const length = frontMatterLength(text);
        const whole = parseFrontMatterFile('post.md', text);
        if (length === undefined) {
          expect('diagnostics' in whole && whole.diagnostics.map((d) => d.code)).toEqual([
            expect.stringMatching(/^(empty-file|missing-front-matter|unclosed-front-matter)$/),
          ]);
          return;
        }
        // The text before the body alone gives the same parse, and the body starts where it ends.
        const prefix = parseFrontMatterFile('post.md', text.slice(0, length));
        if ('parsed' in whole) {
          expect(text.length - whole.parsed.body.length).toBe(length);
          expect('parsed' in prefix && identical(prefix.parsed.data, whole.parsed.data)).toBe(true);
        } else {
          expect(prefix).toEqual(whole);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('checks UTF-8 with the platform decoder exactly as the byte-by-byte check does', () => {
    const piece = fc.oneof(
      fc.string({ unit: 'grapheme' }).map((text) => Buffer.from(text)),
      fc.uint8Array({ maxLength: 6 }),
      fc.constantFrom(
        ...[
          [0xef, 0xbb, 0xbf],
          [0xc0, 0x80],
          [0xed, 0xa0, 0x80],
          [0xf4, 0x90, 0x80, 0x80],
          [0xe2, 0x82],
          [0x0d, 0x0a],
          [0x0d],
        ].map((bytes) => Uint8Array.from(bytes)),
      ),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 6 }), (pieces) => {
        const bytes = Buffer.concat(pieces);
        const valid = decodeValidUtf8(bytes);
        expect(valid === undefined).toBe(firstInvalidUtf8(bytes) !== -1);
        if (valid !== undefined) expect(valid).toBe(decodeUtf8(bytes));
      }),
      { numRuns: 5000 },
    );
  });

  it('points diagnostics of cached files at the same lines and columns, and never caches a file with a parse error', async () => {
    const root = path.join(await temporaryFolder(), 'site');
    await writeText(
      path.join(root, 'broadsheet.config.json'),
      '{"site": {"title": "T", "url": "https://t.example/"}}',
    );
    await writeText(
      path.join(root, 'content/posts/a.md'),
      '---\ntitle: A\ndate: 2024-01-01\ntagz: [x]\nsummary: 3 # yaml reads it\n---\n\nBody.\n',
    );
    await writeText(path.join(root, 'content/posts/b.md'), '---\ntitle: B\ndate: 2024-01-01\n---\n\nBody.\n');
    await writeText(path.join(root, 'content/posts/c.md'), '---\ntitle: [unclosed\n---\n\nBody.\n');
    const diagnostics = async (cache: boolean) => {
      const result = await loadSite({ root, now: GOLDEN_NOW, workers: 0, cache });
      return result.ok ? result.warnings : result.diagnostics;
    };
    const reference = await diagnostics(false);
    expect(reference.map((d) => `${d.file}:${d.line}:${d.column} ${d.code}`)).toMatchInlineSnapshot(`
      [
        "content/posts/a.md:4:1 unknown-key",
        "content/posts/a.md:5:10 invalid-type",
        "content/posts/c.md:2:17 invalid-yaml",
      ]
    `);
    expect(await diagnostics(true)).toEqual(reference);
    // a.md parsed (its problems are validation's); c.md did not, so it is not cached; b.md is read by
    // the fast path, whose parses are not stored.
    expect(await cacheEntries('front-matter-v2')).toHaveLength(1);
    expect(await diagnostics(true)).toEqual(reference);
  });

  it('gives back exactly what yaml gave: dates, .inf, .nan, -0, binary, sets, ordered maps, odd keys', async () => {
    const folder = await temporaryFolder();
    const open = () => FrontMatterCache.open({ root: folder, folder, parser: 'test' });
    const documents = fc.sample(
      fc
        .array(fc.tuple(yamlKey, yamlValue), { minLength: 1, maxLength: 6 })
        .map((pairs) => `---\n${pairs.map(([key, value]) => `${key}: ${value}`).join('\n')}\n---\n\nBody.\n`),
      { numRuns: 300, seed: 7 },
    );
    const parses = documents.flatMap((text) => {
      const result = parseFrontMatterFile('post.md', text);
      return 'parsed' in result ? [{ text, data: result.parsed.data }] : [];
    });
    expect(parses.length).toBeGreaterThan(100);
    // The sample has every kind of value the encoding must carry.
    const seen = new Set<string>();
    const visit = (value: unknown): void => {
      if (value === null || typeof value !== 'object') {
        if (Object.is(value, -0)) seen.add('-0');
        else if (typeof value === 'number' && !Number.isFinite(value)) seen.add(String(value));
        return;
      }
      seen.add(Object.getPrototypeOf(value).constructor.name);
      if (Object.hasOwn(value, '__proto__')) seen.add('__proto__');
      if (Object.hasOwn(value, '$t')) seen.add('$t');
      const children =
        value instanceof Map ? [...value].flat() : value instanceof Set ? [...value] : Object.values(value);
      if (!(value instanceof Uint8Array)) children.forEach(visit);
    };
    for (const { data } of parses) visit(data);
    expect([...seen].sort()).toEqual(
      expect.arrayContaining([
        '-0',
        'Infinity',
        '-Infinity',
        'NaN',
        'Date',
        'Buffer',
        'Set',
        'Map',
        '__proto__',
        '$t',
      ]),
    );
    const writer = await open();
    const keys = parses.map(({ text }) => writer.key(text));
    parses.forEach(({ data }, index) => {
      expect(writer.set(keys[index]!, { data, bodyStart: 0 })).toBe(true);
    });
    await writer.close();
    const reader = await open();
    const cached = reader.getMany(keys);
    parses.forEach(({ text, data }, index) => {
      expect(identical(cached[index]?.data, data), text).toBe(true);
    });
    expect(reader.warnings).toEqual([]);
    await reader.close();
  });

  it('does not store data that would not come back identical (an object reached twice through aliases)', async () => {
    const folder = await temporaryFolder();
    const cache = await FrontMatterCache.open({ root: folder, folder, parser: 'test' });
    const result = parseFrontMatterFile('post.md', '---\na: &x {b: 1}\nc: *x\n---\n');
    if (!('parsed' in result)) throw new Error('does not parse');
    expect(result.parsed.data.a).toBe(result.parsed.data.c);
    expect(cache.set(cache.key('x'), { data: result.parsed.data, bodyStart: 0 })).toBe(false);
    await cache.close();
  });
});
