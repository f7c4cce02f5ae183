import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite } from '../../src/index';
import { copyShellSite } from '../build/helpers';
import { type FolderServer, launchChromium, serveFolder } from './chromium';

let server: FolderServer;
let browser: Browser;
let origin: string;
let folder: string;

beforeAll(async () => {
  // Removed after all tests (not after each, as the helpers' temporary folders are): the server reads it.
  folder = await mkdtemp(path.join(os.tmpdir(), 'broadsheet-e2e-images-'));
  const root = await copyShellSite(folder);
  const out = path.join(folder, 'preview');
  // Serves the build under /blog/, as the site's URL says, on a free loopback port.
  server = await serveFolder(out, '/blog/');
  origin = server.origin;
  // A preview build: the site's URL on this server's origin, so that absolute links load here.
  const result = await buildSite({ root, out, preview: { origin }, cache: false });
  expect(result.ok, JSON.stringify(result.ok ? [] : result.diagnostics)).toBe(true);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (folder) await rm(folder, { recursive: true, force: true });
});

/** Every image of the post's article as the browser has it once each has loaded. */
async function articleImages(url: string) {
  const page = await browser.newPage();
  await page.goto(url, { waitUntil: 'load' });
  // Lazy images load when near the viewport: scrolled into view, each is fetched.
  await page.$$eval('article img', (elements) => {
    for (const element of elements) element.scrollIntoView();
  });
  await page.waitForFunction(() =>
    Array.from(document.querySelectorAll('article img')).every(
      (image) => (image as HTMLImageElement).complete,
    ),
  );
  const images = await page.$$eval('article img', (elements) =>
    (elements as HTMLImageElement[]).map((image) => ({
      src: image.currentSrc,
      complete: image.complete,
      width: image.naturalWidth,
      height: image.naturalHeight,
      loading: image.getAttribute('loading'),
      box: [image.getAttribute('width'), image.getAttribute('height')],
    })),
  );
  await page.close();
  return images;
}

describe('a post with an image (chromium)', () => {
  it('loads the image from static/ with the relative path the post gives', async () => {
    // A static image is not sized: only a post folder's files are known to the render.
    expect(await articleImages(`${origin}/blog/posts/first/`)).toEqual([
      {
        src: `${origin}/blog/images/shell.png`,
        complete: true,
        width: 12,
        height: 8,
        loading: null,
        box: [null, null],
      },
    ]);
  });

  it('loads the images of a post folder, by the relative paths the post gives: none broken, the first eager', async () => {
    const images = await articleImages(`${origin}/blog/posts/tide-pools/`);
    const at = (file: string) => `${origin}/blog/posts/tide-pools/${file}`;
    expect(images).toEqual([
      { src: at('tide.png'), complete: true, width: 16, height: 10, loading: null, box: ['16', '10'] },
      {
        src: at('sketches/crab.png'),
        complete: true,
        width: 20,
        height: 14,
        loading: 'lazy',
        box: ['20', '14'],
      },
      {
        src: at('sketches/star.svg'),
        complete: true,
        width: 24,
        height: 24,
        loading: 'lazy',
        box: ['24', '24'],
      },
      {
        src: at('sketches/star.svg'),
        complete: true,
        width: 24,
        height: 24,
        loading: 'lazy',
        box: ['12', null],
      },
    ]);
  });
});
