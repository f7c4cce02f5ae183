import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, copyGoldenSite, repoRoot } from '../build/helpers';
import { type ServeProcess, startServe } from '../server/serve-process';
import { launchChromium } from './chromium';

let browser: Browser;
let serve: ServeProcess | undefined;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

describe('Post a Comment in a browser (chromium, JavaScript off)', () => {
  it('submits a reply, lands back on the post with the notice, and shows it threaded once approved and built', async () => {
    const root = await copyGoldenSite();
    const configFile = path.join(root, 'broadsheet.config.json');
    const config = JSON.parse(await readFile(configFile, 'utf8'));
    await writeFile(configFile, JSON.stringify({ ...config, comments: { endpoint: '/comments' } }));
    expect((await cli(['build'], { cwd: root })).code).toBe(0);
    serve = await startServe(root);
    const postUrl = new URL('posts/hello-world/', serve.url).href;

    // No JavaScript: the form, the redirect and the notice work without it.
    const context = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 1024, height: 768 },
    });
    const page = await context.newPage();
    const outside: string[] = [];
    await page.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === '127.0.0.1') return route.continue();
      outside.push(url.href);
      return route.abort();
    });
    await page.goto(postUrl);
    expect(await page.isVisible('#comment-pending')).toBe(false);
    expect(await page.isVisible('#comment-honeypot')).toBe(false);
    expect(await page.isVisible('#comment-name')).toBe(true);

    // Reply to the first approved comment: open its "Reply", fill it in by its labels, send.
    const thread = page.locator('#comment-c1');
    await thread.locator(':scope > details > summary').click();
    const form = thread.locator(':scope > details > form');
    await form.getByLabel('Name').fill('Browser Reader');
    await form.getByLabel('Reply (markdown)').fill('A reply from a *real* browser.');
    await Promise.all([
      page.waitForURL(`${postUrl}#comment-pending`),
      form.getByRole('button', { name: 'Post reply' }).click(),
    ]);
    expect(page.url()).toBe(`${postUrl}#comment-pending`);
    const notice = page.locator('#comment-pending');
    expect(await notice.isVisible()).toBe(true);
    expect(await notice.textContent()).toContain('awaits moderation');

    const listed = await cli(['comments', 'list', '--status', 'pending', '--format', 'json'], { cwd: root });
    const mine = (JSON.parse(listed.stdout) as { ref: string; author: string; parent: string }[]).find(
      (listing) => listing.author === 'Browser Reader',
    );
    expect(mine?.parent).toBe('c1');
    expect((await cli(['comments', 'approve', mine!.ref], { cwd: root })).code).toBe(0);
    expect((await cli(['build'], { cwd: root })).code).toBe(0);

    await page.goto(postUrl);
    const id = mine!.ref.split('/')[1]!;
    // Threaded: inside the list of replies of c1.
    const reply = page.locator(`#comment-c1 > ol.comment-list > li#comment-${id}`);
    expect(await reply.isVisible()).toBe(true);
    expect(await reply.locator('.comment-author').first().textContent()).toBe('Browser Reader');
    expect(await reply.locator('.comment-body em').first().textContent()).toBe('real');
    expect(outside).toEqual([]);
    await context.close();
  });

  it('gives pages with forms, and refusal pages, that the Nu HTML Checker finds no error in', async () => {
    const root = await copyGoldenSite();
    const configFile = path.join(root, 'broadsheet.config.json');
    const config = JSON.parse(await readFile(configFile, 'utf8'));
    await writeFile(configFile, JSON.stringify({ ...config, comments: { endpoint: '/comments' } }));
    expect((await cli(['build'], { cwd: root })).code).toBe(0);
    const own = await startServe(root);
    try {
      const refusal = await fetch(new URL('/comments', own.url), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'post=hello-world&name=%3Cb%3E%3C%2Fb%3E&body=x',
      });
      expect(refusal.status).toBe(422);
      await writeFile(path.join(root, 'refusal.html'), await refusal.text());
    } finally {
      await own.stop();
    }
    const vnuJar = path.join(repoRoot, 'node_modules/vnu-jar/build/dist/vnu.jar');
    const files = [path.join(root, 'public/posts/hello-world/index.html'), path.join(root, 'refusal.html')];
    const report = await promisify(execFile)(
      'java',
      ['-jar', vnuJar, '--errors-only', '--format', 'json', ...files],
      {
        maxBuffer: 16 * 1024 * 1024,
      },
    ).then(
      ({ stderr }) => stderr,
      (error: { stderr?: string; message: string }) => error.stderr ?? error.message,
    );
    expect(JSON.parse(report).messages).toEqual([]);
  });
});
