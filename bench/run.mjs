// `npm run bench`: generates a site of BENCH_N posts (default 4000) into a temporary folder, runs each
// section of SECTIONS in a fresh child process (so that peak RSS is that section's alone), then times
// `broadsheet build` cold and warm, Eleventy 3 and Hugo (when installed) on the same posts, and
// rewrites the main part of docs/benchmarks.md: every marked section (`<!-- name: … -->` …
// `<!-- /name -->`, written by the other bench scripts or by hand) is kept verbatim (bench/document.mjs).
//
// `npm run bench -- --scale`: BENCH_N defaults to 100000; times one cold and one warm `broadsheet build`
// under `node --max-old-space-size=2048` with memory by phase, and rewrites the scale part of
// docs/benchmarks.md (everything else is kept). Takes many minutes.
//
// `npm run bench -- --all`: the main run and then the scale run, one after the other in one command, so
// that the goals table shows every goal of issue 19 from one run (the 100,000-post row included) and
// both parts of docs/benchmarks.md are rewritten. Takes the sum of both. BENCH_SCALE_N (default 100000)
// sets the scale run's posts.
//
// `npm run bench -- --quick`: checks that the script works in a minute or two: BENCH_N defaults to 300,
// BENCH_RUNS to 1, no builds on the disk, and the document is printed instead of written.
//
// BENCH_RUNS (default 3) sets how many runs each median is of. BENCH_DIR (default the system's temporary
// folder) is where the site is generated and built. When it is on another file system than the
// temporary folder (BENCH_DIR=/dev/shm: tmpfs), the main run also times one cold build of each tool on
// the temporary folder's disk, so that both the tools and the disk are on record (bench/disk.mjs).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import {
  hugoVersion,
  makeEleventyProject,
  makeHugoProject,
  measureBroadsheet,
  measureEleventy,
  measureHugo,
  measureScaling,
  timed,
} from './compare.mjs';
import { describeFileSystem, fileSystemOf, probeFileCreation } from './disk.mjs';
import { keepSections, mainPartOf } from './document.mjs';
import { DEFAULT_POSTS, generateSite, postCount } from './generate.mjs';

/** The measured sections, in order; each is `bench/sections/<name>.mjs`. */
export const SECTIONS = ['load', 'render', 'feeds', 'threshold'];

/** Hugo's cold time on 4000 posts as issue 7 measured it, for when Hugo is not installed. */
const ISSUE_HUGO_SECONDS = 9.5;

const SCALE_START = '<!-- scale: written by `npm run bench -- --scale` -->';
const SCALE_END = '<!-- /scale -->';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repositoryRoot = path.dirname(benchDir);
const libraryPath = path.join(repositoryRoot, 'dist/index.js');
const documentPath = path.join(repositoryRoot, 'docs/benchmarks.md');
const quick = process.argv.includes('--quick');
const runs = Number(process.env.BENCH_RUNS ?? (quick ? 1 : 3));
/** Runs of each cold build of the scaling table (each is a whole cold build). */
const scalingRuns = Number(process.env.BENCH_SCALING_RUNS ?? 1);

async function runChild() {
  const [, , , name, root, siteJson] = process.argv;
  const section = (await import(pathToFileURL(path.join(benchDir, 'sections', `${name}.mjs`)).href)).default;
  const library = await import(pathToFileURL(libraryPath).href);
  const result = await section.run({ root, library, site: JSON.parse(siteJson) });
  // maxRSS is in kilobytes.
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(
    `${JSON.stringify({ ...result, name, description: section.description, peakRssBytes })}\n`,
  );
}

