// Drives both deployments of the intake against the built site (run `npm run build` first):
// the `export default { fetch }` module through its interface, and server.mjs over HTTP.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import path from 'node:path';

const root = path.dirname(new URL(import.meta.url).pathname);
const check = (ok, message) => {
  if (!ok) throw new Error(message);
  console.log(`ok: ${message}`);
};

// A stand-in for the static host: public/ on loopback.
const host = createServer(async (request, response) => {
  const pathname = decodeURIComponent(new URL(request.url, 'http://x').pathname);
  try {
    if (pathname.split('/').includes('..')) throw new Error('no');
    response.end(await readFile(path.join(root, 'public', pathname)));
  } catch {
    response.writeHead(404).end();
  }
});
await new Promise((resolve) => host.listen(0, '127.0.0.1', resolve));
process.env.SITE_URL = `http://127.0.0.1:${host.address().port}/`;

const { default: worker, received } = await import('./fetch-handler.mjs');
const post = (fields, type = 'json') =>
  worker.fetch(
    new Request('https://comments.example/comments', {
      method: 'POST',
      headers: { 'content-type': type === 'json' ? 'application/json' : 'application/x-www-form-urlencoded' },
      body: type === 'json' ? JSON.stringify(fields) : new URLSearchParams(fields).toString(),
    }),
  );
const created = await post({ post: 'welcome', name: 'Sam', body: 'Saw a seal!' });
check(created.status === 201, `fetch module: a JSON comment is 201 (${created.status})`);
check(received.length === 1 && received[0].author.name === 'Sam', 'fetch module: the store got it');
const form = await post({ post: 'welcome', name: 'Ana', body: 'Two seals.' }, 'form');
check(form.status === 303 && form.headers.get('location') === '/posts/welcome/#comment-pending', 'fetch module: a form is 303 to the post');
const unknown = await post({ post: 'nope', name: 'Ana', body: 'x' });
check(unknown.status === 404 && (await unknown.json()).error.code === 'unknown-post', 'fetch module: an unknown post is 404');
host.close();

// server.mjs: the intake on node:http with the filesystem store.
const server = spawn(process.execPath, ['server.mjs'], { cwd: root, env: { ...process.env, PORT: '0' } });
let printed = '';
server.stdout.on('data', (chunk) => {
  printed += chunk;
});
while (!/listening on (\S+)/.test(printed)) await new Promise((resolve) => setTimeout(resolve, 50));
const endpoint = /listening on (\S+)/.exec(printed)[1];
const answer = await fetch(endpoint, {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: 'post=welcome&name=Lee&email=lee%40example.com&body=Fog+at+noon.&honeypot=',
  redirect: 'manual',
});
check(answer.status === 303, `server.mjs: a form post is 303 (${answer.status})`);
const files = await readdir(path.join(root, 'content/comments/welcome'));
const text = await readFile(path.join(root, 'content/comments/welcome', files[0]), 'utf8');
check(files.length === 1 && text.includes('status: pending'), 'server.mjs: content/comments/welcome/<id>.md is pending');
server.kill('SIGTERM');
await once(server, 'exit');
