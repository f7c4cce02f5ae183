import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
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
// Bundled code carries its licences with it: every package whose files went into dist/ is listed in
// dist/THIRD-PARTY-NOTICES.md with its licence text (rewritten after each build with the union of
// the packages of every build of this config).
const bundledPackages = new Set<string>();
const thirdPartyNotices: NonNullable<Options['esbuildPlugins']>[number] = {
  name: 'third-party-notices',
  setup(build) {
    build.initialOptions.metafile = true;
    build.onEnd((result) => {
      for (const input of Object.keys(result.metafile?.inputs ?? {})) {
        const at = input.lastIndexOf('node_modules/');
        if (at === -1) continue;
        const rest = input.slice(at + 'node_modules/'.length).split('/');
        const name = rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
        bundledPackages.add(input.slice(0, at + 'node_modules/'.length + name.length));
      }
      writeNotices();
    });
  },
};

function writeNotices(): void {
  const sections = [...bundledPackages].sort().map((folder) => {
    const manifest = JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8')) as {
      name: string;
      version: string;
      license?: string;
    };
    const licenceFile = readdirSync(folder).find((name) => /^(licen[cs]e|copying)(\.|$)/i.test(name));
    const text = licenceFile
      ? readFileSync(path.join(folder, licenceFile), 'utf8').trim()
      : '(no licence file)';
    return `## ${manifest.name} ${manifest.version} (${manifest.license ?? 'unknown licence'})\n\n\`\`\`\n${text}\n\`\`\`\n`;
  });
  if (!existsSync('dist')) mkdirSync('dist');
  writeFileSync(
    'dist/THIRD-PARTY-NOTICES.md',
    `# Third-party notices\n\nbroadsheet's dist/ bundles code of these packages, under their licences:\n\n${sections.join('\n')}`,
  );
}

const bundled = { noExternal, esbuildPlugins: [builtinRequireShim, thirdPartyNotices] } satisfies Options;

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
