import { execFile } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { cacheFolder } from '../../src/cache/location';
import { codeIdentity } from '../../src/fingerprint/code';
import { type LoadSiteOptions, loadSite } from '../../src/index';
import { schemaText } from '../../src/load/loaded-post-cache';
import { postSchema } from '../../src/schema/content';
import { repoRoot } from '../build/helpers';
import {
  copyGoldenSite,
  frontMatterReadByYaml,
  GOLDEN_NOW,
  temporaryFolder,
  writeText,
} from '../cache/helpers';

const QUIET_POST = 'content/posts/2024/2024-03-05-quiet-post.md';

async function cacheFile(root: string): Promise<string> {
  return path.join(await cacheFolder(root), 'loaded-v2.jsonl');
}

/** What a load gives, as comparable data: the posts (title, data, dates, HTML) and every diagnostic. */
async function loaded(root: string, options: Partial<LoadSiteOptions> = {}) {
  const result = await loadSite({ root, now: GOLDEN_NOW, workers: 0, ...options });
  if (!result.ok) return { ok: false, diagnostics: result.diagnostics };
  return {
    ok: true,
    warnings: result.warnings,
    posts: result.site.posts.map((post) => ({ ...post })),
    comments: result.site.posts.flatMap((post) => post.comments),
  };
}

/** Replaces, in the cache file's line of `file`, the text `from` by `to` (the line must hold it). */
async function plant(root: string, file: string, from: string, to: string): Promise<void> {
  const cache = await cacheFile(root);
  const lines = (await readFile(cache, 'utf8')).split('\n');
  const at = lines.findIndex((line) => line.startsWith(`${JSON.stringify(file)}\t`));
  expect(lines[at]).toContain(from);
  lines[at] = lines[at]!.replace(from, to);
  await writeFile(cache, lines.join('\n'));
}

