import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withStatus } from '../../src/moderation/comment-files';
import { cli, copyGoldenSite } from '../build/helpers';

describe('broadsheet comments', () => {
  it('lists comments, filtered by status and post, as text and JSON', async () => {
    const root = await copyGoldenSite();
    const pending = await cli(['comments', 'list', '--status', 'pending', '--format', 'json'], { cwd: root });
    expect(pending.code).toBe(0);
    expect(JSON.parse(pending.stdout)).toEqual([
      expect.objectContaining({
        ref: 'hello-world/c4-pending',
        status: 'pending',
        author: 'Dave Pending',
        parent: 'c1',
      }),
    ]);
    const text = await cli(['comments', 'list', '--post', 'markdown-tour'], { cwd: root });
    expect(text.stdout).toMatch(/^markdown-tour\/m1 {2}approved {2}\S+ {2}/);
    expect(text.stderr).toBe('1 comment\n');
    const bad = await cli(['comments', 'list', '--status', 'bogus'], { cwd: root });
    expect(bad.code).toBe(2);
  });

  it('approves, marks as spam and trashes by editing only the status, byte for byte', async () => {
    const root = await copyGoldenSite();
    const file = path.join(root, 'content/comments/hello-world/c4-pending.md');
    const original =
      '\uFEFF---\r\nauthor: Dave   # a YAML comment\r\ndate: 2024-01-13T09:00:00Z\r\nstatus: "pending"   # keep me\r\n---\r\nBody *kept*\r\n';
    await writeFile(file, original);
    const approve = await cli(['comments', 'approve', 'hello-world/c4-pending'], { cwd: root });
    expect(approve).toMatchObject({ code: 0, stdout: 'hello-world/c4-pending: approved\n' });
    expect(await readFile(file, 'utf8')).toBe(original.replace('"pending"', 'approved'));
    await cli(['comments', 'spam', 'hello-world/c4-pending.md'], { cwd: root });
    expect(await readFile(file, 'utf8')).toBe(original.replace('"pending"', 'spam'));
    const show = await cli(['comments', 'show', 'hello-world/c4-pending'], { cwd: root });
    expect(show.stdout).toBe(original.replace('"pending"', 'spam'));
    const missing = await cli(['comments', 'trash', 'hello-world/nope', 'hello-world/c1'], { cwd: root });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no comment hello-world/nope');
    expect(await readFile(path.join(root, 'content/comments/hello-world/c1.md'), 'utf8')).toContain(
      'status: trash',
    );
    expect((await cli(['comments', 'approve', '../etc/passwd'], { cwd: root })).code).toBe(2);
    expect((await cli(['comments', 'delete', 'hello-world/c1'], { cwd: root })).code).toBe(2);
  });

  it('adds a status line to front matter that has none', () => {
    expect(withStatus('---\nauthor: Ann\n---\nHi\n', 'spam')).toBe(
      '---\nauthor: Ann\nstatus: spam\n---\nHi\n',
    );
    expect(withStatus('---\r\nauthor: Ann\r\n---\r\nHi', 'trash')).toBe(
      '---\r\nauthor: Ann\r\nstatus: trash\r\n---\r\nHi',
    );
    expect(withStatus('{author: Ann, status: pending}', 'spam')).toBeUndefined();
    expect(withStatus('---\n{author: Ann, status: pending}\n---\n', 'approved')).toBe(
      '---\n{author: Ann, status: approved}\n---\n',
    );
  });
});
