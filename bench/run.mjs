// `npm run bench`: generates a site of BENCH_N posts (default 4000) into a temporary folder, runs each
// section of SECTIONS in a fresh child process (so that peak RSS is that section's alone), and
// rewrites docs/benchmarks.md. Later sections (feeds, build cold/warm) are one more module in
// bench/sections/ and one more name in SECTIONS.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { generateSite, postCount } from './generate.mjs';

/** The measured sections, in order; each is `bench/sections/<name>.mjs`. */
export const SECTIONS = ['load', 'render'];

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repositoryRoot = path.dirname(benchDir);
const libraryPath = path.join(repositoryRoot, 'dist/index.js');

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
  const posts = postCount();
  // Other processes compete for the cores: the document says how busy the machine was.
  const loadAverage = os.loadavg()[0];
  const root = await mkdtemp(path.join(os.tmpdir(), 'broadsheet-bench-'));
  try {
    const started = performance.now();
    const site = await generateSite(root, posts);
    const generateSeconds = (performance.now() - started) / 1000;
    console.log(
      `generated ${site.posts} posts and ${site.comments} comments in ${generateSeconds.toFixed(1)} s`,
    );
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
    const document = await renderDocument(site, results, loadAverage);
    await writeFile(path.join(repositoryRoot, 'docs/benchmarks.md'), document);
    console.log('wrote docs/benchmarks.md');
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

function rate(result) {
  return Math.round(result.items / result.seconds).toLocaleString('en-US');
}

function megabytes(bytes) {
  return `${Math.round(bytes / 1024 / 1024)} MB`;
}

async function renderDocument(site, results, loadAverage) {
  const { version } = JSON.parse(await readFile(path.join(repositoryRoot, 'package.json'), 'utf8'));
  const cpus = os.cpus();
  const kilobytesOfPosts = Math.round(site.bytes / site.posts / 102.4) / 10;
  const rows = results.map(
    (result) =>
      `| \`${result.name}\` | ${result.description} | ${result.items.toLocaleString('en-US')} ${result.unit} | ${result.seconds.toFixed(2)} s | ${rate(result)} ${result.unit}/s | ${megabytes(result.peakRssBytes)} |`,
  );
  return [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (bench/run.mjs); do not edit by hand. Each section runs in a fresh',
    'Node process, so its peak RSS (`process.resourceUsage().maxRSS`) is its own. Numbers vary from',
    'run to run and machine to machine; no test asserts them.',
    '',
    '## Machine',
    '',
    `- CPU: ${cpus[0]?.model.trim() ?? 'unknown'}`,
    `- Cores: ${cpus.length}`,
    `- Memory: ${Math.round(os.totalmem() / 1024 ** 3)} GB`,
    `- Node.js: ${process.version} (${process.platform} ${process.arch})`,
    `- Load average (1 min) when the run started: ${loadAverage.toFixed(2)}`,
    `- broadsheet: ${version}`,
    '',
    '## Command',
    '',
    '```sh',
    `${process.env.BENCH_N ? `BENCH_N=${process.env.BENCH_N} ` : ''}npm run bench`,
    '```',
    '',
    `The generated site: ${site.posts.toLocaleString('en-US')} posts of about ${kilobytesOfPosts} KB each`,
    '(headings, paragraphs, lists, a fenced code block, a blockquote and links),',
    `${site.comments.toLocaleString('en-US')} threaded comments (3 on every fourth post) and 8 tags.`,
    '',
    '## Results',
    '',
    '| section | what | items | time | rate | peak RSS |',
    '|---|---|---:|---:|---:|---:|',
    ...rows,
    '',
  ].join('\n');
}

if (process.argv[2] === '--section') await runChild();
else await runParent();
