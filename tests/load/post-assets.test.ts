import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadSite } from '../../src/index';
import { loadSiteWith } from '../../src/load/load-site';
import { LoadedFileStore } from '../../src/load/loaded-file-store';
import { postFileOf } from '../../src/render/rehype-assets';
import { createMarkdownRenderer } from '../../src/render/render-markdown';
import { fixturesDir, lines, loadFixture, NOW, temporarySite } from './helpers';

const unix = process.platform !== 'win32';
const PNG = readFileSync(
  path.join(fixturesDir, 'load-missing-asset/content/posts/2024-03-01-rock-pool/pool.png'),
);
const post = (body: string, front = '') => `---\ntitle: A\ndate: 2024-01-01\n${front}---\n${body}\n`;

/** A tiny SVG of `width` × `height`: image-size reads its attributes. */
const svg = (width: number, height: number) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"></svg>\n`;

describe('post folders (content/posts/<name>/index.md and its files)', () => {
  it('a relative reference to a file the post does not hold is a missing-asset error at its line and column', async () => {
    const result = await loadFixture('load-missing-asset', { cache: false });
    expect(result.ok).toBe(false);
    expect(lines(result)).toMatchInlineSnapshot(`
      [
        "content/posts/2024-03-01-rock-pool/index.md:7:38: error missing-asset: "./anemone.png" is not a file of this post: content/posts/2024-03-01-rock-pool/ holds no such file",
        "content/posts/2024-03-01-rock-pool/index.md:7:74: error missing-asset: "files/survey.pdf" is not a file of this post: content/posts/2024-03-01-rock-pool/ holds no such file",
        "content/posts/2024-03-01-rock-pool/index.md:12:48: error missing-asset: "../../../../etc/passwd" leads above the site's root: nothing outside the site is published",
        "content/posts/2024-03-01-rock-pool/index.md:14:11: error missing-asset: "gone.svg" is not a file of this post: content/posts/2024-03-01-rock-pool/ holds no such file",
        "content/posts/flat.md:5:58: error missing-asset: "shell.png" is not a file of this post: a post's files go beside it in a post folder (content/posts/flat/index.md)",
      ]
    `);
  });

  it('take their slug from the folder name (a leading date stripped), list their files and size their images', async () => {
    const root = await temporarySite({
      'content/posts/2024-01-01-rock-pool/index.md': post(
        '![pool](pool.png)\n\n![star](art/star.svg) ![sized](art/star.svg "t")\n\n<img src="./pool.png" width="3" alt="mine">\n\n[notes](notes.txt)',
      ),
      'content/posts/2024-01-01-rock-pool/pool.png': PNG,
      'content/posts/2024-01-01-rock-pool/art/star.svg': svg(24, 12),
      'content/posts/2024-01-01-rock-pool/notes.txt': 'notes\n',
      'content/posts/2024-01-01-rock-pool/.DS_Store': 'finder\n',
      'content/posts/2024-01-01-rock-pool/.git/HEAD': 'ref\n',
      // Inside a post folder, markdown files are the post's files, not posts.
      'content/posts/2024-01-01-rock-pool/draft.md': 'not a post\n',
    });
    const result = await loadSite({ root, now: NOW, cache: false });
    expect(result.ok, lines(result).join('\n')).toBe(true);
    if (!result.ok) return;
    const [only] = result.site.posts;
    expect(result.site.posts).toHaveLength(1);
    expect(only!.slug).toBe('rock-pool');
    expect(only!.file).toBe('content/posts/2024-01-01-rock-pool/index.md');
    expect(only!.assets).toEqual([
      { path: 'art/star.svg', file: 'content/posts/2024-01-01-rock-pool/art/star.svg' },
      { path: 'draft.md', file: 'content/posts/2024-01-01-rock-pool/draft.md' },
      { path: 'notes.txt', file: 'content/posts/2024-01-01-rock-pool/notes.txt' },
      { path: 'pool.png', file: 'content/posts/2024-01-01-rock-pool/pool.png' },
    ]);
    expect(only!.html).toMatchInlineSnapshot(`
      "<p><img src="https://example.com/posts/rock-pool/pool.png" alt="pool" width="16" height="10"></p>
      <p><img src="https://example.com/posts/rock-pool/art/star.svg" alt="star" width="24" height="12" loading="lazy"> <img src="https://example.com/posts/rock-pool/art/star.svg" alt="sized" title="t" width="24" height="12" loading="lazy"></p>
      <img src="https://example.com/posts/rock-pool/pool.png" width="3" alt="mine" loading="lazy">
      <p><a href="https://example.com/posts/rock-pool/notes.txt">notes</a></p>"
    `);
  });

  it('renders the same on worker threads: the files are facts of the render job, not read by the worker', async () => {
    const root = await temporarySite({
      'content/posts/pool/index.md': post('![a](a.svg) ![b](b.svg)'),
      'content/posts/pool/a.svg': svg(5, 6),
      'content/posts/pool/b.svg': svg(7, 8),
      'content/posts/gone.md': post('![c](c.svg)'),
    });
    const here = await loadSite({ root, now: NOW, cache: false, workers: 0 });
    const threads = await loadSite({ root, now: NOW, cache: false, workers: 1 });
    expect(threads).toEqual(here);
    expect(lines(threads)).toEqual([
      expect.stringMatching(/^content\/posts\/gone\.md:5:6: error missing-asset: "c\.svg"/),
    ]);
  });

  it("a watch loop's next load lists the folder again: a file added beside an unchanged index.md resolves", async () => {
    const root = await temporarySite({ 'content/posts/pool/index.md': post('![a](a.svg)') });
    const store = new LoadedFileStore();
    const first = await loadSiteWith({ root, now: NOW, cache: false }, store);
    expect(lines(first)).toEqual([
      expect.stringMatching(/^content\/posts\/pool\/index\.md:5:6: error missing-asset: /),
    ]);
    await writeFile(path.join(root, 'content/posts/pool/a.svg'), svg(3, 2));
    store.changed(['content/posts/pool/a.svg']);
    const second = await loadSiteWith({ root, now: NOW, cache: false }, store);
    expect(second.ok && second.site.posts[0]!.html).toContain('width="3" height="2"');
  });

  it('a post file and a post folder with the same slug are a duplicate-slug error naming both', async () => {
    const root = await temporarySite({
      'content/posts/pool.md': post('A file.'),
      'content/posts/2024-01-01-pool/index.md': post('A folder.'),
    });
    expect(lines(await loadSite({ root, now: NOW, cache: false }))).toMatchInlineSnapshot(`
      [
        "content/posts/pool.md:1:1: error duplicate-slug: content/posts/2024-01-01-pool/index.md and content/posts/pool.md have the same slug "pool": each post needs its own slug",
      ]
    `);
  });

  it('a folder name that is no slug is an invalid-slug error, unless the front matter gives one (its files follow the slug)', async () => {
    const root = await temporarySite({
      'content/posts/Rock Pool/index.md': post('![p](p.png)'),
      'content/posts/Rock Pool/p.png': PNG,
      'content/posts/Tide/index.md': post('![p](p.png)', 'slug: tide-pool\n'),
      'content/posts/Tide/p.png': PNG,
    });
    const result = await loadSite({ root, now: NOW, cache: false });
    expect(lines(result)).toEqual([
      expect.stringMatching(
        /^content\/posts\/Rock Pool\/index\.md:1:1: error invalid-slug: the folder name gives the slug "Rock Pool",.*rename the folder or set `slug`$/,
      ),
    ]);
  });

  it('files that cannot be published are errors: a link out of the root, a FIFO, a name with a backslash or a control character', async () => {
    if (!unix) return;
    const root = await temporarySite({
      'content/posts/pool/index.md': post('![p](p.png)'),
      'content/posts/pool/p.png': PNG,
      'content/posts/pool/back\\slash.png': PNG,
      'content/posts/pool/bell\u0007.png': PNG,
      'outside/secret.txt': 'inside the temporary folder, not the root\n',
    });
    const folder = path.join(root, 'content/posts/pool');
    execFileSync('mkfifo', [path.join(folder, 'pipe.png')]);
    await symlink('/etc/hostname', path.join(folder, 'hostname.txt'));
    await symlink('p.png', path.join(folder, 'same.png'));
    const result = await loadSite({ root, now: NOW, cache: false });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.diagnostics.map((d) => [d.file, d.code])).toEqual([
      ['content/posts/pool/back\\slash.png', 'invalid-asset-name'],
      ['content/posts/pool/bell\u0007.png', 'invalid-asset-name'],
      ['content/posts/pool/hostname.txt', 'symlink-outside-root'],
      ['content/posts/pool/pipe.png', 'not-a-file'],
    ]);
  });

  it('a link to a folder outside the root, or back up to its own post folder, is refused', async () => {
    if (!unix) return;
    const root = await temporarySite({ 'content/posts/pool/index.md': post('Text.') });
    const folder = path.join(root, 'content/posts/pool');
    await symlink('/etc', path.join(folder, 'etc'));
    await symlink('..', path.join(folder, 'up'));
    expect(lines(await loadSite({ root, now: NOW, cache: false }))).toMatchInlineSnapshot(`
      [
        "content/posts/pool/etc:1:1: error symlink-outside-root: this symbolic link leads outside the site root: only files inside the root are published",
        "content/posts/pool/up:1:1: error symlink-loop: this folder links back to a folder that contains it",
      ]
    `);
  });
});

