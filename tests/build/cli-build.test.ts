import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Diagnostic, formatGithubAnnotation } from '../../src/index';
import {
  cli,
  copyGoldenSite,
  folderEntries,
  hashTree,
  listFiles,
  temporaryFolder,
  writeText,
} from './helpers';

describe('broadsheet build', () => {
  it('builds the site into public/ and prints one summary line', async () => {
    const root = await copyGoldenSite();
    const { code, stdout, stderr } = await cli(['build'], { cwd: root });
    expect(code).toBe(0);
    expect(stdout).toBe('');
    const files = (await listFiles(path.join(root, 'public'))).length - 1;
    // The future post is dated 2030: published only with --future (or once that date has passed).
    expect(stderr.replace(/in \d+\.\d\ds/, 'in S.SSs')).toBe(
      [
        'content/comments/hello-world/c6.md:4:8: warning invalid-comment-url: author.url "javascript:alert(1)" is not an http(s) URL: it is dropped',
        `built 3 posts, 6 comments, ${files} files in S.SSs`,
        '',
      ].join('\n'),
    );
    expect(stderr).not.toContain('\r');
  });

  it('takes --root, --out relative to the working folder, --config and --future', async () => {
    const root = await copyGoldenSite();
    await writeFile(
      path.join(root, 'other.config.json'),
      (await readFile(path.join(root, 'broadsheet.config.json'), 'utf8')).replace(
        'The Golden Gazette',
        'The Other Gazette',
      ),
    );
    const cwd = path.dirname(root);
    const { code, stderr } = await cli(
      ['build', '--root', 'site', '--out', 'built', '--config', 'other.config.json', '--future'],
      { cwd },
    );
    expect(code).toBe(0);
    expect(stderr).toMatch(/^built 4 posts, 6 comments, \d+ files in \d+\.\d\ds$/m);
    expect(await folderEntries(cwd)).toEqual(['built', 'site']);
    const site = await readFile(path.join(cwd, 'built/index.html'), 'utf8');
    expect(site).toContain('The Other Gazette');
  });

  it('prints a JSON report with --format json', async () => {
    const root = await copyGoldenSite();
    const { code, stdout, stderr } = await cli(['build', '--format', 'json'], { cwd: root });
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const report = JSON.parse(stdout) as Record<string, unknown>;
    expect(Object.keys(report)).toEqual(['ok', 'posts', 'comments', 'files', 'diagnostics']);
    expect(report).toMatchObject({ ok: true, posts: 3, comments: 6 });
    expect(report.files).toBe((await listFiles(path.join(root, 'public'))).length - 1);
    expect((report.diagnostics as { code: string }[]).map((d) => d.code)).toEqual(['invalid-comment-url']);
  });

  it('keeps stdout pure JSON under GitHub Actions, with the annotations on stderr', async () => {
    const root = await copyGoldenSite();
    const { code, stdout, stderr } = await cli(['build', '--format', 'json'], {
      cwd: root,
      env: { GITHUB_ACTIONS: 'true' },
    });
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { ok: boolean; diagnostics: Diagnostic[] };
    expect(report.ok).toBe(true);
    expect(report.diagnostics).toHaveLength(1);
    expect(stderr).toBe(`${formatGithubAnnotation(report.diagnostics[0]!)}\n`);
    expect(stderr).toMatch(/^::warning file=content\/comments\/hello-world\/c6\.md,line=4,col=8/);
  });

  it('shows progress on a terminal as one rewritten line, then the summary', async () => {
    const root = await copyGoldenSite();
    const { code, stderr } = await cli(['build'], { cwd: root, isTTY: true });
    expect(code).toBe(0);
    const lines = stderr.split('\n');
    // The progress line is rewritten in place (\r, erase line) and erased before anything else prints.
    expect(lines[0]).toMatch(/^\r\x1b\[2Kloading and validating content…\r\x1b\[2K.*writing files \d+\/\d+/s);
    expect(lines[0]).toMatch(/\r\x1b\[2Kcontent\/comments\/hello-world\/c6\.md:4:8: warning/);
    expect(lines[1]).toMatch(/^built 3 posts, 6 comments, \d+ files in \d+\.\d\ds$/);
    expect(lines.slice(2)).toEqual(['']);
  });

  it('exits 1 on a content error and leaves the previous output byte-identical', async () => {
    const root = await copyGoldenSite();
    expect((await cli(['build'], { cwd: root })).code).toBe(0);
    const before = await hashTree(path.join(root, 'public'));
    await writeText(
      path.join(root, 'content/posts/broken.md'),
      '---\ntitle: Broken\ndate: 2024-13-45\n---\n\nBody.\n',
    );
    const { code, stdout, stderr } = await cli(['build', '--format', 'json'], { cwd: root });
    expect(code).toBe(1);
    expect(stderr).toBe('');
    const report = JSON.parse(stdout) as {
      ok: boolean;
      files: number;
      diagnostics: { file: string; code: string }[];
    };
    expect(report.ok).toBe(false);
    expect(report.files).toBe(0);
    expect(report.diagnostics.filter((d) => d.file === 'content/posts/broken.md').map((d) => d.code)).toEqual(
      ['invalid-date'],
    );
    expect(await hashTree(path.join(root, 'public'))).toEqual(before);
    expect(await folderEntries(root)).toEqual(['broadsheet.config.json', 'content', 'public']);
  });

  it.each([['.'], ['content'], ['content/posts'], ['..']])(
    'refuses --out %s with exit 2 and deletes nothing',
    async (out) => {
      const root = await copyGoldenSite();
      expect((await cli(['build'], { cwd: root })).code).toBe(0);
      const parent = path.dirname(root);
      const before = await hashTree(parent);
      const { code, stdout, stderr } = await cli(['build', '--out', out], { cwd: root });
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.split('\n')[0]).toMatch(
        /:1:1: error config-out-refused: refusing to build into "[^"]+": it /,
      );
      expect(await hashTree(parent)).toEqual(before);
    },
  );

  it('refuses --out . with a diagnostic that says why', async () => {
    const root = await copyGoldenSite();
    const { code, stderr } = await cli(['build', '--out', '.'], {
      cwd: root,
      env: { GITHUB_ACTIONS: 'true' },
    });
    expect(code).toBe(2);
    expect(stderr).toMatchInlineSnapshot(`
      ".:1:1: error config-out-refused: refusing to build into ".": it is the site root; nothing was written or deleted
      content/comments/hello-world/c6.md:4:8: warning invalid-comment-url: author.url "javascript:alert(1)" is not an http(s) URL: it is dropped
      build failed: 1 error and 1 warning in 2 files; nothing was written, the previous output is as it was
      "
    `);
  });

  it('refuses a non-empty folder it did not create with exit 2', async () => {
    const root = await copyGoldenSite();
    const out = path.join(await temporaryFolder(), 'www');
    await writeText(path.join(out, 'index.html'), '<p>hand-made</p>');
    const { code, stderr } = await cli(['build', '--out', out, '--format', 'json'], { cwd: root });
    expect(code).toBe(2);
    expect(stderr).toBe('');
    expect(await readFile(path.join(out, 'index.html'), 'utf8')).toBe('<p>hand-made</p>');
    expect(await listFiles(out)).toEqual(['index.html']);
  });

  it('exits 2 on a usage error or a config error', async () => {
    const root = await copyGoldenSite();
    expect((await cli(['build', '--format', 'xml'], { cwd: root })).code).toBe(2);
    expect((await cli(['build', '--bogus'], { cwd: root })).code).toBe(2);
    expect((await cli(['build', 'extra'], { cwd: root })).code).toBe(2);
    const missing = await cli(['build', '--config', 'nope.json'], { cwd: root });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('config-missing');
    expect(await folderEntries(root)).toEqual(['broadsheet.config.json', 'content']);
  });
});
