import { symlink } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSite } from '../../src/load/load-site';
import { lines, loadFixture, NOW, temporarySite } from './helpers';

const VALID_POST = '---\ntitle: Fine\ndate: 2020-01-01\n---\n\nFine.\n';

describe('hostile files become diagnostics, never exceptions', () => {
  it('a comment too long to be a comment (crafted to stall the markdown parser) is refused', async () => {
    const comment = (body: string) => `---\nauthor: Visitor\ndate: 2020-01-02T00:00:00Z\n---\n${body}`;
    const root = await temporarySite({
      'content/posts/fine.md': VALID_POST,
      'content/comments/fine/brackets.md': comment(`${'['.repeat(15_000)}${']'.repeat(15_000)}\n`),
      'content/comments/fine/long-but-fine.md': comment(`${'word '.repeat(3_999)}\n`),
      'content/comments/fine/reply.md': `---\nauthor: B\ndate: 2020-01-03T00:00:00Z\nparent: brackets\n---\nHi\n`,
    });
    const result = await loadSite({ root, now: NOW });
    expect(lines(result)).toMatchInlineSnapshot(`
      [
        "content/comments/fine/brackets.md:1:1: error comment-too-long: the comment is 30001 characters long; the limit is 20000",
      ]
    `);
  });

  it('malformed YAML points at the line of the fault', async () => {
    const result = await loadFixture('load-malformed-yaml');
    expect(result.ok).toBe(false);
    expect(lines(result)).toMatchInlineSnapshot(`
      [
        "content/posts/broken.md:4:16: error invalid-yaml: Flow sequence in block collection must be sufficiently indented and end with a ]",
      ]
    `);
  });

  it('a file without front matter', async () => {
    expect(lines(await loadFixture('load-no-front-matter'))).toMatchInlineSnapshot(`
      [
        "content/posts/plain.md:1:1: error missing-front-matter: the file must start with front matter between two "---" lines",
      ]
    `);
  });

  it('an empty file', async () => {
    expect(lines(await loadFixture('load-empty-file'))).toMatchInlineSnapshot(`
      [
        "content/posts/empty.md:1:1: error empty-file: the file is empty: a post needs front matter and a body",
      ]
    `);
  });

  it('front matter that is never closed', async () => {
    expect(lines(await loadFixture('load-unclosed-front-matter'))).toMatchInlineSnapshot(`
      [
        "content/posts/open.md:1:1: error unclosed-front-matter: the front matter opened here has no closing "---" line",
      ]
    `);
  });

  it('front matter that is not a mapping', async () => {
    expect(lines(await loadFixture('load-not-a-mapping'))).toMatchInlineSnapshot(`
      [
        "content/posts/list.md:2:1: error invalid-front-matter: front matter must be a mapping of keys to values",
      ]
    `);
  });

  it('duplicate keys, at the top level and nested, each at the repeated key', async () => {
    expect(lines(await loadFixture('load-duplicate-keys'))).toMatchInlineSnapshot(`
      [
        "content/posts/dup.md:4:1: error duplicate-key: key "title" appears more than once: keep one",
        "content/posts/dup.md:7:3: error duplicate-key: key "a" appears more than once: keep one",
      ]
    `);
  });

  it('a folder named like a post', async () => {
    expect(lines(await loadFixture('load-folder-named-like-post'))).toMatchInlineSnapshot(`
      [
        "content/posts/hello.md:1:1: error not-a-file: this is a folder named like a post: a post must be a file",
      ]
    `);
  });

  it('a file with a byte-order mark loads, with line numbers of the file as written', async () => {
    const result = await loadFixture('load-bom');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.site.posts.map((post) => post.title)).toEqual(['Starts with a BOM']);
    // The unknown key sits on line 4, column 1, of the file: the BOM does not shift it.
    expect(lines(result)).toMatchInlineSnapshot(`
      [
        "content/posts/bom.md:4:1: warning unknown-key: unknown key "tagz": did you mean \`tags\`?",
      ]
    `);
  });

  it('a file with CRLF line endings loads, with correct line numbers', async () => {
    const result = await loadFixture('load-crlf');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [post] = result.site.posts;
    expect(post?.title).toBe('Windows line endings');
    expect(post?.html).not.toContain('\r');
    expect(lines(result)).toMatchInlineSnapshot(`
      [
        "content/posts/crlf.md:5:1: warning unknown-key: unknown key "tagz": did you mean \`tags\`?",
      ]
    `);
  });

  it('invalid UTF-8 names the line and column of the first bad byte', async () => {
    const bytes = Buffer.concat([
      Buffer.from('---\ntitle: Caf'),
      Buffer.from([0xc3, 0xa9]), // é, valid
      Buffer.from('\ndate: 2020-01-01\nsummary: ab'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('\n---\n\nBody.\n'),
    ]);
    const root = await temporarySite({ 'content/posts/latin1.md': bytes, 'content/posts/ok.md': VALID_POST });
    expect(lines(await loadSite({ root, now: NOW }))).toMatchInlineSnapshot(`
      [
        "content/posts/latin1.md:4:12: error invalid-utf8: byte 0xff is not valid UTF-8: save the file as UTF-8",
      ]
    `);
  });

  it('a 10 MB file is refused without being read', async () => {
    const huge = `---\ntitle: Huge\ndate: 2020-01-01\n---\n\n${'All work and no play. '.repeat(480_000)}`;
    expect(huge.length).toBeGreaterThan(10_000_000);
    const root = await temporarySite({ 'content/posts/huge.md': huge, 'content/posts/ok.md': VALID_POST });
    expect(lines(await loadSite({ root, now: NOW }))).toMatchInlineSnapshot(`
      [
        "content/posts/huge.md:1:1: error file-too-large: file is 10560038 bytes; the limit is 2097152 bytes (2 MiB)",
      ]
    `);
  });

  it('symbolic link loops: a link to itself, two links to each other, a folder linking to its parent', async () => {
    const root = await temporarySite({ 'content/posts/ok.md': VALID_POST });
    const posts = path.join(root, 'content/posts');
    await symlink('self.md', path.join(posts, 'self.md'));
    await symlink('pong.md', path.join(posts, 'ping.md'));
    await symlink('ping.md', path.join(posts, 'pong.md'));
    await symlink('..', path.join(posts, 'up'));
    await symlink('missing.md', path.join(posts, 'dangling.md'));
    const result = await loadSite({ root, now: NOW });
    expect(lines(result)).toMatchInlineSnapshot(`
      [
        "content/posts/dangling.md:1:1: error broken-symlink: this symbolic link points at nothing (ENOENT)",
        "content/posts/ping.md:1:1: error symlink-loop: this symbolic link is part of a loop of links",
        "content/posts/pong.md:1:1: error symlink-loop: this symbolic link is part of a loop of links",
        "content/posts/self.md:1:1: error symlink-loop: this symbolic link is part of a loop of links",
        "content/posts/up:1:1: error symlink-loop: this folder links back to a folder that contains it",
      ]
    `);
  });

  it('a symbolic link to a folder outside the content folder, inside the root, is followed', async () => {
    const root = await temporarySite({
      'content/posts/ok.md': VALID_POST,
      'shared/linked.md': VALID_POST.replace('Fine', 'Linked'),
    });
    await symlink(path.join(root, 'shared'), path.join(root, 'content/posts/shared'), 'dir');
    const result = await loadSite({ root, now: NOW });
    expect(result.ok && result.site.posts.map((post) => `${post.file} ${post.slug}`)).toEqual([
      'content/posts/shared/linked.md linked',
      'content/posts/ok.md ok',
    ]);
  });

  it('folders nested deeper than the limit are refused at the first one too deep', async () => {
    const deep = Array.from({ length: 40 }, (_, index) => `d${index}`).join('/');
    const root = await temporarySite({
      'content/posts/ok.md': VALID_POST,
      [`content/posts/${deep}/deep.md`]: VALID_POST,
    });
    const [line] = lines(await loadSite({ root, now: NOW, cache: false }));
    expect(line?.replace(/(d\d+\/)+/, '…/')).toMatchInlineSnapshot(
      `"content/posts/…/d32:1:1: error folder-too-deep: folders nest more than 32 deep here: nothing below is read"`,
    );
  });

  it('a site root without a content folder', async () => {
    expect(lines(await loadFixture('load-no-content'))).toMatchInlineSnapshot(`
      [
        "content:1:1: error missing-content: the content folder "content" does not exist",
      ]
    `);
  });
});
