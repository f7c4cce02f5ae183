import { readdir } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServedSite, serveGoldenSite } from './serve-site';

let served: ServedSite;
beforeAll(async () => {
  served = await serveGoldenSite({ rateLimit: false, maxLength: 5000 });
});
afterAll(async () => {
  await served?.stop();
});

/** A request the intake must refuse: each has at least one defect, the rest of it random. */
interface BadRequest {
  defect: string;
  method: string;
  headers: Record<string, string>;
  body?: Uint8Array | string;
}

const text = fc.string({ unit: 'binary', maxLength: 60 });
const anyValue = fc.oneof(fc.anything({ maxDepth: 2 }), text);
/** Fields of a submission, each a random value of any type (which may happen to be valid). */
const randomFields = fc.record(
  {
    post: anyValue,
    parent: anyValue,
    name: anyValue,
    email: anyValue,
    url: anyValue,
    body: anyValue,
    honeypot: fc.constant(''),
  },
  { requiredKeys: [] },
);
/** Fields that are valid apart from the ones a defect replaces. */
const validFields = fc.record({
  post: fc.constant('hello-world'),
  name: fc.string({ minLength: 1, maxLength: 20 }).map((name) => `n${name.replace(/[<>]/g, '')}`),
  body: fc.string({ minLength: 1, maxLength: 200 }).map((body) => `b ${body}`),
});
const JSON_TYPE: Record<string, string> = { 'content-type': 'application/json' };

