import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type CommentStore,
  checkMarkdownLimits,
  createCommentHandler,
  createMemoryRateLimiter,
  MARKDOWN_LIMITS,
  type NewComment,
  newCommentId,
  postsFromList,
  type RequestHandler,
} from '../../src/comments/index';

const SITE = 'https://example.com/blog/';
const posts = postsFromList([
  { slug: 'open', url: `${SITE}posts/open/`, open: true, approvedCommentIds: ['c1'] },
  { slug: 'closed', url: `${SITE}posts/closed/`, open: false, approvedCommentIds: [] },
]);

function setup(
  extra: { rateLimit?: false | { max: number; windowSeconds: number }; store?: CommentStore } = {},
) {
  const stored: NewComment[] = [];
  const store: CommentStore = extra.store ?? {
    async create(comment) {
      stored.push(comment);
    },
  };
  const handler = createCommentHandler({
    config: { site: { url: SITE }, comments: { endpoint: '/comments', rateLimit: extra.rateLimit ?? false } },
    store,
    posts,
    now: () => new Date('2026-01-02T03:04:05.678Z'),
  });
  return { handler, stored };
}

const json = (body: unknown, headers: Record<string, string> = {}) =>
  new Request('http://localhost/comments', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const form = (body: string, headers: Record<string, string> = {}) =>
  new Request('http://localhost/comments', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body,
  });

const asJson = { accept: 'application/json' };

async function errorOf(response: Response) {
  return { status: response.status, ...((await response.json()) as { error: object }).error };
}

