import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config/load-config';
import type { Diagnostic } from '../diagnostics/diagnostic';
import { withOrigin } from '../load/preview';
import type { ResolvedConfig } from '../schema/config';
import type { RequestHandler } from '../server/handler';
import { withCommentIntake } from '../server/intake';
import { type RunningServer, startServer } from '../server/node';
import { serialRuns, watchRoot } from '../watch/watch-root';
import { CLIENT_PATH, CLIENT_SCRIPT, DEV_PREFIX, EVENTS_PATH, HASH_PATH } from './client-script';
import { bytesHash, previewFileAt, previewHandler } from './preview-handler';
import { createPreviewSite, type PreviewSite, type PreviewUpdate } from './preview-site';
import { type Problem, problemsOf } from './problems';

/** Options of {@link startDevServer}. */
export interface DevServerOptions {
  /** The site root. */
  root: string;
  /** A config file relative to the root, instead of looking for `broadsheet.config.*`. */
  configFile?: string;
  /** The interface to listen on; default `127.0.0.1`. */
  host?: string;
  /** The port; `0` picks a free one. Default 4000. */
  port?: number;
  /** Milliseconds without a change before a rebuild (default 30). */
  debounce?: number;
  /** Called as the server goes: each build, good or not, and what a handler threw. */
  onEvent?: (event: DevEvent) => void;
}

/** What a running dev server reports. */
export type DevEvent =
  | { type: 'built'; milliseconds: number; changed: string[]; files: number; warnings: Diagnostic[] }
  | { type: 'failed'; milliseconds: number; changed: string[]; diagnostics: Diagnostic[] }
  | { type: 'error'; error: unknown };

/** A running `broadsheet dev`. */
export interface DevServer {
  /** The site's address on the dev server: the local origin and the site's path (`http://127.0.0.1:4000/blog/`). */
  url: string;
  /** The local origin, `http://host:port`. */
  origin: string;
  /** Stops watching and serving; open pages' event streams end. */
  close(): Promise<void>;
}

/** The port `broadsheet dev` listens on without `--port`. */
export const DEV_PORT = 4000;

/** What the pages hear: the last build's outcome. */
type State = { ok: true; build: number } | { ok: false; problems: Problem[] };