const badRequest: fc.Arbitrary<BadRequest> = fc.oneof(
  fc
    .record({
      defect: fc.constant('method'),
      method: fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH'),
      headers: fc.constant(JSON_TYPE),
      body: fc.option(
        text.map((value) => value),
        { nil: undefined },
      ),
    })
    .map((request) => (request.method === 'GET' ? { ...request, body: undefined } : request)),
  fc.record({
    defect: fc.constant('content type'),
    method: fc.constant('POST'),
    headers: fc
      .constantFrom(
        'text/plain',
        'multipart/form-data; boundary=x',
        'application/json; charset=latin1',
        'application/xml',
        '',
      )
      .map((type) => (type === '' ? {} : { 'content-type': type }) as Record<string, string>),
    body: randomFields.map((fields) => JSON.stringify(fields)),
  }),
  fc.record({
    defect: fc.constant('huge body'),
    method: fc.constant('POST'),
    headers: fc.constantFrom(JSON_TYPE, { 'content-type': 'application/x-www-form-urlencoded' }),
    body: fc.integer({ min: 60_000, max: 2_000_000 }).map((size) => `body=${'a'.repeat(size)}`),
  }),
  fc.record({
    defect: fc.constant('bad encoding'),
    method: fc.constant('POST'),
    headers: fc.constantFrom(JSON_TYPE, { 'content-type': 'application/x-www-form-urlencoded' }),
    body: fc
      .uint8Array({ minLength: 1, maxLength: 200 })
      .map((bytes) => Uint8Array.from([...bytes, 0xff, 0xfe, 0xc3, 0x28])),
  }),
  fc.record({
    defect: fc.constant('bad percent escapes'),
    method: fc.constant('POST'),
    headers: fc.constant({ 'content-type': 'application/x-www-form-urlencoded' }),
    body: fc
      .tuple(text, fc.constantFrom('%', '%Z', '%C3%28', '%FF'))
      .map(([value, bad]) => `post=hello-world&name=${encodeURIComponent(value)}${bad}&body=x`),
  }),
  fc.record({
    defect: fc.constant('malformed JSON'),
    method: fc.constant('POST'),
    headers: fc.constant(JSON_TYPE),
    body: fc.oneof(
      text.filter((value) => {
        try {
          JSON.parse(value);
          return false;
        } catch {
          return true;
        }
      }),
      fc
        .jsonValue()
        .filter((value) => value === null || typeof value !== 'object' || Array.isArray(value))
        .map((value) => JSON.stringify(value)),
    ),
  }),
  fc.record({
    defect: fc.constant('wrong types'),
    method: fc.constant('POST'),
    headers: fc.constant(JSON_TYPE),
    body: fc
      .tuple(
        validFields,
        fc.constantFrom('post', 'name', 'body'),
        fc.oneof(fc.integer(), fc.boolean(), fc.array(fc.string()), fc.object()),
      )
      .map(([fields, field, value]) => JSON.stringify({ ...fields, [field]: value })),
  }),
  fc
    .record({
      defect: fc.constant('missing field'),
      method: fc.constant('POST'),
      headers: fc.constantFrom(JSON_TYPE, { 'content-type': 'application/x-www-form-urlencoded' }),
      body: fc.tuple(validFields, fc.constantFrom('post', 'name', 'body')).map(([fields, field]) => {
        const { [field as keyof typeof fields]: _, ...rest } = fields;
        return JSON.stringify(rest);
      }),
    })
    .map((request) =>
      request.headers['content-type'] === 'application/json'
        ? request
        : { ...request, body: new URLSearchParams(JSON.parse(request.body as string)).toString() },
    ),
  fc.record({
    defect: fc.constant('unknown or closed post'),
    method: fc.constant('POST'),
    headers: fc.constant(JSON_TYPE),
    body: fc
      .tuple(
        validFields,
        fc.oneof(
          fc.constantFrom('markdown-tour', 'draft-idea', 'from-the-future', 'nope'),
          fc.stringMatching(/^[a-z0-9]{1,12}-x$/),
          text,
        ),
      )
      .map(([fields, post]) => JSON.stringify({ ...fields, post })),
  }),
  fc.record({
    defect: fc.constant('parent'),
    method: fc.constant('POST'),
    headers: fc.constant(JSON_TYPE),
    // Pending, spam, unknown, malformed ids, and an id naming the comment itself (a cycle).
    body: fc
      .tuple(
        validFields,
        fc.oneof(
          fc.constantFrom('c4-pending', 'c5-spam', 'm1', 'self', '../c1', 'c1 c2'),
          fc.stringMatching(/^[A-Z0-9]{26}$/),
        ),
      )
      .map(([fields, parent]) => JSON.stringify({ ...fields, parent })),
  }),
  fc.record({
    defect: fc.constant('invalid name, url, email or body'),
    method: fc.constant('POST'),
    headers: fc.constant(JSON_TYPE),
    body: fc
      .tuple(
        validFields,
        fc.constantFrom<[string, string]>(
          ['name', '<b></b>   '],
          ['name', 'x'.repeat(101)],
          ['url', 'javascript:alert(1)'],
          ['url', 'ftp://example.com/'],
          ['url', 'not a url'],
          ['email', 'no-at-sign'],
          ['body', '   \n\t '],
          ['body', 'x'.repeat(5001)],
          ['body', '*_'.repeat(1000)],
          ['body', '> '.repeat(40)],
        ),
      )
      .map(([fields, [field, value]]) => JSON.stringify({ ...fields, [field]: value })),
  }),
);

describe('1,000 fuzzed requests to broadsheet serve', () => {
  it('all get a 4xx, write nothing, and the server keeps answering', async () => {
    const folder = path.join(served.root, 'content/comments');
    const filesBefore = (await readdir(folder, { recursive: true })).sort();
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(badRequest, async (request) => {
        const response = await fetch(served.endpoint, {
          method: request.method,
          headers: request.headers,
          body: request.body as BodyInit | undefined,
          redirect: 'manual',
        });
        const answer = await response.text();
        seen.set(
          `${request.defect} ${response.status}`,
          (seen.get(`${request.defect} ${response.status}`) ?? 0) + 1,
        );
        expect(response.status, `${request.defect}: ${answer}`).toBeGreaterThanOrEqual(400);
        expect(response.status, `${request.defect}: ${answer}`).toBeLessThan(500);
        expect(answer).not.toMatch(/\bat .*\.(js|ts):\d+/);
      }),
      { numRuns: 1000 },
    );
    expect((await readdir(folder, { recursive: true })).sort()).toEqual(filesBefore);
    const home = await fetch(served.url);
    expect(home.status).toBe(200);
    // Every defect was tried (the counts by defect and status are printed for the record).
    console.log(Object.fromEntries([...seen].sort()));
    expect(new Set([...seen.keys()].map((key) => key.replace(/ \d+$/, ''))).size).toBe(11);
  });
});
