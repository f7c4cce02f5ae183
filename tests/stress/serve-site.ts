import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import { cli, copyGoldenSite } from '../build/helpers';
import { startServe } from '../server/serve-process';

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
  const serve = await startServe(root);
  return {
    root,
    url: serve.url,
    endpoint: new URL('/comments', serve.url).href,
    stop: async () => {
      await serve.stop();
    },
  };
}