/**
 * Starts `broadsheet dev`: previews the site from memory (drafts and future posts shown and marked,
 * every link on the local origin with the site's path kept; nothing is written, so nothing of it
 * can reach `out`), serves it under the site's path, watches the root and loads the site again
 * after each change, reading, parsing and rendering only the files that changed (see
 * `createPreviewSite`). A page is made when it is asked for. Open pages reload when their bytes
 * changed, and show a failed load's diagnostics over the page; a failed load leaves the last good
 * one served.
 *
 * @example
 * ```ts
 * const dev = await startDevServer({ root: '.', port: 0, onEvent: (event) => console.log(event.type) });
 * console.log(`previewing at ${dev.url}`);
 * ```
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const root = path.resolve(options.root);
  const host = options.host ?? '127.0.0.1';
  const report = options.onEvent ?? (() => {});
  const streams = new Set<ReadableStreamDefaultController<Uint8Array>>();
  let basePath = '/';
  let outFolder = 'public';
  let siteHandler: RequestHandler | undefined;
  let config: ResolvedConfig | undefined;
  let configChanged = true;
  let state: State | undefined;
  let builds = 0;
  let preview: PreviewSite | undefined;

  const handler: RequestHandler = async (request, info) => {
    const url = new URL(request.url);
    if (url.pathname.startsWith(DEV_PREFIX)) return devRequest(url);
    if (!siteHandler) return placeholder(request);
    const response = await siteHandler(request, info);
    return isHtml(response) && request.method === 'GET' ? withClient(response, url.pathname) : response;
  };

  const devRequest = async (url: URL): Promise<Response> => {
    if (url.pathname === EVENTS_PATH) return eventStream();
    if (url.pathname === CLIENT_PATH) {
      return new Response(CLIENT_SCRIPT, {
        headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' },
      });
    }
    if (url.pathname === HASH_PATH) {
      const hash = await pageHash(url.searchParams.get('path') ?? '/');
      return Response.json({ hash }, { headers: { 'cache-control': 'no-store' } });
    }
    return new Response('Not Found\n', {
      status: 404,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  };

  /** The hash of the file served at a URL path, `''` when none is (the hash a 404 page carries). */
  const pageHash = async (pathname: string): Promise<string> =>
    preview ? bytesHash((await previewFileAt(preview, basePath, pathname))?.bytes) : '';

  const withClient = async (response: Response, pathname: string): Promise<Response> => {
    const bytes = Buffer.from(await response.arrayBuffer());
    const hash = response.status === 200 ? bytesHash(bytes) : await pageHash(pathname);
    const headers = new Headers(response.headers);
    for (const name of ['etag', 'last-modified', 'content-length']) headers.delete(name);
    headers.set('cache-control', 'no-store');
    return new Response(injectClient(bytes.toString('utf8'), hash), { status: response.status, headers });
  };

  const eventStream = (): Response => {
    let own: ReadableStreamDefaultController<Uint8Array> | undefined;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        own = controller;
        streams.add(controller);
        // A comment first, so that the response starts at once; then the current state, if any.
        controller.enqueue(encoder.encode(': broadsheet dev\n\n'));
        if (state) controller.enqueue(stateMessage(state));
      },
      cancel() {
        if (own) streams.delete(own);
      },
    });
    return new Response(body, {
      headers: {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        'x-accel-buffering': 'no',
      },
    });
  };

  const broadcast = (next: State) => {
    state = next;
    const message = stateMessage(next);
    for (const controller of streams) {
      try {
        controller.enqueue(message);
      } catch {
        streams.delete(controller);
      }
    }
  };

  const build = async (changed: string[]): Promise<PreviewUpdate> => {
    const started = performance.now();
    // The site's path decides where the preview answers: read again when a file at the root changed.
    if (builds === 0 || changed.some((file) => !file.includes('/'))) {
      const loaded = await loadConfig({ root, configFile: options.configFile });
      if (loaded.ok) {
        config = withOrigin(loaded.loaded.config, origin());
        basePath = new URL(config.site.url).pathname;
        outFolder = config.out;
        configChanged = true;
      }
    }
    preview ??= createPreviewSite({ root, configFile: options.configFile, origin: origin() });
    const result = await preview.update(changed);
    builds += 1;
    const milliseconds = Math.round(performance.now() - started);
    if (result.ok) {
      if (configChanged || !siteHandler) {
        // The comment intake as `broadsheet serve` mounts it, on the preview's origin; made again only
        // when the config changed (its rate limit and duplicate memory last between builds).
        const files = previewHandler(preview, () => basePath);
        siteHandler = config ? withCommentIntake(root, config, files) : files;
        configChanged = false;
      }
      broadcast({ ok: true, build: builds });
      report({ type: 'built', milliseconds, changed, files: result.files, warnings: result.warnings });
    } else {
      broadcast({ ok: false, problems: problemsOf(result.diagnostics, readSource(root)) });
      report({ type: 'failed', milliseconds, changed, diagnostics: result.diagnostics });
    }
    return result;
  };

  let running: RunningServer;
  /** The preview's origin: the server's, with a wildcard address made into `localhost`. */
  const origin = () =>
    running.origin.replace('://0.0.0.0:', '://localhost:').replace('://[::]:', '://localhost:');
  running = await startServer(handler, {
    host,
    port: options.port ?? DEV_PORT,
    onError: (error) => report({ type: 'error', error }),
  });
  const runs = serialRuns(
    build,
    () => {},
    (error) => report({ type: 'error', error }),
  );
  runs.push([]);
  let closed = false;
  const watcher = watchRoot({
    root,
    debounce: options.debounce,
    outFolders: () => [outFolder],
    onChange: (changed) => {
      if (!closed) runs.push(changed);
    },
  });
  const ready = Promise.all([watcher.ready, runs.idle()]).then(() => {});
  const url = () => `${running.origin}${basePath}`;
  // Returned once the first build is served and the root watched: an edit from then on is seen.
  await ready;
  return {
    get url() {
      return url();
    },
    origin: running.origin,
    async close() {
      closed = true;
      await watcher.close();
      await runs.idle();
      for (const controller of streams) {
        try {
          controller.close();
        } catch {}
      }
      streams.clear();
      await running.close();
    },
  };
}

const encoder = new TextEncoder();

function stateMessage(state: State): Uint8Array {
  return encoder.encode(`event: state\ndata: ${JSON.stringify(state)}\n\n`);
}

function isHtml(response: Response): boolean {
  return (response.headers.get('content-type') ?? '').startsWith('text/html');
}

/** A page with the dev client script before its last `</body>` (or at its end). */
export function injectClient(html: string, hash: string): string {
  const tag = `<script src="${CLIENT_PATH}" data-hash="${hash}"></script>\n`;
  const at = html.lastIndexOf('</body>');
  return at === -1 ? `${html}\n${tag}` : `${html.slice(0, at)}${tag}${html.slice(at)}`;
}

/** Reads a diagnostic's file for the overlay's source lines: only files inside the root. */
function readSource(root: string): (file: string) => string | undefined {
  return (file) => {
    const absolute = path.resolve(root, file);
    if (absolute !== root && !absolute.startsWith(root + path.sep)) return undefined;
    try {
      return readFileSync(absolute, 'utf8');
    } catch {
      return undefined;
    }
  };
}

/** What the dev server answers before its first good build: a page that shows the problems, then reloads. */
function placeholder(request: Request): Response {
  const page = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>broadsheet dev</title></head>
<body>
<p>broadsheet dev: the site has not built yet. This page shows its problems, and the site once it builds.</p>
</body>
</html>
`;
  return new Response(request.method === 'HEAD' ? null : injectClient(page, ''), {
    status: 503,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'retry-after': '1' },
  });
}
