import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyGoldenSite, repoRoot } from '../build/helpers';
import { startDev } from '../dev/helpers';
import { launchChromium } from './chromium';

const HELLO = 'content/posts/2024/2024-01-10-hello-world.md';
const screenshot = path.join(repoRoot, 'tests/e2e/screenshots/dev-overlay.png');

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

/** Opens `url` and waits until its reload script listens to the dev server's events. */
async function open(url: string): Promise<{ page: Page; loads: () => number }> {
  const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
  let loads = 0;
  page.on('load', () => {
    loads += 1;
  });
  const listening = page.waitForResponse((response) => response.url().endsWith('/__broadsheet/events'));
  await page.goto(url);
  await listening;
  return { page, loads: () => loads };
}

describe('broadsheet dev in a browser (chromium)', () => {
  it('reloads an open post when its file is saved, shows a broken edit over the page, and recovers', async () => {
    const root = await copyGoldenSite();
    const dev = await startDev(root);
    const post = await open(`${dev.url}posts/hello-world/`);
    const other = await open(`${dev.url}posts/quiet-post/`);
    const heading = post.page.locator('article h1');
    expect(await heading.textContent()).toBe('Hello, World & Friends');

    const file = path.join(root, HELLO);
    const text = await readFile(file, 'utf8');
    await writeFile(
      file,
      text.replace('title: Hello, World & Friends', 'title: Written in the browser test'),
    );
    await post.page.waitForFunction(
      () => document.querySelector('h1')?.textContent === 'Written in the browser test',
      undefined,
      { timeout: 30_000 },
    );
    expect(post.loads()).toBe(2);
    expect(await post.page.title()).toBe('Written in the browser test — The Golden Gazette');

    // A broken edit: the problems show over the page, which keeps the last good build.
    await writeFile(file, text.replace('tags: [News, Meta]', 'tags: [News, Meta'));
    const overlay = post.page.locator('broadsheet-overlay #problems');
    await overlay.waitFor({ state: 'visible', timeout: 30_000 });
    const shown = await overlay.textContent();
    expect(shown).toContain(`${HELLO}:4:18: error invalid-yaml`);
    expect(shown).toContain('4 | tags: [News, Meta');
    expect(await heading.textContent()).toBe('Written in the browser test');
    await mkdir(path.dirname(screenshot), { recursive: true });
    await post.page.screenshot({ path: screenshot });
    expect((await stat(screenshot)).size).toBeGreaterThan(10_000);

    // Fixed: the overlay goes and the page shows the fixed post.
    await writeFile(file, text.replace('title: Hello, World & Friends', 'title: Fixed in the browser test'));
    await post.page.waitForFunction(
      () => document.querySelector('h1')?.textContent === 'Fixed in the browser test',
      undefined,
      { timeout: 30_000 },
    );
    await overlay.waitFor({ state: 'detached', timeout: 30_000 });

    // The other post's bytes never changed (its page does not list the edited post): no reload.
    expect(other.loads()).toBe(1);
    await post.page.close();
    await other.page.close();
  });
});
