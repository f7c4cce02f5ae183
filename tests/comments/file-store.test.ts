import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commentFileText } from '../../src/comments/index';
import { createFileCommentStore } from '../../src/index';
import { cli, copyGoldenSite, temporaryFolder } from '../build/helpers';
import { intakeFor, jsonPost } from './helpers';

describe('createFileCommentStore', () => {
  it('writes content/comments/<post>/<id>.md as pending, and never overwrites', async () => {
    const folder = path.join(await temporaryFolder(), 'comments');
    const store = createFileCommentStore({ folder });
    const comment = {
      id: '01HZZZZZZZZZZZZZZZZZZZZZZZ',
      post: 'hello',
      parent: 'c1',
      author: {
        name: 'Ann: "quoted" # not a comment',
        email: 'ann@example.com',
        url: 'https://ann.example/',
      },
      date: '2026-01-02T03:04:05.678Z',
      body: '---\nnot front matter\n',
    };
    await store.create(comment);
    const file = path.join(folder, 'hello', `${comment.id}.md`);
    expect(await readFile(file, 'utf8')).toBe(commentFileText(comment));
    expect(commentFileText(comment)).toMatchInlineSnapshot(`
      "---
      author:
        name: 'Ann: "quoted" # not a comment'
        url: https://ann.example/
        email: ann@example.com
      date: 2026-01-02T03:04:05.678Z
      parent: c1
      status: pending
      ---
      ---
      not front matter
      "
    `);
    await expect(store.create({ ...comment, body: 'other' })).rejects.toMatchObject({ code: 'EEXIST' });
    expect(await readFile(file, 'utf8')).toBe(commentFileText(comment));
    expect(await readdir(path.join(folder, 'hello'))).toEqual([`${comment.id}.md`]);
    await expect(store.create({ ...comment, post: '../x' })).rejects.toThrow(/not a comment path/);
  });

  it('gives files that `broadsheet check` accepts, through the intake of a built site', async () => {
    const root = await copyGoldenSite();
    expect((await cli(['build'], { cwd: root })).code).toBe(0);
    const before = await cli(['check', '--format', 'json'], { cwd: root });
    const intake = intakeFor(root);
    const response = await intake(
      jsonPost({
        post: 'hello-world',
        parent: 'c1',
        name: 'Zoë <b>Z</b>',
        url: 'https://z.example/',
        body: 'Hi *there*',
      }),
    );
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    const text = await readFile(path.join(root, 'content/comments/hello-world', `${id}.md`), 'utf8');
    expect(text).toContain('name: Zoë Z\n');
    expect(text).toContain('status: pending\n');
    const check = await cli(['check', '--format', 'json'], { cwd: root });
    expect(check.code, check.stdout).toBe(0);
    // The golden site has warnings of its own; the new file adds none.
    expect(check.stdout).toBe(before.stdout);
  });
});
