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
  | { kind: 'network'; url: string; message: string };

/** A typed result: the validated document, or why there is none. Never thrown. */
export type ClientResult<T> = { ok: true; data: T } | { ok: false; error: ClientError };

/** Options of {@link createClient}. */
export interface ClientOptions {
  /** The site's URL, where `api/` lives: `https://example.com/` or `https://example.com/blog/`. */
  baseUrl: string;
  /** A fetch implementation; default: the global `fetch`. */
  fetch?: typeof globalThis.fetch;
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
 * API's schemas; errors come back as results, not exceptions. Safe in browsers.
 *
 * @example
 * ```ts
 * import { createClient } from 'broadsheet/client';
 *
 * const client = createClient({ baseUrl: 'https://example.com/blog/' });
 * const result = await client.posts.list({ page: 1 });
 * if (result.ok) for (const post of result.data.posts) console.log(post.title);
 * else console.error(result.error.kind);
 * ```
 */
export function createClient(options: ClientOptions): BroadsheetClient {
  const base = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);

  async function get<TSchema extends z.ZodType>(
    relativePath: string,
    schema: TSchema,
  ): Promise<ClientResult<z.output<TSchema>>> {
    const url = new URL(relativePath, base).href;
    let response: Response;
    try {
      response = await doFetch(url, { headers: { accept: 'application/json' } });
    } catch (error) {
      return {
        ok: false,
        error: { kind: 'network', url, message: error instanceof Error ? error.message : String(error) },
      };
    }
    if (response.status === 404) return { ok: false, error: { kind: 'not-found', url } };
    if (!response.ok) {
      return {
        ok: false,
        error: { kind: 'bad-response', url, status: response.status, message: `HTTP ${response.status}` },
      };
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      return {
        ok: false,
        error: { kind: 'bad-response', url, status: response.status, message: 'the body is not JSON' },
      };
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? issue.path.join('.') : 'document';
      return {
        ok: false,
        error: {
          kind: 'bad-response',
          url,
          status: response.status,
          message: `${where}: ${issue?.message ?? 'invalid'}`,
        },
      };
    }
    return { ok: true, data: parsed.data };
  }

  const segment = (slug: string) => encodeURIComponent(slug);
  const validPage = (page: number) => Number.isInteger(page) && page >= 1;
  const notFound = (path: string): Promise<ClientResult<never>> =>
    Promise.resolve({ ok: false, error: { kind: 'not-found', url: new URL(path, base).href } });

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

export type { ApiPost, ApiPostList, ApiSite, ApiTag, ApiTagList };
