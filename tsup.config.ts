import { readFileSync } from 'node:fs';
import { defineConfig, type Options } from 'tsup';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
const define = { __BROADSHEET_VERSION__: JSON.stringify(version) };

// No dependency is bundled: every package the code imports stays an `import` (or `require`) of the
// user's node_modules, listed in package.json `dependencies` (tsup leaves those external), so that
// users share one copy with their other tools and get a dependency's security fix without a
// broadsheet release. Figures and the alternatives: docs/decisions/package-shape.md.
//
// `npm run build:start` (which `npm start` runs) builds only what the CLI runs (the CLI and the render
// worker, ES modules), without declaration files and without the chunk listing: a clone's first
// `npm start` takes seconds. `npm run build:lib` (`npm test`, `prepack`) builds everything.
const startOnly = process.env.npm_lifecycle_event === 'build:start';

// The one exception: the two dependencies this repository patches (patches/, applied by
// patch-package in a clone before it builds) are bundled, so that users run the patched parser
// (docs/decisions/package-shape.md, "The patched parser"). Their own imports stay imports.
const patchedDependencies = [/^micromark$/, /^mdast-util-from-markdown$/];
const common = { silent: startOnly, noExternal: patchedDependencies } satisfies Options;

// The library (ESM and CommonJS) and the CLI are split into chunks, so that what is imported with
// `import()` (the markdown pipeline, the worker pool, each CLI command) is loaded only when it is
// used: a bundle without splitting hoists every `import` (or `require`) of unified & co. to its top.
// See docs/decisions/warm-load.md.
const library: Options[] = [
  {
    // broadsheet/astro shares the library's chunks (it is the library's loadSite and watchSite).
    entry: { index: 'src/index.ts', astro: 'src/astro/index.ts' },
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
    // broadsheet/comments: the comment intake, with no Node built-ins (serverless and edge platforms).
    entry: { comments: 'src/comments/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    target: 'es2022',
    platform: 'neutral',
    splitting: false,
    treeshake: true,
  },
  {
    // The render worker (node:worker_threads). Every entry above and below finds it beside itself in
    // dist/, from the ESM and the CommonJS build alike; it is ESM ("type": "module"). Split like the
    // others: the config loader (zod, yaml) is a chunk a worker loads only for a site with markdown
    // plugins (docs/decisions/render-speed.md, "Round four").
    entry: { 'render-worker': 'src/render/workers/render-worker.ts' },
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    splitting: true,
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
];

/** What the CLI runs: the render worker and the CLI. */
const cliEntries = library.slice(2);

export default defineConfig((startOnly ? cliEntries : library).map((options) => ({ ...options, ...common })));