describe('createCommentHandler', () => {
  it('has the web-standard handler type', () => {
    expectTypeOf(setup().handler).toEqualTypeOf<RequestHandler>();
    expectTypeOf(createCommentHandler).returns.toBeCallableWith(new Request('http://x/'));
  });

  it('stores a JSON comment as pending and answers 201 {id, status}', async () => {
    const { handler, stored } = setup();
    const response = await handler(
      json({
        post: 'open',
        name: ' <b>Ann</b> ',
        email: 'ann@example.com',
        url: 'https://ann.example/',
        body: 'Hi!\r\nThere',
      }),
    );
    expect(response.status).toBe(201);
    const answer = (await response.json()) as { id: string; status: string };
    expect(answer.status).toBe('pending');
    expect(answer.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(stored).toEqual([
      {
        id: answer.id,
        post: 'open',
        parent: undefined,
        author: { name: 'Ann', email: 'ann@example.com', url: 'https://ann.example/' },
        date: '2026-01-02T03:04:05.678Z',
        body: 'Hi!\nThere',
      },
    ]);
  });

  it('answers a form post with 303 to the post page, at the pending notice', async () => {
    const { handler, stored } = setup();
    const response = await handler(
      form('post=open&parent=c1&name=Bo+B&email=&url=&body=a+reply%21&honeypot='),
    );
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/blog/posts/open/#comment-pending');
    expect(stored[0]).toMatchObject({ parent: 'c1', author: { name: 'Bo B' }, body: 'a reply!' });
  });

  it('answers a filled honeypot like a success and stores nothing', async () => {
    const { handler, stored } = setup();
    const response = await handler(json({ post: 'open', name: 'Bot', body: 'buy', honeypot: 'x' }));
    expect(response.status).toBe(201);
    expect(stored).toEqual([]);
  });

  it('gives the same comment for the same text sent twice', async () => {
    const { handler, stored } = setup();
    const [a, b] = await Promise.all([
      handler(json({ post: 'open', name: 'Ann', body: 'same' })),
      handler(json({ post: 'open', name: 'Ann', body: 'same' })),
    ]);
    const c = await handler(json({ post: 'open', name: 'Ann', body: 'same' }));
    const ids = await Promise.all(
      [a, b, c].map(async (response) => ((await response.json()) as { id: string }).id),
    );
    expect(new Set(ids).size).toBe(1);
    expect(stored).toHaveLength(1);
  });

  it('refuses with the documented 4xx codes and a machine-readable code', async () => {
    const { handler, stored } = setup();
    const get = await handler(new Request('http://localhost/comments'));
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST, OPTIONS');
    const cases: [Request, object][] = [
      [json({ post: 'nope', name: 'A', body: 'b' }), { status: 404, code: 'unknown-post', field: 'post' }],
      [json({ post: 'Not a slug', name: 'A', body: 'b' }), { status: 404, code: 'unknown-post' }],
      [json({ post: 'closed', name: 'A', body: 'b' }), { status: 403, code: 'comments-closed' }],
      [json({ post: 'open', body: 'b' }), { status: 422, code: 'invalid-field', field: 'name' }],
      [json({ post: 'open', name: '<i></i>', body: 'b' }), { status: 422, field: 'name' }],
      [json({ post: 'open', name: 'A', body: ' \n ' }), { status: 422, field: 'body' }],
      [json({ post: 'open', name: 'A', body: 42 }), { status: 422, field: 'body' }],
      [json({ name: 'A', body: 'b' }), { status: 422, field: 'post' }],
      [
        json({ post: 'open', name: 'A', body: 'b', url: 'javascript:alert(1)' }),
        { status: 422, field: 'url' },
      ],
      [json({ post: 'open', name: 'A', body: 'b', email: 'not-an-email' }), { status: 422, field: 'email' }],
      [json({ post: 'open', name: 'A', body: 'b', parent: 'c9' }), { status: 422, code: 'unknown-parent' }],
      [json({ post: 'open', name: 'A', body: 'b', parent: '../x' }), { status: 422, field: 'parent' }],
      [json({ post: 'open', name: 'A', body: 'x'.repeat(10_001) }), { status: 422, field: 'body' }],
      [json({ post: 'open', name: 'A', body: '- '.repeat(2000) }), { status: 422, code: 'too-complex' }],
      [json('{"post":'), { status: 400, code: 'malformed-body' }],
      [json('[1]'), { status: 400, code: 'malformed-body' }],
      [form('post=open&name=%ZZ', asJson), { status: 400, code: 'malformed-body' }],
      [form('post=open&name=%C3%28&body=x', asJson), { status: 400, code: 'malformed-body' }],
      [form('post=open&post=open', asJson), { status: 400, code: 'malformed-body' }],
      [json('x'.repeat(200_000)), { status: 413, code: 'payload-too-large' }],
      [
        new Request('http://localhost/comments', {
          method: 'POST',
          headers: { 'content-type': 'text/plain' },
          body: 'x',
        }),
        { status: 415, code: 'unsupported-media-type' },
      ],
      [json({ post: 'open' }, { 'content-type': 'application/json; charset=latin1' }), { status: 415 }],
    ];
    for (const [request, expected] of cases)
      expect(await errorOf(await handler(request))).toMatchObject(expected);
    expect(stored).toEqual([]);
  });

  it('refuses a form post with an HTML page that links back to the post', async () => {
    const { handler } = setup();
    const response = await handler(form('post=open&name=A&body=b&url=javascript%3Ax'));
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const page = await response.text();
    expect(page).toContain('website must be an absolute http(s) URL');
    expect(page).toContain('<a href="https://example.com/blog/posts/open/#comments">Back to the post</a>');
  });

  it('rate-limits per client with 429 and Retry-After', async () => {
    const { handler } = setup({ rateLimit: { max: 2, windowSeconds: 60 } });
    const send = (address: string, n: number) =>
      handler(json({ post: 'open', name: 'A', body: `b${n}` }), { remoteAddress: address });
    expect((await send('10.0.0.1', 1)).status).toBe(201);
    expect((await send('10.0.0.1', 2)).status).toBe(201);
    const limited = await send('10.0.0.1', 3);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await send('10.0.0.2', 4)).status).toBe(201);
  });

  it('refills the token bucket with time', () => {
    let time = 0;
    const limiter = createMemoryRateLimiter({ max: 1, windowSeconds: 10, now: () => time });
    expect(limiter.take('a')).toEqual({ ok: true });
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterSeconds: 10 });
    time = 10_000;
    expect(limiter.take('a')).toEqual({ ok: true });
  });

  it('answers 503 when the store fails, never with its error', async () => {
    const { handler } = setup({
      store: {
        async create() {
          throw new Error('disk on fire /secret/path');
        },
      },
    });
    const response = await handler(json({ post: 'open', name: 'A', body: 'b' }));
    expect(response.status).toBe(503);
    expect(await response.text()).not.toContain('secret');
  });

  it('answers CORS preflights for the site origin only', async () => {
    const { handler } = setup();
    const preflight = (origin: string) =>
      handler(new Request('http://localhost/comments', { method: 'OPTIONS', headers: { origin } }));
    expect((await preflight('https://example.com')).headers.get('access-control-allow-origin')).toBe(
      'https://example.com',
    );
    expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('newCommentId and the shape limits of a comment', () => {
  it('makes ids that sort by time', () => {
    const ids = [1, 2, 1000, 2 ** 40].map((time) => newCommentId(time));
    expect([...ids].sort()).toEqual(ids);
    expect(newCommentId(5)).not.toBe(newCommentId(5));
  });

  it('lets ordinary markdown through and refuses piles of constructs', async () => {
    const { handler } = setup();
    const send = async (body: string) => errorOf(await handler(json({ post: 'open', name: 'A', body })));
    expect(
      (
        await handler(
          json({
            post: 'open',
            name: 'A',
            body: 'Nice *post*, see [this](https://x.example).\n\n> quoted\n\n- a\n- b',
          }),
        )
      ).status,
    ).toBe(201);
    expect(await send('*_'.repeat(2500))).toMatchObject({ code: 'too-complex', field: 'body' });
    expect(await send('> '.repeat(50))).toMatchObject({ code: 'too-complex' });
    expect(await send('['.repeat(5000))).toMatchObject({ code: 'too-complex' });
  });

  // Regression: the intake had limits of its own (300 runs of emphasis marks, 2,000 in all), so it
  // accepted comments the build refuses once approved (500 marks in one block, 20 setext headings).
  it('refuses at intake what the build refuses, with the build’s message', async () => {
    const { handler, stored } = setup();
    const bodies = ['**a** '.repeat(150), 'a\n-\n'.repeat(21)];
    for (const body of bodies) {
      const build = checkMarkdownLimits(body, 'comment');
      expect(build?.code).toBe('markdown-too-complex');
      const error = await errorOf(await handler(json({ post: 'open', name: 'A', body })));
      expect(error).toMatchObject({ code: 'too-complex', field: 'body' });
      expect((error as { message?: string }).message).toContain(build!.message);
    }
    expect(stored).toEqual([]);
    expect(MARKDOWN_LIMITS.comment.delimiters).toBe(500);
  });
});
