// buildSite in this process, sampling process.memoryUsage() at every phase and every 50 ms, for the
// scale benchmark: `node --max-old-space-size=2048 bench/memory-build.mjs ROOT OUT`. Prints JSON.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repositoryRoot = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const { buildSite } = await import(pathToFileURL(path.join(repositoryRoot, 'dist/index.js')).href);
const [root, out] = process.argv.slice(2);
const stages = [];
let peakHeap = 0;
let lastPhase = '';
const sample = () => {
  const { heapUsed } = process.memoryUsage();
  peakHeap = Math.max(peakHeap, heapUsed);
};
const sampler = setInterval(sample, 50);
const started = performance.now();
const result = await buildSite({
  root,
  out,
  future: true,
  onProgress: (progress) => {
    sample();
    if (progress.phase === lastPhase) return;
    lastPhase = progress.phase;
    const { heapUsed, rss } = process.memoryUsage();
    stages.push({ phase: progress.phase, seconds: (performance.now() - started) / 1000, heapUsed, rss });
  },
});
clearInterval(sampler);
sample();
const { heapUsed, rss } = process.memoryUsage();
stages.push({ phase: 'done', seconds: (performance.now() - started) / 1000, heapUsed, rss });
process.stdout.write(
  `${JSON.stringify({ ok: result.ok, files: result.ok ? result.files : 0, stages, peakHeap, maxRss: process.resourceUsage().maxRSS * 1024 })}\n`,
);
