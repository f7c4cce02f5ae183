import { BroadsheetError } from '../errors';
import { escapeHtml } from '../outputs/pages/html';
import { type CommentsConfig, commentsConfigSchema } from '../schema/comments-config';
import { SLUG_PATTERN } from '../schema/content';
import type { ClientInfo, RequestHandler } from '../server/handler';
import { newCommentId } from './ids';
import type { PostDirectory } from './posts';
import { createMemoryRateLimiter, type RateLimiter } from './rate-limit';
import { bodyKindOf, MalformedBody, parseBody, readLimited } from './request';
import type { CommentStore, NewComment } from './store';
import { readSubmission } from './validate';

/** Options of {@link createCommentHandler}. */
export interface CommentHandlerOptions {
  /** The site's settings: `site.url`, and `comments` (endpoint, maxLength, rateLimit) as in the config. */
  config: { site: { url: string }; comments?: CommentsConfig };
  /** Where accepted comments are written. */
  store: CommentStore;
  /** Where posts are looked up (published, open, approved comments). */
  posts: PostDirectory;
  /** Replaces the limiter made from `config.comments.rateLimit` (`false`: none). */
  rateLimiter?: RateLimiter | false;
  /**
   * Who the client is, for the rate limit. Default: the peer address the server passes
   * (`info.remoteAddress`). Behind a proxy or on an edge platform, return the header it sets
   * (`X-Forwarded-For`'s last hop, `CF-Connecting-IP`): the default would limit the proxy.
   */
  clientKey?: (request: Request, info?: ClientInfo) => string;
  /** The largest request body in bytes. Default: enough for `maxLength` characters, all %-escaped. */
  maxBytes?: number;
  /** Identical submissions within this many seconds give the same comment (default 600). */
  duplicateWindowSeconds?: number;
  /** Origins allowed to post JSON from a browser script (CORS). Default: the origin of `site.url`. */
  allowedOrigins?: readonly string[];
  /** The clock (tests pass their own). */
  now?: () => Date;
}

/** A refusal: status, machine-readable code, human message, and the field at fault. */
interface Refusal {
  status: number;
  code: string;
  message: string;
  field?: string;
  headers?: Record<string, string>;
}

/** What a JSON refusal's body is: `{error: {code, message, field?}}`. */
export interface CommentErrorBody {
  error: { code: string; message: string; field?: string };
}

/**
 * The comment intake: a web-standard handler, `(request) => Promise<Response>`, with no
 * Node built-ins, so the same function runs on `node:http` (through `toNodeListener`), serverless
 * and edge platforms. It takes a `POST` of `application/x-www-form-urlencoded` (an HTML form, no
 * JavaScript) or `application/json` with the fields `post`, `parent`, `name`, `email`, `url`,
 * `body`, `honeypot`, validates it, and hands the comment to `store` with `status: pending`.
 *
 * Answers: JSON → `201 {id, status: "pending"}`; a form → `303` to the post's page at
 * `#comment-pending` (the page shows its "awaiting moderation" notice there). Refusals are 4xx
 * with `{error: {code, message, field?}}` (an HTML page for a form): 400 malformed body,
 * 403 closed post, 404 unknown post, 405 not POST, 413 too large, 415 content type, 422 invalid
 * field, 429 rate limited (with `Retry-After`). A filled `honeypot` is answered like a success and
 * nothing is stored. Only a failing store gives a 5xx (503), never the visitor's input.
 *
 * @example
 * ```ts
 * import { createCommentHandler, postsFromApi } from 'broadsheet/comments';
 * const handler = createCommentHandler({
 *   config: { site: { url: 'https://example.com/' }, comments: { endpoint: '/comments' } },
 *   posts: postsFromApi({ siteUrl: 'https://example.com/' }),
 *   store: { async create(comment) { await saveSomewhere(comment); } },
 * });
 * export default { fetch: handler };
 * ```
 */
