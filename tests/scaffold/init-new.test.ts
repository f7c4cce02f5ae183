// `broadsheet init` and `broadsheet new post`, through the CLI, on real folders.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newCommand, slugify } from '../../src/cli/commands/new';
import { installSpec, packageManagerFromAgent } from '../../src/cli/install-source';
import type { CliIo } from '../../src/cli/io';
import { runCli } from '../../src/cli/main';
import { loadSite } from '../../src/index';

let work: string;
let stdout: string;
let stderr: string;

function io(): CliIo {
  return {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    env: {},
    cwd: work,
    isTTY: false,
  };
}

beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'broadsheet-scaffold-'));
  stdout = '';
  stderr = '';
});

afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('broadsheet init, new post, build', () => {
  it('scaffolds a site that builds at once, with a new post in it', async () => {
    expect(await runCli(['init', 'x', '--no-install'], io())).toBe(0);
    expect(await runCli(['new', 'post', 'Hello', '--root', 'x'], io())).toBe(0);
    const created = stdout.trim().split('\n').at(-1)!;
    expect(created).toMatch(/^content\/posts\/\d{4}-\d{2}-\d{2}-hello\.md$/);
    expect(await runCli(['build', '--root', 'x'], io())).toBe(0);
    expect(stderr).toMatch(/built 2 posts, 1 comment, \d+ files/);
    const posts = await readdir(path.join(work, 'x/public/posts'));
    expect(posts.sort()).toEqual(['hello', 'welcome']);
    const page = await readFile(path.join(work, 'x/public/posts/hello/index.html'), 'utf8');
    expect(page).toContain('<h1>Hello</h1>');
    const scripts = JSON.parse(await readFile(path.join(work, 'x/package.json'), 'utf8')).scripts;
    expect(scripts).toMatchObject({ check: 'broadsheet check', build: 'broadsheet build' });
    expect(await runCli(['check', '--root', 'x'], io())).toBe(0);
  });

  it('refuses to init a folder that is not empty, and writes nothing', async () => {
    await writeFile(path.join(work, 'notes.txt'), 'mine');
    expect(await runCli(['init'], io())).toBe(2);
    expect(stderr).toContain('is not empty');
    expect(await readdir(work)).toEqual(['notes.txt']);
  });

  it('never overwrites a post', async () => {
    expect(await runCli(['init', 'x', '--no-install'], io())).toBe(0);
    const now = new Date('2026-03-01T12:00:00Z');
    const root = { ...io(), cwd: path.join(work, 'x') };
    expect(await newCommand(['post', 'Same title'], root, now)).toBe(0);
    const file = path.join(work, 'x/content/posts/2026-03-01-same-title.md');
    await writeFile(file, 'edited by hand');
    expect(await newCommand(['post', 'Same title'], root, now)).toBe(2);
    expect(stderr).toContain('already exists');
    expect(await readFile(file, 'utf8')).toBe('edited by hand');
  });

  it('dates the post in the site time zone and keeps a hostile title as data', async () => {
    expect(await runCli(['init', 'x', '--no-install'], io())).toBe(0);
    const config = path.join(work, 'x/broadsheet.config.ts');
    await writeFile(
      config,
      (await readFile(config, 'utf8')).replace("timezone: 'UTC'", "timezone: 'Pacific/Auckland'"),
    );
    const root = { ...io(), cwd: path.join(work, 'x') };
    const title = 'Quotes: "a" & \'b\' --- # not a comment\nsecond line';
    expect(await newCommand(['post', title], root, new Date('2026-03-01T12:00:00Z'))).toBe(0);
    const text = await readFile(
      path.join(work, 'x/content/posts/2026-03-02-quotes-a-b-not-a-comment-second-line.md'),
      'utf8',
    );
    expect(text.startsWith('---\n')).toBe(true);
    const result = await loadSite({ root: path.join(work, 'x'), now: new Date('2026-03-02T12:00:00Z') });
    if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
    expect(result.site.posts.map((post) => post.title)).toContain(title);
  });

  it('gives a usage error for a missing title', async () => {
    expect(await runCli(['new', 'post'], io())).toBe(2);
    expect(await runCli(['new', 'page', 'x'], io())).toBe(2);
  });
});

describe('slugify', () => {
  it.each([
    ['Hello, Wörld!', 'hello-world'],
    ['  C++ & Rust  ', 'c-rust'],
    ['日本語', 'post'],
    ['Ça va? Très bien', 'ca-va-tres-bien'],
  ])('%s → %s', (title, slug) => {
    expect(slugify(title)).toBe(slug);
  });
});

