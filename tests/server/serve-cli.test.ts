import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, copyGoldenSite, repoRoot } from '../build/helpers';

const cliPath = path.join(repoRoot, 'dist/cli.js');
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  }
});

/** Starts `broadsheet serve --port 0` in `root`; resolves with its printed URL and the process. */
async function startServe(root: string, extra: string[] = []): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [cliPath, 'serve', '--root', root, '--port', '0', ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk) => {
    stderr += chunk;
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      stdout += chunk;
      const match = / at (http:\/\/\S+)/.exec(stdout);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
  });
  return { url, child };
}

describe('broadsheet serve', () => {
  it('serves the built site under the path of site.url on loopback, until SIGTERM', async () => {
    const root = await copyGoldenSite();
    const build = await cli(['build', '--root', root], { cwd: root });
    expect(build.code, build.stderr).toBe(0);
    const { url, child } = await startServe(root);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/blog\/$/);
    const home = await fetch(url);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('The Golden Gazette');
    const feed = await fetch(new URL('posts/hello-world/comments/atom.xml', url));
    expect(feed.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const again = await fetch(new URL('posts/hello-world/comments/atom.xml', url), {
      headers: { 'if-none-match': feed.headers.get('etag')! },
    });
    expect(again.status).toBe(304);
    expect((await fetch(new URL('/../broadsheet.config.json', url))).status).toBe(404);
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });

  it('refuses a site that was never built, and a bad port, with exit code 2', async () => {
    const root = await copyGoldenSite();
    const unbuilt = await cli(['serve', '--port', '0'], { cwd: root });
    expect(unbuilt.code).toBe(2);
    expect(unbuilt.stderr).toContain('public/ does not exist: run `broadsheet build` first');
    const badPort = await cli(['serve', '--port', 'eighty'], { cwd: root });
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toContain('--port must be a whole number');
  });
});
