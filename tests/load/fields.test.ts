import { describe, expect, it } from 'vitest';
import { loadSite } from '../../src/load/load-site';
import { lines, loadFixture, NOW, temporarySite } from './helpers';

describe('field rules of the front matter, each reported at the key or value at fault', () => {
  it('an invalid date points at the value', async () => {
    expect(lines(await loadFixture('load-invalid-date'))).toMatchInlineSnapshot(`
      [
        "content/posts/a.md:3:7: error invalid-date: date "2012-13-45" is not a valid date (use 2012-03-13 or 2012-03-13T09:30:00Z)",
      ]
    `);
  });

  it('updated before date points at updated', async () => {
    expect(lines(await loadFixture('load-updated-before-date'))).toMatchInlineSnapshot(`
      [
        "content/posts/a.md:4:10: error updated-before-date: updated (2020-04-30) is before date (2020-05-01)",
      ]
    `);
  });

  it('a bad slug, in front matter and from a file name', async () => {
    expect(lines(await loadFixture('load-bad-slug'))).toMatchInlineSnapshot(`
      [
        "content/posts/2020-01-02-Upper Case.md:1:1: error invalid-slug: the file name gives the slug "Upper Case", which is not lower-case letters and digits joined by hyphens: rename the file or set \`slug\`",
        "content/posts/a.md:4:7: error invalid-slug: slug must be lower-case letters and digits joined by single hyphens (like my-first-post)",
      ]
    `);
  });

  it('a title longer than 300 characters', async () => {
    expect(lines(await loadFixture('load-title-too-long'))).toMatchInlineSnapshot(`
      [
        "content/posts/a.md:2:8: error too-long: title is too long: at most 300 characters",
      ]
    `);
  });

  it('a missing field points at the front matter; an empty value at its key', async () => {
    expect(lines(await loadFixture('load-missing-field'))).toMatchInlineSnapshot(`
      [
        "content/posts/a.md:1:1: error missing-field: title is required",
        "content/posts/b.md:2:1: error missing-value: title has no value: give it one or remove the key",
        "content/posts/b.md:4:8: error invalid-type: draft must be true or false",
      ]
    `);
  });

  it('unknown keys are warnings with a did-you-mean, and the post still loads', async () => {
    const result = await loadFixture('load-unknown-key');
    expect(result.ok).toBe(true);
    expect(lines(result)).toMatchInlineSnapshot(`
      [
        "content/posts/a.md:4:1: warning unknown-key: unknown key "tagz": did you mean \`tags\`?",
        "content/posts/a.md:5:1: warning unknown-key: unknown key "sumary": did you mean \`summary\`?",
        "content/posts/a.md:6:1: warning unknown-key: unknown key "flavour" is ignored",
      ]
    `);
  });

  it('invalid comments; nothing reported twice for a post or comment that failed validation', async () => {
    expect(lines(await loadFixture('load-nested-errors'))).toMatchInlineSnapshot(`
      [
        "content/comments/good/c1.md:2:9: error invalid-value: author must be a name, or a mapping with \`name\` and optional \`url\` and \`email\`",
        "content/comments/good/c1.md:3:7: error invalid-date: date needs a time as well as a day, such as 2012-03-13T09:30:00Z",
        "content/posts/bad.md:3:7: error invalid-date: date "nope" is not a valid date (use 2012-03-13 or 2012-03-13T09:30:00Z)",
      ]
    `);
  });

  it("words every problem of a comment written with other tools' fields, and suggests the key they mean", async () => {
    const root = await temporarySite({
      'content/posts/p.md': '---\ntitle: P\ndate: 2023-01-01\n---\n\nHi\n',
      'content/comments/p/c1.md':
        '---\nname: Sam\nemail: sam@example.org\ndate: 2024-01-01 10:00:00\n---\n\nHi\n',
      'content/comments/p/c2.md': '---\nauthor: Sam\ndate: 1704103200\nreply_to: c1\n---\n\nHi\n',
      'content/comments/p/c3.md': '---\nauthor: Sam\npublished: 2024-01-01T10:00:00Z\n---\n\nHi\n',
      'content/posts/q.md': '---\ntitle: Q\ndate: [2024]\ncategories: [a]\n---\n\nHi\n',
    });
    expect(lines(await loadSite({ root, now: NOW }))).toMatchInlineSnapshot(`
      [
        "content/comments/p/c1.md:1:1: error missing-field: author is required: write \`name\`, \`email\` under \`author\` (author: {name, url, email}, or author: a name)",
        "content/comments/p/c1.md:2:1: warning unknown-key: unknown key "name": did you mean \`author\`?",
        "content/comments/p/c1.md:3:1: warning unknown-key: unknown key "email": did you mean \`author\`?",
        "content/comments/p/c2.md:3:7: error invalid-date: date must be a date such as 2012-03-13 or 2012-03-13T09:30:00Z",
        "content/comments/p/c2.md:4:1: warning unknown-key: unknown key "reply_to": did you mean \`parent\`?",
        "content/comments/p/c3.md:1:1: error missing-field: date is required: rename \`published\` to \`date\`",
        "content/comments/p/c3.md:3:1: warning unknown-key: unknown key "published": did you mean \`date\`?",
        "content/posts/q.md:3:7: error invalid-date: date must be a date such as 2012-03-13 or 2012-03-13T09:30:00Z",
        "content/posts/q.md:4:1: warning unknown-key: unknown key "categories": did you mean \`tags\`?",
      ]
    `);
  });
});
