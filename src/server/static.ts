import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { RequestHandler } from './handler';
import { mediaTypeOf } from './media-types';

/** Options of {@link createStaticHandler}. */
export interface StaticHandlerOptions {
  /** The folder to serve (a build's `out`). It may not exist yet: requests then answer 404. */
  root: string;
  /**
   * The URL path the folder answers at, starting and ending with `/`: the path of `site.url`
   * (`/blog/` for `https://example.com/blog/`). Default `/`. Requests outside it answer 404;
   * the path without its final `/` redirects to it.
   */
  basePath?: string;
}

/** Where a request path leads inside the served folder. */
export type ResolvedPath =
  | { kind: 'file'; file: string }
  | { kind: 'redirect'; location: string }
  | { kind: 'not-found' };

/** Files up to this size are read whole and get a content hash as ETag; bigger ones are streamed. */
const WHOLE_FILE_LIMIT = 8 * 1024 * 1024;

/**
 * A handler that serves the files of a folder (`GET` and `HEAD`), as `broadsheet serve` does:
 * media types by file name (feeds as `application/atom+xml`, `application/rss+xml`,
 * `application/feed+json`), a strong `ETag` (a hash of the bytes, so a rebuild that writes the
 * same bytes keeps it) and `Last-Modified`, `304` for `If-None-Match` / `If-Modified-Since`,
 * `folder/` served from `folder/index.html`, `folder` redirected to `folder/`, no directory
 * listing, nothing outside the folder (no `..`, no encoded slash, no dot file, no symbolic link
 * that leads out). A missing file answers 404 with the folder's `404.html` when there is one.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * const handler = createStaticHandler({ root: 'public', basePath: '/blog/' });
 * createServer(toNodeListener(handler)).listen(8080, '127.0.0.1');
 * ```
 */
export function createStaticHandler(options: StaticHandlerOptions): RequestHandler {
  const root = path.resolve(options.root);
  const basePath = normalizeBasePath(options.basePath ?? '/');
  const etags = new Map<string, { key: string; etag: string }>();

  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return methodNotAllowed();
    const url = new URL(request.url);
    const resolved = await resolveRequestPath(root, basePath, url.pathname);
    if (resolved.kind === 'redirect') {
      return new Response(null, { status: 301, headers: { location: resolved.location + url.search } });
    }
    if (resolved.kind === 'not-found') return notFound(root, request.method);

    const info = await stat(resolved.file).catch(() => undefined);
    if (!info?.isFile()) return notFound(root, request.method);
    const key = `${info.size}:${info.mtimeMs}:${info.ino}`;
    let bytes: Buffer | undefined;
    let etag = etags.get(resolved.file)?.key === key ? etags.get(resolved.file)!.etag : undefined;
    if (etag === undefined) {
      if (info.size <= WHOLE_FILE_LIMIT) {
        bytes = await readFile(resolved.file).catch(() => undefined);
        if (!bytes) return notFound(root, request.method);
        etag = `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"`;
      } else {
        etag = `W/"${info.size.toString(36)}-${Math.floor(info.mtimeMs).toString(36)}"`;
      }
      if (etags.size >= 10_000) etags.clear();
      etags.set(resolved.file, { key, etag });
    }
    const lastModified = new Date(Math.floor(info.mtimeMs / 1000) * 1000);
    const headers = new Headers({
      'cache-control': 'no-cache',
      etag,
      'last-modified': lastModified.toUTCString(),
      'x-content-type-options': 'nosniff',
    });
    if (isNotModified(request.headers, etag, lastModified)) {
      return new Response(null, { status: 304, headers });
    }
    headers.set('content-type', mediaTypeOf(resolved.file));
    headers.set('content-length', String(info.size));
    if (request.method === 'HEAD') return new Response(null, { status: 200, headers });
    if (!bytes && info.size <= WHOLE_FILE_LIMIT) bytes = await readFile(resolved.file).catch(() => undefined);
    if (bytes) {
      headers.set('content-length', String(bytes.length));
      return new Response(new Uint8Array(bytes), { status: 200, headers });
    }
    const stream = Readable.toWeb(createReadStream(resolved.file)) as ReadableStream<Uint8Array>;
    return new Response(stream, { status: 200, headers });
  };
}