export function createCommentHandler(options: CommentHandlerOptions): RequestHandler {
  if (!options?.store || typeof options.store.create !== 'function') {
    throw new BroadsheetError('invalid-argument', 'createCommentHandler needs a store with a create method');
  }
  if (!options.posts || typeof options.posts.get !== 'function') {
    throw new BroadsheetError('invalid-argument', 'createCommentHandler needs posts (a PostDirectory)');
  }
  const parsedConfig = commentsConfigSchema.safeParse(options.config?.comments ?? {});
  if (!parsedConfig.success || !URL.canParse(options.config.site.url)) {
    throw new BroadsheetError(
      'invalid-argument',
      'createCommentHandler: config.site.url or config.comments is invalid',
    );
  }
  const comments = parsedConfig.data;
  const siteOrigin = new URL(options.config.site.url).origin;
  const sameOrigin =
    comments.endpoint === undefined ||
    comments.endpoint.startsWith('/') ||
    new URL(comments.endpoint).origin === siteOrigin;
  const maxBytes = options.maxBytes ?? comments.maxLength * 9 + 16 * 1024;
  const limiter =
    options.rateLimiter !== undefined
      ? options.rateLimiter
      : comments.rateLimit === false
        ? false
        : createMemoryRateLimiter(comments.rateLimit);
  const clientKey =
    options.clientKey ?? ((_request: Request, info?: ClientInfo) => info?.remoteAddress ?? 'unknown');
  const windowMs = (options.duplicateWindowSeconds ?? 600) * 1000;
  const now = options.now ?? (() => new Date());
  const allowedOrigins = new Set(options.allowedOrigins ?? [siteOrigin]);
  const recent = new Map<string, { id: Promise<string>; until: number }>();

  const corsHeaders = (request: Request): Record<string, string> => {
    const origin = request.headers.get('origin');
    return origin !== null && allowedOrigins.has(origin)
      ? { 'access-control-allow-origin': origin, vary: 'Origin' }
      : {};
  };

  /** Stores a comment once per window for identical text; resolves with its id. */
  const storeOnce = (fields: Omit<NewComment, 'id' | 'date'>): Promise<string> => {
    const time = now().getTime();
    if (recent.size > 1000) for (const [key, entry] of recent) if (entry.until < time) recent.delete(key);
    const key = JSON.stringify([fields.post, fields.parent, fields.author, fields.body]);
    const known = recent.get(key);
    if (known && known.until >= time) return known.id;
    const id = (async () => {
      const date = new Date(time).toISOString();
      try {
        const created = { ...fields, id: newCommentId(time), date };
        await options.store.create(created);
        return created.id;
      } catch (error) {
        if ((error as { code?: unknown } | null)?.code !== 'EEXIST') throw error;
        const created = { ...fields, id: newCommentId(time), date };
        await options.store.create(created);
        return created.id;
      }
    })();
    recent.set(key, { id, until: time + windowMs });
    id.catch(() => recent.delete(key));
    return id;
  };

  return async (request, info) => {
    const cors = corsHeaders(request);
    if (request.method === 'OPTIONS') {
      return new Response(null, {
        status: 204,
        headers: {
          ...cors,
          allow: 'POST, OPTIONS',
          ...(cors['access-control-allow-origin']
            ? {
                'access-control-allow-methods': 'POST',
                'access-control-allow-headers': 'content-type',
                'access-control-max-age': '86400',
              }
            : {}),
        },
      });
    }
    const kind = bodyKindOf(request.headers.get('content-type'));
    // A form gets HTML pages, unless its sender (a script) asks for JSON.
    const wantsHtml =
      !acceptsJson(request) && (kind === 'form' || (kind === undefined && prefersHtml(request)));
    const refuse = (refusal: Refusal, postUrl?: string) =>
      refusalResponse(refusal, wantsHtml, postUrl, { ...cors, ...refusal.headers });
    if (request.method !== 'POST') {
      return refuse({
        status: 405,
        code: 'method-not-allowed',
        message: 'comments are sent with POST',
        headers: { allow: 'POST, OPTIONS' },
      });
    }
    if (kind === undefined) {
      return refuse({
        status: 415,
        code: 'unsupported-media-type',
        message: 'send application/x-www-form-urlencoded or application/json (UTF-8)',
      });
    }
    const declared = Number(request.headers.get('content-length') ?? '0');
    if (declared > maxBytes) return refuse(tooLarge(maxBytes));
    if (limiter) {
      const decision = await limiter.take(clientKey(request, info));
      if (!decision.ok) {
        return refuse({
          status: 429,
          code: 'rate-limited',
          message: `too many comments: try again in ${decision.retryAfterSeconds} seconds`,
          headers: { 'retry-after': String(decision.retryAfterSeconds) },
        });
      }
    }
    let bytes: Uint8Array | undefined;
    try {
      bytes = await readLimited(request.body, maxBytes);
    } catch {
      return refuse({ status: 400, code: 'malformed-body', message: 'the body could not be read' });
    }
    if (!bytes) return refuse(tooLarge(maxBytes));
    const fields = parseBody(kind, bytes);
    if (fields instanceof MalformedBody) {
      return refuse({ status: 400, code: 'malformed-body', message: fields.message });
    }
    // The post is checked first: an unknown or closed post is said before any other field's problem.
    const rawPost = fields.get('post');
    if (typeof rawPost !== 'string' || rawPost.trim() === '') {
      return refuse({
        status: 422,
        code: 'invalid-field',
        message: 'post is required: the slug of the post',
        field: 'post',
      });
    }
    const unknownPost: Refusal = {
      status: 404,
      code: 'unknown-post',
      message: 'there is no such post',
      field: 'post',
    };
    if (!SLUG_PATTERN.test(rawPost.trim())) return refuse(unknownPost);
    const entry = await lookUp(options.posts, rawPost.trim());
    if (entry instanceof Response) return entry;
    if (!entry) return refuse(unknownPost);
    if (!entry.open) {
      return refuse(
        { status: 403, code: 'comments-closed', message: 'comments are closed on this post' },
        entry.url,
      );
    }
    const read = readSubmission(fields, comments.maxLength);
    if (!read.ok) return refuse({ status: 422, ...read.problem }, entry.url);
    const { submission } = read;
    if (submission.parent !== undefined && !entry.approvedCommentIds.includes(submission.parent)) {
      return refuse(
        {
          status: 422,
          code: 'unknown-parent',
          message: 'parent must be a published comment of the same post',
          field: 'parent',
        },
        entry.url,
      );
    }
    let id: string;
    if (submission.honeypot) {
      id = newCommentId(now().getTime());
    } else {
      try {
        id = await storeOnce({
          post: submission.post,
          parent: submission.parent,
          author: {
            name: submission.name,
            ...(submission.email === undefined ? {} : { email: submission.email }),
            ...(submission.url === undefined ? {} : { url: submission.url }),
          },
          body: submission.body,
        });
      } catch {
        return refusalResponse(
          {
            status: 503,
            code: 'store-failed',
            message: 'the comment could not be saved: please try again later',
          },
          wantsHtml,
          entry.url,
          { ...cors, 'retry-after': '60' },
        );
      }
    }
    if (kind === 'form') {
      const target = new URL(entry.url);
      target.hash = 'comment-pending';
      const location = sameOrigin ? `${target.pathname}${target.search}${target.hash}` : target.href;
      return new Response(null, { status: 303, headers: { ...cors, location } });
    }
    return Response.json({ id, status: 'pending' }, { status: 201, headers: cors });
  };
}

