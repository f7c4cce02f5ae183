// The same intake as a plain `export default { fetch }` module: the shape serverless and edge
// platforms (Cloudflare Workers, Deno Deploy, Bun, Vercel and Netlify functions) call. No Node
// built-ins. SITE_URL is where the built site (and its JSON API) is published.
import { createCommentHandler, postsFromApi } from 'broadsheet/comments';
import config from './broadsheet.config.json' with { type: 'json' };

/**
 * Comments received, in memory: a stand-in for a durable store. On a real platform, write each
 * comment to its KV store, a database or a Git repository (docs/comments.md has a worked GitHub
 * store); `commentFileText(comment)` gives the file broadsheet reads.
 */
export const received = [];

const siteUrl = globalThis.process?.env?.SITE_URL ?? config.site.url;

const handler = createCommentHandler({
  config,
  posts: postsFromApi({ siteUrl }),
  store: {
    async create(comment) {
      received.push(comment);
    },
  },
  // On an edge platform the visitor's address is a header the platform sets.
  clientKey: (request) => request.headers.get('cf-connecting-ip') ?? request.headers.get('x-real-ip') ?? 'unknown',
});

export default { fetch: (request) => handler(request) };
