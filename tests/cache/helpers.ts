import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic';
import { buildSite } from '../../src/index';
import { GOLDEN_NOW, hashTree, listFiles, temporaryFolder } from '../build/helpers';

export {
  copyGoldenSite,
  GOLDEN_NOW,
  hashTree,
  listFiles,
  temporaryFolder,
  writeText,
} from '../build/helpers';

/** Each test gets its own cache folder (the default would be under ~/.cache for a temporary root). */
beforeEach(async () => {
  process.env.BROADSHEET_CACHE_DIR = await temporaryFolder();
});

/**
 * Puts a YAML comment line after the opening fence of every post and comment of a site copy, so that
 * `yaml` reads their front matter, not the fast path (src/parse/simple-yaml.ts): only `yaml`'s parses
 * are stored in the front matter cache. Returns `root`.
 */
export async function frontMatterReadByYaml(root: string): Promise<string> {
  const content = path.join(root, 'content');
  for (const file of await listFiles(content)) {
    if (!file.endsWith('.md')) continue;
    const text = await readFile(path.join(content, file), 'utf8');
    await writeFile(path.join(content, file), text.replace(/^---\n/, '---\n# Read by yaml.\n'));
  }
  return root;
}

/** Builds `root` into `out` at the golden time; fails the test when the build fails. Returns its warnings. */
export async function build(
  root: string,
  out: string,
  options: { cache?: boolean; workers?: number } = {},
): Promise<{ warnings: string[]; diagnostics: Diagnostic[] }> {
  const result = await buildSite({ root, out, now: GOLDEN_NOW, workers: 0, ...options });
  if (!result.ok) throw new Error(`build failed: ${JSON.stringify(result.diagnostics, null, 2)}`);
  return {
    warnings: result.warnings.map((warning) => `${warning.code} ${warning.message}`),
    diagnostics: result.warnings,
  };
}

/** The paths whose bytes differ between two trees (added, removed or changed), sorted. */
export function changedPaths(before: Record<string, string>, after: Record<string, string>): string[] {
  const paths = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...paths].filter((file) => before[file] !== after[file]).sort();
}

/** Every file of a tree with its inode: a file rewritten gets a new one, a hard-linked one keeps it. */
export async function inodes(folder: string): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const file of await listFiles(folder)) result[file] = (await stat(path.join(folder, file))).ino;
  return result;
}

/** The packs of the cache: rendered markdown and parsed front matter. */
export type PackName = 'render-v5' | 'front-matter-v2';

/** The folder of a pack of the one site in the test's cache folder. */
export async function packFolder(pack: PackName = 'render-v5'): Promise<string> {
  const folder = process.env.BROADSHEET_CACHE_DIR!;
  const sites = (await readdir(folder)).filter((name) => name !== 'trash');
  if (sites.length !== 1) throw new Error(`expected one site in the cache folder, found ${sites.join(', ')}`);
  return path.join(folder, sites[0]!, pack);
}

/** The keys a pack's index holds (its entries), sorted; none when there is no index. */
export async function cacheEntries(pack: PackName = 'render-v5'): Promise<string[]> {
  const folder = process.env.BROADSHEET_CACHE_DIR!;
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const indexes = entries.filter(
    (entry) => entry.isFile() && entry.name === 'index.json' && path.basename(entry.parentPath) === pack,
  );
  const keys: string[] = [];
  for (const index of indexes) {
    const stored = JSON.parse(await readFile(path.join(index.parentPath, index.name), 'utf8')) as {
      entries: [string, number, number, number][];
    };
    keys.push(...stored.entries.map(([key]) => key));
  }
  return keys.sort();
}

/** Every file in the test's cache folder with the hash of its bytes: to see that nothing was written. */
export async function cacheSnapshot(): Promise<Record<string, string>> {
  return hashTree(process.env.BROADSHEET_CACHE_DIR!);
}

/**
 * The oracle for a warm build: what a cold build without any cache changes between the same two
 * versions of the content. `edit` changes the site root; returns the changed paths of both ways.
 */
export async function warmAndColdChanges(
  root: string,
  edit: () => Promise<void>,
): Promise<{ warm: string[]; cold: string[]; rewritten: string[]; warnings: string[] }> {
  const folder = await temporaryFolder();
  const warmOut = path.join(folder, 'warm');
  const coldOut = path.join(folder, 'cold');
  await build(root, warmOut);
  await build(root, coldOut, { cache: false });
  const warmBefore = await hashTree(warmOut);
  const coldBefore = await hashTree(coldOut);
  const inodesBefore = await inodes(warmOut);
  await edit();
  const { warnings } = await build(root, warmOut);
  await build(root, coldOut, { cache: false });
  const warmAfter = await hashTree(warmOut);
  const coldAfter = await hashTree(coldOut);
  const inodesAfter = await inodes(warmOut);
  const rewritten = Object.keys(inodesAfter)
    .filter((file) => inodesAfter[file] !== inodesBefore[file])
    .sort();
  return {
    warm: changedPaths(warmBefore, warmAfter),
    cold: changedPaths(coldBefore, coldAfter),
    rewritten,
    warnings,
  };
}

/**
 * The source of `remarkLog`, a remark plugin for a test config (TypeScript) that appends the
 * `MARK-…` words of each document it renders to the file `log`, one a line, each followed by the
 * value of the expression `suffix` (source text; none by default).
 */
export function remarkLogSource(log: string, suffix = "''"): string {
  return `
import { appendFileSync } from 'node:fs';
function remarkLog() {
  return (tree: unknown) => {
    const marks: string[] = [];
    const visit = (node: { value?: unknown; children?: unknown[] }) => {
      if (typeof node.value === 'string') marks.push(...(node.value.match(/MARK-[a-z0-9-]+/g) ?? []));
      for (const child of node.children ?? []) visit(child as typeof node);
    };
    visit(tree as { children?: unknown[] });
    appendFileSync(${JSON.stringify(log)}, marks.map((mark) => mark + ${suffix} + '\\n').join(''));
  };
}`;
}