/** The `405` answer of a handler of files to a method other than `GET` and `HEAD`. */
export function methodNotAllowed(): Response {
  return new Response('Method Not Allowed\n', {
    status: 405,
    headers: { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' },
  });
}

/**
 * `basePath` as `/…/`: `''`, `/` → `/`; `blog` → `/blog/`. The path of a `site.url` is already in
 * this form.
 */
export function normalizeBasePath(basePath: string): string {
  let result = basePath.startsWith('/') ? basePath : `/${basePath}`;
  if (!result.endsWith('/')) result += '/';
  return result;
}

/**
 * Maps a request's (percent-encoded) URL path to a file inside `root`, or to a redirect, or to
 * nothing. Refused (`not-found`): paths outside `basePath`; segments that decode to `.`, `..`, a
 * name starting with `.`, or one holding `/`, `\` or NUL; empty segments (`a//b`); undecodable
 * escapes; and any path whose real location (symbolic links followed) is outside `root`'s.
 *
 * @example
 * ```ts
 * await resolveRequestPath('/srv/public', '/blog/', '/blog/posts/a/');
 * // { kind: 'file', file: '/srv/public/posts/a/index.html' }
 * ```
 */
export async function resolveRequestPath(
  root: string,
  basePath: string,
  pathname: string,
): Promise<ResolvedPath> {
  const segments = requestSegments(basePath, pathname);
  if (!Array.isArray(segments)) return segments;
  const realRoot = await realpath(root).catch(() => undefined);
  if (!realRoot) return { kind: 'not-found' };
  const target = path.join(realRoot, ...segments);
  const real = await realpath(target).catch(() => undefined);
  if (!real || (real !== realRoot && !real.startsWith(realRoot + path.sep))) return { kind: 'not-found' };
  const info = await stat(real).catch(() => undefined);
  if (!info) return { kind: 'not-found' };
  const wantsFolder = pathname.endsWith('/');
  if (info.isDirectory()) {
    const index = path.join(real, 'index.html');
    const indexReal = await realpath(index).catch(() => undefined);
    if (!indexReal?.startsWith(realRoot + path.sep)) return { kind: 'not-found' };
    return wantsFolder ? { kind: 'file', file: indexReal } : { kind: 'redirect', location: `${pathname}/` };
  }
  return wantsFolder ? { kind: 'not-found' } : { kind: 'file', file: real };
}

/**
 * The decoded segments of a request's URL path under `basePath` (`/blog/posts/a/` → `['posts', 'a']`),
 * or a redirect (the base path without its final `/`), or `not-found` for what
 * {@link resolveRequestPath} refuses before looking at files: paths outside `basePath`, empty
 * segments, undecodable escapes, segments that decode to a dot name or hold `/`, `\\` or NUL.
 */
export function requestSegments(
  basePath: string,
  pathname: string,
): string[] | { kind: 'redirect'; location: string } | { kind: 'not-found' } {
  if (`${pathname}/` === basePath) return { kind: 'redirect', location: basePath };
  if (!pathname.startsWith(basePath)) return { kind: 'not-found' };
  const encoded = pathname.slice(basePath.length).split('/');
  const segments: string[] = [];
  for (const [index, segment] of encoded.entries()) {
    if (segment === '') {
      if (index === encoded.length - 1) break;
      return { kind: 'not-found' };
    }
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return { kind: 'not-found' };
    }
    if (decoded.startsWith('.') || /[/\\\0]/.test(decoded)) return { kind: 'not-found' };
    segments.push(decoded);
  }
  return segments;
}

/** Whether a conditional GET may answer 304 (RFC 9110 §13.1: `If-None-Match` wins over the date). */
function isNotModified(headers: Headers, etag: string, lastModified: Date): boolean {
  const ifNoneMatch = headers.get('if-none-match');
  if (ifNoneMatch !== null) {
    const opaque = etag.replace(/^W\//, '');
    return ifNoneMatch.split(',').some((tag) => {
      const trimmed = tag.trim();
      return trimmed === '*' || trimmed.replace(/^W\//, '') === opaque;
    });
  }
  const ifModifiedSince = headers.get('if-modified-since');
  if (ifModifiedSince === null) return false;
  const since = Date.parse(ifModifiedSince);
  return !Number.isNaN(since) && lastModified.getTime() <= since;
}

async function notFound(root: string, method: string): Promise<Response> {
  const resolved = await resolveRequestPath(root, '/', '/404.html');
  const page = resolved.kind === 'file' ? await readFile(resolved.file).catch(() => undefined) : undefined;
  const body = page ?? Buffer.from('Not Found\n');
  const headers = {
    'content-type': page ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8',
    'content-length': String(body.length),
    'x-content-type-options': 'nosniff',
  };
  return new Response(method === 'HEAD' ? null : new Uint8Array(body), { status: 404, headers });
}