async function runParent() {
  if (!existsSync(libraryPath)) throw new Error('dist/index.js is missing: run `npm run build:lib` first');
  const all = process.argv.includes('--all');
  if (all) {
    // The main run first: Linux keeps a process's peak RSS across fork and exec, so every child of
    // a bench process that has generated 100,000 posts would report that process's peak as its own.
    // The scale run's figures then fill the main run's goals table.
    const main = await runOnGeneratedSite(postCount(), runMain);
    const scaleResult = await runOnGeneratedSite(Number(process.env.BENCH_SCALE_N ?? SCALE_POSTS), runScale);
    const text = renderMain({ ...main.figures, scale: scaleResult });
    await writeDocument((previous) => keepSections(previous, text, { scale: scaleResult.text }));
    return;
  }
  const scale = process.argv.includes('--scale');
  const posts = process.env.BENCH_N ? postCount() : scale ? SCALE_POSTS : quick ? 300 : postCount();
  const part = await runOnGeneratedSite(posts, scale ? runScale : runMain);
  if (quick) {
    console.log(`\n${part.text}`);
    console.log('--quick: docs/benchmarks.md left as it was');
    return;
  }
  await writeDocument((previous) =>
    scale
      ? keepSections(previous, mainPartOf(previous), { scale: part.text })
      : keepSections(previous, part.text),
  );
}

/** Posts of the scale run (`--scale`, `--all`) unless BENCH_N says otherwise. */
const SCALE_POSTS = 100_000;

/**
 * Generates a site of `posts` posts in a new folder under BENCH_DIR, describes the machine, hands
 * both to `run` and removes the folder afterwards; returns what `run` returns.
 */
