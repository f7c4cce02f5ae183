import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, copyGoldenSite, writeText } from '../build/helpers';
import { startDev, until } from './helpers';

const bytesAt = async (url: string) => {
  const response = await fetch(url);
  return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()) };
};

/** Fetches `url` until its status and bytes are `status` and `bytes`; throws with the last answer after 20 s. */
async function untilBytes(url: string, status: number, bytes?: Buffer): Promise<void> {
  const started = Date.now();
  for (;;) {
    const answer = await bytesAt(url);
    if (answer.status === status && (!bytes || answer.bytes.equals(bytes))) return;
    if (Date.now() - started > 20_000) {
      throw new Error(`${url}: ${answer.status} ${answer.bytes.toString('utf8').slice(0, 200)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('broadsheet dev', () => {
  it('mounts the comment intake as serve does: a pending file is written, and the page shows it once approved', async () => {
    const root = await copyGoldenSite();
    const configFile = path.join(root, 'broadsheet.config.json');
    const config = JSON.parse(await readFile(configFile, 'utf8'));
    await writeFile(configFile, JSON.stringify({ ...config, comments: { endpoint: '/comments' } }));
    const dev = await startDev(root);
    const page = `${dev.url}posts/hello-world/`;
    // The page's form posts to the intake on the dev server's origin.
    expect(await until(page, (status) => status === 200)).toContain(
      '<form class="comment-form" method="post" action="/comments">',
    );

    const response = await fetch(`${dev.origin}/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'post=hello-world&name=Ann&email=&url=&body=Seen+in+dev%21&honeypot=',
      redirect: 'manual',
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/blog/posts/hello-world/#comment-pending');
    const pending = await cli(['comments', 'list', '--status', 'pending', '--format', 'json'], { cwd: root });
    const listed = JSON.parse(pending.stdout) as {
      post: string;
      id: string;
      author: string;
      excerpt: string;
    }[];
    const ann = listed.find((comment) => comment.author === 'Ann')!;
    expect(ann).toMatchObject({ post: 'hello-world', excerpt: 'Seen in dev!' });
    // Pending: not on the page. Approved: the dev server rebuilds and the page shows it.
    expect(await (await fetch(page)).text()).not.toContain('Seen in dev!');
    const approved = await cli(['comments', 'approve', `hello-world/${ann.id}`], { cwd: root });
    expect(approved.code, approved.stderr).toBe(0);
    await until(page, (_, body) => body.includes('<p>Seen in dev!</p>'));

    // Refusals as serve answers them: a closed post, an unknown post, a GET.
    const json = (body: object) =>
      fetch(`${dev.origin}/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await json({ post: 'markdown-tour', name: 'Ann', body: 'x' })).status).toBe(403);
    expect((await json({ post: 'no-such-post', name: 'Ann', body: 'x' })).status).toBe(404);
    expect((await fetch(`${dev.origin}/comments`)).status).toBe(405);
  });

  it('serves a file of static/ and follows its addition, edit and deletion', async () => {
    const root = await copyGoldenSite();
    const dev = await startDev(root);
    const url = `${dev.url}files/notes.txt`;
    expect((await bytesAt(url)).status).toBe(404);
    const file = path.join(root, 'static/files/notes.txt');
    await writeText(file, 'first version\n');
    await untilBytes(url, 200, Buffer.from('first version\n'));
    const image = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2, 255]);
    await writeFile(file, image);
    await untilBytes(url, 200, image);
    await rm(file);
    await untilBytes(url, 404);
    // The rest of the site is still served.
    expect((await bytesAt(dev.url)).status).toBe(200);
  });
});
