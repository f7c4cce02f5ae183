import { mkdir, symlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mount } from '../../src/server/handler';
import { mediaTypeOf } from '../../src/server/media-types';
import { startServer } from '../../src/server/node';
import { createStaticHandler, resolveRequestPath } from '../../src/server/static';
import { goldenRoot, temporaryFolder } from '../build/helpers';

const out = path.join(goldenRoot, 'expected');
const handler = createStaticHandler({ root: out, basePath: '/blog/' });
const get = (pathname: string, init?: RequestInit) =>
  handler(new Request(`http://localhost${pathname}`, init));

describe('createStaticHandler', () => {
  it('serves every kind of output with its media type', async () => {
    const cases: [string, string][] = [
      ['/blog/', 'text/html; charset=utf-8'],
      ['/blog/atom.xml', 'application/atom+xml; charset=utf-8'],
      ['/blog/rss.xml', 'application/rss+xml; charset=utf-8'],
      ['/blog/feed.json', 'application/feed+json; charset=utf-8'],
      ['/blog/comments/atom.xml', 'application/atom+xml; charset=utf-8'],
      ['/blog/api/site.json', 'application/json; charset=utf-8'],
    ];
    for (const [pathname, type] of cases) {
      const response = await get(pathname);
      expect(response.status, pathname).toBe(200);
      expect(response.headers.get('content-type'), pathname).toBe(type);
      expect(Number(response.headers.get('content-length'))).toBe((await response.arrayBuffer()).byteLength);
    }
  });

  it('gives the media types of common static files', () => {
    expect(mediaTypeOf('a/style.CSS')).toBe('text/css; charset=utf-8');
    expect(mediaTypeOf('logo.svg')).toBe('image/svg+xml');
    expect(mediaTypeOf('font.woff2')).toBe('font/woff2');
    expect(mediaTypeOf('README')).toBe('application/octet-stream');
    expect(mediaTypeOf('x.constructor')).toBe('application/octet-stream');
  });

  it('answers a conditional GET with 304 by ETag and by date, and HEAD without a body', async () => {
    const first = await get('/blog/index.html');
    const etag = first.headers.get('etag')!;
    const lastModified = first.headers.get('last-modified')!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(new Date(lastModified).toUTCString()).toBe(lastModified);
    const byTag = await get('/blog/index.html', { headers: { 'if-none-match': `"other", ${etag}` } });
    expect(byTag.status).toBe(304);
    expect(byTag.headers.get('etag')).toBe(etag);
    expect(await byTag.text()).toBe('');
    expect((await get('/blog/index.html', { headers: { 'if-none-match': '"other"' } })).status).toBe(200);
    expect((await get('/blog/index.html', { headers: { 'if-modified-since': lastModified } })).status).toBe(
      304,
    );
    const earlier = new Date(Date.parse(lastModified) - 1000).toUTCString();
    expect((await get('/blog/index.html', { headers: { 'if-modified-since': earlier } })).status).toBe(200);
    const head = await get('/blog/atom.xml', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(0);
    expect(head.body).toBeNull();
  });

  it('keeps the ETag when a file is rewritten with the same bytes', async () => {
    const root = await temporaryFolder();
    await writeFile(path.join(root, 'a.txt'), 'same');
    const own = createStaticHandler({ root });
    const before = (await own(new Request('http://localhost/a.txt'))).headers.get('etag');
    await writeFile(path.join(root, 'a.txt'), 'same');
    await utimes(path.join(root, 'a.txt'), new Date(), new Date(Date.now() + 5000));
    const after = await own(new Request('http://localhost/a.txt', { headers: { 'if-none-match': before! } }));
    expect(after.status).toBe(304);
    await writeFile(path.join(root, 'a.txt'), 'other');
    const changed = await own(
      new Request('http://localhost/a.txt', { headers: { 'if-none-match': before! } }),
    );
    expect(changed.status).toBe(200);
    expect(await changed.text()).toBe('other');
  });

  it('redirects a folder without its final slash, and the base path without it', async () => {
    const folder = await get('/blog/posts/hello-world?x=1');
    expect(folder.status).toBe(301);
    expect(folder.headers.get('location')).toBe('/blog/posts/hello-world/?x=1');
    const base = await get('/blog');
    expect(base.status).toBe(301);
    expect(base.headers.get('location')).toBe('/blog/');
  });

  it('answers 404 outside the base path, for missing files, folders without index and dot files', async () => {
    for (const pathname of [
      '/',
      '/index.html',
      '/blogx/index.html',
      '/blog/nope.html',
      '/blog/api/',
      '/blog/index.html/',
      '/blog/.broadsheet-build',
      '/blog//index.html',
    ]) {
      const response = await get(pathname);
      expect(response.status, pathname).toBe(404);
      // The build's own 404.html is the answer.
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await response.text()).toContain('<h1>Page not found</h1>');
    }
  });

  it('refuses 405 for other methods', async () => {
    const response = await get('/blog/', { method: 'POST', body: 'x' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });

  it('never leaves the folder: dot segments, encoded slashes, NUL, symbolic links', async () => {
    const base = await temporaryFolder();
    const root = path.join(base, 'public');
    await mkdir(path.join(root, 'inner'), { recursive: true });
    await writeFile(path.join(base, 'secret.txt'), 'secret');
    await writeFile(path.join(root, 'inner/ok.txt'), 'ok');
    await symlink(path.join(base, 'secret.txt'), path.join(root, 'link.txt'));
    await symlink(base, path.join(root, 'outside'));
    await symlink(path.join(root, 'inner/ok.txt'), path.join(root, 'inside.txt'));
    const own = createStaticHandler({ root });
    for (const pathname of [
      '/../secret.txt',
      '/inner/..%2f..%2fsecret.txt',
      '/inner/%2e%2e/%2e%2e/secret.txt',
      '/inner%5c..%5c..%5csecret.txt',
      '/link.txt',
      '/outside/secret.txt',
      '/inner/ok.txt%00',
      '/%E0%A4%A',
    ]) {
      const response = await own(new Request(`http://localhost${pathname}`));
      expect(response.status, pathname).toBe(404);
      expect(await response.text()).not.toContain('secret');
    }
    expect(await (await own(new Request('http://localhost/inside.txt'))).text()).toBe('ok');
    expect(await resolveRequestPath(root, '/', '/inner/ok.txt')).toEqual({
      kind: 'file',
      file: path.join(await import('node:fs/promises').then((fs) => fs.realpath(root)), 'inner/ok.txt'),
    });
  });

  it("serves the folder's 404.html on a miss when there is one", async () => {
    const root = await temporaryFolder();
    await writeFile(path.join(root, '404.html'), '<!doctype html><title>Lost</title>');
    const response = await createStaticHandler({ root })(new Request('http://localhost/nope'));
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toContain('Lost');
  });
});

describe('toNodeListener and startServer', () => {
  it('carries requests, bodies, headers and the peer address both ways over node:http', async () => {
    const echo = mount(
      '/echo',
      async (request, info) =>
        new Response(JSON.stringify({ body: await request.text(), remote: info?.remoteAddress }), {
          status: 201,
          headers: { 'x-method': request.method, 'set-cookie': 'a=1' },
        }),
      handler,
    );
    const running = await startServer(echo, { host: '127.0.0.1', port: 0 });
    try {
      const posted = await fetch(`${running.origin}/echo`, { method: 'POST', body: 'héllo' });
      expect(posted.status).toBe(201);
      expect(posted.headers.get('x-method')).toBe('POST');
      expect(posted.headers.getSetCookie()).toEqual(['a=1']);
      expect(await posted.json()).toEqual({ body: 'héllo', remote: '127.0.0.1' });
      const page = await fetch(`${running.origin}/blog/rss.xml`);
      expect(page.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
      expect(await page.text()).toContain('<rss');
      const head = await fetch(`${running.origin}/blog/rss.xml`, { method: 'HEAD' });
      expect(head.headers.get('content-length')).toBe(page.headers.get('content-length'));
    } finally {
      await running.close();
    }
  });

  it('answers a bare 500 when a handler throws, and keeps serving', async () => {
    const errors: unknown[] = [];
    const running = await startServer(
      async (request) => {
        if (new URL(request.url).pathname === '/boom') throw new Error('secret detail');
        return new Response('fine');
      },
      { host: '127.0.0.1', port: 0, onError: (error) => errors.push(error) },
    );
    try {
      const boom = await fetch(`${running.origin}/boom`);
      expect(boom.status).toBe(500);
      expect(await boom.text()).toBe('Internal Server Error\n');
      expect(errors).toHaveLength(1);
      expect(await (await fetch(`${running.origin}/ok`)).text()).toBe('fine');
    } finally {
      await running.close();
    }
  });
});
