import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite } from '../../src/index';
import { repoRoot } from '../build/helpers';
import { type FolderServer, launchChromium, serveFolder } from './chromium';

const publicFolder = path.join(repoRoot, 'public');
const screenshot = path.join(repoRoot, 'tests/e2e/screenshots/seed-post.png');
const SEED_POST = 'posts/how-to-recover-from-a-bad-interview/';

let server: FolderServer;
let browser: Browser;

beforeAll(async () => {
  // What `npm start` does: build this repository's own content into public/.
  const result = await buildSite({ root: repoRoot });
  expect(result.ok, JSON.stringify(result.ok ? [] : result.diagnostics)).toBe(true);
  server = await serveFolder(publicFolder);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the seed post in a browser (chromium)', () => {
  it('shows its title, its six bullets and "No comments"', async () => {
    const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    // Only the local server: links to the site's real URL are never fetched.
    const outside: string[] = [];
    await page.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === '127.0.0.1') return route.continue();
      outside.push(url.href);
      return route.abort();
    });
    const response = await page.goto(`${server.origin}/${SEED_POST}`);
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
