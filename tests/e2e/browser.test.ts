import { createReadStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite } from '../../src/index';
import { repoRoot } from '../build/helpers';

const publicFolder = path.join(repoRoot, 'public');
const screenshot = path.join(repoRoot, 'tests/e2e/screenshots/seed-post.png');
const SEED_POST = 'posts/how-to-recover-from-a-bad-interview/';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};

/** A static file server for `folder` on 127.0.0.1, on a free port; `/a/` serves `/a/index.html`. */
function serve(folder: string): Promise<Server> {
  const server = createServer(async (request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    const file = path.join(folder, pathname.endsWith('/') ? `${pathname}index.html` : pathname);
    const info = file.startsWith(`${folder}${path.sep}`)
      ? await stat(file).catch(() => undefined)
      : undefined;
    if (!info?.isFile()) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    response.writeHead(200, {
      'content-type': contentTypes[path.extname(file)] ?? 'application/octet-stream',
    });
    createReadStream(file).pipe(response);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

let server: Server;
let browser: Browser;

beforeAll(async () => {
  // What `npm start` does: build this repository's own content into public/.
  const result = await buildSite({ root: repoRoot });
  expect(result.ok, JSON.stringify(result.ok ? [] : result.diagnostics)).toBe(true);
  server = await serve(publicFolder);
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

describe('the seed post in a browser (chromium)', () => {
  it('shows its title, its six bullets and "No comments"', async () => {
    const { port } = server.address() as AddressInfo;
    const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    // Only the local server: links to the site's real URL are never fetched.
    const outside: string[] = [];
    await page.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === '127.0.0.1') return route.continue();
      outside.push(url.href);
      return route.abort();
    });
    const response = await page.goto(`http://127.0.0.1:${port}/${SEED_POST}`);
    expect(response?.status()).toBe(200);

    await expect(page.title()).resolves.toContain('How to Recover from a Bad Interview.');
    const title = page.getByRole('heading', { level: 1 });
    expect(await title.isVisible()).toBe(true);
    expect(await title.textContent()).toBe('How to Recover from a Bad Interview.');
    const bullets = page.locator('article').first().locator('ul > li');
    expect(await bullets.count()).toBe(6);
    for (const bullet of await bullets.all()) expect(await bullet.isVisible()).toBe(true);
    expect(await bullets.nth(0).textContent()).toMatch(/^Take an honest look at your performance/);
    expect(await bullets.nth(5).textContent()).toMatch(/Even the great Michael Jordan had off days!$/);
    expect(await page.getByText('No comments', { exact: true }).isVisible()).toBe(true);
    // Pages carry no JavaScript: the only script element is the JSON-LD data block, which browsers never run.
    expect(await page.locator('script').count()).toBe(1);
    expect(await page.locator('script:not([type="application/ld+json"])').count()).toBe(0);

    await mkdir(path.dirname(screenshot), { recursive: true });
    await page.screenshot({ path: screenshot, fullPage: true });
    expect((await stat(screenshot)).size).toBeGreaterThan(10_000);
    expect(outside).toEqual([]);
    await page.close();
  });
});
