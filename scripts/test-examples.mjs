#!/usr/bin/env node
// Builds every example in examples/ against the PACKED package, the way a user gets it from npm:
// `npm pack` → a copy of each example in a temporary folder → `npm install` of the tarball and the
// example's own dependencies → the example's build, and checks of what it produced.
//
//   node scripts/test-examples.mjs [name ...] [--keep]
//
// With names, only those examples run. --keep leaves the temporary folder in place for a look.
// The package is built first (`npm run build:lib`) when dist/ is missing or older than src/.
// Prints one line per example and step, the output of a failed step, and last `N passed, N failed`;
// exits 1 when any example failed.
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const examplesRoot = path.join(repo, 'examples');
const MINUTE = 60_000;

/** Files a copy of an example leaves out: what an install or a build makes. */
const GENERATED = new Set([
  'node_modules',
  'package-lock.json',
  'dist',
  'public',
  'out',
  '.next',
  '.astro',
  'next-env.d.ts',
]);

/** The checks of each example, run in its installed copy. Each throws an Error to fail. */
const EXAMPLES = {
  'node-script': async (dir) => {
    await step('tsc', dir, 'npm', ['run', 'build']);
    const { stdout } = await step('node dist/src/list-posts.js', dir, 'node', ['dist/src/list-posts.js']);
    expectAll('the printed posts', stdout, await postTitles(dir));
    await step('broadsheet check', dir, 'npx', ['--no-install', 'broadsheet', 'check']);
  },

  'themed-blog': async (dir) => {
    await step('broadsheet build', dir, 'npx', ['--no-install', 'broadsheet', 'build']);
    const post = await readFile(path.join(dir, 'public/posts/first-crossing/index.html'), 'utf8');
    const about = await readFile(path.join(dir, 'public/about/index.html'), 'utf8');
    const css = await readFile(path.join(dir, 'theme/ferry.css'), 'utf8');
    expectAll('the post page', post, [
      css.trim(),
      '<meta name="theme-color" content="#10202e">',
      '<p class="ferry-banner">1-minute crossing</p>',
      '<h1>The first crossing</h1>',
    ]);
    if (post.includes('max-width:40rem')) throw new Error('the default stylesheet was not replaced');
    expectAll('the about page', about, [
      '<section class="ferry-card">\n<h1>About the ferry</h1>',
      'About the ferry</a>',
    ]);
  },

  'comment-server': async (dir) => {
    await step('broadsheet build', dir, 'npm', ['run', 'build']);
    const page = await readFile(path.join(dir, 'public/posts/welcome/index.html'), 'utf8');
    if (!page.includes('<form class="comment-form" method="post" action="/comments">'))
      throw new Error('the post page has no comment form');
    // Both deployments: the `export default { fetch }` module through that interface, server.mjs over HTTP.
    await step('node test-drive.mjs', dir, 'node', ['test-drive.mjs']);
    await step('broadsheet check (the stored comment is valid)', dir, 'npx', [
      '--no-install',
      'broadsheet',
      'check',
    ]);
  },

  'vite-client': async (dir) => {
    await step('broadsheet build, tsc, vite build', dir, 'npm', ['run', 'build']);
    for (const file of ['dist/index.html', 'dist/blog/api/posts.json', 'dist/blog/index.html']) {
      if (!existsSync(path.join(dir, file))) throw new Error(`${file} was not built`);
    }
    const assets = path.join(dir, 'dist', 'assets');
    for (const name of await readdir(assets)) {
      if (!name.endsWith('.js')) continue;
      const code = await readFile(path.join(assets, name), 'utf8');
      if (/\bfrom\s*["']node:|require\(["']node:/.test(code))
        throw new Error(`dist/assets/${name} imports a Node built-in`);
    }
    // Read the built API back through the packed client, as the page does in a browser.
    const { stdout } = await step('broadsheet/client reads dist/blog/api', dir, 'node', [
      '--input-type=module',
      '-e',
      CLIENT_READER,
    ]);
    const titles = JSON.parse(stdout);
    const expected = await postTitles(dir);
    if (JSON.stringify([...titles].sort()) !== JSON.stringify([...expected].sort())) {
      throw new Error(`the client listed ${JSON.stringify(titles)}, expected ${JSON.stringify(expected)}`);
    }
  },

  nextjs: async (dir) => {
    await step('next build', dir, 'npm', ['run', 'build']);
    const html = await readFile(path.join(dir, 'out', 'index.html'), 'utf8').catch(() => {
      throw new Error('next build did not export out/index.html');
    });
    expectAll('out/index.html', html, await postTitles(dir), escapeHtmlVariants);
    for (const slug of await postSlugs(dir)) {
      if (!existsSync(path.join(dir, 'out', 'posts', slug, 'index.html')))
        throw new Error(`out/posts/${slug}/index.html was not exported`);
    }
    const atom = await readFile(path.join(dir, 'out', 'atom.xml'), 'utf8').catch(() => '');
    if (!atom.startsWith('<?xml') || !atom.includes('<feed'))
      throw new Error('out/atom.xml is not an Atom feed');
    await expectEditShownInDev(dir, 'next dev', (port) => [
      'next',
      'dev',
      '--port',
      port,
      '--hostname',
      '127.0.0.1',
    ]);
  },

  astro: async (dir) => {
    await step('astro build', dir, 'npm', ['run', 'build']);
    const html = await readFile(path.join(dir, 'dist', 'index.html'), 'utf8').catch(() => {
      throw new Error('astro build did not write dist/index.html');
    });
    const titles = await postTitles(dir);
    expectAll('dist/index.html', html, titles, escapeHtmlVariants);
    for (const slug of await postSlugs(dir)) {
      if (!existsSync(path.join(dir, 'dist', 'posts', slug, 'index.html')))
        throw new Error(`dist/posts/${slug}/index.html was not built`);
    }
    await expectEditShownInDev(dir, 'astro dev', (port) => [
      'astro',
      'dev',
      '--port',
      port,
      '--host',
      '127.0.0.1',
    ]);
  },

  'github-action': async (dir) => {
    const workflowFile = path.join(dir, '.github', 'workflows', 'content.yml');
    const workflow = parseYaml(await readFile(workflowFile, 'utf8'));
    const steps = Object.values(workflow?.jobs ?? {}).flatMap((job) => job.steps ?? []);
    const uses = steps.map((s) => s.uses ?? '').filter(Boolean);
    for (const action of [
      'actions/checkout@',
      'actions/setup-node@',
      'actions/cache@',
      'actions/upload-pages-artifact@',
      'actions/deploy-pages@',
    ]) {
      if (!uses.some((u) => u.startsWith(action))) throw new Error(`the workflow does not use ${action}…`);
    }
    const cache = steps.find((s) => s.uses?.startsWith('actions/cache@'));
    if (
      cache?.with?.path !== 'node_modules/.cache/broadsheet' ||
      !/package-lock\.json/.test(cache.with.key ?? '')
    )
      throw new Error('the workflow does not keep the render cache with actions/cache keyed on the lockfile');
    if (steps.indexOf(cache) < steps.findIndex((s) => /\bnpm ci\b/.test(s.run ?? '')))
      throw new Error('the render cache is restored before `npm ci`, which empties node_modules');
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-pages-artifact@'));
    if (upload?.with?.path !== 'public') throw new Error('upload-pages-artifact does not upload public/');
    const commands = steps.map((s) => s.run ?? '').filter((run) => /\bbroadsheet\b/.test(run));
    const check = commands.find((run) => /\bbroadsheet check\b/.test(run));
    const build = commands.find((run) => /\bbroadsheet build\b/.test(run));
    if (!check || !build)
      throw new Error('the workflow has no `npx broadsheet check` or no `npx broadsheet build` step');

    const env = { GITHUB_ACTIONS: 'true', CI: 'true' };
    const checked = await step(`workflow: ${oneLine(check)}`, dir, 'bash', ['-eo', 'pipefail', '-c', check], {
      env,
    });
    const output = checked.stdout + checked.stderr;
    if (!/^::warning file=[^,]+,line=\d+,col=\d+::/m.test(output))
      throw new Error(`check printed no ::warning annotation:\n${output}`);
    if (/^::error/m.test(output) || / error [a-z-]+: /.test(output))
      throw new Error(`check printed errors:\n${output}`);

    await step(`workflow: ${oneLine(build)}`, dir, 'bash', ['-eo', 'pipefail', '-c', build], { env });
    // The folder the workflow's actions/cache step keeps is where the build put its render cache.
    const cacheFolder = path.join(dir, 'node_modules/.cache/broadsheet');
    if (!existsSync(cacheFolder) || (await readdir(cacheFolder)).length === 0)
      throw new Error('the build left no render cache in node_modules/.cache/broadsheet');
    for (const file of ['public/index.html', 'public/atom.xml', 'public/api/posts.json']) {
      if (!existsSync(path.join(dir, file))) throw new Error(`${file} was not built`);
    }
  },
};

// Run inside the vite-client copy: a fetch that serves dist/blog/ for https://example.com/blog/.
const CLIENT_READER = `
import { readFile } from 'node:fs/promises';
import { createClient } from 'broadsheet/client';
const base = 'https://example.com/blog/';
const fetchFromDist = async (url) => {
  const file = 'dist/blog/' + new URL(url).pathname.slice('/blog/'.length);
  try {
    return new Response(await readFile(file), { headers: { 'content-type': 'application/json' } });
  } catch {
    return new Response('not found', { status: 404 });
  }
};
const client = createClient({ baseUrl: base, fetch: fetchFromDist });
const titles = [];
for (let page = 1; page !== null; ) {
  const result = await client.posts.list({ page });
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  titles.push(...result.data.posts.map((post) => post.title));
  page = result.data.meta.pagination.next;
}
const missing = await client.posts.get('no-such-post');
if (missing.ok || missing.error.kind !== 'not-found') throw new Error('a missing post is not a not-found result');
console.log(JSON.stringify(titles));
`;

// ---------------------------------------------------------------------------------------------

const args = process.argv.slice(2);
const keep = args.includes('--keep');
const wanted = args.filter((arg) => !arg.startsWith('--'));
const available = (await readdir(examplesRoot, { withFileTypes: true }))
  .filter((entry) => entry.isDirectory() && existsSync(path.join(examplesRoot, entry.name, 'package.json')))
  .map((entry) => entry.name)
  .sort();
for (const name of [...wanted, ...available]) {
  if (!available.includes(name)) fail(`no example "${name}" in examples/ (have: ${available.join(', ')})`);
  if (!EXAMPLES[name]) fail(`examples/${name} has no checks in scripts/test-examples.mjs`);
}
const selected = wanted.length > 0 ? wanted : available;
let work;

/** Process groups of the steps running now: stopped with this script (Ctrl-C, a CI timeout). */
const running = new Set();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const pid of running) killGroup(pid);
    if (work && !keep) rmSync(work, { recursive: true, force: true });
    process.exit(130);
  });
}

