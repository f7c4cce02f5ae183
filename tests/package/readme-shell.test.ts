// The README's "site of your own" commands, run as written (the block marked
// `<!-- readme-test: shell -->`) in a clean clone of the repository's HEAD: npm install, npm pack,
// init from the tarball, new post, check, build; and `serve` answers with the built site.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '../..');
const { version } = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as { version: string };
const NPM_ENV = {
  ...process.env,
  npm_config_prefer_offline: 'true',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
};

/** The command lines of the ```sh block after the shell marker, comments dropped. */
function shellBlock(markdown: string): string[] {
  const at = markdown.indexOf('<!-- readme-test: shell -->');
  if (at === -1) throw new Error('README.md has no <!-- readme-test: shell --> block');
  const block = /```sh\n([\s\S]*?)```/.exec(markdown.slice(at))?.[1] ?? '';
  return block
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

const work = mkdtempSync(path.join(tmpdir(), 'broadsheet-readme-'));
let server: ChildProcess | undefined;
afterAll(() => {
  server?.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
});

describe("README.md's commands for a site of your own", () => {
  it('work as written from a clean clone, and serve the built site', async () => {
    const lines = shellBlock(readFileSync(path.join(repo, 'README.md'), 'utf8'));
    const serve = lines.at(-1)!;
    expect(serve).toBe('npx broadsheet serve');
    const clone = path.join(work, 'broadsheet');
    execFileSync('git', ['clone', '--quiet', '--no-hardlinks', repo, clone]);
    // Every line but `serve` (which runs until stopped), in one shell, stopping at the first failure.
    execFileSync('bash', ['-euo', 'pipefail', '-c', lines.slice(0, -1).join('\n')], {
      cwd: clone,
      env: NPM_ENV,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const site = path.join(work, 'my-blog');
    const manifest = JSON.parse(readFileSync(path.join(site, 'package.json'), 'utf8'));
    expect(manifest.devDependencies).toEqual({
      broadsheet: `file:${path.join(work, `broadsheet-${version}.tgz`)}`,
    });
    expect(existsSync(path.join(site, 'public/posts/hello-world/index.html'))).toBe(true);

    server = spawn('bash', ['-c', `${serve} --port 0`], {
      cwd: site,
      env: NPM_ENV,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      let printed = '';
      server!.stdout!.on('data', (chunk: Buffer) => {
        printed += chunk.toString();
        const match = / at (http:\/\/\S+)\n/.exec(printed);
        if (match) resolve(match[1]!);
      });
      server!.once('exit', (code) => reject(new Error(`serve exited ${code}: ${printed}`)));
    });
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Hello, world');
  }, 900_000);
});
