// Packs broadsheet as npm would publish it, installs the tarball into empty projects and uses it the
// ways users do: import, require, strict TypeScript, a browser bundle of the client, and the CLI.
import { type ExecFileSyncOptions, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '../..');
const { version } = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as { version: string };
const bin = (name: string) => path.join(repo, 'node_modules', '.bin', name);

/** The names SPEC §6 promises as named exports of `broadsheet`. */
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
let consumer: string;

function run(command: string, args: string[], options: ExecFileSyncOptions = {}): string {
  return execFileSync(command, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    ...options,
  }) as string;
}

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'broadsheet-package-'));
  const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], { cwd: repo })) as {
    filename: string;
  }[];
  const tarball = path.join(work, packed[0]!.filename);
  consumer = path.join(work, 'consumer');
  run('mkdir', ['-p', consumer]);
  writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: consumer });
}, 300_000);

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
});

describe('package metadata', () => {
  it('is clean under publint --strict', () => {
    const output = run(bin('publint'), ['--strict'], { cwd: repo });
    expect(output).not.toMatch(/error|warning|suggestion/i);
  });

  it('is clean under @arethetypeswrong/cli --pack', () => {
    const output = run(bin('attw'), ['--pack', '.', '--format', 'ascii'], { cwd: repo });
    expect(output).toMatch(/No problems found/);
  });
});
