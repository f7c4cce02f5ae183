import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
const define = { __BROADSHEET_VERSION__: JSON.stringify(version) };

// The library (ESM and CommonJS) and the CLI are split into chunks, so that what is imported with
// `import()` (the markdown pipeline, the worker pool, each CLI command) is loaded only when it is
// used: a bundle without splitting hoists every `import` (or `require`) of unified & co. to its top.
// See docs/decisions/warm-load.md.
export default defineConfig([
  {
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: false,
    target: 'node20',
    platform: 'node',
    splitting: true,
    treeshake: true,
    define,
  },
  {
    entry: { client: 'src/client/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    target: 'es2022',
    platform: 'browser',
    splitting: false,
    treeshake: true,
  },
  {
    // The render worker (node:worker_threads). Every entry above and below finds it beside itself in
    // dist/, from the ESM and the CommonJS build alike; it is ESM ("type": "module").
    entry: { 'render-worker': 'src/build/workers/render-worker.ts' },
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    splitting: false,
    define,
  },
  {
    entry: { cli: 'src/cli/bin.ts' },
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    banner: { js: '#!/usr/bin/env node' },
    splitting: true,
    define,
  },
]);
