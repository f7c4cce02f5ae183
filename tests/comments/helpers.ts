import path from 'node:path';
import { createCommentHandler, postsFromApi, type RequestHandler } from '../../src/comments/index';
import { createFileCommentStore } from '../../src/server/comment-file-store';
import { createStaticHandler } from '../../src/server/static';

/** The golden site's URL (its config's `site.url`). */
export const GOLDEN_URL = 'https://gazette.example/blog/';

/**
 * The comment handler `broadsheet serve` mounts, for a site root whose `public/` is built: the
 * filesystem store of the root and the posts of the built JSON API; no rate limit.
 */
export function intakeFor(root: string): RequestHandler {
  const files = createStaticHandler({ root: path.join(root, 'public'), basePath: '/blog/' });
  return createCommentHandler({
    config: { site: { url: GOLDEN_URL }, comments: { endpoint: '/comments', rateLimit: false } },
    store: createFileCommentStore({ folder: path.join(root, 'content/comments') }),
    posts: postsFromApi({ siteUrl: GOLDEN_URL, fetch: (url) => files(new Request(url)) }),
  });
}

/** A JSON submission to the intake. */
export function jsonPost(fields: Record<string, unknown>, base = 'http://127.0.0.1/'): Request {
  return new Request(new URL('/comments', base), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fields),
  });
}
