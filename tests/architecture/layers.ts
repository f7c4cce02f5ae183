import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * The layers of src/, lowest first: a module may import its own layer and the layers below it, never
 * one above. This list is the one definition; docs/architecture.md shows it and a test checks that
 * the two agree. A name is a folder of src/ or a file at its top (without `.ts`).
 */
export const LAYERS: readonly (readonly string[])[] = [
  ['errors', 'version', 'common'],
  ['diagnostics', 'fingerprint'],
  ['schema'],
  ['site'],
  ['parse'],
  ['config'],
  ['cache'],
  ['render'],
  ['load'],
  ['outputs'],
  ['build', 'server', 'watch', 'import', 'comments', 'moderation'],
  ['dev'],
  ['cli', 'client', 'index', 'astro'],
];

/** The unit of a file of src/ (`src/load/files.ts` → `load`, `src/index.ts` → `index`). */
export function unitOf(file: string, src: string): string {
  const [first] = path.relative(src, file).split(path.sep);
  return first!.replace(/\.ts$/, '');
}

/** Every `.ts` file under a folder. */
export function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => path.join(folder, name))
    .sort();
}

/** The relative imports of a file (static, dynamic and `export … from`), as absolute paths without extension. */
export function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return importedFiles
    .map((imported) => imported.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => path.resolve(path.dirname(file), name));
}

/**
 * The imports of the source tree `src` that go from a lower layer to a higher one, as
 * `<file> (<layer>) imports <file> (<layer>)`; a unit missing from {@link LAYERS} counts as the top.
 */
export function upwardImports(src: string): string[] {
  const levelOf = new Map(LAYERS.flatMap((units, level) => units.map((unit) => [unit, level] as const)));
  const level = (unit: string) => levelOf.get(unit) ?? LAYERS.length;
  const upward: string[] = [];
  for (const file of sourceFiles(src)) {
    const from = unitOf(file, src);
    for (const target of importsOf(file)) {
      const to = unitOf(target, src);
      if (level(to) > level(from)) {
        upward.push(`${path.relative(src, file)} (${from}) imports ${path.relative(src, target)} (${to})`);
      }
    }
  }
  return upward;
}
