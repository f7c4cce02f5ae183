import { execFileSync } from 'node:child_process';
import { constants } from 'node:fs';
import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiagnosticCollector } from '../../src/diagnostics/collector';
import { formatDiagnostic } from '../../src/diagnostics/format';
import { readFiles, type SourceFile } from '../../src/load/files';
import { readOnThread } from '../../src/load/read-thread';
import { temporarySite } from './helpers';

const POST = (title: string) => `---\ntitle: ${title}\ndate: 2020-01-01\n---\n\nBody of ${title}.\n`;
const unix = process.platform !== 'win32';

/** What a read gives, as plain data: each file's fields and bytes, and the problems as lines. */
async function read(root: string, threadFrom?: number) {
  const problems = new DiagnosticCollector();
  const files = await readFiles(root, 'content', problems, undefined, { threadFrom });
  return {
    files: files.map((file: SourceFile) => ({ ...file, bytes: Buffer.from(file.bytes).toString('base64') })),
    problems: problems.sorted().map(formatDiagnostic),
  };
}

describe('content files read on another thread', () => {
  it('gives what the simple read gives, odd files included', async () => {
    const big = 'x'.repeat(3 * 1024 * 1024);
    const root = await temporarySite({
      'content/posts/a.md': POST('A'),
      'content/posts/empty.md': '',
      'content/posts/crlf.md': POST('C').replaceAll('\n', '\r\n'),
      'content/posts/latin1.md': new Uint8Array([0x2d, 0x2d, 0x2d, 0x0a, 0xe9, 0x0a]),
      // Larger than the room of one shared buffer: read by the simple path.
      'content/posts/wide.md': POST('W') + 'y'.repeat(1024 * 1024 + 17),
      'content/posts/mid.md': POST('M') + 'z'.repeat(200 * 1024),
      'content/posts/huge.md': big,
      'content/posts/folder/index.md': POST('Folder'),
      'content/posts/folder/picture.png': new Uint8Array([1, 2, 3]),
      'content/comments/a/c1.md': '---\nauthor: Ann\ndate: 2020-01-02\n---\n\nHi.\n',
      'content/authors/ada.yaml': 'name: Ada\n',
      ...Object.fromEntries(
        Array.from({ length: 40 }, (_, index) => [`content/posts/many/p${index}.md`, POST(`P${index}`)]),
      ),
    });
    await symlink(path.join(root, 'content/posts/a.md'), path.join(root, 'content/posts/linked.md'));
    await symlink('nowhere.md', path.join(root, 'content/posts/dangling.md'));
    if (unix) {
      execFileSync('mkfifo', [path.join(root, 'content/posts/fifo.md')]);
      await writeFile(path.join(root, 'content/posts/locked.md'), POST('L'));
      await chmod(path.join(root, 'content/posts/locked.md'), 0o000);
    }
    await mkdir(path.join(root, 'content/posts/named.md'));

    const simple = await read(root);
    const threaded = await read(root, 0);
    expect(threaded).toEqual(simple);
    expect(simple.files.length).toBeGreaterThan(45);
    expect(simple.problems.length).toBeGreaterThanOrEqual(3);
    // Below the threshold the thread is not used, with the same result.
    expect(await read(root, 10_000)).toEqual(simple);
  });

  it('reads whole files into shared buffers, and leaves what it cannot read to the caller', async () => {
    const root = await temporarySite({
      'a.md': 'alpha',
      'b.md': '',
      'c.md': 'c'.repeat(5000),
      'd.md': 'd'.repeat(70_000),
    });
    const paths = ['a.md', 'missing.md', 'b.md', 'c.md', 'd.md', '.'].map((name) => path.join(root, name));
    const reads = await readOnThread(paths, constants.O_RDONLY, 8192, 1024);
    expect(reads).toBeDefined();
    const text = (index: number) => {
      const bytes = reads!.bytes(index);
      return bytes && Buffer.from(bytes).toString('latin1');
    };
    expect(text(0)).toBe('alpha');
    expect(text(1)).toBeUndefined();
    expect(text(2)).toBe('');
    expect(text(3)).toBe('c'.repeat(5000));
    // Fills the room of its buffer: its end was not seen.
    expect(text(4)).toBeUndefined();
    // A folder cannot be read.
    expect(text(5)).toBeUndefined();
    // Small files share one buffer.
    expect(reads!.bytes(0)!.buffer).toBe(reads!.bytes(3)!.buffer);
  });
});
