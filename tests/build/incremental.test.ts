import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { keyPlan } from '../../src/build/output-keys';
import { readOutputManifest } from '../../src/build/output-manifest';
import { rememberedOut } from '../../src/build/output-store';
import { stagePlan } from '../../src/build/write-tree';
import { cacheFolder, siteCacheFolder } from '../../src/cache/location';
import { buildSite, loadSite } from '../../src/index';
import { siteFilePlan } from '../../src/outputs/index';
import {
  cli,
  copyGoldenSite,
  folderEntries,
  GOLDEN_NOW,
  hashTree,
  listFiles,
  repoRoot,
  temporaryFolder,
  writeText,
} from './helpers';

/** Each test has a cache folder of its own: the output manifest decides how a warm build writes. */
beforeEach(async () => {
  process.env.BROADSHEET_CACHE_DIR = await temporaryFolder();
});
afterEach(() => {
  commitFaults.afterRename = undefined;
});

/**
 * Faults injected into the renames of a commit (src/build/commit.ts, the only user of `renameSync`):
 * `afterRename` is called after each rename that moves a file into or out of the output, counted
 * from 1 after the journal's own rename, and may throw as a failing rename would. The renames of
 * the rollback that follows are not counted.
 */
const commitFaults = vi.hoisted(
  () => ({ renames: 0 }) as { afterRename?: (count: number) => void; renames: number },
);
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const renameSync: typeof fs.renameSync = (from, to) => {
    fs.renameSync(from, to);
    const hook = commitFaults.afterRename;
    if (String(to).endsWith('.broadsheet-journal.json')) commitFaults.renames = 0;
    if (!hook || String(to).endsWith('.broadsheet-journal.json')) return;
    commitFaults.renames += 1;
    try {
      hook(commitFaults.renames);
    } catch (error) {
      // A failed commit rolls back with renames of its own, which are not faulted.
      commitFaults.afterRename = undefined;
      throw error;
    }
  };
  return { ...fs, renameSync, default: { ...fs, renameSync } };
});

const QUIET_POST = 'content/posts/2024/2024-03-05-quiet-post.md';
const NEW_POST = '---\ntitle: Brand New\ndate: 2024-04-01\ntags: [Fresh Ideas]\n---\n\nA new post.\n';

async function build(root: string, out: string, options: { cache?: boolean } = {}): Promise<void> {
  const result = await buildSite({ root, out, now: GOLDEN_NOW, workers: 0, ...options });
  if (!result.ok) throw new Error(`build failed: ${JSON.stringify(result.diagnostics, null, 2)}`);
}

/** Every folder under `folder` (relative, `/`-separated, sorted): empty folders count too. */
async function listFolders(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

/** Every file of a tree with its inode: a file written anew gets a new one, an untouched file keeps it. */
async function inodes(folder: string): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const file of await listFiles(folder)) result[file] = (await stat(path.join(folder, file))).ino;
  return result;
}

/** Files and folders of a tree, bytes included: what "the same output" means here. */
async function snapshot(folder: string): Promise<{ files: Record<string, string>; folders: string[] }> {
  return { files: await hashTree(folder), folders: await listFolders(folder) };
}

/** What a build from scratch (`cache: false`, into a new folder) makes of the site as it is now. */
async function cleanBuild(root: string): Promise<{ files: Record<string, string>; folders: string[] }> {
  const out = path.join(await temporaryFolder(), 'clean');
  await build(root, out, { cache: false });
  return snapshot(out);
}

function changed(before: Record<string, string>, after: Record<string, string>): string[] {
  const paths = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...paths].filter((file) => before[file] !== after[file]).sort();
}

/** Edits the quiet post's body, removes the markdown tour, adds a post with a new tag. */
async function editDeleteAndAdd(root: string): Promise<void> {
  const file = path.join(root, QUIET_POST);
  await writeFile(file, (await readFile(file, 'utf8')).replace('Nobody has', 'Still nobody has'));
  await rm(path.join(root, 'content/posts/2024/2024-02-01-markdown-tour.md'));
  await rm(path.join(root, 'content/comments/markdown-tour'), { recursive: true });
  await writeText(path.join(root, 'content/posts/2024/2024-04-01-brand-new.md'), NEW_POST);
}

