// The browser-safe typed client for the static JSON API. No Node built-ins may be imported here.
import type { z } from 'zod';
import {
  type ApiPost,
  type ApiPostList,
  type ApiSite,
  type ApiTag,
  type ApiTagList,
  apiPostListSchema,
  apiPostSchema,
  apiSiteSchema,
  apiTagListSchema,
  apiTagSchema,
} from '../outputs/api/schema';
import { paths } from '../site/paths';

/** Why a request failed. */
export type ClientError =
  | { kind: 'not-found'; url: string }
  | { kind: 'bad-response'; url: string; status?: number; message: string }
  | { kind: 'network'; url: string; message: string }
  | { kind: 'timeout'; url: string; message: string }
  | { kind: 'aborted'; url: string; message: string }
  | { kind: 'invalid-options'; url: string; message: string };

/** A typed result: the validated document, or why there is none. Never thrown. */
export type ClientResult<T> = { ok: true; data: T } | { ok: false; error: ClientError };

/** How long a request (answer and body) may take by default, in milliseconds. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** Options of {@link createClient}. */
export interface ClientOptions {
  /** The site's URL, where `api/` lives: `https://example.com/` or `https://example.com/blog/`. */
  baseUrl: string;
  /** A fetch implementation; default: the global `fetch`. */
  fetch?: typeof globalThis.fetch;
  /**
   * How long one request may take, answer and body together, in milliseconds (default
   * {@link DEFAULT_TIMEOUT_MS}); `0` for no limit. A request over it fails with `timeout`.
   */
  timeoutMs?: number;
  /** Aborts every request of the client when it fires: they fail with `aborted`. */
  signal?: AbortSignal;
}

/** The typed client {@link createClient} returns. */
export interface BroadsheetClient {
  site(): Promise<ClientResult<ApiSite>>;
  posts: {
    list(options?: { page?: number }): Promise<ClientResult<ApiPostList>>;
    get(slug: string): Promise<ClientResult<ApiPost>>;
  };
  tags: {
    list(): Promise<ClientResult<ApiTagList>>;
    /** A tag and a page of its posts (`page` 1 by default; `meta.pagination` says how many). */
    get(slug: string, options?: { page?: number }): Promise<ClientResult<ApiTag>>;
  };
}

/**
 * A typed client for a broadsheet site's static JSON API. Every response is validated against the
 * API's schemas (a list's pagination must agree with its posts); failures come back as results,
 * never as exceptions: a `baseUrl` that is not an absolute http(s) URL too. Safe in browsers.
 *
 * The `html` of posts and comments is trusted as the site published it: broadsheet sanitised it
 * when it built the site, and the client does not sanitise it again. Insert it only from a site
 * you trust (and serve over https); sanitise it yourself otherwise.
 *
 * @example
 * ```ts
 * import { createClient } from 'broadsheet/client';
 *
 * const client = createClient({ baseUrl: 'https://example.com/blog/', timeoutMs: 10_000 });
 * const result = await client.posts.list({ page: 1 });
 * if (result.ok) for (const post of result.data.posts) console.log(post.title);
 * else console.error(result.error.kind);
 * ```
 */
export function createClient(options: ClientOptions): BroadsheetClient {
  const given = String(options?.baseUrl);
  const withSlash = given.endsWith('/') ? given : `${given}/`;
  const base =
    URL.canParse(withSlash) && /^https?:$/.test(new URL(withSlash).protocol) ? withSlash : undefined;
  const doFetch = options?.fetch ?? globalThis.fetch?.bind(globalThis);
  const timeoutMs = options?.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  async function get<TSchema extends z.ZodType>(
    relativePath: string,
    schema: TSchema,
  ): Promise<ClientResult<z.output<TSchema>>> {
    if (base === undefined) {
      return fail({
        kind: 'invalid-options',
        url: given,
        message: 'baseUrl must be an absolute http(s) URL such as https://example.com/',
      });
    }
    const url = new URL(relativePath, base).href;
    if (typeof doFetch !== 'function') {
      return fail({ kind: 'invalid-options', url, message: 'no fetch: pass one in the options' });
    }
    // One signal for the whole request, answer and body: the caller's, and the timeout's.
    const controller = new AbortController();
    let why: ClientError | undefined;
    const stop = (error: ClientError) => {
      why ??= error;
      controller.abort();
    };
    const timer =
      timeoutMs > 0 && Number.isFinite(timeoutMs)
        ? setTimeout(
            () => stop({ kind: 'timeout', url, message: `no complete answer in ${timeoutMs} ms` }),
            timeoutMs,
          )
        : undefined;
    const onAbort = () => stop({ kind: 'aborted', url, message: 'the request was aborted' });
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    // Whatever the fetch does with the signal, a stopped request settles at once.
    const stopped = new Promise<never>((_, reject) => {
      controller.signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
    });
    stopped.catch(() => {});
    const guard = <T>(work: Promise<T>): Promise<T> => Promise.race([work, stopped]);
    try {
      if (why) return fail(why);
      let response: Response;
      try {
        response = await guard(
          Promise.resolve(
            doFetch(url, { headers: { accept: 'application/json' }, signal: controller.signal }),
          ),
        );
      } catch (error) {
        return fail(why ?? { kind: 'network', url, message: errorMessage(error) });
      }
      if (response === null || typeof response !== 'object' || typeof response.status !== 'number') {
        return fail({ kind: 'bad-response', url, message: 'fetch gave no response' });
      }
      if (response.status === 404) return fail({ kind: 'not-found', url });
      if (!response.ok) {
        return fail({
          kind: 'bad-response',
          url,
          status: response.status,
          message: `HTTP ${response.status}`,
        });
      }
      let body: unknown;
      try {
        body = await guard(Promise.resolve(response.json()));
      } catch {
        return fail(
          why ?? { kind: 'bad-response', url, status: response.status, message: 'the body is not JSON' },
        );
      }
      const parsed = schema.safeParse(body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue?.path.length ? issue.path.join('.') : 'document';
        return fail({
          kind: 'bad-response',
          url,
          status: response.status,
          message: `${where}: ${issue?.message ?? 'invalid'}`,
        });
      }
      return { ok: true, data: parsed.data };
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  const segment = (slug: string) => encodeURIComponent(slug);
  const validPage = (page: number) => Number.isInteger(page) && page >= 1;
  const notFound = (path: string): Promise<ClientResult<never>> =>
    Promise.resolve(fail({ kind: 'not-found', url: base ? new URL(path, base).href : given }));

  return {
    site: () => get(paths.api.site(), apiSiteSchema),
    posts: {
      list: ({ page = 1 } = {}) =>
        validPage(page) ? get(paths.api.posts(page), apiPostListSchema) : notFound(paths.api.posts(1)),
      get: (slug) => get(paths.api.post(segment(slug)), apiPostSchema),
    },
    tags: {
      list: () => get(paths.api.tags(), apiTagListSchema),
      get: (slug, { page = 1 } = {}) =>
        validPage(page)
          ? get(paths.api.tag(segment(slug), page), apiTagSchema)
          : notFound(paths.api.tag(segment(slug))),
    },
  };
}

function fail(error: ClientError): { ok: false; error: ClientError } {
  return { ok: false, error };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export type { ApiPost, ApiPostList, ApiSite, ApiTag, ApiTagList };
