// The README's commands, run as written in a clean clone of the repository's HEAD: the Quick start's
// `npm install && npm start` (a short log, the site built) and `serve`; then the commands for a site
// of your own (the block marked `<!-- readme-test: shell -->`): npm install, npm pack, init from the
// tarball, new post, check, build; and `serve` answers with the built site.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '../..');
const { version } = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as { version: string };
const NPM_ENV = {
  ...process.env,
  npm_config_prefer_offline: 'true',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
};

/** The command lines of the first ```sh block after `marker`, comments dropped. */
function shellBlock(markdown: string, marker: string): string[] {
  const at = markdown.indexOf(marker);
  if (at === -1) throw new Error(`README.md has no ${marker}`);
  const block = /```sh\n([\s\S]*?)```/.exec(markdown.slice(at))?.[1] ?? '';
  return block
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** Runs a command that serves until stopped, with `--port 0`; resolves with the URL it prints. */
function startServer(command: string, cwd: string): Promise<string> {
  const child = spawn('bash', ['-c', `exec ${command} --port 0`], {
    cwd,
    env: NPM_ENV,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  servers.push(child);
  return new Promise<string>((resolve, reject) => {
    let printed = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      printed += chunk.toString();
      const match = / at (http:\/\/\S+)\n/.exec(printed);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`${command} exited ${code}: ${printed}`)));
  });
}

const work = mkdtempSync(path.join(tmpdir(), 'broadsheet-readme-'));
const clone = path.join(work, 'broadsheet');
const readme = readFileSync(path.join(repo, 'README.md'), 'utf8');
const servers: ChildProcess[] = [];
beforeAll(() => {
  execFileSync('git', ['clone', '--quiet', '--no-hardlinks', repo, clone]);
});
afterAll(() => {
  for (const server of servers) server.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
});

describe("README.md's commands", () => {
  it('Quick start: npm install && npm start builds the CLI and the site with a short log; serve serves it', async () => {
    const lines = shellBlock(readme, '## Quick start');
    expect(lines).toEqual(['npm install && npm start', 'node dist/cli.js serve', 'npm install && npm test']);
    // `npm test` is what CI runs on every change; the first two run here.
    // stdout and stderr in order: the build's summary is on stderr.
    const log = execFileSync('bash', ['-euo', 'pipefail', '-c', `{ ${lines[0]}; } 2>&1`], {
      cwd: clone,
      env: NPM_ENV,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const started = log.slice(log.indexOf(`> broadsheet@${version} start`));
    expect(started).toMatch(/built 1 post, 0 comments, \d+ files in/);
    // No build tool's chunk listing: npm's header lines and the summary.
    expect(started).not.toMatch(/ESM|CJS|DTS|dist\/chunk-/);
    expect(started.trim().split('\n').length).toBeLessThanOrEqual(8);
    const url = await startServer(lines[1]!, clone);
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('How to Recover from a Bad Interview.');
  }, 600_000);

  it('for a site of your own work as written from a clean clone, and serve the built site', async () => {
    const lines = shellBlock(readme, '<!-- readme-test: shell -->');
    const serve = lines.at(-1)!;
    expect(serve).toBe('npx broadsheet serve');
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
    const url = await startServer(serve, site);
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Hello, world');
  }, 900_000);
});
