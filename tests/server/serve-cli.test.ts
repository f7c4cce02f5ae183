import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, copyGoldenSite } from '../build/helpers';
import { type ServeProcess, startServe } from './serve-process';

const running: ServeProcess[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((serve) => serve.stop()));
});

describe('broadsheet serve', () => {
  it('serves the built site under the path of site.url on loopback, until SIGTERM', async () => {
    const root = await copyGoldenSite();
    const build = await cli(['build', '--root', root], { cwd: root });
    expect(build.code, build.stderr).toBe(0);
    const serve = await startServe(root);
    running.push(serve);
    const { url } = serve;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/blog\/$/);
    const home = await fetch(url);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('The Golden Gazette');
    const feed = await fetch(new URL('posts/hello-world/comments/atom.xml', url));
    expect(feed.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const again = await fetch(new URL('posts/hello-world/comments/atom.xml', url), {
      headers: { 'if-none-match': feed.headers.get('etag')! },
    });
    expect(again.status).toBe(304);
    expect((await fetch(new URL('/../broadsheet.config.json', url))).status).toBe(404);
    // Without comments.endpoint nothing takes a POST: the files answer 405.
    expect((await fetch(new URL('/blog/', url), { method: 'POST', body: 'x' })).status).toBe(405);
    expect(await serve.stop()).toBe(0);
  });

  it('takes a form post at comments.endpoint: 303 back to the post, a pending file written', async () => {
    const root = await copyGoldenSite();
    const configFile = path.join(root, 'broadsheet.config.json');
    const config = JSON.parse(await readFile(configFile, 'utf8'));
    await writeFile(configFile, JSON.stringify({ ...config, comments: { endpoint: '/comments' } }));
    expect((await cli(['build'], { cwd: root })).code).toBe(0);
    const serve = await startServe(root);
    running.push(serve);
    const response = await fetch(new URL('/comments', serve.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'post=hello-world&name=Ann&email=&url=&body=Hello%21&honeypot=',
      redirect: 'manual',
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/blog/posts/hello-world/#comment-pending');
    const pending = await cli(['comments', 'list', '--status', 'pending', '--format', 'json'], { cwd: root });
    expect(JSON.parse(pending.stdout)).toContainEqual(
      expect.objectContaining({ post: 'hello-world', author: 'Ann', excerpt: 'Hello!', status: 'pending' }),
    );
    const closed = await fetch(new URL('/comments', serve.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ post: 'markdown-tour', name: 'Ann', body: 'x' }),
    });
    expect(closed.status).toBe(403);
  });

  it('refuses a site that was never built, and a bad port, with exit code 2', async () => {
    const root = await copyGoldenSite();
    const unbuilt = await cli(['serve', '--port', '0'], { cwd: root });
    expect(unbuilt.code).toBe(2);
    expect(unbuilt.stderr).toContain('public/ does not exist: run `broadsheet build` first');
    const badPort = await cli(['serve', '--port', 'eighty'], { cwd: root });
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toContain('--port must be a whole number');
  });
});
