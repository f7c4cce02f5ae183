import { describe, expect, it } from 'vitest';

// bench/run.mjs rewrites docs/benchmarks.md: its own part only; the sections other scripts wrote stay.
const documentModule = String(new URL('../../bench/document.mjs', import.meta.url));
const { keepSections, mainPartOf, markedSections } = await import(documentModule);

const previous = [
  '# Benchmarks',
  '',
  'OLD MAIN',
  '',
  '<!-- file-count: written by `node bench/file-count.mjs` -->',
  '## Files written',
  'count',
  '<!-- /file-count -->',
  '',
  '<!-- scale: written by `npm run bench -- --scale` -->',
  'OLD SCALE',
  '<!-- /scale -->',
  '<!-- import: written by `npm run bench:import` -->',
  'import figures',
  '<!-- /import -->',
  '<!-- notes: written by hand -->',
  'notes <!-- not a marker --> kept',
  '<!-- /notes -->',
  '',
  '<!-- hostile: written by `npm run bench:hostile` -->',
  'hostile',
  '<!-- /hostile -->',
  '',
].join('\n');

describe('docs/benchmarks.md sections', () => {
  it('finds every marked section, in order', () => {
    expect(markedSections(previous).map((section: { name: string }) => section.name)).toEqual([
      'file-count',
      'scale',
      'import',
      'notes',
      'hostile',
    ]);
  });

  it('a main run replaces its part and keeps every section verbatim', () => {
    const next = keepSections(previous, '# Benchmarks\n\nNEW MAIN\n');
    expect(next).not.toContain('OLD MAIN');
    expect(next.startsWith('# Benchmarks\n\nNEW MAIN\n\n<!-- file-count:')).toBe(true);
    for (const section of markedSections(previous)) expect(next).toContain(section.text);
    // Running it again changes nothing.
    expect(keepSections(next, '# Benchmarks\n\nNEW MAIN\n')).toBe(next);
  });

  it('a scale run replaces its section and keeps the main part and the others', () => {
    const scale = '<!-- scale: written by `npm run bench -- --scale` -->\nNEW SCALE\n<!-- /scale -->';
    const next = keepSections(previous, mainPartOf(previous), { scale });
    expect(next).toContain('OLD MAIN');
    expect(next).toContain('NEW SCALE');
    expect(next).not.toContain('OLD SCALE');
    for (const section of markedSections(previous).filter((s: { name: string }) => s.name !== 'scale')) {
      expect(next).toContain(section.text);
    }
    // A document without a scale section gets one at the end.
    const added = keepSections('# Benchmarks\n', '# Benchmarks\n', { scale });
    expect(added).toBe(`# Benchmarks\n\n${scale}\n`);
  });

  it('an opening marker without its closing one belongs to the main part', () => {
    expect(markedSections('<!-- a: x -->\nno end\n')).toEqual([]);
  });
});
