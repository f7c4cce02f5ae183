// What dist/ (the built package, `npm test` builds it first) takes from other packages
// (docs/decisions/package-shape.md): every dependency is imported from the user's node_modules and
// listed in `dependencies`, except the two packages this repository patches, which are bundled with
// their patches so that an install from npm runs the patched parser.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));
const dist = path.join(repositoryRoot, 'dist');

/** The packages dist/ bundles: exactly the patched ones (patches/). */
const BUNDLED = ['mdast-util-from-markdown', 'micromark'];

/** dist/'s JavaScript and declaration files, by name. */
function distFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of readdirSync(dist)) {
    if (/\.(c?js|d\.c?ts)$/.test(name)) files.set(name, readFileSync(path.join(dist, name), 'utf8'));
  }
  return files;
}

const IMPORT_PATTERNS = [
  /^\s*(?:import|export)\b[^;]*?\bfrom\s*["']([^"']+)["']/gm,
  /^\s*import\s*["']([^"']+)["']/gm,
  /\bimport\(\s*["']([^"']+)["']\s*\)/g,
  /\brequire\(\s*["']([^"']+)["']\s*\)/g,
];

function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** The packages dist/ imports (not Node's built-ins, not its own files). */
function importedPackages(files: Map<string, string>): string[] {
  const packages = new Set<string>();
  for (const text of files.values()) {
    for (const pattern of IMPORT_PATTERNS) {
      for (const [, specifier] of text.matchAll(pattern)) {
        if (specifier!.startsWith('.') || specifier!.startsWith('node:')) continue;
        if (builtinModules.includes(packageOf(specifier!))) continue;
        packages.add(packageOf(specifier!));
      }
    }
  }
  return [...packages].sort();
}

/** The packages whose code is in dist/ (esbuild heads each bundled module with `// node_modules/<path>`). */
function bundledPackages(files: Map<string, string>): Map<string, string[]> {
  const bundled = new Map<string, string[]>();
  for (const [name, text] of files) {
    for (const [, specifier] of text.matchAll(/^\/\/ node_modules\/(\S+)$/gm)) {
      const owner = packageOf(specifier!);
      const holders = bundled.get(owner) ?? [];
      if (!holders.includes(name)) holders.push(name);
      bundled.set(owner, holders);
    }
  }
  return bundled;
}

describe('dist/ and its dependencies', () => {
  const files = distFiles();

  it('lists in `dependencies` exactly the packages dist/ imports', () => {
    const manifest = JSON.parse(readFileSync(path.join(repositoryRoot, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(importedPackages(files)).toEqual(Object.keys(manifest.dependencies).sort());
  });

  it('bundles only the patched packages, with their patches, and imports neither', () => {
    const bundled = bundledPackages(files);
    expect([...bundled.keys()].sort()).toEqual(BUNDLED);
    expect(importedPackages(files)).not.toEqual(expect.arrayContaining(['micromark']));
    expect(importedPackages(files)).not.toContain('mdast-util-from-markdown');
    for (const name of bundled.get('mdast-util-from-markdown')!) {
      const text = files.get(name)!;
      expect(text).toContain('function eventContext(context, sliceSerialize)');
      expect(text).not.toMatch(/\{\s*\.\.\.context,\s*sliceSerialize: events/);
    }
    for (const name of bundled.get('micromark')!) {
      const text = files.get(name)!;
      if (!text.includes('// node_modules/micromark/lib/parse.js')) continue;
      expect(text).toContain('combinedByList');
      expect(text).not.toMatch(/combineExtensions\(\[defaultConstructs, \.\.\.settings\.extensions/);
    }
  });

  it("renders with the patched parser: each event's context has one hidden class", async () => {
    // V8's own check (`%HaveSameMap`): the spread the patch replaces gives every context a map of its own.
    const script = `
      const { renderMarkdown } = await import(${JSON.stringify(pathToFileURL(path.join(dist, 'index.js')).href)});
      const contexts = [];
      function recordContexts() {
        const record = function () { contexts.push(this); };
        (this.data().fromMarkdownExtensions ??= []).push({ enter: { emphasisSequence: record, lineEnding: record } });
      }
      await renderMarkdown('a *b*\\nc\\n\\n> *d*\\n> e', { trust: 'post', remarkPlugins: [recordContexts] });
      const same = contexts.every((context) => %HaveSameMap(context, contexts[0]));
      console.log(JSON.stringify({ count: contexts.length, same }));
    `;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--allow-natives-syntax', '--input-type=module', '-e', script],
      { cwd: repositoryRoot },
    );
    expect(JSON.parse(stdout)).toEqual({ count: 7, same: true });
  });
});