function killGroup(pid) {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {}
}

work = await mkdtemp(path.join(tmpdir(), 'broadsheet-examples-'));
let passed = 0;
let failed = 0;
try {
  await ensureBuilt();
  const tarball = await pack(work);
  log(`packed ${path.basename(tarball)}`);
  for (const name of selected) {
    log(`\n▶ ${name}`);
    const started = Date.now();
    try {
      const dir = await prepare(name, tarball, work);
      await EXAMPLES[name](dir);
      passed += 1;
      log(`✔ ${name} (${seconds(started)})`);
    } catch (error) {
      failed += 1;
      log(`✘ ${name} (${seconds(started)}): ${error instanceof Error ? error.message : String(error)}`);
    }
  }
} catch (error) {
  failed += 1;
  log(`✘ could not pack broadsheet: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  if (keep) log(`\nkept ${work}`);
  else await rm(work, { recursive: true, force: true });
}
log(`\n${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;

// ---------------------------------------------------------------------------------------------

/** Builds the package unless dist/ is complete and newer than everything it is built from. */
async function ensureBuilt() {
  const outputs = [
    'index.js',
    'index.cjs',
    'index.d.ts',
    'index.d.cts',
    'client.js',
    'client.d.ts',
    'cli.js',
  ].map((f) => path.join(repo, 'dist', f));
  const inputs = [
    ...(await filesUnder(path.join(repo, 'src'))),
    path.join(repo, 'package.json'),
    path.join(repo, 'tsup.config.ts'),
  ];
  const oldestOutput = Math.min(...(await Promise.all(outputs.map((f) => mtime(f)))));
  const newestInput = Math.max(...(await Promise.all(inputs.map((f) => mtime(f)))));
  if (oldestOutput > newestInput) return;
  await step('npm run build:lib (dist/ is missing or older than src/)', repo, 'npm', ['run', 'build:lib']);
}

/** `npm pack` into `work`; returns the tarball's path. */
async function pack(work) {
  // dist/ is built (ensureBuilt); without `--ignore-scripts`, prepack would build it again and its
  // output would come before the JSON on stdout.
  const args = ['pack', '--json', '--ignore-scripts', '--pack-destination', work];
  const { stdout } = await step('npm pack', repo, 'npm', args, {
    quiet: true,
  });
  const [packed] = JSON.parse(stdout);
  return path.join(work, packed.filename);
}

/** Copies an example into `work` and installs the tarball and its dependencies there. */
async function prepare(name, tarball, work) {
  const dir = path.join(work, name);
  await cp(path.join(examplesRoot, name), dir, {
    recursive: true,
    filter: (source) => !GENERATED.has(path.basename(source)),
  });
  const manifestFile = path.join(dir, 'package.json');
  const manifest = JSON.parse(await readFile(manifestFile, 'utf8'));
  const field = ['dependencies', 'devDependencies'].find((f) => manifest[f]?.broadsheet);
  if (!field) throw new Error(`examples/${name}/package.json does not depend on broadsheet`);
  // The example names a version, as a user's project does; here it gets the packed tarball instead.
  manifest[field].broadsheet = `file:${tarball}`;
  await writeFile(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  await step('npm install (the tarball and the example’s dependencies)', dir, 'npm', [
    'install',
    '--no-audit',
    '--no-fund',
  ]);
  const installed = JSON.parse(
    await readFile(path.join(dir, 'node_modules', 'broadsheet', 'package.json'), 'utf8'),
  );
  const source = JSON.parse(await readFile(path.join(repo, 'package.json'), 'utf8'));
  if (installed.version !== source.version)
    throw new Error(`installed broadsheet ${installed.version}, expected ${source.version}`);
  if (existsSync(path.join(dir, 'node_modules', 'broadsheet', 'src')))
    throw new Error('the installed package holds src/: not the packed files');
  return dir;
}

/** Runs one step; resolves with its output, or throws with the end of it when it fails. */
async function step(
  label,
  cwd,
  command,
  commandArgs,
  { env = {}, quiet = false, timeout = 10 * MINUTE } = {},
) {
  if (!quiet) log(`  · ${label}`);
  const result = await run(command, commandArgs, { cwd, env, timeout });
  if (result.code !== 0) {
    const output = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-60).join('\n');
    throw new Error(
      `${label} failed (${result.timedOut ? 'timed out' : `exit ${result.code}`}):\n${indent(output)}`,
    );
  }
  return result;
}

function run(command, commandArgs, { cwd, env, timeout }) {
  return new Promise((resolve) => {
    // Its own process group, so that a timeout stops the whole tree (npm → next → workers).
    const child = spawn(command, commandArgs, {
      cwd,
      env: { ...cleanEnv(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    running.add(child.pid);
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeout);
    child.on('error', (error) => {
      clearTimeout(timer);
      running.delete(child.pid);
      resolve({ code: 1, stdout, stderr: `${stderr}${error.message}`, timedOut });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      running.delete(child.pid);
      resolve({ code: code ?? 1, stdout, stderr, timedOut });
    });
  });
}

/**
 * The environment without what `npm run` adds for this repository (npm_*, INIT_CWD), so that the
 * examples' own npm commands see their own package; telemetry off, no colours, no prompts.
 */
function cleanEnv() {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) && key !== 'INIT_CWD'),
  );
  delete env.GITHUB_ACTIONS;
  return {
    ...env,
    NEXT_TELEMETRY_DISABLED: '1',
    ASTRO_TELEMETRY_DISABLED: '1',
    NO_COLOR: '1',
    FORCE_COLOR: '0',
    npm_config_update_notifier: 'false',
  };
}

/**
 * Starts a framework's dev server in the example, opens a post's page, edits the post's title in
 * its file, and expects the page to show the new title on refresh, without a restart (the examples
 * use broadsheet's watchSite in development).
 */
async function expectEditShownInDev(dir, label, argsFor) {
  log(`  · ${label}: an edited post shows on refresh`);
  const port = String(await freePort());
  const [post] = await posts(dir);
  const url = `http://127.0.0.1:${port}/posts/${post.slug}/`;
  const child = spawn('npx', ['--no-install', ...argsFor(port)], {
    cwd: dir,
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  running.add(child.pid);
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const page = async (check, timeout) => {
    const started = Date.now();
    let last = '';
    while (Date.now() - started < timeout) {
      if (child.exitCode !== null) break;
      const text = await fetch(url).then(
        (response) => (response.ok ? response.text() : `${response.status}`),
        (error) => String(error),
      );
      if (check(text)) return;
      last = text.slice(0, 200);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(
      `${label}: ${url} never showed what was expected; last answer: ${last}\n${indent(output.slice(-3000))}`,
    );
  };
  try {
    await page((text) => escapeHtmlVariants(post.title).some((v) => text.includes(v)), 4 * MINUTE);
    const edited = `Edited while ${label} runs`;
    const source = await readFile(post.file, 'utf8');
    await writeFile(post.file, source.replace(/^title: .*$/m, `title: ${edited}`));
    await page((text) => text.includes(edited), MINUTE);
  } finally {
    killGroup(child.pid);
    running.delete(child.pid);
  }
}

/** A port that was free a moment ago on 127.0.0.1. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The titles of an example's posts that are published (not drafts), from their front matter. */
async function postTitles(dir) {
  return (await posts(dir)).map((post) => post.title);
}

async function postSlugs(dir) {
  return (await posts(dir)).map((post) => post.slug);
}

async function posts(dir) {
  const files = (await filesUnder(path.join(dir, 'content', 'posts'))).filter((f) => f.endsWith('.md'));
  const found = [];
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    const match = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text);
    if (!match) throw new Error(`${path.relative(dir, file)} has no front matter`);
    const data = parseYaml(match[1]);
    if (data.draft === true) continue;
    const slug = data.slug ?? path.basename(file, '.md').replace(/^\d{4}-\d{2}-\d{2}-/, '');
    found.push({ title: data.title, slug, file });
  }
  if (found.length === 0) throw new Error('the example has no posts');
  return found;
}

/** Fails unless `text` contains every string (or, with `variants`, one of its variants). */
function expectAll(what, text, strings, variants = (s) => [s]) {
  const missing = strings.filter((s) => !variants(s).some((v) => text.includes(v)));
  if (missing.length > 0)
    throw new Error(`${what} lacks ${missing.map((s) => JSON.stringify(s)).join(', ')}`);
}

/** A text as HTML writers escape it (React and Astro escape different sets of characters). */
function escapeHtmlVariants(text) {
  const basic = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return [
    text,
    basic,
    basic.replace(/"/g, '&quot;').replace(/'/g, '&#x27;'),
    basic.replace(/"/g, '&quot;').replace(/'/g, '&#39;'),
  ];
}

async function filesUnder(dir) {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath ?? entry.path, entry.name));
}

async function mtime(file) {
  return stat(file).then(
    (s) => s.mtimeMs,
    () => 0,
  );
}

function oneLine(text) {
  return text.trim().replace(/\s*\n\s*/g, ' ⏎ ');
}

function indent(text) {
  return text.replace(/^/gm, '    ');
}

function seconds(started) {
  return `${((Date.now() - started) / 1000).toFixed(0)}s`;
}

function log(line) {
  process.stdout.write(`${line}\n`);
}

function fail(message) {
  log(message);
  process.exit(2);
}
