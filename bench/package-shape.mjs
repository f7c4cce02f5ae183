// Start-up and one-render times of built CLIs, for docs/decisions/package-shape.md.
// Usage: node bench/package-shape.mjs NAME=DIR [NAME=DIR…]   (each DIR holds a dist/ and a
// node_modules/ that resolves its dependencies), runs interleaved, medians of RUNS (default 11).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const runs = Number(process.env.RUNS ?? 11);
const builds = process.argv.slice(2).map((arg) => {
  const [name, dir] = arg.split('=');
  return { name, dir: path.resolve(dir) };
});
const site = path.resolve(import.meta.dirname, '..');
const work = mkdtempSync(path.join(tmpdir(), 'broadsheet-shape-'));

/** Wall-clock milliseconds of one run of `node <dir>/dist/cli.js ...args`. */
function time(dir, args, env = {}) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [path.join(dir, 'dist/cli.js'), ...args], {
    env: { ...process.env, ...env },
    stdio: 'ignore',
  });
  if (result.status !== 0) throw new Error(`${dir}: ${args.join(' ')} exited ${result.status}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const cases = {
  '--version': (dir) => time(dir, ['--version']),
  'check, warm cache (1 post)': (dir) =>
    time(dir, ['check', '--root', site], {
      BROADSHEET_CACHE_DIR: path.join(work, `cache-${path.basename(dir)}`),
    }),
  'build --no-cache (1 post: start-up + one render)': (dir) =>
    time(dir, ['build', '--root', site, '--out', path.join(work, `out-${path.basename(dir)}`), '--no-cache']),
};

const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
for (const { dir } of builds) {
  // Fill each build's cache once, so that "warm" is warm.
  time(dir, ['check', '--root', site], {
    BROADSHEET_CACHE_DIR: path.join(work, `cache-${path.basename(dir)}`),
  });
}
const rows = [];
for (const [label, run] of Object.entries(cases)) {
  const samples = Object.fromEntries(builds.map(({ name }) => [name, []]));
  for (let i = 0; i < runs; i++) for (const { name, dir } of builds) samples[name].push(run(dir));
  rows.push(
    `| ${label} | ${builds.map(({ name }) => `${median(samples[name]).toFixed(0)} ms`).join(' | ')} |`,
  );
}
console.log(`| | ${builds.map(({ name }) => name).join(' | ')} |`);
console.log(`| --- | ${builds.map(() => '---').join(' | ')} |`);
for (const row of rows) console.log(row);
console.log(
  `\nnode ${process.version}, load average ${execFileSync('cat', ['/proc/loadavg']).toString().split(' ').slice(0, 3).join(' ')}`,
);
rmSync(work, { recursive: true, force: true });
