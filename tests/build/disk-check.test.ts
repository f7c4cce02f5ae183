import { mkdir, readFile, rename, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { checkOutputOnDisk } from '../../src/build/disk-check';
import { type OutputManifest, readOutputManifest } from '../../src/build/output-manifest';
import { cacheFolder } from '../../src/cache/location';
import { buildSite } from '../../src/index';
import { copyGoldenSite, GOLDEN_NOW, temporaryFolder } from './helpers';

beforeEach(async () => {
  process.env.BROADSHEET_CACHE_DIR = await temporaryFolder();
});

async function builtSite(): Promise<{ out: string; manifest: OutputManifest }> {
  const root = await copyGoldenSite();
  const out = path.join(root, 'public');
  const result = await buildSite({ root, out, now: GOLDEN_NOW, workers: 0 });
  if (!result.ok) throw new Error('the golden site does not build');
  const read = await readOutputManifest(await cacheFolder(root), out);
  if (!read || !('manifest' in read)) throw new Error('no manifest after a build');
  return { out, manifest: read.manifest };
}

/** The files the checks find changed, sorted. */
async function changedFiles(out: string, manifest: OutputManifest): Promise<string[]> {
  const onDisk = await checkOutputOnDisk(out, manifest);
  return [...manifest.files.keys()].filter((file) => !onDisk.fileUnchanged(file)).sort();
}

describe('checkOutputOnDisk (the lstat checks on another thread)', () => {
  it('finds an output as the build left it unchanged, file by file and folder by folder', async () => {
    const { out, manifest } = await builtSite();
    const onDisk = await checkOutputOnDisk(out, manifest);
    expect(onDisk.foldersUnchanged).toBe(true);
    expect(await changedFiles(out, manifest)).toEqual([]);
    // A path the manifest does not record is never taken as unchanged.
    expect(onDisk.fileUnchanged('not/recorded.html')).toBe(false);
  });

  it('finds files edited in place (folders unchanged), replaced, removed or turned into folders', async () => {
    const { out, manifest } = await builtSite();
    const edited = 'tags/meta/index.html';
    await writeFile(path.join(out, edited), `${await readFile(path.join(out, edited), 'utf8')}<!-- -->`);
    let onDisk = await checkOutputOnDisk(out, manifest);
    expect(await changedFiles(out, manifest)).toEqual([edited]);
    expect(onDisk.foldersUnchanged).toBe(true);

    // Replaced through a rename (as editors save), with the old size and mtime: a new inode.
    const replaced = 'rss.xml';
    const record = manifest.files.get(replaced)!;
    const text = await readFile(path.join(out, replaced));
    await writeFile(path.join(out, 'rss.xml.tmp'), text);
    await utimes(path.join(out, 'rss.xml.tmp'), record.mtimeMs / 1000, record.mtimeMs / 1000);
    await rename(path.join(out, 'rss.xml.tmp'), path.join(out, replaced));
    await rm(path.join(out, 'api/tags.json'));
    await rm(path.join(out, 'atom.xml'));
    await mkdir(path.join(out, 'atom.xml'));
    onDisk = await checkOutputOnDisk(out, manifest);
    expect(await changedFiles(out, manifest)).toEqual(['api/tags.json', 'atom.xml', edited, replaced].sort());
    expect(onDisk.foldersUnchanged).toBe(false);
  });

  it('finds a file or folder added anywhere, or a manifest without folders, as a changed output', async () => {
    const { out, manifest } = await builtSite();
    expect((await checkOutputOnDisk(out, { ...manifest, folders: undefined })).foldersUnchanged).toBe(false);
    await writeFile(path.join(out, 'posts/quiet-post/extra.html'), 'by hand');
    const onDisk = await checkOutputOnDisk(out, manifest);
    expect(onDisk.foldersUnchanged).toBe(false);
    expect(await changedFiles(out, manifest)).toEqual([]);
  });
});
