import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import { cli, copyGoldenSite, repoRoot } from '../build/helpers';

const cliPath = path.join(repoRoot, 'dist/cli.js');

/** A copy of the golden site that takes comments at `/comments`, built, and `broadsheet serve` on it. */
export interface ServedSite {
  root: string;
  /** The site's base on the server: `http://127.0.0.1:<port>/blog/`. */
  url: string;
  /** The comment endpoint on the server. */
  endpoint: string;
  stop: () => Promise<void>;
}

/** Copies, configures (`comments` merged into the config) and builds the golden site, then serves it. */
export async function serveGoldenSite(comments: Record<string, unknown>): Promise<ServedSite> {
  const root = await copyGoldenSite();
  const configFile = path.join(root, 'broadsheet.config.json');
  const config = JSON.parse(await readFile(configFile, 'utf8'));
  config.comments = { endpoint: '/comments', ...comments };
  await writeFile(configFile, JSON.stringify(config, null, 2));
  const build = await cli(['build'], { cwd: root });
  expect(build.code, build.stderr).toBe(0);
  const child: ChildProcess = spawn(process.execPath, [cliPath, 'serve', '--port', '0'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
  return {
    root,
    url,
    endpoint: new URL('/comments', url).href,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
