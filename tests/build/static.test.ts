import { cp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSite } from '../../src/build/build-site';
import { copyShellSite, hashTree, listFiles, temporaryFolder } from './helpers';

const NOW = new Date('2025-01-01T00:00:00Z');
const STATIC_FILES = ['.nojekyll', '.well-known/security.txt', 'CNAME', 'favicon.svg', 'fonts/shell.woff2'];

describe('static/', () => {
  it('is copied verbatim to the root of out, dot files and binary files included, hard-linked on one file system', async () => {
    const root = await copyShellSite();
    const result = await buildSite({ root, now: NOW, cache: false });
    expect(result.ok, JSON.stringify(result)).toBe(true);
    const out = path.join(root, 'public');
    const files = await listFiles(out);
    expect(files).toEqual(expect.arrayContaining(STATIC_FILES));
    for (const file of STATIC_FILES) {
      const source = path.join(root, 'static', file);
      expect(await readFile(path.join(out, file)), file).toEqual(await readFile(source));
      expect((await stat(path.join(out, file))).ino, file).toBe((await stat(source)).ino);
    }
    // The generated files are all there too.
    expect(files).toEqual(expect.arrayContaining(['index.html', 'sitemap.xml', 'about/index.html']));
  });

  it('follows edits, additions and removals in a warm build, ending as a build from scratch', async () => {
    const root = await copyShellSite();
    const out = path.join(root, 'public');
    expect((await buildSite({ root, now: NOW })).ok).toBe(true);
    await writeFile(path.join(root, 'static/CNAME'), 'www.shell.example\n');
    await rm(path.join(root, 'static/favicon.svg'));
    await writeFile(path.join(root, 'static/humans.txt'), 'Sam\n');
    expect((await buildSite({ root, now: NOW })).ok).toBe(true);
    expect(await readFile(path.join(out, 'CNAME'), 'utf8')).toBe('www.shell.example\n');
    expect(await readFile(path.join(out, 'humans.txt'), 'utf8')).toBe('Sam\n');
    const files = await listFiles(out);
    expect(files).not.toContain('favicon.svg');
    const fresh = path.join(await temporaryFolder(), 'fresh');
    expect((await buildSite({ root, out: fresh, now: NOW, cache: false })).ok).toBe(true);
    expect(await hashTree(out)).toEqual(await hashTree(fresh));
  });

  it('is an error when a static file takes a generated path, naming both; the previous output stays as it was', async () => {
    const root = await copyShellSite();
    const out = path.join(root, 'public');
    expect((await buildSite({ root, now: NOW })).ok).toBe(true);
    const before = await hashTree(out);
    await writeFile(path.join(root, 'static/index.html'), '<!doctype html><title>mine</title>');
    await writeFile(path.join(root, 'static/posts'), 'a file where a folder is generated');
    await cp(path.join(root, 'static/CNAME'), path.join(root, 'static/robots.txt'));
    const result = await buildSite({ root, now: NOW });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.diagnostics.filter((d) => d.code === 'static-collision')).toMatchInlineSnapshot(`
      [
        {
          "code": "static-collision",
          "column": 1,
          "file": "static/index.html",
          "line": 1,
          "message": "static/index.html would take the place of the generated index.html: rename or remove it",
          "severity": "error",
        },
        {
          "code": "static-collision",
          "column": 1,
          "file": "static/posts",
          "line": 1,
          "message": "static/posts collides with the generated posts/tide-pools/index.html: rename or remove it",
          "severity": "error",
        },
        {
          "code": "static-collision",
          "column": 1,
          "file": "static/robots.txt",
          "line": 1,
          "message": "static/robots.txt would take the place of the generated robots.txt: rename or remove it",
          "severity": "error",
        },
      ]
    `);
    expect(await hashTree(out)).toEqual(before);
  });
});
