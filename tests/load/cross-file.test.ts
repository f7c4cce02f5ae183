import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadSite } from '../../src/load/load-site';
import { FIXTURE_CONFIG, lines, loadFixture, NOW, temporarySite } from './helpers';

describe('cross-file checks (slugs, comments and their posts and parents, authors, tags)', () => {
  it('two posts with the same slug give ONE diagnostic naming both files', async () => {
    const result = await loadFixture('load-duplicate-slug');
    expect(result.ok).toBe(false);
    expect(lines(result)).toMatchInlineSnapshot(`
      [
        "content/posts/archive/hello.md:1:1: error duplicate-slug: content/posts/2020-01-01-hello.md and content/posts/archive/hello.md have the same slug "hello": each post needs its own slug",
        "content/posts/z/other.md:4:7: error duplicate-slug: content/posts/other.md and content/posts/z/other.md have the same slug "other": each post needs its own slug",
      ]
    `);
  });

  it('an unknown author id points at the list item', async () => {
    expect(lines(await loadFixture('load-unknown-author'))).toMatchInlineSnapshot(`
      [
        "content/posts/a.md:6:5: error unknown-author: no author profile "bob" (content/authors/bob.yaml)",
      ]
    `);
  });

  it('a post whose front matter does not parse gives its own error only, none for its comments', async () => {
    const root = await temporarySite({
      'broadsheet.config.json': FIXTURE_CONFIG,
      'content/posts/2024-01-10-hello.md': '---\ntitle: Hello\ndate: 2024-01-10\ntags: [a, b\n---\nBody.\n',
      'content/comments/hello/c1.md': '---\nauthor: Ann\ndate: 2024-01-11T10:00:00Z\n---\nHi.\n',
    });
    expect(lines(await loadSite({ root, now: NOW }))).toMatchInlineSnapshot(`
      [
        "content/posts/2024-01-10-hello.md:4:12: error invalid-yaml: Flow sequence in block collection must be sufficiently indented and end with a ]",
      ]
    `);
  });

  it('a comment folder with no such post', async () => {
    expect(lines(await loadFixture('load-orphan-comment-folder'))).toMatchInlineSnapshot(`
      [
        "content/comments/no-such-post/c1.md:1:1: error unknown-post: no post has the slug "no-such-post" (the comment's folder name)",
      ]
    `);
  });

  it('a missing parent points at parent', async () => {
    expect(lines(await loadFixture('load-missing-parent'))).toMatchInlineSnapshot(`
      [
        "content/comments/hello/c1.md:4:9: error unknown-parent: parent "c0" is not a comment on the same post",
      ]
    `);
  });

  it('a parent cycle is reported on every comment in it', async () => {
    expect(lines(await loadFixture('load-parent-cycle'))).toMatchInlineSnapshot(`
      [
        "content/comments/hello/a.md:4:9: error parent-cycle: parent "b" leads back to this comment: replies cannot form a cycle",
        "content/comments/hello/b.md:4:9: error parent-cycle: parent "a" leads back to this comment: replies cannot form a cycle",
        "content/comments/hello/self.md:4:9: error parent-cycle: parent "self" leads back to this comment: replies cannot form a cycle",
      ]
    `);
  });

  it('a comment older than its post points at its date', async () => {
    expect(lines(await loadFixture('load-comment-before-post'))).toMatchInlineSnapshot(`
      [
        "content/comments/hello/early.md:3:7: error comment-before-post: the comment is dated 2019-12-31T23:59:59Z, before its post (2020-01-01)",
      ]
    `);
  });

  it('two tags whose slugs collide: one diagnostic naming both tags', async () => {
    const result = await loadFixture('load-tag-collision');
    expect(lines(result)).toMatchInlineSnapshot(`
      [
        "content/posts/b.md:6:5: error tag-collision: tag "NodeJS" and tag "Node.js" (content/posts/a.md) both have the slug "nodejs": use one name",
      ]
    `);
  });
});

describe('visitors', () => {
  it('a non-http visitor url is a warning and is dropped; the name is plain text; the email is nowhere', async () => {
    const result = await loadFixture('load-visitor');
    expect(lines(result)).toMatchInlineSnapshot(`
      [
        "content/comments/hello/c1.md:4:8: warning invalid-comment-url: author.url "javascript:alert(1)" is not an http(s) URL: it is dropped",
      ]
    `);
    if (!result.ok) throw new Error('expected the site to load');
    const [first, reply] = result.site.posts[0]!.comments;
    expect(first?.author).toEqual({ name: 'Mallory Evil' });
    expect(first?.data.author).toEqual({ name: 'Mallory Evil' });
    expect(reply?.author).toEqual({ name: 'Ann', url: 'https://ann.example/' });
    const everything = JSON.stringify(result.site);
    for (const email of ['mallory@secret.example', 'ann@secret.example']) {
      expect(everything).not.toContain(email);
      for (const algorithm of ['md5', 'sha1', 'sha256']) {
        expect(everything).not.toContain(createHash(algorithm).update(email).digest('hex'));
        expect(everything).not.toContain(createHash(algorithm).update(email.toUpperCase()).digest('hex'));
      }
    }
    expect(everything).not.toContain('secret.example');
    expect(everything).not.toContain('javascript:');
  });
});
