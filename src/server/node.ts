import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { RequestHandler } from './handler';

/** Options of {@link toNodeListener}. */
export interface NodeListenerOptions {
  /** Called with what a handler threw (the client gets a bare 500); default: nothing. */
  onError?: (error: unknown) => void;
}

const HOST_HEADER = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/**
 * Adapts a web-standard {@link RequestHandler} to a `node:http` request listener: the request
 * becomes a `Request` (its body a stream, read only if the handler reads it), the handler's
 * `Response` is written back (its body streamed). The handler's second argument carries the peer's
 * address. A handler that throws gets a plain `500 Internal Server Error` with no details; the
 * error goes to `onError`.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * createServer(toNodeListener(async () => new Response('hi'))).listen(8080, '127.0.0.1');
 * ```
 */
export function toNodeListener(
  handler: RequestHandler,
  options: NodeListenerOptions = {},
): (request: unknown, response: unknown) => void {
  // Typed `unknown` in the declaration (createServer accepts it) so that the library's types need
  // no @types/node; node:http always passes an IncomingMessage and a ServerResponse.
  return (incoming, outgoing) => {
    void respond(handler, incoming as IncomingMessage, outgoing as ServerResponse, options);
  };
}

async function respond(
  handler: RequestHandler,
  incoming: IncomingMessage,
  outgoing: ServerResponse,
  options: NodeListenerOptions,
): Promise<void> {
  let response: Response;
  const { request, abandonBody } = toRequest(incoming);
  try {
    response = await handler(request, { remoteAddress: incoming.socket.remoteAddress });
  } catch (error) {
    options.onError?.(error);
    abandonBody();
    if (!outgoing.headersSent) {
      outgoing.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
    }
    outgoing.end('Internal Server Error\n');
    return;
  }
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  outgoing.writeHead(response.status, response.statusText || undefined, headers);
  // A request body the handler left unread is drained, so that the connection can be reused.
  abandonBody();
  if (!response.body || incoming.method === 'HEAD') {
    await response.body?.cancel().catch(() => {});
    outgoing.end();
    return;
  }
  try {
    await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), outgoing);
  } catch {
    // The client went away while the body was sent: nothing to answer.
    outgoing.destroy();
  }
}

/** The `Request` for a `node:http` request, and how to drain what the handler left of its body. */
function toRequest(incoming: IncomingMessage): { request: Request; abandonBody: () => void } {
  const host = incoming.headers.host;
  const origin = `http://${host && HOST_HEADER.test(host) ? host : 'localhost'}`;
  let url: URL;
  try {
    url = new URL(incoming.url ?? '/', origin);
  } catch {
    url = new URL('/', origin);
  }
  const headers = new Headers();
  for (let index = 0; index + 1 < incoming.rawHeaders.length; index += 2) {
    try {
      headers.append(incoming.rawHeaders[index]!, incoming.rawHeaders[index + 1]!);
    } catch {
      // A header value fetch cannot carry is left out.
    }
  }
  const method = incoming.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  const body = hasBody ? bodyStream(incoming) : undefined;
  const request = new Request(url, {
    method,
    headers,
    body: body?.stream ?? null,
    // @ts-expect-error `duplex` is required by Node's fetch for a streamed body; lib.dom lacks it.
    duplex: 'half',
  });
  return {
    request,
    abandonBody: () => {
      body?.abandon();
      if (!incoming.readableEnded) incoming.resume();
    },
  };
}

/**
 * A request's body as a web stream that follows back-pressure. Cancelling it (a handler that
 * stops reading a body over its limit) drains the rest instead of destroying the socket, so that
 * the handler's answer (a 413) still reaches the client.
 */
function bodyStream(incoming: IncomingMessage): { stream: ReadableStream<Uint8Array>; abandon: () => void } {
  let finished = false;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      incoming.on('data', (chunk: Buffer) => {
        if (finished) return;
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 0) <= 0) incoming.pause();
      });
      incoming.once('end', () => {
        if (finished) return;
        finished = true;
        controller.close();
      });
      incoming.once('error', (error) => {
        if (finished) return;
        finished = true;
        controller.error(error);
      });
      incoming.once('close', () => {
        if (finished) return;
        finished = true;
        controller.error(new Error('the client closed the connection before the body was sent'));
      });
      incoming.pause();
    },
    pull() {
      incoming.resume();
    },
    cancel() {
      finished = true;
      incoming.resume();
    },
  });
  return {
    stream,
    abandon: () => {
      finished = true;
    },
  };
}

/** A running server: its base URL, and how to stop it. */
export interface RunningServer {
  /** `http://host:port` (no final slash). */
  origin: string;
  /** The port it listens on (useful with port 0). */
  port: number;
  /** The `node:http` server. */
  server: Server;
  /** Stops accepting connections, closes idle and open ones, resolves when closed. */
  close: () => Promise<void>;
}

/**
 * Starts a `node:http` server for `handler` on `host:port` (port 0: a free port).
 *
 * @example
 * ```ts
 * const running = await startServer(handler, { host: '127.0.0.1', port: 0 });
 * console.log(running.origin);
 * await running.close();
 * ```
 */
export function startServer(
  handler: RequestHandler,
  options: { host: string; port: number } & NodeListenerOptions,
): Promise<RunningServer> {
  const server = createServer(toNodeListener(handler, options));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      const { address, port } = server.address() as AddressInfo;
      const host = address.includes(':') ? `[${address}]` : address;
      resolve({
        origin: `http://${host}:${port}`,
        port,
        server,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
