import { createHash } from 'node:crypto';
import type { RequestHandler } from '../server/handler';
import { mediaTypeOf } from '../server/media-types';
import { methodNotAllowed, requestSegments } from '../server/static';
import type { PreviewFile, PreviewSite } from './preview-site';

/** Where a request path leads in a preview: a file's path in the output, a redirect, or nothing. */
export type PreviewPath =
  | { kind: 'file'; path: string }
  | { kind: 'redirect'; location: string }
  | { kind: 'not-found' };

/**
 * Maps a request's URL path to a file of the preview as `broadsheet serve` maps it to a file of a
 * built `out` (`resolveRequestPath`): `folder/` to `folder/index.html`, `folder` redirected to
 * `folder/` when that has an index, the same refusals.
 */
export function previewPathOf(
  has: (outputPath: string) => boolean,
  basePath: string,
  pathname: string,
): PreviewPath {
  const segments = requestSegments(basePath, pathname);
  if (!Array.isArray(segments)) return segments;
  const joined = segments.join('/');
  const index = joined === '' ? 'index.html' : `${joined}/index.html`;
  if (pathname.endsWith('/')) return has(index) ? { kind: 'file', path: index } : { kind: 'not-found' };
  if (has(joined)) return { kind: 'file', path: joined };
  return has(index) ? { kind: 'redirect', location: `${pathname}/` } : { kind: 'not-found' };
}

/** The hash the dev server gives a page's bytes (the reload script compares it): `''` for no page. */
export function bytesHash(bytes: Uint8Array | undefined): string {
  return bytes ? createHash('sha256').update(bytes).digest('base64url').slice(0, 27) : '';
}

/**
 * A handler that serves a {@link PreviewSite} from memory under `basePath()`, `GET` and `HEAD`, as
 * `createStaticHandler` serves a built `out` (media types by name, the site's `404.html` for a
 * missing file, `405` for other methods), never cached by the browser (`no-store`).
 */
export function previewHandler(preview: PreviewSite, basePath: () => string): RequestHandler {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return methodNotAllowed();
    const url = new URL(request.url);
    const resolved = resolvePreviewPath(preview, basePath(), url.pathname);
    if (resolved.kind === 'redirect') {
      return new Response(null, { status: 301, headers: { location: resolved.location + url.search } });
    }
    const found = resolved.kind === 'file' ? await preview.file(resolved.path) : undefined;
    const page = found ?? (await preview.file('404.html'));
    const status = found ? 200 : 404;
    const bytes = page?.bytes ?? Buffer.from('Not Found\n');
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(bytes), {
      status,
      headers: {
        'content-type': page ? mediaTypeOf(page.path) : 'text/plain; charset=utf-8',
        'content-length': String(bytes.length),
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      },
    });
  };
}

/** {@link previewPathOf} over the preview's current paths. */
export function resolvePreviewPath(preview: PreviewSite, basePath: string, pathname: string): PreviewPath {
  return previewPathOf((file) => preview.has(file), basePath, pathname);
}

/** The file a request path leads to in the preview (`undefined`: none). */
export async function previewFileAt(
  preview: PreviewSite,
  basePath: string,
  pathname: string,
): Promise<PreviewFile | undefined> {
  const resolved = resolvePreviewPath(preview, basePath, pathname);
  return resolved.kind === 'file' ? preview.file(resolved.path) : undefined;
}