describe('a warm build updates the output in place', () => {
  it('rewrites only the files whose bytes changed, and ends equal to a build from scratch', async () => {
    const root = await copyGoldenSite();
    const out = path.join(root, 'public');
    await build(root, out);
    const hashesBefore = await hashTree(out);
    const inodesBefore = await inodes(out);
    const outInode = (await stat(out)).ino;

    const file = path.join(root, QUIET_POST);
    await writeFile(file, (await readFile(file, 'utf8')).replace('Nobody has', 'Still nobody has'));
    await build(root, out);

    const hashesAfter = await hashTree(out);
    const inodesAfter = await inodes(out);
    const rewritten = Object.keys(inodesAfter).filter((name) => inodesAfter[name] !== inodesBefore[name]);
    const contentChanged = changed(hashesBefore, hashesAfter);
    expect(contentChanged).toContain('posts/quiet-post/index.html');
    expect(contentChanged).toContain('api/posts/quiet-post.json');
    expect(contentChanged).not.toContain('posts/hello-world/index.html');
    // The changed files and the marker (rewritten by every build) are new; every other file is untouched.
    expect(rewritten.sort()).toEqual(['.broadsheet-build', ...contentChanged].sort());
    expect(Object.keys(inodesAfter).length - rewritten.length).toBeGreaterThan(24);
    // In place: `out` is the same folder, and nothing is left beside it.
    expect((await stat(out)).ino).toBe(outInode);
    expect(await folderEntries(root)).toEqual(['broadsheet.config.json', 'content', 'public']);
    expect(await snapshot(out)).toEqual(await cleanBuild(root));
  });

  it('removes the files of a deleted post and the folders left empty, creates those of a new one', async () => {
    const root = await copyGoldenSite();
    const out = path.join(root, 'public');
    await build(root, out);
    const outInode = (await stat(out)).ino;
    const foldersBefore = await listFolders(out);
    expect(foldersBefore).toEqual(expect.arrayContaining(['posts/markdown-tour/comments', 'tags/meta']));

    await editDeleteAndAdd(root);
    await build(root, out);

    expect((await stat(out)).ino).toBe(outInode);
    const files = await listFiles(out);
    expect(files.filter((name) => name.includes('markdown-tour'))).toEqual([]);
    expect(files).toContain('posts/brand-new/index.html');
    const folders = await listFolders(out);
    expect(folders).not.toContain('posts/markdown-tour');
    expect(folders).toContain('tags/fresh-ideas');
    expect(await snapshot(out)).toEqual(await cleanBuild(root));
  });

  it('through the CLI: a warm build equals a --no-cache build byte for byte', async () => {
    const root = await copyGoldenSite();
    const now = ['--future'];
    expect((await cli(['build', '--root', root, ...now], { cwd: root })).code).toBe(0);
    const inodesBefore = await inodes(path.join(root, 'public'));
    await editDeleteAndAdd(root);
    expect((await cli(['build', '--root', root, ...now], { cwd: root })).code).toBe(0);
    const other = path.join(await temporaryFolder(), 'fresh');
    const fresh = await cli(['build', '--root', root, '--out', other, '--no-cache', ...now], { cwd: root });
    expect(fresh.code).toBe(0);
    expect(await snapshot(path.join(root, 'public'))).toEqual(await snapshot(other));
    const inodesAfter = await inodes(path.join(root, 'public'));
    // hello-world's page links its newer neighbour (markdown-tour, deleted): its API document does not.
    expect(inodesAfter['api/posts/hello-world.json']).toBe(inodesBefore['api/posts/hello-world.json']);
  });
});

describe('a build whose output folder is not the one the last whole tree went to', () => {
  it('reads and checks its own folder, not the one it looked at while loading, and leaves that one alone', async () => {
    const root = await copyGoldenSite();
    await build(root, path.join(root, 'public'));
    // The other folder gets a newer site: its groups' keys are not those of `public`.
    await editDeleteAndAdd(root);
    const elsewhere = path.join(root, 'elsewhere');
    await build(root, elsewhere);
    // A build without `out` looks at the folder the last whole tree went to while it loads.
    expect(rememberedOut(await siteCacheFolder(root, false))).toBe(elsewhere);
    const elsewhereBefore = await snapshot(elsewhere);

    const file = path.join(root, QUIET_POST);
    await writeFile(file, (await readFile(file, 'utf8')).replace('Still nobody has', 'Nobody ever has'));
    const result = await buildSite({ root, now: GOLDEN_NOW, workers: 0 });
    expect(result.ok && result.out).toBe(path.join(root, 'public'));
    expect(await snapshot(path.join(root, 'public'))).toEqual(await cleanBuild(root));
    expect(await snapshot(elsewhere)).toEqual(elsewhereBefore);
  });
});

