import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LAYERS, sourceFiles, unitOf, upwardImports } from './layers';

const src = path.resolve(import.meta.dirname, '../../src');
const levelOf = new Map(LAYERS.flatMap((units, level) => units.map((unit) => [unit, level] as const)));

describe('the layers of src/', () => {
  const files = sourceFiles(src);

  it('place every folder and top-level file of src/ in a layer', () => {
    const units = new Set(files.map((file) => unitOf(file, src)));
    // A new folder of src/ goes into LAYERS (tests/architecture/layers.ts) and docs/architecture.md.
    expect([...units].filter((unit) => !levelOf.has(unit))).toEqual([]);
    expect([...levelOf.keys()].filter((unit) => !units.has(unit))).toEqual([]);
  });

  it('have no import from a lower layer into a higher one', () => {
    expect(upwardImports(src)).toEqual([]);
  });

  it('would report an import that goes up (the check can fail)', async () => {
    const tree = await mkdtemp(path.join(tmpdir(), 'broadsheet-layers-'));
    await mkdir(path.join(tree, 'cache'));
    await mkdir(path.join(tree, 'render'));
    await writeFile(path.join(tree, 'cache/store.ts'), "import type { X } from '../render/thing';\n");
    await writeFile(path.join(tree, 'render/thing.ts'), "import { store } from '../cache/store';\n");
    expect(upwardImports(tree)).toEqual([
      `${path.join('cache', 'store.ts')} (cache) imports ${path.join('render', 'thing')} (render)`,
    ]);
    await rm(tree, { recursive: true, force: true });
  });

  it('are listed in docs/architecture.md as they are defined here', () => {
    const doc = readFileSync(path.resolve(src, '../docs/architecture.md'), 'utf8');
    const block = /<!-- layers:start -->\n```text\n([\s\S]*?)```\n<!-- layers:end -->/.exec(doc);
    expect(block, 'docs/architecture.md has a layers block').not.toBeNull();
    const listed = block![1]!
      .trim()
      .split('\n')
      .map((line) =>
        line
          .replace(/^\s*\d+\.\s*/, '')
          .replace(/\s*#.*$/, '')
          .split(/,\s*/),
      );
    expect(listed).toEqual(LAYERS.map((units) => [...units].reverse()).reverse());
  });
});