describe('the loaded-post cache', () => {
  it('is what a warm load takes an unchanged file from (it is neither parsed nor validated)', async () => {
    const root = await copyGoldenSite();
    await loadSite({ root, now: GOLDEN_NOW, workers: 0 });
    await plant(root, QUIET_POST, '"title":"A Quiet Post"', '"title":"From the cache"');
    const result = await loaded(root);
    expect(result.posts?.find((post) => post.slug === 'quiet-post')?.title).toBe('From the cache');
    expect(result.warnings?.filter((warning) => warning.code === 'cache-corrupt')).toEqual([]);
  });

  it('gives the same site and diagnostics as a load without the cache, cold and warm', async () => {
    const root = await copyGoldenSite();
    // A warning (an unknown key) and a post on which the markdown limit scan has something to count.
    const file = path.join(root, QUIET_POST);
    await writeFile(file, (await readFile(file, 'utf8')).replace('title:', 'colour: red\ntitle:'));
    const reference = await loaded(root, { cache: false });
    expect(reference.warnings?.map((warning) => warning.code)).toContain('unknown-key');
    expect(await loaded(root)).toEqual(reference);
    expect(await loaded(root)).toEqual(reference);
  });

  it('reports a file over the markdown limits in every build, from the cache too', async () => {
    const root = await copyGoldenSite();
    const file = path.join(root, QUIET_POST);
    await writeFile(file, `${await readFile(file, 'utf8')}\n${'> '.repeat(40)}deep\n`);
    const reference = await loaded(root, { cache: false });
    expect(reference.diagnostics?.map((problem) => problem.code)).toContain('markdown-too-complex');
    expect(await loaded(root)).toEqual(reference);
    expect(await loaded(root)).toEqual(reference);
    // The outcome came from the cache: a planted message shows.
    await plant(root, QUIET_POST, 'opens 40 nested', 'PLANTED 40 nested');
    const planted = (await loaded(root)).diagnostics?.find(
      (problem) => problem.code === 'markdown-too-complex',
    );
    expect(planted?.message).toMatch(/^line 10 PLANTED 40 nested/);
  });

  it('takes the front matter of a file whose body alone changed from its last line, when that was its validated data', async () => {
    // Front matter that yaml reads: the fast path's is read again, needing no line.
    const root = await frontMatterReadByYaml(await copyGoldenSite());
    const file = path.join(root, QUIET_POST);
    const text = await readFile(file, 'utf8');
    await loadSite({ root, now: GOLDEN_NOW, workers: 0 });
    const index = path.join(await cacheFolder(root), 'front-matter-v2', 'index.json');
    const before = await stat(index);
    // The edited file's raw front matter comes from its line: a planted title shows, and the front
    // matter cache is neither needed nor rewritten.
    await plant(root, QUIET_POST, '"title":"A Quiet Post"', '"title":"From the line"');
    await writeFile(file, `${text}\nA new last line.\n`);
    const edited = await loaded(root);
    const post = edited.posts?.find((entry) => entry.slug === 'quiet-post');
    expect(post?.title).toBe('From the line');
    expect(post?.html).toContain('A new last line.');
    expect((await stat(index)).mtimeMs).toBe(before.mtimeMs);
    // Without a planted title, the same as a load without the cache.
    const fresh = await frontMatterReadByYaml(await copyGoldenSite());
    await loaded(fresh);
    await writeFile(path.join(fresh, QUIET_POST), `${text}\nA new last line.\n`);
    const reference = await loaded(fresh, { cache: false });
    expect(await loaded(fresh)).toEqual(reference);
    expect(await loaded(fresh)).toEqual(reference);
  });

  it('parses a front matter that is not its validated data (an unknown key) through the front matter cache after a body edit', async () => {
    const root = await copyGoldenSite();
    const file = path.join(root, QUIET_POST);
    const text = (await readFile(file, 'utf8')).replace('title:', 'colour: red\ntitle:');
    await writeFile(file, text);
    await loaded(root);
    await writeFile(file, `${text}\nA new last line.\n`);
    const reference = await loaded(root, { cache: false });
    expect(reference.warnings?.map((warning) => warning.code)).toContain('unknown-key');
    expect(await loaded(root)).toEqual(reference);
  });

  it('appends the lines of changed files, and is written whole when the lines no load needs would be over half', async () => {
    const root = await copyGoldenSite();
    const file = path.join(root, QUIET_POST);
    const text = await readFile(file, 'utf8');
    await loaded(root);
    const lines = async () => (await readFile(await cacheFile(root), 'utf8')).split('\n').slice(1, -1);
    const first = await lines();
    expect(first).toHaveLength(13);
    const counts: number[] = [];
    for (let edit = 1; edit <= 7; edit++) {
      await writeFile(file, `${text}\nEdit ${edit}.\n`);
      const reference = await loaded(root, { cache: false });
      expect(await loaded(root)).toEqual(reference);
      const now = await lines();
      counts.push(now.length);
      if (now.length > 13) expect(now.slice(0, 13)).toEqual(first);
      // What the file holds answers the next load: the same again, from the cache alone.
      expect(await loaded(root)).toEqual(reference);
    }
    expect(counts).toEqual([14, 15, 16, 17, 18, 19, 13]);
  });

  it('never answers for a file whose bytes changed (a stale entry is not used)', async () => {
    const root = await copyGoldenSite();
    await loaded(root);
    const file = path.join(root, QUIET_POST);
    await writeFile(file, (await readFile(file, 'utf8')).replace('A Quiet Post', 'A Quieter Post'));
    expect((await loaded(root)).posts?.find((post) => post.slug === 'quiet-post')?.title).toBe(
      'A Quieter Post',
    );
    // And a renamed file (same bytes, another path) is validated under its own name.
    const renamed = path.join(root, 'content/posts/2024/2024-03-06-renamed.md');
    await writeText(renamed, await readFile(file, 'utf8'));
    const result = await loaded(root);
    expect(result.posts?.map((post) => [post.slug, post.file])).toContainEqual([
      'renamed',
      'content/posts/2024/2024-03-06-renamed.md',
    ]);
    expect(result).toEqual(await loaded(root, { cache: false }));
  });

  it('starts again after a change to the config or to a schema extension', async () => {
    const root = await copyGoldenSite();
    const config = JSON.parse(await readFile(path.join(root, 'broadsheet.config.json'), 'utf8'));
    await loaded(root);
    await plant(root, QUIET_POST, '"title":"A Quiet Post"', '"title":"From the cache"');
    // Another time zone: the planted outcome (and every other) is not used.
    await writeFile(
      path.join(root, 'broadsheet.config.json'),
      JSON.stringify({ ...config, site: { ...config.site, timezone: 'Asia/Tokyo' } }),
    );
    const other = await loaded(root);
    expect(other.posts?.find((post) => post.slug === 'quiet-post')?.title).toBe('A Quiet Post');
    expect(other).toEqual(await loaded(root, { cache: false }));

    const extended = (mood: string) => ({
      ...config,
      schema: { post: (base: typeof postSchema) => base.extend({ mood: z.string().default(mood) }) },
    });
    const moods = async (mood: string) =>
      (await loaded(root, { config: extended(mood) })).posts?.map(
        (post) => (post.data as { mood?: string }).mood,
      );
    expect(await moods('calm')).toEqual(['calm', 'calm', 'calm']);
    expect(await moods('calm')).toEqual(['calm', 'calm', 'calm']);
    expect(await moods('stormy')).toEqual(['stormy', 'stormy', 'stormy']);
  });

  it('tells schemas apart by their definitions and their functions’ source', () => {
    const refined = (check: (text: string) => boolean) =>
      postSchema.extend({ mood: z.string().refine(check) });
    expect(schemaText(postSchema)).toBe(schemaText(postSchema.extend({})));
    expect(schemaText(refined((text) => text.length > 1))).not.toBe(
      schemaText(refined((text) => text.length > 2)),
    );
    expect(schemaText(postSchema.extend({ mood: z.enum(['a', 'b']) }))).not.toBe(
      schemaText(postSchema.extend({ mood: z.enum(['a', 'c']) })),
    );
    // Validating with a schema does not change its text.
    const before = schemaText(postSchema);
    postSchema.safeParse({ title: 'T', date: '2024-01-01' });
    expect(schemaText(postSchema)).toBe(before);
  });

  it('is shared by the built CLI and the built library (bundles rename variables differently)', async () => {
    const root = await copyGoldenSite();
    const env = { ...process.env, BROADSHEET_CACHE_DIR: process.env.BROADSHEET_CACHE_DIR };
    const out = path.join(await temporaryFolder(), 'out');
    const run = promisify(execFile);
    await run(process.execPath, [path.join(repoRoot, 'dist/cli.js'), 'build', '--root', root, '--out', out], {
      env,
    });
    const file = await cacheFile(root);
    const [before, built] = [await readFile(file, 'utf8'), await stat(file)];
    // The library's chunks: the same identity and keys, so nothing is validated again or rewritten.
    const script = `import(${JSON.stringify(path.join(repoRoot, 'dist/index.js'))}).then(({ loadSite }) => loadSite({ root: ${JSON.stringify(root)} }))`;
    await run(process.execPath, ['-e', script], { env });
    expect(await readFile(file, 'utf8')).toBe(before);
    expect((await stat(file)).mtimeMs).toBe(built.mtimeMs);
  });

  it('takes code that differs only by a bundler’s renames as the same code', () => {
    function one() {
      const tooComplex2 = 150_000;
      return tooComplex2;
    }
    function other() {
      const tooComplex3 = 150_000;
      return tooComplex3;
    }
    function changed() {
      const tooComplex2 = 150_001;
      return tooComplex2;
    }
    expect(codeIdentity([one]).replace('one', 'other')).toBe(codeIdentity([other]));
    expect(codeIdentity([one])).not.toBe(codeIdentity([changed]).replace('changed', 'one'));
  });
});