describe('broadsheet init: where broadsheet comes from, and the install', () => {
  it('depends on broadsheet from where the running one came from (here: this checkout)', async () => {
    expect(await runCli(['init', 'x', '--no-install'], io())).toBe(0);
    const manifest = JSON.parse(await readFile(path.join(work, 'x/package.json'), 'utf8'));
    const repo = path.resolve(import.meta.dirname, '../..');
    expect(manifest.devDependencies).toEqual({ broadsheet: `file:${repo}` });
    expect(stdout).toContain(`Created a broadsheet site in x (broadsheet file:${repo})`);
    expect(stdout).toContain('Next:\n  cd x\n  npm install\n  npm run build   # writes public/\n');
  });

  it('says what to run with the package manager given by --pm, or the one that ran it', async () => {
    expect(await runCli(['init', 'x', '--no-install', '--pm', 'pnpm'], io())).toBe(0);
    expect(stdout).toContain('  pnpm install\n  pnpm build');
    stdout = '';
    const yarn = { ...io(), env: { npm_config_user_agent: 'yarn/1.22.22 npm/? node/v20.19.0 linux x64' } };
    expect(await runCli(['init', 'y', '--no-install'], yarn)).toBe(0);
    expect(stdout).toContain('  yarn install\n  yarn build');
    expect(await runCli(['init', 'z', '--pm', 'cargo'], io())).toBe(2);
    expect(stderr).toContain('--pm must be one of npm, pnpm, yarn, bun');
  });

  it('installs with the package manager and reports a failed install without losing the site', async () => {
    // A package manager that fails: `npm` on a PATH of our own.
    const bin = path.join(work, 'bin');
    await mkdir(bin);
    await writeFile(path.join(bin, 'npm'), '#!/bin/sh\necho "fake npm $*"\nexit 3\n', { mode: 0o755 });
    const saved = process.env.PATH;
    process.env.PATH = `${bin}${path.delimiter}${saved}`;
    try {
      expect(await runCli(['init', 'x'], io())).toBe(1);
    } finally {
      process.env.PATH = saved;
    }
    expect(stdout).toContain('Installing its dependencies with npm install');
    expect(stderr).toContain('npm install failed (exit 3); the site is written: run `npm install` in x');
    expect((await readdir(path.join(work, 'x'))).sort()).toEqual([
      '.gitignore',
      'broadsheet.config.ts',
      'content',
      'package.json',
    ]);
  });
});

describe('installSpec', () => {
  async function installedIn(resolved: string | undefined): Promise<string> {
    const project = path.join(work, 'project');
    const root = path.join(project, 'node_modules', 'broadsheet');
    await mkdir(root, { recursive: true });
    const packages = resolved === undefined ? {} : { 'node_modules/broadsheet': { resolved } };
    await writeFile(path.join(project, 'node_modules/.package-lock.json'), JSON.stringify({ packages }));
    return root;
  }

  it('gives the tarball, folder or git URL npm installed it from, and the range for the registry', async () => {
    const project = path.join(work, 'project');
    expect(installSpec(await installedIn('file:../broadsheet-0.1.0.tgz'), '0.1.0')).toBe(
      `file:${path.join(work, 'broadsheet-0.1.0.tgz')}`,
    );
    expect(installSpec(await installedIn('file:/opt/broadsheet'), '0.1.0')).toBe('file:/opt/broadsheet');
    expect(installSpec(await installedIn('git+ssh://git@github.com/o/broadsheet.git#abc'), '0.1.0')).toBe(
      'git+ssh://git@github.com/o/broadsheet.git#abc',
    );
    expect(
      installSpec(await installedIn('https://registry.npmjs.org/broadsheet/-/broadsheet-0.2.0.tgz'), '0.2.0'),
    ).toBe('^0.2.0');
    expect(installSpec(await installedIn(undefined), '0.2.0')).toBe('^0.2.0');
    expect(installSpec(path.join(project, 'elsewhere'), '0.2.0')).toBe(
      `file:${path.join(project, 'elsewhere')}`,
    );
    expect(installSpec(undefined, '0.2.0')).toBe('^0.2.0');
  });

  it('reads the package manager from the user agent', () => {
    expect(packageManagerFromAgent('pnpm/9.1.0 npm/? node/v20.19.0 linux x64')).toBe('pnpm');
    expect(packageManagerFromAgent('bun/1.1.0 npm/? node/v22.0.0 linux x64')).toBe('bun');
    expect(packageManagerFromAgent('npm/11.0.0 node/v20.19.0 linux x64 workspaces/false')).toBe('npm');
    expect(packageManagerFromAgent(undefined)).toBe('npm');
  });
});
