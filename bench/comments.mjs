// `npm run bench:comments`: the comment intake on loopback. A node:http server (toNodeListener) runs
// createCommentHandler with the filesystem store (every accepted comment written and fsynced, file
// and folder) in a temporary folder; N clients post valid JSON comments as fast as they are answered.
// Records submissions per second and latency percentiles, and rewrites its part of
// docs/benchmarks.md (between the comments markers; the rest is kept).
//
// BENCH_COMMENTS (default 2000) submissions, BENCH_CONCURRENCY (default 32) clients, BENCH_DIR as for
// `npm run bench`.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const COMMENTS_START = '<!-- comments: written by `npm run bench:comments` -->';
export const COMMENTS_END = '<!-- /comments -->';

const repositoryRoot = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const documentPath = path.join(repositoryRoot, 'docs/benchmarks.md');
const total = Number(process.env.BENCH_COMMENTS ?? 2000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);

/** The `q` quantile (0–1) of sorted numbers, nearest rank. */
function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

/** Posts `count` comments with `clients` concurrent clients; returns throughput and latencies. */
async function measure(endpoint, count, clients, label) {
  let next = 0;
  const latencies = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < count) {
        const index = next++;
        const body = JSON.stringify({
          post: 'hello',
          name: `Reader ${index}`,
          email: `r${index}@example.com`,
          body: `${label} comment ${index}: *thanks* for the [post](https://example.com/).\n\nA second paragraph.`,
        });
        const sent = performance.now();
        const response = await fetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        await response.arrayBuffer();
        if (response.status !== 201) throw new Error(`answered ${response.status}`);
        latencies.push(performance.now() - sent);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    count,
    clients,
    seconds,
    perSecond: count / seconds,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    max: latencies.at(-1),
  };
}

async function run() {
  const library = await import(pathToFileURL(path.join(repositoryRoot, 'dist/index.js')).href);
  const comments = await import(pathToFileURL(path.join(repositoryRoot, 'dist/comments.js')).href);
  const folder = await mkdtemp(path.join(process.env.BENCH_DIR ?? os.tmpdir(), 'broadsheet-bench-comments-'));
  const loadAverage = os.loadavg()[0];
  const rows = [];
  try {
    const commentsFolder = path.join(folder, 'content/comments');
    const handler = comments.createCommentHandler({
      config: {
        site: { url: 'https://example.com/' },
        comments: { endpoint: '/comments', rateLimit: false },
      },
      store: library.createFileCommentStore({ folder: commentsFolder }),
      posts: comments.postsFromList([
        { slug: 'hello', url: 'https://example.com/posts/hello/', open: true, approvedCommentIds: [] },
      ]),
    });
    const server = createServer(library.toNodeListener(handler));
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${server.address().port}/comments`;
    await measure(endpoint, 100, 8, 'warm-up');
    for (const clients of [1, concurrency]) {
      const row = await measure(
        endpoint,
        clients === 1 ? Math.min(total, 500) : total,
        clients,
        `c${clients}`,
      );
      rows.push(row);
      console.log(
        `${clients} client(s): ${row.perSecond.toFixed(0)} submissions/s, p50 ${row.p50.toFixed(2)} ms, p99 ${row.p99.toFixed(2)} ms`,
      );
    }
    server.close();
    server.closeAllConnections();
    const written = (await readdir(path.join(commentsFolder, 'hello'))).length;
    const expected = 100 + rows.reduce((sum, row) => sum + row.count, 0);
    if (written !== expected) throw new Error(`${written} files written, ${expected} expected`);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
  const cpu = os.cpus()[0]?.model ?? 'unknown';
  const part = [
    COMMENTS_START,
    '## Comment intake',
    '',
    'Written by `npm run bench:comments` (bench/comments.mjs). `createCommentHandler` with the',
    'filesystem store behind `node:http` (`toNodeListener`) on loopback, in the bench folder: each',
    'accepted comment is written, then the file and its folder are fsynced before the `201` goes out.',
    'The clients (in the same process) post valid JSON comments of about 120 bytes, each sending the',
    'next when its answer arrives. The machine is shared with other work, so figures vary run to run.',
    '',
    `- Machine: ${cpu}, ${os.cpus().length} cores, Node.js ${process.version}; load average (1 min) at the start: ${loadAverage.toFixed(2)}`,
    `- Bench folder: ${process.env.BENCH_DIR ?? os.tmpdir()}`,
    '',
    '| clients | submissions | submissions/s | p50 | p99 | max |',
    '|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (row) =>
        `| ${row.clients} | ${row.count.toLocaleString('en')} | ${row.perSecond.toFixed(0)} | ${row.p50.toFixed(2)} ms | ${row.p99.toFixed(2)} ms | ${row.max.toFixed(2)} ms |`,
    ),
    COMMENTS_END,
  ].join('\n');
  const previous = await readFile(documentPath, 'utf8').catch(() => '');
  const start = previous.indexOf(COMMENTS_START);
  const end = previous.indexOf(COMMENTS_END);
  const scale = previous.indexOf('<!-- scale:');
  const document =
    start !== -1 && end !== -1
      ? previous.slice(0, start) + part + previous.slice(end + COMMENTS_END.length)
      : scale !== -1
        ? `${previous.slice(0, scale)}${part}\n\n${previous.slice(scale)}`
        : `${previous.trimEnd()}\n\n${part}\n`;
  await writeFile(documentPath, document);
  console.log('wrote docs/benchmarks.md');
}

// Run when executed; bench/run.mjs imports the markers only.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await run();