describe('postFileOf (where a relative reference leads from posts/<slug>/)', () => {
  const page = ['posts', 'pool'];
  it('names the files of the post, and nothing else', () => {
    expect(postFileOf('pic.png', page)).toEqual({ inside: 'pic.png' });
    expect(postFileOf('./a/../pic.png?x=1#y', page)).toEqual({ inside: 'pic.png' });
    expect(postFileOf('my%20pic.png', page)).toEqual({ inside: 'my pic.png' });
    expect(postFileOf('../pool/files/a.pdf', page)).toEqual({ inside: 'files/a.pdf' });
    expect(postFileOf('sub/', page)).toEqual({ inside: 'sub/index.html' });
    for (const other of [
      './',
      'index.html',
      'comments/atom.xml',
      '../other/',
      '../../about/',
      '/x.png',
      '//cdn.example/x.png',
      '#top',
      '?page=2',
      'https://e.example/x.png',
      'mailto:a@b.c',
      '',
    ])
      expect(postFileOf(other, page), other).toBeUndefined();
    expect(postFileOf('../../../etc/passwd', page)).toEqual({ outside: true });
    expect(postFileOf('../../../../etc/passwd', [])).toEqual({ outside: true });
  });

  it('never gives a path with an empty, `.` or `..` segment (nothing outside the post folder is named)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('..', '.', '', 'a', 'b.png', '%2e%2e', '%2F', '?', '#'), { maxLength: 8 }),
        (parts) => {
          const target = postFileOf(parts.join('/'), page);
          if (target && 'inside' in target) {
            expect(target.inside.split('/').every((segment) => !['', '.', '..'].includes(segment))).toBe(
              true,
            );
          }
        },
      ),
    );
  });

  it('any reference renders: each problem points inside the markdown, and nothing outside the post is ever called its file', async () => {
    const render = createMarkdownRenderer({ trust: 'post' });
    const assets = { siteUrl: 'https://example.com/blog/', files: { 'a.png': { width: 2, height: 1 } } };
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 40 }),
        fc.string({ maxLength: 20 }),
        async (reference, before) => {
          const markdown = `${before}\n\n![x](<${reference.replace(/[<>\n\\]/g, '')}>) [y](${encodeURI(reference)})\n`;
          const lines = markdown.split('\n');
          const result = await render(markdown, { url: 'https://example.com/blog/posts/p/', assets });
          for (const problem of result.assetProblems ?? []) {
            expect(problem.line).toBeGreaterThanOrEqual(1);
            expect(problem.line).toBeLessThanOrEqual(lines.length);
            expect(problem.column).toBeGreaterThanOrEqual(1);
            expect(problem.column).toBeLessThanOrEqual(lines[problem.line - 1]!.length + 1);
          }
          // Only the post's own file is ever sized.
          for (const [, src] of result.html.matchAll(/<img src="([^"]*)"[^>]* width="2" height="1"/g))
            expect(src).toBe('https://example.com/blog/posts/p/a.png');
        },
      ),
      { numRuns: 200 },
    );
  });
});
