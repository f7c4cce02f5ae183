import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSite } from '../../src/index';
import { GOLDEN_NOW, goldenRoot, listFiles, repoRoot } from '../build/helpers';

const vnuJar = path.join(repoRoot, 'node_modules/vnu-jar/build/dist/vnu.jar');

interface VnuMessage {
  type: string;
  subType?: string;
  url?: string;
  lastLine?: number;
  message: string;
  extract?: string;
}

const folders: string[] = [];
afterAll(async () => {
  await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
});

describe('the Nu HTML Checker (vnu-jar)', () => {
  it('finds 0 errors in every HTML page of the golden fixture build', async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'broadsheet-e2e-vnu-'));
    folders.push(folder);
    const out = path.join(folder, 'public');
    const result = await buildSite({ root: goldenRoot, out, now: GOLDEN_NOW });
    expect(result.ok).toBe(true);
    const pages = (await listFiles(out)).filter((file) => file.endsWith('.html'));
    // At least: home (2 pages of 2 posts), 3 posts, the tag index, 3 tags and the 404 page.
    expect(pages).toEqual(
      expect.arrayContaining([
        'index.html',
        'page/2/index.html',
        'posts/hello-world/index.html',
        'posts/markdown-tour/index.html',
        'posts/quiet-post/index.html',
        'tags/index.html',
        'tags/meta/index.html',
        'tags/news/index.html',
        'tags/open-source/index.html',
        '404.html',
      ]),
    );

    // Every page kind: the golden site's, and the shell site's pages of content/pages/.
    const shellOut = path.join(folder, 'shell');
    const shell = await buildSite({
      root: path.join(repoRoot, 'tests/fixtures/site-shell'),
      out: shellOut,
      now: GOLDEN_NOW,
    });
    expect(shell.ok).toBe(true);
    const shellPages = (await listFiles(shellOut)).filter((file) => file.endsWith('.html'));
    // Pages, a post with images of its post folder (sized, lazy) and a tag's second page.
    expect(shellPages).toEqual(
      expect.arrayContaining([
        'about/index.html',
        'docs/setup/index.html',
        'posts/tide-pools/index.html',
        'tags/notes/page/2/index.html',
      ]),
    );

    const args = [
      '-jar',
      vnuJar,
      '--errors-only',
      '--format',
      'json',
      ...pages.map((page) => path.join(out, page)),
      ...shellPages.map((page) => path.join(shellOut, page)),
    ];
    // vnu exits 1 when it finds errors; its JSON report is on stderr either way.
    const report = await promisify(execFile)('java', args, { maxBuffer: 64 * 1024 * 1024 }).then(
      ({ stderr }) => stderr,
      (error: { stderr?: string; message: string }) => {
        if (!error.stderr) throw error;
        return error.stderr;
      },
    );
    const { messages } = JSON.parse(report) as { messages: VnuMessage[] };
    const errors = messages
      .filter((message) => message.type === 'error' || message.subType === 'fatal')
      .map(
        (message) =>
          `${path.relative(folder, new URL(message.url ?? 'file:///').pathname)}:${message.lastLine}: ${message.message}`,
      );
    expect(errors).toEqual([]);
  });
});
