// The typed client against a real build of the outputs fixture, served from disk through `fetch`.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { type ApiPost, type ClientResult, createClient } from '../../src/client/index';
import { buildSite } from '../../src/index';

const fixture = path.resolve(import.meta.dirname, '../fixtures/outputs-small-site');
const siteUrl = 'https://example.com/gazette/';
let out: string;

/** A fetch that serves the built folder for URLs under the site URL, as a static host would. */
const staticHost: typeof fetch = async (input) => {
  const url = new URL(String(input));
  if (!url.href.startsWith(siteUrl)) return new Response('not here', { status: 404 });
  const relative = decodeURIComponent(url.pathname.slice(new URL(siteUrl).pathname.length));
  try {
    const body = await readFile(path.join(out, ...relative.split('/')));
    return new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
  } catch {
    return new Response('not found', { status: 404 });
  }
};

beforeAll(async () => {
  out = path.join(await mkdtemp(path.join(tmpdir(), 'broadsheet-client-')), 'public');
  const result = await buildSite({ root: fixture, out, now: new Date('2024-06-01T00:00:00Z') });
  expect(result.ok).toBe(true);
});

afterAll(async () => {
  await rm(path.dirname(out), { recursive: true, force: true });
});

describe('createClient', () => {
  const client = createClient({ baseUrl: siteUrl, fetch: staticHost });

  it('reads the site document', async () => {
    const result = await client.site();
    expect(result.ok && result.data.title).toBe('The Small & Curious Gazette');
  });

  it('pages through the posts with the pagination of the API', async () => {
    const first = await client.posts.list();
    if (!first.ok) throw new Error(first.error.kind);
    const { pagination } = first.data.meta;
    expect(pagination).toMatchObject({ page: 1, limit: 2, prev: null, next: 2 });
    const slugs = first.data.posts.map((post) => post.slug);
    for (let page = 2; page <= pagination.pages; page++) {
      const next = await client.posts.list({ page });
      if (!next.ok) throw new Error(next.error.kind);
      expect(next.data.meta.pagination.page).toBe(page);
      slugs.push(...next.data.posts.map((post) => post.slug));
    }
    expect(slugs).toHaveLength(pagination.total);
    expect(new Set(slugs).size).toBe(pagination.total);
  });

  it('reads one post with its comments, typed', async () => {
    const list = await client.posts.list();
    if (!list.ok) throw new Error(list.error.kind);
    const slug = list.data.posts[0]!.slug;
    const result = await client.posts.get(slug);
    expectTypeOf(result).toEqualTypeOf<ClientResult<ApiPost>>();
    if (!result.ok) throw new Error(result.error.kind);
    expect(result.data.slug).toBe(slug);
    expect(result.data.html).toContain('<');
    expectTypeOf<ApiPost['comments'][number]['author']['name']>().toEqualTypeOf<string>();
  });

  it('reads tags, including a tag whose slug is not ASCII', async () => {
    const tags = await client.tags.list();
    if (!tags.ok) throw new Error(tags.error.kind);
    expect(tags.data.tags.length).toBeGreaterThan(0);
    for (const tag of tags.data.tags) {
      const one = await client.tags.get(tag.slug);
      if (!one.ok) throw new Error(one.error.kind);
      expect(one.data.tag.slug).toBe(tag.slug);
      const { pages, limit, total } = one.data.meta.pagination;
      expect(total).toBe(tag.count);
      const slugs = one.data.posts.map((post) => post.slug);
      for (let page = 2; page <= pages; page++) {
        const more = await client.tags.get(tag.slug, { page });
        if (!more.ok) throw new Error(more.error.kind);
        expect(more.data.posts.length).toBeLessThanOrEqual(limit);
        slugs.push(...more.data.posts.map((post) => post.slug));
      }
      expect(slugs).toHaveLength(tag.count);
    }
    expect(tags.data.tags.map((tag) => tag.slug)).toContain('café');
  });

  it('gives not-found for a missing post and for a page out of range', async () => {
    expect(await client.posts.get('no-such-post')).toEqual({
      ok: false,
      error: { kind: 'not-found', url: `${siteUrl}api/posts/no-such-post.json` },
    });
    expect((await client.posts.list({ page: 99 })).ok).toBe(false);
    expect((await client.posts.list({ page: 0 })).ok).toBe(false);
  });

  it('keeps a slug from escaping the API folder', async () => {
    const requested: string[] = [];
    const spy = createClient({
      baseUrl: siteUrl,
      fetch: async (input) => {
        requested.push(String(input));
        return new Response('{}', { status: 404 });
      },
    });
    await spy.posts.get('../../secrets');
    expect(requested).toEqual([`${siteUrl}api/posts/..%2F..%2Fsecrets.json`]);
  });
});

describe('bad responses are results, not exceptions', () => {
  const answering = (response: () => Response | Promise<Response>) =>
    createClient({ baseUrl: siteUrl, fetch: async () => response() });

  it('reports a server error with its status', async () => {
    const result = await answering(() => new Response('oops', { status: 503 })).site();
    expect(result).toMatchObject({ ok: false, error: { kind: 'bad-response', status: 503 } });
  });

  it('reports a body that is not JSON', async () => {
    const result = await answering(() => new Response('<html>', { status: 200 })).site();
    expect(result).toMatchObject({
      ok: false,
      error: { kind: 'bad-response', message: 'the body is not JSON' },
    });
  });

  it('reports a document that does not match the schema, naming the field', async () => {
    const result = await answering(() => Response.json({ title: 42 })).site();
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.error).toMatchObject({ kind: 'bad-response', message: expect.stringMatching(/^\w/) });
  });

  it('reports a network failure', async () => {
    const result = await answering(() => Promise.reject(new TypeError('fetch failed'))).site();
    expect(result).toEqual({
      ok: false,
      error: { kind: 'network', url: `${siteUrl}api/site.json`, message: 'fetch failed' },
    });
  });
});
