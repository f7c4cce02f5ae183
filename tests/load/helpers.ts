import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { formatDiagnostic } from '../../src/diagnostics/format';
import { type LoadSiteOptions, type LoadSiteResult, loadSite } from '../../src/load/load-site';

/** The folder holding every fixture site root. */
export const fixturesDir = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** The build time every test loads with, so that which posts are "future" never depends on the clock. */
export const NOW = new Date('2025-01-01T00:00:00Z');

/** Loads `tests/fixtures/<name>` at {@link NOW}. */
export function loadFixture(
  name: string,
  options: Omit<LoadSiteOptions, 'root'> = {},
): Promise<LoadSiteResult> {
  return loadSite({ root: path.join(fixturesDir, name), now: NOW, ...options });
}

/** The diagnostics (or, for a site that loaded, its warnings) as compiler-style lines. */
export function lines(result: LoadSiteResult): string[] {
  return (result.ok ? result.warnings : result.diagnostics).map(formatDiagnostic);
}

/** A minimal valid config, as JSON. */
export const FIXTURE_CONFIG = `${JSON.stringify({ site: { title: 'Temp', url: 'https://example.com/' } }, null, 2)}\n`;

const temporary: string[] = [];
afterAll(async () => {
  await Promise.all(temporary.map((folder) => rm(folder, { recursive: true, force: true })));
});

/**
 * Writes a site root into a fresh temporary folder (removed after the test file) and returns its
 * path. Values are file contents; a config is added unless one is given.
 */
export async function temporarySite(files: Record<string, string | Uint8Array>): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'broadsheet-test-'));
  temporary.push(root);
  const all = { 'broadsheet.config.json': FIXTURE_CONFIG, ...files };
  for (const [relative, contents] of Object.entries(all)) {
    const absolute = path.join(root, relative);
    await mkdir(path.dirname(absolute), { recursive: true });
    await writeFile(absolute, contents);
  }
  return root;
}
