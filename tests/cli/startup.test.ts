import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturesDir } from '../load/helpers';

const exec = promisify(execFile);
const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));
const cli = path.join(repositoryRoot, 'dist/cli.js');
const { version } = JSON.parse(await readFile(path.join(repositoryRoot, 'package.json'), 'utf8')) as {
  version: string;
};

// Module hooks that write every package a process resolves (the `node_modules/<name>` of its URL)
// and every module of dist/ (`dist/<name>` without the chunk's hash) to the file named by
// BROADSHEET_TEST_RESOLVED: what the built CLI loads for a command.
const HOOKS = `
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  const match =
    /\\/node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(result.url) ??
    /\\/(dist\\/[a-z-]+?)(?:-[A-Z0-9]{8})?\\.c?js$/.exec(result.url);
  if (match) appendFileSync(process.env.BROADSHEET_TEST_RESOLVED, match[1] + '\\n');
  return result;
}
`;

let folder: string;
let registerHooks: string;

beforeAll(async () => {
  if (!existsSync(cli)) await exec('npx', ['tsup'], { cwd: repositoryRoot });
  folder = await mkdtemp(path.join(tmpdir(), 'broadsheet-startup-'));
  const hooks = path.join(folder, 'hooks.mjs');
  await writeFile(hooks, HOOKS);
  registerHooks = path.join(folder, 'register.mjs');
  // CommonJS packages loaded with `require` (yaml, loaded when first needed) do not pass the hooks:
  // the CommonJS module cache is listed at exit.
  await writeFile(
    registerHooks,
    `import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
register(${JSON.stringify(pathToFileURL(hooks).href)});
const required = createRequire(import.meta.url).cache;
process.on('exit', () => {
  for (const file of Object.keys(required)) {
    const match = /\\/node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(file);
    if (match) appendFileSync(process.env.BROADSHEET_TEST_RESOLVED, match[1] + '\\n');
  }
});
`,
  );
}, 120_000);

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

/**
 * Runs the built CLI; returns its output, the packages it loaded and the modules of dist/ it loaded
 * (`dist/pipeline`, `dist/check`, …), each sorted and without repeats.
 */
async function runBuilt(args: string[], env: Record<string, string> = {}) {
  const log = path.join(folder, `resolved-${Math.random().toString(36).slice(2)}.txt`);
  await writeFile(log, '');
  const { stdout, stderr } = await exec(process.execPath, ['--import', registerHooks, cli, ...args], {
    env: { ...process.env, GITHUB_ACTIONS: '', BROADSHEET_TEST_RESOLVED: log, ...env },
  });
  const loaded = [...new Set((await readFile(log, 'utf8')).split('\n').filter(Boolean))].sort();
  return {
    stdout,
    stderr,
    packages: loaded.filter((name) => !name.startsWith('dist/')),
    modules: loaded.filter((name) => name.startsWith('dist/')),
  };
}

describe('what the built CLI loads', () => {
  it('--version and --help load no dependency', async () => {
    const printed = await runBuilt(['--version']);
    expect(printed.stdout).toBe(`${version}\n`);
    expect(printed.packages).toEqual([]);
    const help = await runBuilt(['--help']);
    expect(help.stdout).toContain('Usage:');
    expect(help.packages).toEqual([]);
  });

  it('check loads the markdown pipeline only when a document is not in the render cache', async () => {
    const cache = { BROADSHEET_CACHE_DIR: path.join(folder, 'cache') };
    const root = path.join(fixturesDir, 'config-json');
    const cold = await runBuilt(['check', '--root', root], cache);
    expect(cold.stderr).toContain('no errors');
    expect(cold.modules).toContain('dist/pipeline');
    const warm = await runBuilt(['check', '--root', root], cache);
    expect(warm.stderr).toBe(cold.stderr);
    expect(warm.modules).toContain('dist/check');
    expect(warm.modules).not.toContain('dist/pipeline');
    expect(warm.modules).not.toContain('dist/render-pool');
  });

  it('takes its dependencies from node_modules: zod and github-slugger for a warm check, yaml when a front matter is outside the fast path, the unified stack to render', async () => {
    // Nothing but the patched parser is bundled (docs/decisions/package-shape.md): a user's install has one copy of each.
    const cache = { BROADSHEET_CACHE_DIR: path.join(folder, 'cache-external') };
    const root = path.join(folder, 'config-json');
    await cp(path.join(fixturesDir, 'config-json'), root, { recursive: true });
    const cold = await runBuilt(['check', '--root', root], cache);
    expect(cold.stderr).toContain('no errors');
    expect(cold.modules).toContain('dist/pipeline');
    expect(cold.packages).toEqual(
      expect.arrayContaining(['unified', 'micromark-core-commonmark', 'rehype-sanitize', 'zod']),
    );
    // Its front matter is `key: value` lines, which the fast path reads (src/parse/simple-yaml.ts).
    expect(cold.packages).not.toContain('yaml');
    const warm = await runBuilt(['check', '--root', root], cache);
    expect(warm.stderr).toBe(cold.stderr);
    expect(warm.packages).toEqual(['github-slugger', 'zod']);
    // An edit to a body: its front matter comes from the front matter cache.
    const post = path.join(root, 'content/posts/hello.md');
    await writeFile(post, `${await readFile(post, 'utf8')}\nOne more line.\n`);
    const edited = await runBuilt(['check', '--root', root], cache);
    expect(edited.stderr).toBe(cold.stderr);
    expect(edited.packages).not.toContain('yaml');
    await writeFile(post, (await readFile(post, 'utf8')).replace('---\n', '---\nsummary: Changed.\n'));
    const changed = await runBuilt(['check', '--root', root], cache);
    expect(changed.stderr).toBe(cold.stderr);
    expect(changed.packages).not.toContain('yaml');
    // A YAML comment is outside the fast path's subset: yaml reads that front matter.
    await writeFile(post, (await readFile(post, 'utf8')).replace('---\n', '---\n# A note.\n'));
    const commented = await runBuilt(['check', '--root', root], cache);
    expect(commented.stderr).toBe(cold.stderr);
    expect(commented.packages).toContain('yaml');
  });
});
