// The comment intake of a broadsheet site on node:http: createCommentHandler (broadsheet/comments)
// with the filesystem store, adapted by toNodeListener. A reverse proxy serves the built `public/`
// folder and forwards POST /comments here (see README.md).
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import path from 'node:path';
import { createFileCommentStore, toNodeListener } from 'broadsheet';
import { createCommentHandler, postsFromApi } from 'broadsheet/comments';

const root = path.dirname(new URL(import.meta.url).pathname);
const config = JSON.parse(await readFile(path.join(root, 'broadsheet.config.json'), 'utf8'));
const publicFolder = path.join(root, 'public');
const basePath = new URL(config.site.url).pathname;

const handler = createCommentHandler({
  config,
  store: createFileCommentStore({ folder: path.join(root, 'content/comments') }),
  // Posts as the built site shows them, read from public/api/posts/<slug>.json on this disk.
  posts: postsFromApi({
    siteUrl: config.site.url,
    fetch: async (url) => {
      const relative = decodeURIComponent(new URL(url).pathname.slice(basePath.length));
      if (relative.split('/').includes('..')) return new Response(null, { status: 404 });
      try {
        return new Response(await readFile(path.join(publicFolder, relative)));
      } catch {
        return new Response(null, { status: 404 });
      }
    },
  }),
  // Behind a proxy every request comes from the proxy: rate-limit by the address it forwards
  // (the last hop of X-Forwarded-For, which the proxy appends) when TRUST_PROXY=1.
  clientKey: (request, info) =>
    process.env.TRUST_PROXY === '1'
      ? (request.headers.get('x-forwarded-for') ?? '').split(',').at(-1).trim() || 'unknown'
      : (info?.remoteAddress ?? 'unknown'),
});

const server = createServer(
  toNodeListener(
    async (request, info) =>
      new URL(request.url).pathname === '/comments' ? handler(request, info) : new Response('Not Found', { status: 404 }),
    { onError: (error) => console.error(error) },
  ),
);
server.listen(Number(process.env.PORT ?? 8787), process.env.HOST ?? '127.0.0.1', () => {
  const { address, port } = server.address();
  console.log(`comment intake listening on http://${address}:${port}/comments`);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
