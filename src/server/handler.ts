/**
 * What a request handler sees beyond the web-standard `Request`: facts about the connection that
 * only the server knows. On `node:http` the adapter ({@link toNodeListener} in `./node`) fills it;
 * other platforms (serverless, edge) may pass their own or nothing.
 */
export interface ClientInfo {
  /** The peer's IP address as the server saw it (behind a proxy: the proxy's address). */
  remoteAddress?: string;
}

/**
 * A web-standard request handler: a `Request` in, a `Response` out. The same function runs on
 * `node:http` (through {@link toNodeListener}) and on platforms that speak `fetch` natively.
 *
 * @example
 * ```ts
 * const hello: RequestHandler = async () => new Response('hello');
 * ```
 */
export type RequestHandler = (request: Request, info?: ClientInfo) => Promise<Response>;

/**
 * A handler that sends requests whose path is exactly `path` (or, when `path` ends with `/`, starts
 * with it) to `handler`, and every other request to `fallback`.
 *
 * @example
 * ```ts
 * const site = mount('/comments', commentHandler, staticHandler);
 * ```
 */
export function mount(path: string, handler: RequestHandler, fallback: RequestHandler): RequestHandler {
  return (request, info) => {
    const pathname = new URL(request.url).pathname;
    const matches = path.endsWith('/') ? pathname.startsWith(path) : pathname === path;
    return matches ? handler(request, info) : fallback(request, info);
  };
}