async function runOnGeneratedSite(posts, run) {
  // Other processes compete for the cores: the document says how busy the machine was.
  const loadAverage = os.loadavg()[0];
  const folder = await mkdtemp(path.join(process.env.BENCH_DIR ?? os.tmpdir(), 'broadsheet-bench-'));
  const root = path.join(folder, 'site');
  try {
    const started = performance.now();
    const site = await generateSite(root, posts);
    const generateSeconds = (performance.now() - started) / 1000;
    console.log(
      `generated ${site.posts} posts and ${site.comments} comments in ${generateSeconds.toFixed(1)} s`,
    );
    const machine = await describeMachine(loadAverage);
    const fileSystem = fileSystemOf(folder);
    const probe = await probeFileCreation(folder);
    machine.push(describeFileSystem('Bench folder', fileSystem, probe));
    console.log(machine.at(-1));
    return await run(root, folder, site, machine);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** Rewrites docs/benchmarks.md as `update` makes it from the text there now. */
async function writeDocument(update) {
  // Read just before writing: a scale run and a main run may overlap, each keeps the other's part,
  // and every section another script wrote (bench/document.mjs) stays as it was.
  const previous = await readFile(documentPath, 'utf8').catch(() => '');
  await writeFile(documentPath, update(previous));
  console.log('wrote docs/benchmarks.md');
}

async function runMain(root, folder, site, machine) {
  const results = [];
  for (const name of SECTIONS) {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [fileURLToPath(import.meta.url), '--section', name, root, JSON.stringify(site)],
      { maxBuffer: 16 * 1024 * 1024 },
    );
    const result = JSON.parse(stdout.trim().split('\n').at(-1));
    results.push(result);
    console.log(`${name}: ${rate(result)} ${result.unit}/s, peak RSS ${megabytes(result.peakRssBytes)}`);
  }

  console.log('broadsheet build:');
  const broadsheet = await measureBroadsheet(root, { runs, posts: site.posts });
  console.log('eleventy:');
  const eleventyFolder = path.join(folder, 'eleventy');
  await makeEleventyProject(root, eleventyFolder);
  const eleventy = await measureEleventy(eleventyFolder, { runs });
  const hugoInstalled = hugoVersion();
  let hugo;
  if (hugoInstalled) {
    console.log('hugo:');
    const hugoFolder = path.join(folder, 'hugo');
    await makeHugoProject(root, hugoFolder);
    hugo = { ...(await measureHugo(hugoFolder, { runs })), version: hugoInstalled };
  }
  console.log('broadsheet scaling (cold, forced render threads):');
  const scaling = await measureScaling(root, { threads: scalingThreads(), runs: scalingRuns });
  const disk = quick ? undefined : await measureOnDisk(root, folder, site, hugoInstalled);
  const figures = { site, machine, results, broadsheet, eleventy, hugo, disk, scaling };
  return { figures, text: renderMain(figures) };
}

/** The cores of this machine, as Node counts them for its thread pools. */
function coreCount() {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

/** Render thread counts of the scaling table: 1, 2, 4 and one per core (each once, in order). */
function scalingThreads() {
  return [...new Set([1, 2, 4, coreCount()])].sort((a, b) => a - b);
}

/**
 * One cold build of each tool in the system's temporary folder, when the bench folder is on another
 * file system (a tmpfs): what the same builds cost where a user's output usually goes, with the
 * disk's file-creation rate measured just before. `undefined` when both are the same file system.
 */
async function measureOnDisk(root, folder, site, hugoInstalled) {
  const fileSystem = fileSystemOf(os.tmpdir());
  if (fileSystem.mountPoint === fileSystemOf(folder).mountPoint) return undefined;
  const diskFolder = await mkdtemp(path.join(os.tmpdir(), 'broadsheet-bench-disk-'));
  try {
    const diskRoot = path.join(diskFolder, 'site');
    await cp(root, diskRoot, { recursive: true });
    const probe = await probeFileCreation(diskFolder);
    console.log(`on disk: ${describeFileSystem('disk', fileSystem, probe)}`);
    const broadsheet = await measureBroadsheet(diskRoot, {
      runs: 1,
      posts: site.posts,
      only: 'cold',
      log: (line) => console.log(`  disk:${line}`),
    });
    const eleventyFolder = path.join(diskFolder, 'eleventy');
    await makeEleventyProject(diskRoot, eleventyFolder);
    const eleventy = await measureEleventy(eleventyFolder, { runs: 1 });
    let hugo;
    if (hugoInstalled) {
      const hugoFolder = path.join(diskFolder, 'hugo');
      await makeHugoProject(diskRoot, hugoFolder);
      hugo = { ...(await measureHugo(hugoFolder, { runs: 1 })), version: hugoInstalled };
    }
    return { description: describeFileSystem('Disk', fileSystem, probe), broadsheet, eleventy, hugo };
  } finally {
    await rm(diskFolder, { recursive: true, force: true });
  }
}

async function runScale(root, folder, site, machine) {
  const out = path.join(root, 'public');
  const env = { BROADSHEET_CACHE_DIR: path.join(folder, 'cache') };
  const flags = ['--max-old-space-size=2048'];
  const cli = path.join(repositoryRoot, 'dist/cli.js');
  console.log('broadsheet cold (scale)…');
  // --future: the generated posts run six hours apart from 2012, so most of 100,000 are dated ahead.
  const args = [...flags, cli, 'build', '--root', root, '--out', out, '--future'];
  const cold = await timed(process.execPath, args, { env });
  console.log(`  ${cold.seconds.toFixed(1)} s, ${megabytes(cold.peakRssBytes)}`);
  const edited = path.join(root, 'content/posts/2012/2012-01-01-post-0.md');
  await appendFile(edited, '\nEdited for the warm build.\n');
  console.log('broadsheet warm (scale)…');
  const warm = await timed(process.execPath, args, { env });
  console.log(`  ${warm.seconds.toFixed(1)} s, ${megabytes(warm.peakRssBytes)}`);
  console.log('memory by phase (warm, in process)…');
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [...flags, path.join(benchDir, 'memory-build.mjs'), root, out],
    { env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 },
  );
  const memory = JSON.parse(stdout.trim().split('\n').at(-1));
  return { site, cold, warm, text: renderScale({ site, machine, cold, warm, memory }) };
}

/** The bench's settings given in the environment, as a command's prefix (`BENCH_DIR=/dev/shm `). */
function environmentPrefix(names) {
  return names.map((name) => (process.env[name] ? `${name}=${process.env[name]} ` : '')).join('');
}

function rate(result) {
  return Math.round(result.items / result.seconds).toLocaleString('en-US');
}

function megabytes(bytes) {
  return bytes === undefined ? 'n/a' : `${Math.round(bytes / 1024 / 1024)} MB`;
}

function seconds(value) {
  return `${value.toFixed(2)} s`;
}

async function describeMachine(loadAverage) {
  const { version } = JSON.parse(await readFile(path.join(repositoryRoot, 'package.json'), 'utf8'));
  const patches = (await readdir(path.join(repositoryRoot, 'patches'))).filter((name) =>
    name.endsWith('.patch'),
  );
  const cpus = os.cpus();
  return [
    `- CPU: ${cpus[0]?.model.trim() ?? 'unknown'}`,
    `- Cores: ${cpus.length}`,
    `- Memory: ${Math.round(os.totalmem() / 1024 ** 3)} GB`,
    `- Node.js: ${process.version} (${process.platform} ${process.arch})`,
    `- Load average (1 min) when the run started: ${loadAverage.toFixed(2)} (other work on the same cores slows every tool alike)`,
    `- broadsheet: ${version}, this clone's dist/ and node_modules, with ${patches.map((name) => `patches/${name}`).join(' and ')} applied (patch-package, at \`npm install\`), which dist/ bundles, so an install of the package from npm runs them too (docs/decisions/package-shape.md)`,
  ];
}

function describeSite(site) {
  const kilobytesOfPosts = Math.round(site.bytes / site.posts / 102.4) / 10;
  return [
    `The generated site (bench/generate.mjs): ${site.posts.toLocaleString('en-US')} posts of about ${kilobytesOfPosts} KB each`,
    '(headings, paragraphs, lists, a fenced code block, a blockquote and links),',
    `${site.comments.toLocaleString('en-US')} threaded comments (3 on every fourth post) and 8 tags.`,
  ];
}

function goal(met) {
  return met ? '**met**' : '**not met**';
}

function renderMain({ site, machine, results, broadsheet, eleventy, hugo, disk, scaling, scale }) {
  const rows = results.map(
    (result) =>
      `| \`${result.name}\` | ${result.description} | ${result.items.toLocaleString('en-US')} ${result.unit} | ${result.seconds.toFixed(2)} s | ${rate(result)} ${result.unit}/s | ${megabytes(result.peakRssBytes)} |`,
  );
  const threshold = results.find((result) => result.name === 'threshold')?.details ?? [];
  const times = (summary) => summary.times.map((value) => value.toFixed(2)).join(', ');
  const flag = quick ? ' -- --quick' : scale ? ' -- --all' : '';
  const command = `${environmentPrefix(['BENCH_DIR', 'BENCH_N', ...(scale ? ['BENCH_SCALE_N'] : []), 'BENCH_RUNS', 'BENCH_SCALING_RUNS'])}npm run bench${flag}`;
  return [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (bench/run.mjs); do not edit by hand. Each section runs in a fresh',
    'Node process, so its peak RSS (`process.resourceUsage().maxRSS`) is its own; each build is its own',
    'process, timed by wall clock (start-up included) with its peak RSS from GNU time. Numbers vary',
    'from run to run and machine to machine; no test asserts them.',
    '',
    '## Machine',
    '',
    ...machine,
    '',
    '## Command',
    '',
    '```sh',
    command,
    '```',
    '',
    ...describeSite(site),
    '',
    '## Builds side by side',
    '',
    `${runs === 1 ? 'One run' : `Median of ${runs} runs`}, in the bench folder (see Machine). Cold: no cache, no previous output. Warm: the cache and`,
    'the previous output of the run before, after appending a sentence to one post. Eleventy and Hugo',
    'build minimal projects the bench generates from the same post files: a post layout, an index of',
    'every post and an RSS feed (Eleventy: markdown-it, Nunjucks and @11ty/eleventy-plugin-rss; Hugo:',
    'goldmark, Go templates, its built-in RSS and tag pages). broadsheet does more: comments, tags',
    'and tag pages, twelve kinds of feeds, the JSON API and paginated pages.',
    '',
    '| build | median | runs | peak RSS | files written |',
    '|---|---:|---|---:|---:|',
    `| broadsheet cold | ${seconds(broadsheet.cold.seconds)} | ${times(broadsheet.cold)} | ${megabytes(broadsheet.cold.peakRssBytes)} | ${broadsheet.files.toLocaleString('en-US')} |`,
    `| broadsheet warm (one post edited) | ${seconds(broadsheet.warm.seconds)} | ${times(broadsheet.warm)} | ${megabytes(broadsheet.warm.peakRssBytes)} | ${broadsheet.files.toLocaleString('en-US')} |`,
    `| broadsheet CI: render cache kept, no previous output | ${seconds(broadsheet.ci.seconds)} | ${times(broadsheet.ci)} | ${megabytes(broadsheet.ci.peakRssBytes)} | ${broadsheet.files.toLocaleString('en-US')} |`,
    `| broadsheet \`--no-cache\` | ${seconds(broadsheet.noCache.seconds)} | ${times(broadsheet.noCache)} | ${megabytes(broadsheet.noCache.peakRssBytes)} | ${broadsheet.files.toLocaleString('en-US')} |`,
    `| Eleventy ${eleventy.version} cold | ${seconds(eleventy.seconds)} | ${times(eleventy)} | ${megabytes(eleventy.peakRssBytes)} | ${eleventy.files.toLocaleString('en-US')} |`,
    hugo
      ? `| ${hugo.version.split(' ')[0]} ${hugo.version.split(' ')[1] ?? ''} cold | ${seconds(hugo.seconds)} | ${times(hugo)} | ${megabytes(hugo.peakRssBytes)} | ${hugo.files.toLocaleString('en-US')} |`
      : `| Hugo cold (not installed: issue 7's figure) | ${seconds(ISSUE_HUGO_SECONDS)} | — | — | — |`,
    '',
    'The CI line is what a CI job with a restored cache (docs: README, "Continuous integration") does:',
    'the cache of the build before, for the same content, and no `public/`. Nothing is rendered, so it',
    'is also the serial part of a cold build, the time that no number of render threads shortens.',
    '',
    ...renderScaling(scaling, broadsheet),
    ...renderGoals({ site, broadsheet, eleventy, hugo, scaling, scale }),
    'What the profiles show, and why a goal is not met, is in docs/decisions/performance.md.',
    '',
    ...renderDisk(disk),
    '## Sections',
    '',
    '| section | what | items | time | rate | peak RSS |',
    '|---|---|---:|---:|---:|---:|',
    ...rows,
    '',
    '### Worker threads: where they pay off',
    '',
    'loadSite without the cache: the main thread alone, then one and two worker threads forced (the',
    'main thread only waits), start-up included, one run each after a warm-up. By default a build uses',
    "cores − 1 threads and the main thread renders alongside them (so a thread's start-up overlaps",
    'rendering), from `WORKER_THRESHOLD` documents to render (src/render/render-stage.ts).',
    '',
    '| posts | documents | main thread | 1 thread | 2 threads | 2 threads / main |',
    '|---:|---:|---:|---:|---:|---:|',
    ...threshold.map(
      (row) =>
        `| ${row.posts} | ${row.documents} | ${seconds(row.main)} | ${seconds(row.oneThread)} | ${seconds(row.threads)} | ${(row.threads / row.main).toFixed(2)} |`,
    ),
    '',
  ].join('\n');
}

/** The scaling table: cold builds by forced render thread count, beside the default cold build. */
function renderScaling(scaling, broadsheet) {
  const cores = coreCount();
  const one = scaling.find((row) => row.threads === 1)?.seconds;
  return [
    '## Scaling with render threads',
    '',
    `Cold builds with \`BROADSHEET_WORKERS=N\` (N worker threads render; the main thread loads, plans and`,
    `writes), ${scalingRuns === 1 ? 'one run each' : `median of ${scalingRuns} runs each`}, on this machine's ${cores} cores. The default build (first table) uses`,
    'cores − 1 threads (at most 8) with the main thread rendering alongside. Rows past the core count',
    'measure oversubscription, not scaling. The serial part is the CI line above.',
    '',
    '| render threads | cold build | speed-up over 1 thread | peak RSS |',
    '|---:|---:|---:|---:|',
    ...scaling.map(
      (row) =>
        `| ${row.threads}${row.threads === cores ? ' (one per core)' : ''} | ${seconds(row.seconds)} | ${one ? `${(one / row.seconds).toFixed(2)}×` : '—'} | ${megabytes(row.peakRssBytes)} |`,
    ),
    `| default (${Math.max(1, Math.min(cores - 1, 8))} + main thread) | ${seconds(broadsheet.cold.seconds)} | ${one ? `${(one / broadsheet.cold.seconds).toFixed(2)}×` : '—'} | ${megabytes(broadsheet.cold.peakRssBytes)} |`,
    `| serial part (CI line) | ${seconds(broadsheet.ci.seconds)} | | ${megabytes(broadsheet.ci.peakRssBytes)} |`,
    '',
    'What the serial part is: the main thread reads and validates every file (front matter and renders',
    "from the cache), computes each output group's key, takes each group's files from the output store",
    '(what the build before made, by key) and hands them to the file writer thread, then writes the',
    'manifest. In a cold build it makes and hashes every file instead, after rendering. Rendering on',
    'more threads shortens only the rest, so a cold build is never faster than this line; where the',
    'profile puts its time is in docs/decisions/performance.md ("Round two, continued").',
    '',
  ];
}

/** Issue 19's goals, from this run's figures. */
function renderGoals({ site, broadsheet, eleventy, hugo, scaling, scale }) {
  const hugoSeconds = hugo?.seconds ?? ISSUE_HUGO_SECONDS;
  const hugoSource = hugo
    ? 'measured in this run'
    : `issue 7's figure (${ISSUE_HUGO_SECONDS} s): Hugo was not installed`;
  const ratio = (a, b) => `${(a / b).toFixed(2)}× (${seconds(a)} vs ${seconds(b)})`;
  const cores = coreCount();
  const rss =
    broadsheet.cold.peakRssBytes && eleventy.peakRssBytes
      ? broadsheet.cold.peakRssBytes / eleventy.peakRssBytes
      : undefined;
  const allCores = scaling.find((row) => row.threads === cores);
  const sixteen = cores >= 16 ? Math.min(broadsheet.cold.seconds, allCores?.seconds ?? Infinity) : undefined;
  return [
    '## Goals (issue 19)',
    '',
    ...(site.posts === DEFAULT_POSTS
      ? []
      : [
          `The goals are set for ${DEFAULT_POSTS.toLocaleString('en-US')} posts; this run had ${site.posts.toLocaleString('en-US')}, so the verdicts below do not apply.`,
          '',
        ]),
    '| goal | measured | |',
    '|---|---|---|',
    `| cold build ≤ 1.0× Eleventy's cold | ${ratio(broadsheet.cold.seconds, eleventy.seconds)} | ${goal(broadsheet.cold.seconds <= eleventy.seconds)} |`,
    `| warm build after one edit ≤ 0.25× Hugo's cold (${hugoSource}) | ${ratio(broadsheet.warm.seconds, hugoSeconds)} | ${goal(broadsheet.warm.seconds <= 0.25 * hugoSeconds)} |`,
    `| CI build (render cache kept, no previous output) ≤ 0.3× Eleventy's cold | ${ratio(broadsheet.ci.seconds, eleventy.seconds)} | ${goal(broadsheet.ci.seconds <= 0.3 * eleventy.seconds)} |`,
    `| peak RSS of the cold build ≤ Eleventy's | ${rss === undefined ? 'n/a' : `${rss.toFixed(2)}× (${megabytes(broadsheet.cold.peakRssBytes)} vs ${megabytes(eleventy.peakRssBytes)})`} | ${rss === undefined ? 'n/a' : goal(rss <= 1)} |`,
    `| serial part (the CI line: render cache full, outputs absent) ≤ 1.5 s | ${seconds(broadsheet.ci.seconds)} | ${goal(broadsheet.ci.seconds <= 1.5)} |`,
    sixteen === undefined
      ? `| on 16 cores, cold ≤ 0.5× Eleventy's cold | not measurable here: ${cores} cores | — |`
      : `| on 16 cores, cold ≤ 0.5× Eleventy's cold | ${ratio(sixteen, eleventy.seconds)} (${cores} cores) | ${goal(sixteen <= 0.5 * eleventy.seconds)} |`,
    scale
      ? `| ${scale.site.posts.toLocaleString('en-US')} posts: cold and warm within a 2 GB heap, warm ≤ 30 s | cold ${seconds(scale.cold.seconds)}, warm ${seconds(scale.warm.seconds)}, both under \`--max-old-space-size=2048\` (this run's scale section below) | ${goal(scale.warm.seconds <= 30)} |`
      : '| 100,000 posts: cold and warm within a 2 GB heap, warm ≤ 30 s | `npm run bench -- --scale`, its own section below | |',
    '',
  ];
}

/** The cold builds of {@link measureOnDisk}, when they ran. */
function renderDisk(disk) {
  if (!disk) return [];
  const row = (name, result) =>
    `| ${name} | ${seconds(result.seconds)} | ${megabytes(result.peakRssBytes)} | ${result.files.toLocaleString('en-US')} |`;
  return [
    '## Cold builds on the disk',
    '',
    'The same cold builds, one run each, in the system temporary folder, where the file system is:',
    '',
    disk.description,
    '',
    '| build | time | peak RSS | files written |',
    '|---|---:|---:|---:|',
    row('broadsheet cold', { ...disk.broadsheet.cold, files: disk.broadsheet.files }),
    row(`Eleventy ${disk.eleventy.version} cold`, disk.eleventy),
    ...(disk.hugo
      ? [row(`${disk.hugo.version.split(' ')[0]} ${disk.hugo.version.split(' ')[1] ?? ''} cold`, disk.hugo)]
      : []),
    '',
    'broadsheet writes five times the files of the others (SPEC §4 gives every post a page, an API',
    'document and three comment feeds), so a disk that is slow to create files slows it five times as',
    'much; compare the probe figure above with the bench folder’s.',
    '',
  ];
}

function renderScale({ site, machine, cold, warm, memory }) {
  const command = process.argv.includes('--all')
    ? `${environmentPrefix(['BENCH_DIR', 'BENCH_N', 'BENCH_SCALE_N', 'BENCH_RUNS', 'BENCH_SCALING_RUNS'])}npm run bench -- --all`
    : `${environmentPrefix(['BENCH_DIR', 'BENCH_N'])}npm run bench -- --scale`;
  return [
    SCALE_START,
    '## Scale: a large site within a 2 GB heap',
    '',
    ...machine,
    '',
    '```sh',
    command,
    '```',
    '',
    ...describeSite(site),
    '',
    'One run each, `node --max-old-space-size=2048 dist/cli.js build --future` (every post published;',
    'a build that needed more heap would fail with an out-of-memory error instead of finishing).',
    '',
    '| build | time | peak RSS |',
    '|---|---:|---:|',
    `| cold | ${seconds(cold.seconds)} | ${megabytes(cold.peakRssBytes)} |`,
    `| warm (one post edited) | ${seconds(warm.seconds)} | ${megabytes(warm.peakRssBytes)} |`,
    '',
    '| goal (issue 19) | measured | |',
    '|---|---|---|',
    '| cold and warm within a 2 GB heap | both finished under `--max-old-space-size=2048` | **met** |',
    `| warm build ≤ 30 s | ${seconds(warm.seconds)} | ${goal(warm.seconds <= 30)} |`,
    '',
    `Memory by phase of a warm build in one process (bench/memory-build.mjs): peak heap ${megabytes(memory.peakHeap)}, peak RSS ${megabytes(memory.maxRss)}, ${memory.files.toLocaleString('en-US')} files.`,
    '',
    '| phase starts | at | heap used | RSS |',
    '|---|---:|---:|---:|',
    ...memory.stages.map(
      (stage) =>
        `| ${stage.phase} | ${seconds(stage.seconds)} | ${megabytes(stage.heapUsed)} | ${megabytes(stage.rss)} |`,
    ),
    SCALE_END,
  ].join('\n');
}

if (process.argv[2] === '--section') await runChild();
else await runParent();