describe('a warm build after someone changed the output by hand', () => {
  it('rewrites a file modified or deleted by hand', async () => {
    const root = await copyGoldenSite();
    const out = path.join(root, 'public');
    await build(root, out);
    const inodesBefore = await inodes(out);
    // Modified in place (same inode, new bytes), and removed.
    await writeFile(path.join(out, 'posts/hello-world/index.html'), '<p>edited by hand</p>');
    await rm(path.join(out, 'api/site.json'));
    await build(root, out);
    expect(await snapshot(out)).toEqual(await cleanBuild(root));
    const inodesAfter = await inodes(out);
    expect(inodesAfter['posts/hello-world/index.html']).not.toBe(
      inodesBefore['posts/hello-world/index.html'],
    );
    expect(inodesAfter['tags/meta/index.html']).toBe(inodesBefore['tags/meta/index.html']);
  });

  it('removes files and folders added by hand, and puts back a file replaced by a folder', async () => {
    const root = await copyGoldenSite();
    const out = path.join(root, 'public');
    await build(root, out);
    await writeText(path.join(out, 'posts/hello-world/notes.txt'), 'mine');
    await writeText(path.join(out, 'drafts/todo/list.md'), 'mine too');
    await rm(path.join(out, 'tags/meta/rss.xml'));
    await writeText(path.join(out, 'tags/meta/rss.xml/inside.txt'), 'a folder where a file was');
    await build(root, out);
    expect(await snapshot(out)).toEqual(await cleanBuild(root));
    // Also when nothing in the content changed but a file was added deep in a folder of the output.
    await writeText(path.join(out, 'posts/quiet-post/comments/extra.xml'), '<x/>');
    await build(root, out);
    expect(await snapshot(out)).toEqual(await cleanBuild(root));
  });

  it('rewrites a file replaced by hand through a rename (as editors save)', async () => {
    const root = await copyGoldenSite();
    const out = path.join(root, 'public');
    await build(root, out);
    const target = path.join(out, 'index.html');
    await writeFile(`${target}.swp`, '<p>saved by an editor</p>');
    await rename(`${target}.swp`, target);
    await build(root, out);
    expect(await snapshot(out)).toEqual(await cleanBuild(root));
  });
});

describe('an update in place that fails while committing', () => {
  it.each([1, 4, 'last'] as const)(
    'leaves the output exactly as it was when a rename fails (after %s renames)',
    async (failAfter) => {
      const root = await copyGoldenSite();
      const out = path.join(root, 'public');
      await build(root, out);
      const before = await snapshot(out);
      const inodesBefore = await inodes(out);
      await editDeleteAndAdd(root);

      let renames = 0;
      commitFaults.afterRename = (count) => {
        renames = count;
        if (failAfter !== 'last' && count === failAfter) throw ioError();
      };
      // A first run counts the renames of this commit (and fails at the last one).
      if (failAfter === 'last') {
        commitFaults.afterRename = (count) => {
          renames = count;
        };
        const dryRoot = await copyGoldenSite();
        const dryOut = path.join(dryRoot, 'public');
        await build(dryRoot, dryOut);
        await editDeleteAndAdd(dryRoot);
        await build(dryRoot, dryOut);
        const last = renames;
        expect(last).toBeGreaterThan(10);
        commitFaults.afterRename = (count) => {
          if (count === last) throw ioError();
        };
      }

      const result = await buildSite({ root, out, now: GOLDEN_NOW, workers: 0 });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.diagnostics[0]?.code).toBe('write-failed');
      expect(result.diagnostics[0]?.message).toContain('the previous output is unchanged');
      // Exactly as before: the same bytes, the same folders, the very same files (inodes).
      expect(await snapshot(out)).toEqual(before);
      expect(await inodes(out)).toEqual(inodesBefore);
      expect(await folderEntries(root)).toEqual(['broadsheet.config.json', 'content', 'public']);

      commitFaults.afterRename = undefined;
      await build(root, out);
      expect(await snapshot(out)).toEqual(await cleanBuild(root));
    },
  );
});