/** Looks a post up; a directory that fails gives a 503 response rather than a throw. */
async function lookUp(posts: PostDirectory, slug: string) {
  try {
    return await posts.get(slug);
  } catch {
    return refusalResponse(
      {
        status: 503,
        code: 'posts-unavailable',
        message: 'the post could not be looked up: please try again later',
      },
      false,
      undefined,
      { 'retry-after': '60' },
    );
  }
}

function tooLarge(maxBytes: number): Refusal {
  return { status: 413, code: 'payload-too-large', message: `the body is larger than ${maxBytes} bytes` };
}

function acceptsJson(request: Request): boolean {
  return (request.headers.get('accept') ?? '').includes('application/json');
}

function prefersHtml(request: Request): boolean {
  const accept = request.headers.get('accept') ?? '';
  return accept.includes('text/html') && !accept.includes('application/json');
}

/** A refusal as JSON `{error}`, or as a small HTML page for a form (with a link back to the post). */
function refusalResponse(
  refusal: Refusal,
  html: boolean,
  postUrl: string | undefined,
  headers: Record<string, string>,
): Response {
  if (!html) {
    const error: CommentErrorBody['error'] = { code: refusal.code, message: refusal.message };
    if (refusal.field !== undefined) error.field = refusal.field;
    return Response.json({ error } satisfies CommentErrorBody, { status: refusal.status, headers });
  }
  const back = postUrl
    ? `<p><a href="${escapeHtml(postUrl)}#comments">Back to the post</a> (use your browser's Back button to keep what you wrote).</p>\n`
    : '';
  const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Comment not posted</title>
</head>
<body>
<main>
<h1>Your comment was not posted</h1>
<p>${escapeHtml(refusal.message)}.</p>
${back}</main>
</body>
</html>
`;
  return new Response(page, {
    status: refusal.status,
    headers: { ...headers, 'content-type': 'text/html; charset=utf-8' },
  });
}
