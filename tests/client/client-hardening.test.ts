// The client's failures are values: bad options, a fetch that gives nothing, answers that never
// end, lists that do not agree with themselves.
import { describe, expect, it } from 'vitest';
import { createClient } from '../../src/client/index';

const json = (value: unknown) =>
  new Response(JSON.stringify(value), { status: 200, headers: { 'content-type': 'application/json' } });

const summary = (slug: string) => ({
  slug,
  url: `https://example.com/posts/${slug}/`,
  title: slug,
  date: '2024-01-01T00:00:00.000Z',
  updated: null,
  summary: '',
  tags: [],
  authors: [],
  commentCount: 0,
});
const list = (posts: number, pagination: Record<string, unknown>) => ({
  posts: Array.from({ length: posts }, (_, index) => summary(`p${index}`)),
  meta: { pagination: { page: 1, limit: 10, pages: 1, total: posts, next: null, prev: null, ...pagination } },
});

describe('the client never throws', () => {
  it('a baseUrl that is not an absolute http(s) URL is a failure value', async () => {
    for (const baseUrl of ['not a url', 'javascript:alert(1)', '', 'file:///etc/']) {
      const client = createClient({ baseUrl, fetch: async () => json({}) });
      const result = await client.site();
      expect(result, baseUrl).toMatchObject({ ok: false, error: { kind: 'invalid-options' } });
      expect(await client.posts.list({ page: 0 })).toMatchObject({ ok: false });
    }
  });

  it('a fetch that resolves to null (or to something that is not a response) is a failure value', async () => {
    for (const answer of [null, undefined, 42, {}]) {
      const client = createClient({
        baseUrl: 'https://example.com/',
        fetch: (async () => answer) as unknown as typeof fetch,
      });
      expect(await client.site()).toMatchObject({ ok: false, error: { kind: 'bad-response' } });
    }
  });

  it('a body that never ends times out', async () => {
    const never = new ReadableStream({ start() {} });
    const client = createClient({
      baseUrl: 'https://example.com/',
      timeoutMs: 50,
      fetch: async () => new Response(never, { status: 200 }),
    });
    expect(await client.site()).toMatchObject({ ok: false, error: { kind: 'timeout' } });
  });

  it('an answer that never comes, from a fetch that ignores the signal, times out', async () => {
    const client = createClient({
      baseUrl: 'https://example.com/',
      timeoutMs: 50,
      fetch: () => new Promise<Response>(() => {}),
    });
    expect(await client.site()).toMatchObject({ ok: false, error: { kind: 'timeout' } });
  });

  it("the caller's signal aborts a request, before or during it", async () => {
    const before = new AbortController();
    before.abort();
    const hang = () => new Promise<Response>(() => {});
    expect(
      await createClient({ baseUrl: 'https://example.com/', fetch: hang, signal: before.signal }).site(),
    ).toMatchObject({ ok: false, error: { kind: 'aborted' } });
    const during = new AbortController();
    const pending = createClient({
      baseUrl: 'https://example.com/',
      fetch: hang,
      signal: during.signal,
    }).site();
    during.abort();
    expect(await pending).toMatchObject({ ok: false, error: { kind: 'aborted' } });
  });
});

describe('list documents must agree with themselves', () => {
  const client = (document: unknown) =>
    createClient({ baseUrl: 'https://example.com/', fetch: async () => json(document) });

  it('accepts a consistent page', async () => {
    expect((await client(list(3, {})).posts.list()).ok).toBe(true);
    expect((await client(list(0, { total: 0 })).posts.list()).ok).toBe(true);
  });

  it('refuses a total that does not match the posts, wrong pages and wrong next/prev', async () => {
    const cases = {
      'total 1, 60,000 posts': list(60_000, { total: 1 }),
      'more posts than the limit': list(11, { total: 11, pages: 2, next: 2 }),
      'pages wrong': list(3, { pages: 2, next: 2 }),
      'page past the last': {
        ...list(3, {}),
        meta: { pagination: { page: 5, limit: 10, pages: 1, total: 3, next: null, prev: 4 } },
      },
      'next on the last page': list(3, { next: 2 }),
    };
    const messages = await Promise.all(
      Object.entries(cases).map(async ([name, document]) => {
        const result = await client(document).posts.list();
        return `${name}: ${result.ok ? 'accepted' : result.error.kind === 'bad-response' && result.error.message}`;
      }),
    );
    expect(messages).toMatchInlineSnapshot(`
      [
        "total 1, 60,000 posts: meta.pagination: the page holds 60000 posts; page 1 of 1 posts at 10 a page holds 1",
        "more posts than the limit: meta.pagination: the page holds 11 posts; page 1 of 11 posts at 10 a page holds 10",
        "pages wrong: meta.pagination: pages is 2, but 3 posts at 10 a page make 1",
        "page past the last: meta.pagination: page 5 is past the last page (1)",
        "next on the last page: meta.pagination: next and prev do not follow from page and pages",
      ]
    `);
  });

  it("refuses a tag whose count is not its posts' number", async () => {
    const tag = {
      tag: {
        name: 'A',
        slug: 'a',
        url: 'https://example.com/tags/a/',
        count: 1,
        feeds: { rss: 'https://example.com/r', atom: 'https://example.com/a', json: 'https://example.com/j' },
      },
      posts: [summary('x'), summary('y')],
    };
    expect(await client(tag).tags.get('a')).toMatchObject({ ok: false, error: { kind: 'bad-response' } });
  });
});
