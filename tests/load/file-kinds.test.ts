import { execFileSync } from 'node:child_process';
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSite } from '../../src/index';
import { lines, NOW, temporarySite } from './helpers';

const VALID_POST = '---\ntitle: Fine\ndate: 2020-01-01\n---\n\nFine.\n';
const AUTHOR = 'name: Ada\n';
const unix = process.platform !== 'win32';

/**
 * What is not a regular file must never be read (a FIFO would block the build until a writer comes,
 * a device would be read forever). Author profiles are taken by name, so any kind of file can be
 * one; posts and comments are taken only when the folder listing says they are files.
 */
describe.runIf(unix)('content paths that are not regular files', () => {
  it('a FIFO, a socket, a device and a folder named like author profiles are each not-a-file', async () => {
    const root = await temporarySite({
      'content/posts/ok.md': VALID_POST,
      'content/authors/ada.yaml': AUTHOR,
    });
    const authors = path.join(root, 'content/authors');
    execFileSync('mkfifo', [path.join(authors, 'fifo.yaml')]);
    execFileSync('mkfifo', [path.join(root, 'target-fifo')]);
    await symlink(path.join(root, 'target-fifo'), path.join(authors, 'linked-fifo.yaml'));
    await symlink('/dev/zero', path.join(authors, 'zero.yaml'));
    await mkdir(path.join(authors, 'folder.yaml'));
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(path.join(authors, 'socket.yaml'), resolve));
    try {
      const result = await loadSite({ root, now: NOW, cache: false });
      expect(lines(result)).toMatchInlineSnapshot(`
        [
          "content/authors/fifo.yaml:1:1: error not-a-file: not a regular file",
          "content/authors/folder.yaml:1:1: error not-a-file: not a regular file",
          "content/authors/linked-fifo.yaml:1:1: error not-a-file: not a regular file",
          "content/authors/socket.yaml:1:1: error not-a-file: not a regular file",
          "content/authors/zero.yaml:1:1: error symlink-outside-root: this symbolic link leads outside the site root: only files inside the root are published",
        ]
      `);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('links that loop or point at nothing, taken by name, cannot be read', async () => {
    const root = await temporarySite({ 'content/posts/ok.md': VALID_POST });
    const authors = path.join(root, 'content/authors');
    await mkdir(authors);
    await symlink('loop.yaml', path.join(authors, 'loop.yaml'));
    await symlink('missing.yaml', path.join(authors, 'dangling.yaml'));
    expect(lines(await loadSite({ root, now: NOW, cache: false }))).toMatchInlineSnapshot(`
      [
        "content/authors/dangling.yaml:1:1: error unreadable-file: cannot read file: ENOENT",
        "content/authors/loop.yaml:1:1: error unreadable-file: cannot read file: ELOOP",
      ]
    `);
  });

  it('a post or comment that is a FIFO, or a link to one, is not-a-file (and does not block)', async () => {
    const root = await temporarySite({ 'content/posts/ok.md': VALID_POST });
    execFileSync('mkfifo', [path.join(root, 'content/posts/fifo.md')]);
    execFileSync('mkfifo', [path.join(root, 'elsewhere')]);
    await symlink(path.join(root, 'elsewhere'), path.join(root, 'content/posts/linked.md'));
    await mkdir(path.join(root, 'content/comments/ok'), { recursive: true });
    execFileSync('mkfifo', [path.join(root, 'content/comments/ok/fifo.md')]);
    expect(lines(await loadSite({ root, now: NOW, cache: false }))).toMatchInlineSnapshot(`
      [
        "content/comments/ok/fifo.md:1:1: error not-a-file: not a regular file",
        "content/posts/fifo.md:1:1: error not-a-file: not a regular file",
        "content/posts/linked.md:1:1: error not-a-file: not a regular file",
      ]
    `);
  });

  it('a FIFO as the config is config-not-a-file, not a hang', async () => {
    const root = await temporarySite({ 'content/posts/ok.md': VALID_POST });
    await rm(path.join(root, 'broadsheet.config.json'));
    execFileSync('mkfifo', [path.join(root, 'broadsheet.config.json')]);
    expect(lines(await loadSite({ root, now: NOW, cache: false }))).toMatchInlineSnapshot(`
      [
        "broadsheet.config.json:1:1: error config-not-a-file: the config cannot be read: not a regular file",
      ]
    `);
  });
});

/** Links `content/posts/linked.md`, `content/authors/ada.yaml` and `content/comments/ok/c1.md` (through a linked folder) to files of `shared`. */
async function linkSharedFiles(root: string, shared: string): Promise<void> {
  await symlink(path.join(shared, 'linked.md'), path.join(root, 'content/posts/linked.md'));
  await mkdir(path.join(root, 'content/authors'));
  await symlink(path.join(shared, 'ada.yaml'), path.join(root, 'content/authors/ada.yaml'));
  await mkdir(path.join(root, 'content/comments'));
  await mkdir(path.join(shared, 'comments-of-ok'));
  await symlink(path.join(shared, 'comment.md'), path.join(shared, 'comments-of-ok/c1.md'));
  await symlink(path.join(shared, 'comments-of-ok'), path.join(root, 'content/comments/ok'), 'dir');
}

describe('regular files, however reached', () => {
  it('reads posts, comments and authors through links inside the root, with the same paths', async () => {
    const root = await temporarySite({
      'content/posts/ok.md': VALID_POST,
      'shared/linked.md': VALID_POST.replace('Fine', 'Linked'),
      'shared/ada.yaml': AUTHOR,
      'shared/comment.md': '---\nauthor: Visitor\ndate: 2020-01-02T00:00:00Z\n---\nHello.\n',
    });
    const shared = path.join(root, 'shared');
    await linkSharedFiles(root, shared);
    const result = await loadSite({ root, now: NOW, cache: false });
    if (!result.ok) throw new Error(lines(result).join('\n'));
    expect(result.site.posts.map((post) => `${post.file} ${post.title}`)).toEqual([
      'content/posts/linked.md Linked',
      'content/posts/ok.md Fine',
    ]);
    expect(result.site.authors.map((author) => `${author.id} ${author.name}`)).toContain('ada Ada');
    expect(result.site.comments.map((comment) => `${comment.file} ${comment.html}`)).toEqual([
      'content/comments/ok/c1.md <p>Hello.</p>',
    ]);
  });

  it('refuses every link whose target is outside the root, naming the link', async () => {
    const outside = await temporarySite({
      'shared/linked.md': VALID_POST.replace('Fine', 'Secret'),
      'shared/ada.yaml': AUTHOR,
      'shared/comment.md': '---\nauthor: Visitor\ndate: 2020-01-02T00:00:00Z\n---\nSecret.\n',
      'posts/secret.md': VALID_POST.replace('Fine', 'Secret'),
    });
    const root = await temporarySite({ 'content/posts/ok.md': VALID_POST });
    await linkSharedFiles(root, path.join(outside, 'shared'));
    await symlink(path.join(outside, 'posts'), path.join(root, 'content/posts/folder'), 'dir');
    await symlink('/dev/zero', path.join(root, 'content/posts/zero.md'));
    expect(lines(await loadSite({ root, now: NOW, cache: false }))).toMatchInlineSnapshot(`
      [
        "content/authors/ada.yaml:1:1: error symlink-outside-root: this symbolic link leads outside the site root: only files inside the root are published",
        "content/comments/ok:1:1: error symlink-outside-root: this symbolic link leads outside the site root: only files inside the root are published",
        "content/posts/folder:1:1: error symlink-outside-root: this symbolic link leads outside the site root: only files inside the root are published",
        "content/posts/linked.md:1:1: error symlink-outside-root: this symbolic link leads outside the site root: only files inside the root are published",
        "content/posts/zero.md:1:1: error symlink-outside-root: this symbolic link leads outside the site root: only files inside the root are published",
      ]
    `);
  });

  it('refuses a content/posts (or the content folder) that is a link out of the root', async () => {
    const outside = await temporarySite({
      'posts/secret.md': VALID_POST,
      'content/posts/secret.md': VALID_POST,
    });
    const root = await temporarySite({ 'content/authors/ada.yaml': AUTHOR });
    await symlink(path.join(outside, 'posts'), path.join(root, 'content/posts'), 'dir');
    const other = await temporarySite({});
    await symlink(path.join(outside, 'content'), path.join(other, 'content'), 'dir');
    expect([
      ...lines(await loadSite({ root, now: NOW, cache: false })),
      ...lines(await loadSite({ root: other, now: NOW, cache: false })),
    ]).toMatchInlineSnapshot(`
      [
        "content/posts:1:1: error symlink-outside-root: this symbolic link leads outside the site root: only files inside the root are published",
        "content:1:1: error symlink-outside-root: this symbolic link leads outside the site root: only files inside the root are published",
      ]
    `);
  });

  it('many files of many sizes come back byte for byte (files share read buffers)', async () => {
    const files: Record<string, string> = {};
    // Sizes around the shared buffers' limits: tiny, a few KB, and the largest a post may be.
    const sizes = [0, 1, 100, 4000, 70_000, 149_000, 5, 120_000, 149_900, 12];
    const bodies = sizes.map((size, index) =>
      `${'x'.repeat(size % 61)} ${'Lorem ipsum dolor sit amet. '.repeat(Math.floor(size / 28))}${index}`.trim(),
    );
    bodies.forEach((body, index) => {
      const summary = body.length > 140_000 ? `summary: ${'s'.repeat(65_000)}\n` : '';
      files[`content/posts/p${index}.md`] =
        `---\ntitle: Post ${index}\ndate: 2020-01-01\n${summary}---\n\n${body}\n`;
    });
    const root = await temporarySite(files);
    const result = await loadSite({ root, now: NOW, cache: false });
    if (!result.ok) throw new Error(lines(result).join('\n'));
    for (const [index, body] of bodies.entries()) {
      const post = result.site.posts.find((candidate) => candidate.slug === `p${index}`);
      expect(post?.html === `<p>${body}</p>`, `p${index}`).toBe(true);
    }
  });

  it('files over 256 KB (read on their own) come back whole: their exact length is refused', async () => {
    // No post may have that much markdown, but the file is read (and measured) first.
    const root = await temporarySite({
      'content/posts/fine.md': VALID_POST,
      'content/posts/big.md': `---\ntitle: Big\ndate: 2020-01-01\n---\n\n${'Lorem ipsum. '.repeat(23_077)}end\n`,
      'content/posts/bigger.md': `---\ntitle: Bigger\ndate: 2020-01-01\n---\n\n${'Dolor sit. '.repeat(43_637)}end\n`,
    });
    expect(lines(await loadSite({ root, now: NOW, cache: false }))).toMatchInlineSnapshot(`
      [
        "content/posts/big.md:5:1: error markdown-too-long: the markdown is 300006 characters long; the limit for a post is 150000; the config's markdown.limits.characters raises it",
        "content/posts/bigger.md:5:1: error markdown-too-long: the markdown is 480012 characters long; the limit for a post is 150000; the config's markdown.limits.characters raises it",
      ]
    `);
  });

  it('a file too large is refused before it is read, also through a link', async () => {
    const root = await temporarySite({ 'content/posts/ok.md': VALID_POST });
    await writeFile(path.join(root, 'big.md'), Buffer.alloc(3 * 1024 * 1024, 'a'));
    await symlink(path.join(root, 'big.md'), path.join(root, 'content/posts/big.md'));
    expect(lines(await loadSite({ root, now: NOW, cache: false }))).toMatchInlineSnapshot(`
      [
        "content/posts/big.md:1:1: error file-too-large: file is 3145728 bytes; the limit is 2097152 bytes (2 MiB)",
      ]
    `);
  });
});

describe('dates in front matter', () => {
  it('accept exactly the days that exist, leap years included, from year 0100', async () => {
    const { postSchema } = await import('../../src/index');
    const valid = (text: string) => postSchema.safeParse({ title: 'T', date: text }).success;
    const pad = (n: number, width: number) => String(n).padStart(width, '0');
    for (let year = 100; year <= 9999; year += year < 2100 ? 1 : 7) {
      for (const month of [2, 4, 12]) {
        const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
        const day = (d: number) => `${pad(year, 4)}-${pad(month, 2)}-${pad(d, 2)}`;
        expect(valid(day(days)), day(days)).toBe(true);
        expect(valid(day(days + 1)), day(days + 1)).toBe(false);
      }
    }
  });

  it('refuse years 0000 to 0099 (Date.UTC would read them as 1900 to 1999) and leap seconds', async () => {
    const root = await temporarySite({
      'content/posts/a.md': '---\ntitle: A\ndate: 0050-06-15\n---\n\nA.\n',
      'content/posts/b.md': '---\ntitle: B\ndate: 2016-12-31T23:59:60Z\n---\n\nB.\n',
      'content/posts/c.md': '---\ntitle: C\ndate: 0099-12-31T10:00:00+01:00\n---\n\nC.\n',
    });
    expect(lines(await loadSite({ root, now: NOW, cache: false }))).toMatchInlineSnapshot(`
      [
        "content/posts/a.md:3:7: error invalid-date: date "0050-06-15" is before the year 0100, which is not supported",
        "content/posts/b.md:3:7: error invalid-date: date "2016-12-31T23:59:60Z" is a leap second (:60), which cannot be published exactly: use :59",
        "content/posts/c.md:3:7: error invalid-date: date "0099-12-31T10:00:00+01:00" is before the year 0100, which is not supported",
      ]
    `);
  });
});
