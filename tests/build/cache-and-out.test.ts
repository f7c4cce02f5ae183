import { access, chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, copyGoldenSite, folderEntries } from './helpers';

const saved = process.env.BROADSHEET_CACHE_DIR;
afterEach(() => {
  if (saved === undefined) delete process.env.BROADSHEET_CACHE_DIR;
  else process.env.BROADSHEET_CACHE_DIR = saved;
});

const exists = (target: string) =>
  access(target).then(
    () => true,
    () => false,
  );

describe('the cache folder and the output folder', () => {
  it('a cache folder inside out is refused before anything is cached or written (exit 2)', async () => {
    const root = await copyGoldenSite();
    process.env.BROADSHEET_CACHE_DIR = path.join(root, 'public/x');
    const { code, stderr } = await cli(['build'], { cwd: root });
    expect(code).toBe(2);
    expect(stderr.replaceAll(root, '<root>').replace(/\/[0-9a-f]{16}"/, '/<hash>"')).toMatchInlineSnapshot(`
      "broadsheet.config.json:1:1: error config-cache-in-out: the cache folder "<root>/public/x/<hash>" is inside the output folder "<root>/public", which is published: the cache holds every comment's email and the drafts; set BROADSHEET_CACHE_DIR to a folder outside it
      build failed: 1 error and 0 warnings in 1 file; nothing was written, the previous output is as it was
      "
    `);
    expect(await exists(path.join(root, 'public'))).toBe(false);
  });

  it('a cache folder inside --out is refused too, and out inside the cache', async () => {
    const root = await copyGoldenSite();
    process.env.BROADSHEET_CACHE_DIR = path.join(root, 'built/cache');
    const inside = await cli(['build', '--out', 'built'], { cwd: root });
    process.env.BROADSHEET_CACHE_DIR = path.join(root, 'cache');
    const holding = await cli(['build', '--out', 'cache/site'], { cwd: root });
    expect([inside.code, holding.code]).toEqual([2, 2]);
    expect(holding.stderr.replaceAll(root, '<root>')).toMatchInlineSnapshot(`
      "broadsheet.config.json:1:1: error config-cache-in-out: the output folder "<root>/cache/site" is inside the cache folder "<root>/cache": set BROADSHEET_CACHE_DIR or the output folder elsewhere
      build failed: 1 error and 0 warnings in 1 file; nothing was written, the previous output is as it was
      "
    `);
    expect(await folderEntries(root)).not.toContain('built');
  });

  // Root reads any folder whatever its mode: a path through a file is refused by the OS for anyone.
  it('an --out under a file is a diagnostic and exit 2, not a stack trace (as root too)', async () => {
    const root = await copyGoldenSite();
    await writeFile(path.join(root, 'plain-file'), 'not a folder\n');
    const { code, stderr } = await cli(['build', '--out', 'plain-file/site'], { cwd: root });
    expect(code).toBe(2);
    expect(stderr.replaceAll(root, '<root>')).toMatchInlineSnapshot(`
      "plain-file/site:1:1: error config-out-refused: refusing to build into "plain-file/site": it cannot be read (ENOTDIR); nothing was written or deleted
      content/comments/hello-world/c6.md:4:8: warning invalid-comment-url: author.url "javascript:alert(1)" is not an http(s) URL: it is dropped
      build failed: 1 error and 1 warning in 2 files; nothing was written, the previous output is as it was
      "
    `);
    expect(await readFile(path.join(root, 'plain-file'), 'utf8')).toBe('not a folder\n');
  });

  it.runIf(process.getuid?.() !== 0)(
    'an unreadable --out is a diagnostic and exit 2, not a stack trace',
    async () => {
      const root = await copyGoldenSite();
      await mkdir(path.join(root, 'locked'));
      await chmod(path.join(root, 'locked'), 0o000);
      try {
        const { code, stderr } = await cli(['build', '--out', 'locked'], { cwd: root });
        expect(code).toBe(2);
        expect(stderr).toContain('config-out-refused');
        expect(stderr).toContain('it cannot be read (EACCES)');
        expect(stderr).not.toContain('    at ');
      } finally {
        await chmod(path.join(root, 'locked'), 0o755);
      }
    },
  );
});
