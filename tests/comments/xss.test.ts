import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, copyGoldenSite } from '../build/helpers';
import { findViolations } from '../render/safety';
import { intakeFor, jsonPost } from './helpers';

// The shared XSS corpus (a copy beside the rendering tests).
const payloads = JSON.parse(
  readFileSync(new URL('../render/xss-payloads.json', import.meta.url), 'utf8'),
) as { title: string; payload: string }[];

describe('the XSS corpus through the comment intake', () => {
  it('is refused or, approved and built, renders safe as name, url and body', async () => {
    const root = await copyGoldenSite();
    expect((await cli(['build'], { cwd: root })).code).toBe(0);
    const pagePath = path.join(root, 'public/posts/hello-world/index.html');
    const baseline = findViolations(await readFile(pagePath, 'utf8')).sort();
    const intake = intakeFor(root);
    const ids = new Set<string>();
    const outcomes = { stored: 0, urlRefused: 0, nameRefused: 0, bodyRefused: 0 };
    for (const { payload } of payloads) {
      const fields: Record<string, string> = {
        post: 'hello-world',
        name: payload,
        url: payload,
        body: payload,
      };
      for (let attempt = 0; attempt < 4; attempt++) {
        const response = await intake(jsonPost(fields));
        if (response.status === 201) {
          ids.add(((await response.json()) as { id: string }).id);
          outcomes.stored++;
          break;
        }
        const { error } = (await response.json()) as { error: { field?: string } };
        expect(response.status, JSON.stringify(error)).toBe(422);
        // A refused field is safe as it is; the others still go through.
        if (error.field === 'url') outcomes.urlRefused++;
        if (error.field === 'name') outcomes.nameRefused++;
        if (error.field === 'body') outcomes.bodyRefused++;
        fields[error.field!] = error.field === 'url' ? 'https://ok.example/' : 'plain';
      }
    }
    expect(outcomes.stored).toBe(payloads.length);
    const listed = await cli(['comments', 'list', '--status', 'pending', '--format', 'json'], { cwd: root });
    const refs = (JSON.parse(listed.stdout) as { ref: string }[]).map((listing) => listing.ref);
    // Identical submissions (the corpus repeats a few payloads) are one comment; plus the site's own pending one.
    expect(refs.length).toBe(ids.size + 1);
    expect(ids.size).toBeGreaterThan(payloads.length - 5);
    expect((await cli(['comments', 'approve', ...refs], { cwd: root })).code).toBe(0);
    const build = await cli(['build'], { cwd: root });
    expect(build.code, build.stderr).toBe(0);

    const page = await readFile(pagePath, 'utf8');
    expect(page.match(/<li id="comment-/g)?.length).toBeGreaterThan(payloads.length);
    expect(findViolations(page).sort()).toEqual(baseline);
    const api = JSON.parse(await readFile(path.join(root, 'public/api/posts/hello-world.json'), 'utf8')) as {
      comments: { html: string; author: { name: string; url?: string } }[];
    };
    for (const comment of api.comments) {
      expect(findViolations(comment.html)).toEqual([]);
      if (comment.author.url !== undefined) expect(comment.author.url).toMatch(/^https?:\/\//);
    }
    // The feeds of the post parse and carry no script either (their HTML is escaped text).
    const atom = await readFile(path.join(root, 'public/posts/hello-world/comments/atom.xml'), 'utf8');
    expect(atom).not.toMatch(/<script/i);
    expect(outcomes.urlRefused).toBeGreaterThan(100);
  });
});
