// Packs broadsheet as npm would publish it, from a clean clone of the repository's HEAD (not this
// working tree and its dist/), installs the tarball into empty projects and uses it the ways users
// do: import, require, strict TypeScript, a browser bundle of the client, the CLI (`--version`,
// `init`, `build`); and installs it from a git URL. npm may use the registry or its cache
// (`--prefer-offline`); nothing else is fetched.
import { type ExecFileSyncOptions, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '../..');
const { version } = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as { version: string };
const bin = (name: string) => path.join(repo, 'node_modules', '.bin', name);

/** The names the README's API section promises as named exports of `broadsheet`. */
const LIBRARY_NAMES = [
  'defineConfig',
  'loadSite',
  'buildSite',
  'renderMarkdown',
  'postSchema',
  'commentSchema',
  'authorSchema',
  'configSchema',
  'siteFiles',
  'feedFiles',
  'apiFiles',
  'pageFiles',
];

let work: string;
let clone: string;
let tarball: string;
let consumer: string;

/** npm's settings for every install here: the cache first, no audit, no funding notes. */
const NPM_ENV = {
  ...process.env,
  npm_config_prefer_offline: 'true',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
};

function run(command: string, args: string[], options: ExecFileSyncOptions = {}): string {
  return execFileSync(command, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: NPM_ENV,
    ...options,
  }) as string;
}

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'broadsheet-package-'));
  // What a user clones: the committed HEAD, without dist/ or node_modules.
  clone = path.join(work, 'broadsheet');
  run('git', ['clone', '--quiet', '--no-hardlinks', repo, clone]);
  expect(existsSync(path.join(clone, 'dist'))).toBe(false);
  run('npm', ['ci'], { cwd: clone });
  // `prepack` builds dist/; stdout also carries the build's output, so the tarball is found by name.
  run('npm', ['pack', '--pack-destination', work], { cwd: clone });
  tarball = path.join(work, `broadsheet-${version}.tgz`);
  consumer = path.join(work, 'consumer');
  run('mkdir', ['-p', consumer]);
  writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  run('npm', ['install', tarball], { cwd: consumer });
}, 600_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('exposes the library names to import', () => {
    const names = JSON.parse(
      run(
        'node',
        [
          '--input-type=module',
          '-e',
          "import * as b from 'broadsheet'; console.log(JSON.stringify(Object.keys(b)))",
        ],
        {
          cwd: consumer,
        },
      ),
    ) as string[];
    expect(names).toEqual(expect.arrayContaining(LIBRARY_NAMES));
    expect(names).not.toContain('default');
  });

  it('exposes the same names to require', () => {
    const names = JSON.parse(
      run('node', ['-e', "console.log(JSON.stringify(Object.keys(require('broadsheet'))))"], {
        cwd: consumer,
      }),
    ) as string[];
    expect(names).toEqual(expect.arrayContaining(LIBRARY_NAMES));
  });

  it('exposes createClient from broadsheet/client to import and require', () => {
    const esm = run(
      'node',
      [
        '--input-type=module',
        '-e',
        "import { createClient } from 'broadsheet/client'; console.log(typeof createClient)",
      ],
      { cwd: consumer },
    );
    const cjs = run('node', ['-e', "console.log(typeof require('broadsheet/client').createClient)"], {
      cwd: consumer,
    });
    expect([esm.trim(), cjs.trim()]).toEqual(['function', 'function']);
  });

  it.each([
    ['nodenext', { module: 'nodenext', moduleResolution: 'nodenext' }],
    ['bundler', { module: 'esnext', moduleResolution: 'bundler' }],
  ])('type-checks a strict TypeScript consumer (%s)', (name, options) => {
    const folder = path.join(consumer, `ts-${name}`);
    run('mkdir', ['-p', folder]);
    writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ type: 'module' }));
    writeFileSync(
      path.join(folder, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          ...options,
          target: 'es2022',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: [],
        },
        files: ['use.ts'],
      }),
    );
    writeFileSync(
      path.join(folder, 'use.ts'),
      `import { loadSite, defineConfig, type Post } from 'broadsheet';
import { createClient } from 'broadsheet/client';

const config = defineConfig({ site: { title: 'T', url: 'https://example.com/' } });
export async function titles(): Promise<string[]> {
  const result = await loadSite({ root: '.', config });
  if (!result.ok) return result.diagnostics.map((d) => \`\${d.file}:\${d.line}:\${d.column}\`);
  const first: Post | undefined = result.site.posts[0];
  const date: Date | undefined = first?.date;
  void date;
  return result.site.posts.map((post) => post.title);
}
export async function remote(): Promise<number> {
  const result = await createClient({ baseUrl: 'https://example.com/' }).posts.list({ page: 1 });
  return result.ok ? result.data.meta.pagination.total : 0;
}
// @ts-expect-error a post has no such field
export const wrong = (post: Post) => post.nope;
`,
    );
    const output = (() => {
      try {
        return run(process.execPath, [path.join(repo, 'node_modules/typescript/bin/tsc'), '-p', folder]);
      } catch (error) {
        return String((error as { stdout?: string }).stdout ?? error);
      }
    })();
    expect(output).toBe('');
  });

  it('bundles broadsheet/client for browsers', () => {
    const entry = path.join(consumer, 'browser-entry.js');
    writeFileSync(
      entry,
      "import { createClient } from 'broadsheet/client';\nglobalThis.client = createClient({ baseUrl: '/' });\n",
    );
    const out = path.join(consumer, 'bundle.js');
    run(bin('esbuild'), [entry, '--bundle', '--platform=browser', '--format=esm', `--outfile=${out}`], {
      cwd: consumer,
    });
    const bundle = readFileSync(out, 'utf8');
    expect(bundle).toContain('createClient');
    expect(bundle).not.toMatch(/from\s*["']node:/);
  });

  it('runs the CLI with npx', () => {
    expect(run('npx', ['--no-install', 'broadsheet', '--version'], { cwd: consumer }).trim()).toBe(version);
  });

  it('ships dist/ with every file package.json points at, and nothing of the repository else', () => {
    const files = run('tar', ['-tzf', tarball]).split('\n').filter(Boolean);
    for (const file of [
      'dist/cli.js',
      'dist/index.js',
      'dist/index.cjs',
      'dist/index.d.ts',
      'dist/index.d.cts',
    ]) {
      expect(files).toContain(`package/${file}`);
    }
    for (const file of ['dist/client.js', 'dist/client.cjs', 'dist/client.d.ts', 'dist/render-worker.js']) {
      expect(files).toContain(`package/${file}`);
    }
    expect(
      files.filter(
        (file) => !/^package\/(dist\/|README\.md$|LICENSE$|CHANGELOG\.md$|package\.json$)/.test(file),
      ),
    ).toEqual([]);
  });

  it('scaffolds a site with init that depends on the same tarball, installs it and builds it', () => {
    const output = run('npx', ['--no-install', 'broadsheet', 'init', 'site'], { cwd: consumer });
    expect(output).toContain(`Created a broadsheet site in site (broadsheet file:${tarball})`);
    const site = path.join(consumer, 'site');
    const manifest = JSON.parse(readFileSync(path.join(site, 'package.json'), 'utf8'));
    expect(manifest.devDependencies).toEqual({ broadsheet: `file:${tarball}` });
    expect(existsSync(path.join(site, 'node_modules/broadsheet/dist/cli.js'))).toBe(true);
    run('npx', ['--no-install', 'broadsheet', 'build'], { cwd: site });
    expect(readdirSync(path.join(site, 'public'))).toEqual(expect.arrayContaining(['index.html', 'rss.xml']));
  });

  it('installs from a git URL of the clone: npm builds it with `prepare`', () => {
    const fromGit = path.join(work, 'from-git');
    run('mkdir', ['-p', fromGit]);
    writeFileSync(path.join(fromGit, 'package.json'), JSON.stringify({ name: 'from-git', private: true }));
    run('npm', ['install', `git+file://${clone}`], { cwd: fromGit });
    expect(run('npx', ['--no-install', 'broadsheet', '--version'], { cwd: fromGit }).trim()).toBe(version);
    const esm = run(
      'node',
      ['--input-type=module', '-e', "import { buildSite } from 'broadsheet'; console.log(typeof buildSite)"],
      { cwd: fromGit },
    );
    const cjs = run('node', ['-e', "console.log(typeof require('broadsheet').loadSite)"], { cwd: fromGit });
    expect([esm.trim(), cjs.trim()]).toEqual(['function', 'function']);
    expect(existsSync(path.join(fromGit, 'node_modules/broadsheet/dist/index.d.ts'))).toBe(true);
  });
});

describe('package metadata', () => {
  it('is clean under publint --strict', () => {
    const output = run(bin('publint'), ['--strict', clone]);
    expect(output).not.toMatch(/error|warning|suggestion/i);
  });

  it('is clean under @arethetypeswrong/cli', () => {
    const output = run(bin('attw'), [tarball, '--format', 'ascii']);
    expect(output).toMatch(/No problems found/);
  });
});
