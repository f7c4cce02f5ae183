import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../build/helpers';
import { type ServedSite, serveGoldenSite } from './serve-site';

let served: ServedSite;
beforeAll(async () => {
  // The rate limit is turned off for load tests, as docs/comments.md advises (one client sends everything).
  served = await serveGoldenSite({ rateLimit: false });
});
afterAll(async () => {
  await served?.stop();
});

describe('300 concurrent submissions to broadsheet serve', () => {
  it('give exactly 300 pending files, each valid for broadsheet check, none lost or duplicated', async () => {
    const folder = path.join(served.root, 'content/comments/hello-world');
    const before = new Set(await readdir(folder));
    const checkBefore = await cli(['check', '--format', 'json'], { cwd: served.root });
    const responses = await Promise.all(
      Array.from({ length: 300 }, async (_, index) => {
        const fields = {
          post: 'hello-world',
          ...(index % 3 === 0 ? { parent: 'c1' } : {}),
          name: `Visitor ${index}`,
          email: `v${index}@example.com`,
          body: `Comment number ${index}: *hello* from the load test.`,
        };
        const response =
          index % 2 === 0
            ? await fetch(served.endpoint, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify(fields),
              })
            : await fetch(served.endpoint, {
                method: 'POST',
                headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
                body: new URLSearchParams(fields).toString(),
                redirect: 'manual',
              });
        return {
          index,
          status: response.status,
          body: await response.text(),
          location: response.headers.get('location'),
        };
      }),
    );
    const ids: string[] = [];
    for (const response of responses) {
      if (response.index % 2 === 0) {
        expect(response.status, response.body).toBe(201);
        ids.push((JSON.parse(response.body) as { id: string }).id);
      } else {
        expect(response.status, response.body).toBe(303);
        expect(response.location).toBe('/blog/posts/hello-world/#comment-pending');
      }
    }
    const added = (await readdir(folder)).filter((name) => !before.has(name));
    expect(added).toHaveLength(300);
    expect(added.every((name) => /^[0-9A-Z]{26}\.md$/.test(name))).toBe(true);
    for (const id of ids) expect(added).toContain(`${id}.md`);
    const bodies = new Set<string>();
    for (const name of added) {
      const text = await readFile(path.join(folder, name), 'utf8');
      expect(text).toContain('status: pending\n');
      bodies.add(/Comment number (\d+):/.exec(text)![1]!);
    }
    expect(bodies.size).toBe(300);
    const check = await cli(['check', '--format', 'json'], { cwd: served.root });
    expect(check.code, check.stdout).toBe(checkBefore.code);
    expect(check.stdout).toBe(checkBefore.stdout);
  });
});
