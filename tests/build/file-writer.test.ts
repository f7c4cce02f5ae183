import { lstat, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FileWriter, type WrittenStats } from '../../src/build/file-writer';
import { temporaryFolder } from './helpers';

describe('FileWriter', () => {
  it('creates folders and files in order on its thread, with the stats of each file', async () => {
    const folder = await temporaryFolder();
    const site = path.join(folder, 'site.txt');
    await writeFile(site, 'a file of the site');
    const writer = FileWriter.start();
    const stats = new Map<string, WrittenStats>();
    writer.folder(path.join(folder, 'a'));
    writer.folder(path.join(folder, 'a/b'));
    // Enough files and bytes for several batches, one larger than a batch, text and bytes.
    const big = 'é'.repeat(700_000);
    for (let index = 0; index < 1200; index++) {
      const file = path.join(folder, 'a/b', `${index}.html`);
      writer.file(file, index === 7 ? big : `<p>${index} ✓</p>`, (written) => stats.set(file, written));
    }
    const bytes = path.join(folder, 'a/bytes.bin');
    writer.file(bytes, Uint8Array.of(0, 1, 2, 255), (written) => stats.set(bytes, written));
    const copied = path.join(folder, 'a/copied.txt');
    writer.verbatim(site, copied, (written) => stats.set(copied, written));
    await writer.finish();

    expect(await readFile(path.join(folder, 'a/b/3.html'), 'utf8')).toBe('<p>3 ✓</p>');
    expect(await readFile(path.join(folder, 'a/b/7.html'), 'utf8')).toBe(big);
    expect([...(await readFile(bytes))]).toEqual([0, 1, 2, 255]);
    expect(await readFile(copied, 'utf8')).toBe('a file of the site');
    expect(stats.size).toBe(1202);
    for (const [file, written] of stats) {
      const actual = await lstat(file);
      expect(written).toEqual({ size: actual.size, mtimeMs: actual.mtimeMs, ino: actual.ino });
    }
  });

  it('reuses the bytes of answered batches for later ones without mixing up files', async () => {
    const folder = await temporaryFolder();
    const writer = FileWriter.start();
    writer.folder(path.join(folder, 'a'));
    const expected = new Map<string, string>();
    // Rounds of several batches each, with time between them for the writer to answer and free its batches.
    for (let round = 0; round < 6; round++) {
      for (let index = 0; index < 700; index++) {
        const file = path.join(folder, 'a', `${round}-${index}.txt`);
        const contents = `${round}:${index}:`.repeat(300 + ((index * 37) % 200));
        expected.set(file, contents);
        writer.file(file, contents, () => {});
      }
      await writer.settle();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await writer.finish();
    for (const [file, contents] of expected) expect(await readFile(file, 'utf8')).toBe(contents);
  });

  it('fails with the system error of the first write that fails, and never writes through a file', async () => {
    const folder = await temporaryFolder();
    await mkdir(path.join(folder, 'a'));
    await writeFile(path.join(folder, 'a/taken.html'), 'before');
    const writer = FileWriter.start();
    writer.file(path.join(folder, 'a/first.html'), 'first', () => {});
    writer.file(path.join(folder, 'a/taken.html'), 'after', () => {});
    writer.file(path.join(folder, 'missing/x.html'), 'x', () => {});
    const error = await writer.finish().then(
      () => undefined,
      (caught: unknown) => caught as NodeJS.ErrnoException,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error?.code).toBe('EEXIST');
    expect(error?.syscall).toBe('open');
    expect(await readFile(path.join(folder, 'a/taken.html'), 'utf8')).toBe('before');
  });

  it('writes everything on this thread when its worker stops (here at once)', async () => {
    const folder = await temporaryFolder();
    const writer = FileWriter.start('process.exit(1)');
    writer.folder(path.join(folder, 'a'));
    const stats: WrittenStats[] = [];
    for (let index = 0; index < 600; index++) {
      writer.file(path.join(folder, 'a', `${index}.txt`), String(index), (written) => stats.push(written));
    }
    await writer.finish();
    expect(stats).toHaveLength(600);
    expect(await readFile(path.join(folder, 'a/599.txt'), 'utf8')).toBe('599');
  });

  it('appends records of the output store from the files it writes, and writes files back from sound records only', async () => {
    // Groups of files of any text (several batches, records across chunks and batches), on the
    // writer's thread and on this one: the records read back give the same files; a damaged one none.
    const group = fc.array(fc.string({ unit: 'grapheme', maxLength: 3000 }), { minLength: 1, maxLength: 4 });
    await fc.assert(
      fc.asyncProperty(
        fc.array(group, { minLength: 1, maxLength: 12 }),
        fc.boolean(),
        fc.nat(),
        async (someGroups, onThisThread, damaged) => {
          // One group larger than a chunk of the segment and a batch (1 MiB each), among the others.
          const groups = [...someGroups];
          groups.splice(damaged % (groups.length + 1), 0, ['é'.repeat(400_000), 'x'.repeat(300_000)]);
          const folder = await temporaryFolder();
          const segment = path.join(folder, 'store.seg');
          const start = () => (onThisThread ? FileWriter.start('process.exit(1)') : FileWriter.start());
          const writer = start();
          writer.folder(path.join(folder, 'made'));
          const records: { key: string; offset: number; length: number; line: string; files: string[] }[] =
            [];
          let size = 0;
          for (const [index, files] of groups.entries()) {
            const line = `${JSON.stringify(files.map((text) => Buffer.byteLength(text)))}\n`;
            const key = index.toString(16).padStart(64, 'a');
            let length = 44 + writer.beginRecord(segment, line);
            for (const [at, text] of files.entries()) {
              length += writer.file(path.join(folder, 'made', `${index}-${at}`), text, () => {}, true);
            }
            writer.endRecord(key);
            records.push({ key, offset: size, length, line, files });
            size += length;
          }
          let closed = Number.NaN;
          writer.closeStore((bytes) => {
            closed = bytes;
          });
          await writer.finish();
          expect(closed).toBe(size);

          // One record damaged (a byte of its payload flipped): it is reported, and none of its files is written.
          const bytes = await readFile(segment);
          const bad = records[damaged % records.length]!;
          bytes[bad.offset + 44 + (damaged % (bad.length - 44))]! ^= 0x01;
          await writeFile(segment, bytes);
          const reader = start();
          reader.folder(path.join(folder, 'read'));
          const sound: boolean[] = [];
          const sizes = new Map<string, number>();
          for (const [index, record] of records.entries()) {
            reader.fromRecord({ file: segment, ...record }, (ok) => sound.push(ok));
            for (const [at, text] of record.files.entries()) {
              const target = path.join(folder, 'read', `${index}-${at}`);
              reader.recordFile(target, Buffer.byteLength(text), (stats) => sizes.set(target, stats.size));
            }
          }
          reader.closeStore(() => {});
          await reader.finish();
          expect(sound).toEqual(records.map((record) => record !== bad));
          for (const [index, record] of records.entries()) {
            for (const [at, text] of record.files.entries()) {
              const target = path.join(folder, 'read', `${index}-${at}`);
              if (record === bad) {
                expect(sizes.get(target)).toBe(-1);
                await expect(lstat(target)).rejects.toThrow();
              } else {
                expect(await readFile(target, 'utf8')).toBe(text);
                expect(sizes.get(target)).toBe(Buffer.byteLength(text));
              }
            }
          }
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);

  it('shares a tree with other writers: a file whose folder another writer has queued creates it, never the tree itself', async () => {
    const folder = await temporaryFolder();
    const root = path.join(folder, 'tree');
    await mkdir(root);
    const first = FileWriter.start(undefined, root);
    const second = FileWriter.start(undefined, root);
    // The folders are queued on the first writer only, behind many files; the second writes into them at once.
    for (let index = 0; index < 2000; index++)
      first.file(path.join(root, `${index}.txt`), 'x'.repeat(500), () => {});
    const expected = new Map<string, string>();
    for (let index = 0; index < 50; index++) {
      first.folder(path.join(root, `a${index}`));
      first.folder(path.join(root, `a${index}`, 'b'));
      const file = path.join(root, `a${index}`, 'b', 'c.txt');
      expected.set(file, String(index));
      second.file(file, String(index), () => {});
    }
    await Promise.all([first.finish(), second.finish()]);
    for (const [file, text] of expected) expect(await readFile(file, 'utf8')).toBe(text);

    // A tree removed meanwhile is not created again: the write fails.
    const gone = FileWriter.start(undefined, path.join(folder, 'gone'));
    gone.file(path.join(folder, 'gone', 'a', 'b.txt'), 'b', () => {});
    await expect(gone.finish()).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(lstat(path.join(folder, 'gone'))).rejects.toThrow();
  });

  it('takes threads started ahead of time, and stops those not taken', async () => {
    const folder = await temporaryFolder();
    FileWriter.prestart(3);
    const writers = [FileWriter.start(), FileWriter.start()];
    await FileWriter.releaseSpares();
    // A writer after the release starts its own thread.
    writers.push(FileWriter.start());
    for (const [index, writer] of writers.entries()) {
      writer.file(path.join(folder, `${index}.txt`), String(index), () => {});
    }
    await Promise.all(writers.map((writer) => writer.finish()));
    for (const index of [0, 1, 2])
      expect(await readFile(path.join(folder, `${index}.txt`), 'utf8')).toBe(String(index));
  });
});
