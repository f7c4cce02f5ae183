import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { type BuildProgress, type BuildSiteResult, buildSite, type Diagnostic } from '../../src/index';
import {
  copyGoldenSite,
  expectTreeToEqualExpected,
  folderEntries,
  GOLDEN_NOW,
  goldenRoot,
  hashTree,
  listFiles,
  temporaryFolder,
  writeText,
} from './helpers';

const BROKEN_POST = '---\ntitle: Broken\ndate: 2024-13-45\n---\n\nThis post has an impossible date.\n';

describe('buildSite: the golden fixture', () => {
  it('builds the reviewed tree of expected files', async () => {
    const out = path.join(await temporaryFolder(), 'public');
    const result = await buildSite({ root: goldenRoot, out, now: GOLDEN_NOW });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    // Published: three posts (not the draft, not the future post) and their six approved comments.
    expect({ posts: result.posts, comments: result.comments, out: result.out }).toEqual({
      posts: 3,
      comments: 6,
      out,
    });
    expect(result.warnings.map((d) => `${d.file} ${d.code}`)).toEqual([
      'content/comments/hello-world/c6.md invalid-comment-url',
    ]);
    // Every output file plus the marker that tells later builds the folder is broadsheet's.
    const written = await listFiles(out);
    expect(written).toContain('.broadsheet-build');
    expect(written.length).toBe(result.files + 1);
    await expectTreeToEqualExpected(out, path.join(goldenRoot, 'expected'));
  });

  it('builds byte-identical output a second time, in place and in a new folder', async () => {
    const folder = await temporaryFolder();
    const out = path.join(folder, 'public');
    expect((await buildSite({ root: goldenRoot, out, now: GOLDEN_NOW })).ok).toBe(true);
    const first = await hashTree(out);
    expect((await buildSite({ root: goldenRoot, out, now: GOLDEN_NOW })).ok).toBe(true);
    expect(await hashTree(out)).toEqual(first);
    const other = path.join(folder, 'elsewhere', 'site');
    expect((await buildSite({ root: goldenRoot, out: other, now: GOLDEN_NOW })).ok).toBe(true);
    expect(await hashTree(other)).toEqual(first);
    // The staging folder and the previous output are gone: only the outputs are left.
    expect(await folderEntries(folder)).toEqual(['elsewhere', 'public']);
  });

  it('publishes no draft, future post, pending or spam comment, visitor email, or build path', async () => {
    const folder = await temporaryFolder();
    const out = path.join(folder, 'public');
    expect((await buildSite({ root: goldenRoot, out, now: GOLDEN_NOW })).ok).toBe(true);
    const files = await listFiles(out);
    const email = 'bob-secret@visitor.example';
    const forbidden = [
      'Unfinished Draft Idea',
      'draft-idea',
      'Secret Drafts',
      'Letter From The Future',
      'from-the-future',
      'Time Travel',
      'Dave Pending',
      'waits for moderation',
      'Spammer',
      'spam.example',
      email,
      createHash('md5').update(email).digest('hex'),
      createHash('sha256').update(email).digest('hex'),
      'broadsheet-tmp',
      'broadsheet-old',
      goldenRoot,
      folder,
    ];
    for (const file of files) {
      expect(file).not.toMatch(/draft-idea|from-the-future/);
      const text = await readFile(path.join(out, file), 'utf8');
      for (const word of forbidden) expect(text.includes(word), `${file} contains "${word}"`).toBe(false);
    }
  });

  it('publishes a future-dated post with future: true, and not without it', async () => {
    const folder = await temporaryFolder();
    const withFuture = await buildSite({
      root: goldenRoot,
      out: path.join(folder, 'a'),
      now: GOLDEN_NOW,
      future: true,
    });
    const without = await buildSite({ root: goldenRoot, out: path.join(folder, 'b'), now: GOLDEN_NOW });
    expect(withFuture.ok && withFuture.posts).toBe(4);
    expect(without.ok && without.posts).toBe(3);
    const later = await buildSite({
      root: goldenRoot,
      out: path.join(folder, 'c'),
      now: new Date('2030-01-02T00:00:00Z'),
    });
    expect(later.ok && later.posts).toBe(4);
  });

  it('reports progress: load, render, every file written, swap', async () => {
    const out = path.join(await temporaryFolder(), 'public');
    const events: BuildProgress[] = [];
    const result = await buildSite({
      root: goldenRoot,
      out,
      now: GOLDEN_NOW,
      onProgress: (event) => events.push(event),
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const phases = events.map((event) => event.phase);
    expect(phases.slice(0, 2)).toEqual(['load', 'render']);
    expect(phases.at(-1)).toBe('swap');
    const writes = events.filter((event) => event.phase === 'write');
    expect(writes.length).toBe(result.files);
    expect(writes.at(-1)).toEqual({ phase: 'write', written: result.files, total: result.files });
  });

  it('has the result type users see', () => {
    expectTypeOf(buildSite).parameter(0).toHaveProperty('root').toEqualTypeOf<string>();
    expectTypeOf<Extract<BuildSiteResult, { ok: false }>['diagnostics']>().toEqualTypeOf<Diagnostic[]>();
    expectTypeOf<Extract<BuildSiteResult, { ok: true }>>().toMatchObjectType<{
      files: number;
      posts: number;
      comments: number;
      warnings: Diagnostic[];
    }>();
  });
});

describe('buildSite: all or nothing', () => {
  it('leaves the previous output byte-identical when the content has an error', async () => {
    const root = await copyGoldenSite();
    const out = path.join(root, 'public');
    expect((await buildSite({ root, now: GOLDEN_NOW })).ok).toBe(true);
    const before = await hashTree(out);
    const entriesBefore = await folderEntries(root);

    await writeText(path.join(root, 'content/posts/broken.md'), BROKEN_POST);
    const result = await buildSite({ root, now: GOLDEN_NOW });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(
      result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file} ${d.code}`),
    ).toEqual(['content/posts/broken.md invalid-date']);
    expect(await hashTree(out)).toEqual(before);
    expect(await folderEntries(root)).toEqual(entriesBefore);
  });

  it('leaves the previous output byte-identical when writing fails midway, and removes its staging folder', async () => {
    const root = await copyGoldenSite();
    const out = path.join(root, 'public');
    expect((await buildSite({ root, now: GOLDEN_NOW })).ok).toBe(true);
    const before = await hashTree(out);
    await writeText(
      path.join(root, 'content/posts/new-post.md'),
      '---\ntitle: New\ndate: 2024-05-01\n---\n\nNew.\n',
    );

    const failing = buildSite({
      root,
      now: GOLDEN_NOW,
      onProgress: (event) => {
        if (event.phase === 'write' && event.written === 3) throw new Error('interrupted');
      },
    });
    await expect(failing).rejects.toThrow('interrupted');
    expect(await hashTree(out)).toEqual(before);
    expect(await folderEntries(root)).toEqual(['broadsheet.config.json', 'content', 'public']);

    const next = await buildSite({ root, now: GOLDEN_NOW });
    expect(next.ok && next.posts).toBe(4);
    expect(await hashTree(out)).not.toEqual(before);
  });

  it('removes the stray folders of a killed build, but not a folder that only looks like one', async () => {
    const root = await copyGoldenSite();
    const out = path.join(root, 'public');
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid;
    expect((await buildSite({ root, now: GOLDEN_NOW })).ok).toBe(true);
    // A build that died while writing leaves its staging folder, which carries the marker first.
    const stray = `${out}.broadsheet-tmp-${deadPid}-1`;
    await mkdir(path.join(stray, 'posts'), { recursive: true });
    await writeFile(
      path.join(stray, '.broadsheet-build'),
      await readFile(path.join(out, '.broadsheet-build')),
    );
    await writeFile(path.join(stray, 'posts/half-written.html'), '<p>half');
    const emptyStray = `${out}.broadsheet-tmp-${deadPid}-2`;
    await mkdir(emptyStray);
    const lookalike = `${out}.broadsheet-tmp-${deadPid}-3`;
    await writeText(path.join(lookalike, 'notes.txt'), 'mine, not broadsheet’s');

    expect((await buildSite({ root, now: GOLDEN_NOW })).ok).toBe(true);
    expect(await folderEntries(root)).toEqual([
      'broadsheet.config.json',
      'content',
      'public',
      path.basename(lookalike),
    ]);
    expect(await readFile(path.join(lookalike, 'notes.txt'), 'utf8')).toBe('mine, not broadsheet’s');
  });

  it('puts the previous output back when a build died between its two renames', async () => {
    const root = await copyGoldenSite();
    const out = path.join(root, 'public');
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid;
    expect((await buildSite({ root, now: GOLDEN_NOW })).ok).toBe(true);
    const before = await hashTree(out);
    // The killed build had moved `out` aside and not yet moved its finished staging folder in.
    await rename(out, `${out}.broadsheet-old-${deadPid}-2`);
    await writeText(
      path.join(root, 'content/posts/new-post.md'),
      '---\ntitle: New\ndate: 2024-05-01\n---\n\nNew.\n',
    );
    // This build fails while writing, after recovering: the previous output is back, as it was.
    const failing = buildSite({
      root,
      now: GOLDEN_NOW,
      onProgress: (event) => {
        if (event.phase === 'write') throw new Error('interrupted');
      },
    });
    await expect(failing).rejects.toThrow('interrupted');
    expect(await hashTree(out)).toEqual(before);
    expect(await folderEntries(root)).toEqual(['broadsheet.config.json', 'content', 'public']);
  });
});

describe('buildSite: where it refuses to write', () => {
  it.each([
    ['the site root', '.', 'it is the site root'],
    ['the content folder', 'content', 'it is the content folder'],
    ['a folder inside the content folder', 'content/posts/out', 'it is inside the content folder'],
    ['an ancestor of the root', '..', 'it holds the site root'],
  ])('refuses %s and deletes nothing', async (_name, out, reason) => {
    const root = await copyGoldenSite();
    const parent = path.dirname(root);
    const before = await hashTree(parent);
    const result = await buildSite({ root, out, now: GOLDEN_NOW });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const [refusal] = result.diagnostics;
    expect(refusal?.code).toBe('config-out-refused');
    expect(refusal?.message).toContain(reason);
    expect(await hashTree(parent)).toEqual(before);
    expect(await folderEntries(parent)).toEqual(['site']);
  });

  it('refuses a non-empty folder it did not create, and one holding a content folder or a config', async () => {
    const root = await copyGoldenSite();
    const foreign = path.join(root, 'docs');
    await writeText(path.join(foreign, 'index.html'), '<p>my own page</p>');
    const other = path.join(path.dirname(root), 'other-site');
    await writeText(path.join(other, 'broadsheet.config.json'), '{}');
    const before = await hashTree(path.dirname(root));

    const refusals: Diagnostic[] = [];
    for (const out of [foreign, other, path.join(root, 'content', '..')]) {
      const result = await buildSite({ root, out, now: GOLDEN_NOW });
      if (!result.ok) refusals.push(result.diagnostics[0]!);
    }
    expect(refusals.map((d) => d.message.replace(path.dirname(root), '<tmp>'))).toMatchInlineSnapshot(`
      [
        "refusing to build into "docs": it is a folder that broadsheet did not create (it has files but no .broadsheet-build): empty it, remove it or choose another --out; nothing was written or deleted",
        "refusing to build into "<tmp>/other-site": it holds a config file (broadsheet.config.json); nothing was written or deleted",
        "refusing to build into ".": it is the site root; nothing was written or deleted",
      ]
    `);
    expect(await hashTree(path.dirname(root))).toEqual(before);
  });

  it('refuses an out set to the root in the config, pointing at the config file', async () => {
    const root = await copyGoldenSite();
    const configFile = path.join(root, 'broadsheet.config.json');
    const config = JSON.parse(await readFile(configFile, 'utf8')) as Record<string, unknown>;
    await writeFile(configFile, JSON.stringify({ ...config, out: '.' }));
    const before = await hashTree(root);
    const result = await buildSite({ root, now: GOLDEN_NOW });
    expect(result.ok ? [] : result.diagnostics.slice(0, 1)).toMatchInlineSnapshot(`
      [
        {
          "code": "config-out-refused",
          "column": 1,
          "file": "broadsheet.config.json",
          "line": 1,
          "message": "refusing to build into ".": it is the site root; nothing was written or deleted",
          "severity": "error",
        },
      ]
    `);
    expect(await hashTree(root)).toEqual(before);
  });

  it('builds into an empty folder it did not create, and replaces it', async () => {
    const root = await copyGoldenSite();
    const out = path.join(root, 'site-out');
    await mkdir(out);
    const result = await buildSite({ root, out, now: GOLDEN_NOW });
    expect(result.ok).toBe(true);
    expect(await listFiles(out)).toContain('.broadsheet-build');
  });
});
