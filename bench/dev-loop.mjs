// `node bench/dev-loop.mjs [N]`: the writing loop's speed. Generates a site of N posts (default
// BENCH_N, else 4000), starts `broadsheet dev` on it (the built CLI, its own cache in the bench
// folder), and times, for a few one-post edits, edit → reloaded page: from the file's write to the
// moment a page would have reloaded (the server's `state` event, the page's hash asked for, the
// page fetched again with the edit in it), as the reload script in a browser does it. Rewrites its
// part of docs/benchmarks.md. BENCH_RUNS edits (default 5); BENCH_DIR as for `npm run bench`.
import { spawn } from 'node:child_process';
import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSite, postCount } from './generate.mjs';

export const DEV_LOOP_START = '<!-- dev-loop: written by `node bench/dev-loop.mjs` -->';
export const DEV_LOOP_END = '<!-- /dev-loop -->';

const repositoryRoot = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const documentPath = path.join(repositoryRoot, 'docs/benchmarks.md');
const cliPath = path.join(repositoryRoot, 'dist/cli.js');

async function main() {
  const posts = postCount(process.argv[2]);
  const runs = Number(process.env.BENCH_RUNS ?? 5);
  const loadAverage = os.loadavg()[0];
  const folder = await mkdtemp(path.join(process.env.BENCH_DIR ?? os.tmpdir(), 'broadsheet-dev-'));
  const root = path.join(folder, 'site');
  let child;
  try {
    const site = await generateSite(root, posts);
    const started = performance.now();
    child = spawn(process.execPath, [cliPath, 'dev', '--root', root, '--port', '0'], {
      env: { ...process.env, BROADSHEET_CACHE_DIR: path.join(folder, 'cache') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const url = await new Promise((resolve, reject) => {
      let stdout = '';
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        const match = /^broadsheet dev: (\S+)$/m.exec(stdout);
        if (match) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`dev exited with ${code}:\n${stderr}`)));
    });
    const firstBuild = (performance.now() - started) / 1000;
    console.log(`first build and watch: ${firstBuild.toFixed(1)} s (${url})`);
    const origin = new URL(url).origin;
    const events = await stateEvents(origin);
    await events.next();

    const folderOfPosts = path.join(root, 'content', 'posts');
    const files = (await readdir(folderOfPosts, { recursive: true })).filter((name) => name.endsWith('.md'));
    const results = [];
    for (let run = 0; run < runs; run++) {
      const file = path.join(folderOfPosts, files[(run * 997) % files.length]);
      const slug = path.basename(file, '.md').replace(/^\d{4}-\d{2}-\d{2}-/, '');
      const page = `${url}posts/${slug}/`;
      const marker = `Edited in run ${run} of the dev-loop bench.`;
      const before = stderr.length;
      const edited = performance.now();
      await appendFile(file, `\n${marker}\n`);
      // As the page's script does: wait for a good build, ask for the page's hash, fetch the page.
      for (;;) {
        const state = await events.next();
        if (!state.ok) throw new Error(`the build failed:\n${stderr}`);
        await fetch(`${origin}/__broadsheet/hash?path=${encodeURIComponent(new URL(page).pathname)}`).then(
          (r) => r.json(),
        );
        const text = await fetch(page).then((response) => response.text());
        if (text.includes(marker)) break;
      }
      const seconds = (performance.now() - edited) / 1000;
      const build = /built [\d,]+ files in (\d+) ms/.exec(stderr.slice(before))?.[1];
      results.push({ seconds, buildMs: build === undefined ? undefined : Number(build) });
      console.log(`edit ${run + 1}: ${(seconds * 1000).toFixed(0)} ms (build ${build} ms)`);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    events.close();
    const sorted = results.map((r) => r.seconds).sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    const ms = (seconds) => `${Math.round(seconds * 1000).toLocaleString('en-US')} ms`;
    const part = [
      DEV_LOOP_START,
      '## Writing loop',
      '',
      '```sh',
      `node bench/dev-loop.mjs ${posts}`,
      '```',
      '',
      `\`broadsheet dev\` on the generated site (${site.posts.toLocaleString('en-US')} posts, ${site.comments.toLocaleString('en-US')} comments),`,
      'its cache in the bench folder. Edit → reloaded page: from appending a sentence to one post to the',
      'moment its page, fetched again as the reload script does it (after the server’s event and the page’s',
      'hash), holds the sentence. The build time is what `dev` printed for that rebuild.',
      `Machine shared with other work: load average ${loadAverage.toFixed(2)} (1 min) at the start, ${os.availableParallelism()} cores, Node.js ${process.version}.`,
      '',
      '| measure | time |',
      '|---|---:|',
      `| first build (cold, preview cache empty) and watch ready | ${firstBuild.toFixed(1)} s |`,
      `| edit → reloaded page, median of ${results.length} one-post edits | ${ms(median)} |`,
      `| each edit (edit → page; build) | ${results.map((r) => `${ms(r.seconds)}; ${r.buildMs ?? '?'} ms`).join(' · ')} |`,
      '| goal (issue 17) | ≤ 300 ms |',
      DEV_LOOP_END,
    ].join('\n');
    const previous = await readFile(documentPath, 'utf8').catch(() => '');
    const start = previous.indexOf(DEV_LOOP_START);
    const end = previous.indexOf(DEV_LOOP_END);
    let document;
    if (start !== -1 && end !== -1) {
      document = previous.slice(0, start) + part + previous.slice(end + DEV_LOOP_END.length);
    } else {
      const scale = previous.indexOf('<!-- scale:');
      document =
        scale === -1
          ? `${previous.trimEnd()}\n\n${part}\n`
          : `${previous.slice(0, scale)}${part}\n\n${previous.slice(scale)}`;
    }
    await writeFile(documentPath, document);
    console.log(part);
  } finally {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    await rm(folder, { recursive: true, force: true });
  }
}

/** The dev server's `state` events, one at a time. */
async function stateEvents(origin) {
  const controller = new AbortController();
  const response = await fetch(`${origin}/__broadsheet/events`, { signal: controller.signal });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  const queue = [];
  return {
    async next() {
      for (;;) {
        if (queue.length > 0) return queue.shift();
        const { value, done } = await reader.read();
        if (done) throw new Error('the event stream ended');
        buffer += value;
        let end = buffer.indexOf('\n\n');
        while (end !== -1) {
          const data = /^data: (.*)$/m.exec(buffer.slice(0, end))?.[1];
          if (data) queue.push(JSON.parse(data));
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf('\n\n');
        }
      }
    },
    close: () => controller.abort(),
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
