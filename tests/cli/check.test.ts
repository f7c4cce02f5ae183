import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main';
import type { Diagnostic } from '../../src/diagnostics/diagnostic';
import { fixturesDir } from '../load/helpers';

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));
const fixture = (name: string) => path.join(fixturesDir, name);

/** Runs the CLI in-process and collects what it prints. */
async function run(args: string[], env: Record<string, string | undefined> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    env,
    cwd: repositoryRoot,
    isTTY: false,
  });
  return { code, stdout, stderr };
}

describe('broadsheet check (in process)', () => {
  it("exits 0 on the repository's own content", async () => {
    const { code, stdout, stderr } = await run(['check']);
    expect({ code, stdout, stderr }).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "checked 1 post and 0 comments to publish: no errors, 0 warnings
      ",
        "stdout": "",
      }
    `);
  });

  it('exits 0 with warnings, printing them', async () => {
    const { code, stderr } = await run(['check', '--root', fixture('load-unknown-key')]);
    expect(code).toBe(0);
    expect(stderr).toMatchInlineSnapshot(`
      "content/posts/a.md:4:1: warning unknown-key: unknown key "tagz": did you mean \`tags\`?
      content/posts/a.md:5:1: warning unknown-key: unknown key "sumary": did you mean \`summary\`?
      content/posts/a.md:6:1: warning unknown-key: unknown key "flavour" is ignored
      checked 1 post and 0 comments to publish: no errors, 3 warnings
      "
    `);
  });

  it('exits 1 on content errors and prints path:line:col: lines', async () => {
    const { code, stdout, stderr } = await run(['check', '--root', fixture('load-invalid-date')]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatchInlineSnapshot(`
      "content/posts/a.md:3:7: error invalid-date: date "2012-13-45" is not a valid date (use 2012-03-13 or 2012-03-13T09:30:00Z)
      check failed: 1 error and 0 warnings in 1 file
      "
    `);
  });

  it('--format json prints a JSON array of diagnostics on stdout', async () => {
    const { code, stdout, stderr } = await run([
      'check',
      '--root',
      fixture('load-parent-cycle'),
      '--format',
      'json',
    ]);
    expect(code).toBe(1);
    expect(stderr).toBe('');
    const diagnostics = JSON.parse(stdout) as Diagnostic[];
    expect(Array.isArray(diagnostics)).toBe(true);
    expect(
      diagnostics.map(({ file, line, column, severity, code }) => ({ file, line, column, severity, code })),
    ).toMatchInlineSnapshot(`
        [
          {
            "code": "parent-cycle",
            "column": 9,
            "file": "content/comments/hello/a.md",
            "line": 4,
            "severity": "error",
          },
          {
            "code": "parent-cycle",
            "column": 9,
            "file": "content/comments/hello/b.md",
            "line": 4,
            "severity": "error",
          },
          {
            "code": "parent-cycle",
            "column": 9,
            "file": "content/comments/hello/self.md",
            "line": 4,
            "severity": "error",
          },
        ]
      `);
  });

  it('--format json on a valid site prints an empty array', async () => {
    const { code, stdout } = await run(['check', '--root', fixture('config-json'), '--format', 'json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual([]);
  });

  it('GITHUB_ACTIONS=true adds ::error annotations', async () => {
    const { code, stdout, stderr } = await run(['check', '--root', fixture('load-comment-before-post')], {
      GITHUB_ACTIONS: 'true',
    });
    expect(code).toBe(1);
    expect(stderr).toMatchInlineSnapshot(`
      "content/comments/hello/early.md:3:7: error comment-before-post: the comment is dated 2019-12-31T23:59:59Z, before its post (2020-01-01)
      check failed: 1 error and 0 warnings in 1 file
      "
    `);
    expect(stdout).toMatchInlineSnapshot(`
      "::error file=content/comments/hello/early.md,line=3,col=7::comment-before-post: the comment is dated 2019-12-31T23:59:59Z, before its post (2020-01-01)
      "
    `);
  });

  it('GITHUB_ACTIONS=true with --format json keeps stdout valid JSON', async () => {
    const { stdout, stderr } = await run(
      ['check', '--root', fixture('load-unknown-author'), '--format', 'json'],
      {
        GITHUB_ACTIONS: 'true',
      },
    );
    expect(JSON.parse(stdout)).toHaveLength(1);
    expect(stderr).toMatch(/^::error file=content\/posts\/a\.md,line=6,col=5::unknown-author: /);
  });

  it('a missing config exits 2', async () => {
    const { code, stderr } = await run(['check', '--root', fixture('config-missing')]);
    expect(code).toBe(2);
    expect(stderr).toMatchInlineSnapshot(`
      "broadsheet.config.ts:1:1: error config-missing: no config file in the site root: create one of broadsheet.config.ts, broadsheet.config.mts, broadsheet.config.js, broadsheet.config.mjs, broadsheet.config.json
      check failed: 1 error and 0 warnings in 1 file
      "
    `);
  });

  it('an invalid config exits 2 and names the key', async () => {
    const { code, stderr } = await run(['check', '--root', fixture('config-ts-invalid')]);
    expect(code).toBe(2);
    expect(stderr).toMatchInlineSnapshot(`
      "broadsheet.config.ts:4:5: error config-invalid-url: site.url must be an absolute http(s) URL such as https://example.com/
      broadsheet.config.ts:6:12: error config-out-of-range: feeds.limit must be at least 1
      check failed: 2 errors and 0 warnings in 1 file
      "
    `);
  });

  it('--config picks a config file', async () => {
    const { code, stderr } = await run([
      'check',
      '--root',
      fixture('config-json'),
      '--config',
      '../config-ts/broadsheet.config.ts',
    ]);
    expect(code).toBe(0);
    expect(stderr).toContain('checked 1 post and 0 comments');
  });

  it('a bad --format or an unknown option exits 2', async () => {
    expect(await run(['check', '--format', 'xml'])).toMatchInlineSnapshot(`
      {
        "code": 2,
        "stderr": "broadsheet check: --format must be text or json, not "xml"
      ",
        "stdout": "",
      }
    `);
    expect((await run(['check', '--nope'])).code).toBe(2);
    expect((await run(['check', 'extra'])).code).toBe(2);
  });
});

const exec = promisify(execFile);
const cli = path.join(repositoryRoot, 'dist/cli.js');

describe('broadsheet check (the built bin, as a child process)', () => {
  beforeAll(async () => {
    if (!existsSync(cli)) await exec('npx', ['tsup'], { cwd: repositoryRoot });
  }, 120_000);

  it('exits 1 and prints diagnostics; exits 0 on a valid root', async () => {
    const failure = await exec(process.execPath, [cli, 'check', '--root', fixture('load-duplicate-slug')], {
      env: { ...process.env, GITHUB_ACTIONS: '' },
    }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    );
    expect(failure.code).toBe(1);
    expect(failure.stderr.split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(/^content\/posts\/archive\/hello\.md:1:1: error duplicate-slug: /),
      expect.stringMatching(/^content\/posts\/z\/other\.md:4:7: error duplicate-slug: /),
      'check failed: 2 errors and 0 warnings in 2 files',
    ]);
    const success = await exec(process.execPath, [cli, 'check', '--root', fixture('config-json')]);
    expect(success.stderr).toContain('no errors');
  });
});
