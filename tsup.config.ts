import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { defineConfig, type Options } from 'tsup';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
const define = { __BROADSHEET_VERSION__: JSON.stringify(version) };

// Dependencies bundled into dist/ rather than imported from node_modules: the unified stack (about 300
// small modules for one render), yaml (about 70 CommonJS files) and github-slugger. Loading a module
// costs a resolution (package.json lookups) and a compile each; one chunk loads several times faster
// (docs/decisions/warm-load.md, "Bundled dependencies"). zod stays external: users build their schema
// extensions with their own zod, which must be the same instance as ours. jiti stays external: it is
// loaded only for TypeScript configs and requires its own files at run time.
const noExternal = [/^(?!zod(\/|$)|jiti(\/|$))/];

// yaml's CommonJS build calls `require('process')` and `require('buffer')`; bundled into an ES module,
// esbuild turns those into a `require` that throws. The shim takes the same module from node.
const builtinRequireShim: NonNullable<Options['esbuildPlugins']>[number] = {
  name: 'builtin-require-shim',
  setup(build) {
    const builtins = new Set(builtinModules);
    build.onResolve({ filter: /^[a-z_:/]+$/ }, ({ path, kind }) => {
      const name = path.replace(/^node:/, '');
      return kind === 'require-call' && builtins.has(name)
        ? { path: name, namespace: 'builtin-require-shim' }
        : undefined;
    });
    build.onLoad({ filter: /.*/, namespace: 'builtin-require-shim' }, ({ path }) => ({
      contents: `module.exports = process.getBuiltinModule(${JSON.stringify(`node:${path}`)});`,
      loader: 'js',
    }));
  },
};
const bundled = { noExternal, esbuildPlugins: [builtinRequireShim] } satisfies Options;

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
    ...bundled,
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
    ...bundled,
  },
  {
    entry: { cli: 'src/cli/bin.ts' },
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    banner: { js: '#!/usr/bin/env node' },
    splitting: true,
    define,
    ...bundled,
  },
]);
