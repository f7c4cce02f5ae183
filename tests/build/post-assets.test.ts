import { cp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSite } from '../../src/build/build-site';
import { cli, copyShellSite, hashTree, listFiles, temporaryFolder } from './helpers';

const NOW = new Date('2025-01-01T00:00:00Z');
const FOLDER = 'content/posts/2024-05-03-tide-pools';
const ASSETS = ['files/tide-table.csv', 'sketches/crab.png', 'sketches/star.svg', 'tide.png'];

/** The `<img>` tags of a built page. */
async function images(out: string, page: string): Promise<string[]> {
  return (await readFile(path.join(out, page), 'utf8')).match(/<img [^>]*>/g) ?? [];
}

describe('post folders in a build', () => {
  it("publish the post's files beside its page, verbatim and hard-linked, and nothing else of the folder", async () => {
    const root = await copyShellSite();
    const result = await buildSite({ root, now: NOW, cache: false });
    expect(result.ok, JSON.stringify(result)).toBe(true);
    const out = path.join(root, 'public');
    const published = (await listFiles(out)).filter((file) => file.startsWith('posts/tide-pools/'));
    expect(published).toEqual([
      'posts/tide-pools/comments/atom.xml',
      'posts/tide-pools/files/tide-table.csv',
      'posts/tide-pools/index.html',
      'posts/tide-pools/sketches/crab.png',
      'posts/tide-pools/sketches/star.svg',
      'posts/tide-pools/tide.png',
    ]);
    for (const asset of ASSETS) {
      const source = path.join(root, FOLDER, asset);
      const copy = path.join(out, 'posts/tide-pools', asset);
      expect(await readFile(copy), asset).toEqual(await readFile(source));
      expect((await stat(copy)).ino, asset).toBe((await stat(source)).ino);
    }
    expect(await images(out, 'posts/tide-pools/index.html')).toMatchInlineSnapshot(`
      [
        "<img src="https://shell.example/blog/posts/tide-pools/tide.png" alt="Low tide at dawn" width="16" height="10">",
        "<img src="https://shell.example/blog/posts/tide-pools/sketches/crab.png" alt="A crab, sketched" width="20" height="14" loading="lazy">",
        "<img src="https://shell.example/blog/posts/tide-pools/sketches/star.svg" alt="a starfish" title="Starfish" width="24" height="24" loading="lazy">",
        "<img src="https://shell.example/blog/posts/tide-pools/sketches/star.svg" alt="Another starfish" width="12" loading="lazy">",
      ]
    `);
  });

  it('a missing file fails the build at its line and column, and the previous output stays as it was', async () => {
    const root = await copyShellSite();
    const out = path.join(root, 'public');
    expect((await buildSite({ root, now: NOW })).ok).toBe(true);
    const before = await hashTree(out);
    await rm(path.join(root, FOLDER, 'sketches/crab.png'));
    const result = await buildSite({ root, now: NOW });
    expect(result.ok ? [] : result.diagnostics).toMatchInlineSnapshot(`
      [
        {
          "code": "missing-asset",
          "column": 21,
          "file": "content/posts/2024-05-03-tide-pools/index.md",
          "line": 10,
          "message": ""sketches/crab.png" is not a file of this post: content/posts/2024-05-03-tide-pools/ holds no such file",
          "severity": "error",
        },
      ]
    `);
    expect(await hashTree(out)).toEqual(before);
  });

  it('a warm build follows the files: an added file resolves, a changed image gets its new size, as a build from scratch', async () => {
    const root = await copyShellSite();
    const out = path.join(root, 'public');
    const crab = path.join(root, FOLDER, 'sketches/crab.png');
    const saved = await readFile(crab);
    await rm(crab);
    expect((await buildSite({ root, now: NOW })).ok).toBe(false);
    await writeFile(crab, saved);
    expect((await buildSite({ root, now: NOW })).ok).toBe(true);
    // The star becomes 48 × 40: the cached render of the post must not be reused.
    await writeFile(
      path.join(root, FOLDER, 'sketches/star.svg'),
      '<svg xmlns="http://www.w3.org/2000/svg" width="48" height="40"></svg>\n',
    );
    await rm(path.join(root, FOLDER, 'files/tide-table.csv'));
    await writeFile(
      path.join(root, FOLDER, 'index.md'),
      (await readFile(path.join(root, FOLDER, 'index.md'), 'utf8')).replace(
        'The [tide table](files/tide-table.csv)',
        'The tide table',
      ),
    );
    expect((await buildSite({ root, now: NOW })).ok).toBe(true);
    expect((await images(out, 'posts/tide-pools/index.html'))[2]).toContain('width="48" height="40"');
    expect(await listFiles(out)).not.toContain('posts/tide-pools/files/tide-table.csv');
    const fresh = path.join(await temporaryFolder(), 'fresh');
    expect((await buildSite({ root, out: fresh, now: NOW, cache: false })).ok).toBe(true);
    expect(await hashTree(out)).toEqual(await hashTree(fresh));
  });

  it('a file of a post folder at a generated path is an asset-collision error naming both; so is a static file at a post file', async () => {
    const root = await copyShellSite();
    const out = path.join(root, 'public');
    expect((await buildSite({ root, now: NOW })).ok).toBe(true);
    const before = await hashTree(out);
    await writeFile(path.join(root, FOLDER, 'index.html'), '<!doctype html><title>mine</title>');
    await cp(path.join(root, FOLDER, 'tide.png'), path.join(root, 'static/posts/tide-pools/tide.png'));
    const result = await buildSite({ root, now: NOW });
    expect(
      result.ok ? [] : result.diagnostics.map((d) => `${d.file}: ${d.code}: ${d.message}`),
    ).toMatchInlineSnapshot(`
      [
        "content/posts/2024-05-03-tide-pools/index.html: asset-collision: content/posts/2024-05-03-tide-pools/index.html would take the place of the generated posts/tide-pools/index.html: rename or remove it",
        "static/posts/tide-pools/tide.png: static-collision: static/posts/tide-pools/tide.png would take the place of posts/tide-pools/tide.png, a file of a post folder (content/posts/2024-05-03-tide-pools/tide.png): rename or remove it",
      ]
    `);
    expect(await hashTree(out)).toEqual(before);
  });

  it('through the CLI: build publishes the files; check reports a missing one and exits 1', async () => {
    const root = await copyShellSite();
    const built = await cli(['build', '--root', root], { cwd: root });
    expect(built.code, built.stderr).toBe(0);
    expect(await listFiles(path.join(root, 'public'))).toEqual(
      expect.arrayContaining(ASSETS.map((asset) => `posts/tide-pools/${asset}`)),
    );
    await rm(path.join(root, FOLDER, 'tide.png'));
    const checked = await cli(['check', '--root', root, '--no-cache'], { cwd: root });
    expect(checked.code).toBe(1);
    expect(checked.stderr.split('\n').filter(Boolean)).toEqual([
      'content/posts/2024-05-03-tide-pools/index.md:8:21: error missing-asset: "./tide.png" is not a file of this post: content/posts/2024-05-03-tide-pools/ holds no such file',
      'check failed: 1 error and 0 warnings in 1 file',
    ]);
  });
});