describe('a build killed while committing an update in place', () => {
  it('is undone by the next build, which then ends equal to a build from scratch', async () => {
    const root = await copyGoldenSite();
    const out = path.join(root, 'public');
    await build(root, out);
    const before = await snapshot(out);
    const inodesBefore = await inodes(out);
    await editDeleteAndAdd(root);

    // A real crash: another process runs the build and SIGKILLs itself after 5 renames of its commit
    // (counted after the journal's own rename; the commit is the only user of renameSync).
    const script = path.join(await temporaryFolder(), 'crash.mjs');
    const jiti = createRequire(import.meta.url).resolve('jiti');
    await writeFile(
      script,
      `import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
const realRename = fs.renameSync;
let renames = 0;
fs.renameSync = (from, to) => {
  realRename(from, to);
  if (String(to).endsWith('.broadsheet-journal.json')) renames = 0;
  else if (++renames === 5) process.kill(process.pid, 'SIGKILL');
};
syncBuiltinESMExports();
const createJiti = (await import(${JSON.stringify(jiti)})).default;
const jiti = createJiti(${JSON.stringify(path.join(repoRoot, 'src/index.ts'))});
const { buildSite } = await jiti.import(${JSON.stringify(path.join(repoRoot, 'src/index.ts'))});
await buildSite({ root: ${JSON.stringify(root)}, out: ${JSON.stringify(out)}, now: new Date(${GOLDEN_NOW.getTime()}), workers: 0 });
`,
    );
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const ended = await new Promise<string | number | null>((resolve) =>
      child.once('exit', (code, signal) => resolve(signal ?? code)),
    );
    expect(ended, stderr).toBe('SIGKILL');

    // Half done: some files of the new output are in place, and the journal is beside it.
    expect(changed(before.files, await hashTree(out)).length).toBeGreaterThan(0);
    const siblings = (await folderEntries(root)).filter((name) => name.startsWith('public.broadsheet-tmp-'));
    expect(siblings).toHaveLength(1);
    expect(await listFiles(path.join(root, siblings[0]!))).toContain('.broadsheet-journal.json');

    // The next build undoes it before anything else: one that fails while writing shows the state.
    const failing = buildSite({
      root,
      out,
      now: GOLDEN_NOW,
      workers: 0,
      onProgress: (event) => {
        if (event.phase === 'write') throw new Error('interrupted');
      },
    });
    await expect(failing).rejects.toThrow('interrupted');
    expect(await snapshot(out)).toEqual(before);
    expect(await inodes(out)).toEqual(inodesBefore);
    expect(await folderEntries(root)).toEqual(['broadsheet.config.json', 'content', 'public']);

    await build(root, out);
    expect(await snapshot(out)).toEqual(await cleanBuild(root));
  }, 120_000);
});

describe('stagePlan', () => {
  it('stages only the changes up to the limit, and past it the whole tree with the unchanged files linked', async () => {
    const root = await copyGoldenSite();
    const out = path.join(root, 'public');
    await build(root, out);
    const before = await hashTree(out);
    const read = await readOutputManifest(await cacheFolder(root), out);
    if (!read || !('manifest' in read)) throw new Error('no manifest after a build');
    const file = path.join(root, QUIET_POST);
    await writeFile(file, (await readFile(file, 'utf8')).replace('Nobody has', 'Still nobody has'));
    const loaded = await loadSite({ root, now: GOLDEN_NOW, workers: 0 });
    if (!loaded.ok) throw new Error('the site does not load');
    const plan = keyPlan(loaded.site, siteFilePlan(loaded.site));
    const clean = await cleanBuild(root);
    const { '.broadsheet-build': _marker, ...expected } = clean.files;
    const contentChanged = changed(before, clean.files);
    expect(contentChanged.length).toBeGreaterThan(5);

    const stage = async (maxChanges: number) => {
      const staging = path.join(await temporaryFolder(), 'staging');
      await mkdir(staging);
      const result = await stagePlan(staging, plan, {
        previous: { folder: out, manifest: read.manifest },
        maxChanges,
        record: true,
        onWritten: () => {},
      });
      return { staging, result };
    };

    const few = await stage(100);
    expect(few.result.kind).toBe('changes');
    expect(few.result.kind === 'changes' && [...few.result.put].sort()).toEqual(contentChanged);
    expect(await listFiles(few.staging)).toEqual(contentChanged);

    // Past the limit midway: the unchanged files seen so far are linked in too, and every later one.
    const many = await stage(3);
    expect(many.result.kind).toBe('tree');
    expect(await hashTree(many.staging)).toEqual(expected);
    const unchanged = Object.keys(expected).filter((name) => !contentChanged.includes(name));
    expect(many.result.linked).toBe(unchanged.length);
    const stagedInodes = await inodes(many.staging);
    const outInodes = await inodes(out);
    for (const name of unchanged) expect(stagedInodes[name], name).toBe(outInodes[name]);
  });
});

function ioError(): Error {
  return Object.assign(new Error('EIO: i/o error, rename (simulated)'), { code: 'EIO', syscall: 'rename' });
}
