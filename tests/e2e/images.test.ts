import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite } from '../../src/index';
import { repoRoot, temporaryFolder } from '../build/helpers';
import { type FolderServer, launchChromium, serveFolder } from './chromium';

let server: FolderServer;
let browser: Browser;
let origin: string;

beforeAll(async () => {
  const folder = await temporaryFolder();
  const root = path.join(folder, 'site');
  const out = path.join(folder, 'preview');
  await cp(path.join(repoRoot, 'tests/fixtures/site-shell'), root, {
    recursive: true,
    filter: (source) => !source.includes(`${path.sep}expected`),
  });
  const config = path.join(root, 'broadsheet.config.ts');
  await writeFile(
    config,
    (await readFile(config, 'utf8')).replaceAll("'../../../src/", `'${path.join(repoRoot, 'src')}/`),
  );
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
});

describe('a post with an image (chromium)', () => {
  it('loads the image from static/ with the relative path the post gives', async () => {
    const page = await browser.newPage();
    await page.goto(`${origin}/blog/posts/first/`, { waitUntil: 'load' });
    const images = await page.$$eval('article img', (elements) =>
      (elements as HTMLImageElement[]).map((image) => ({
        src: image.currentSrc,
        complete: image.complete,
        width: image.naturalWidth,
        height: image.naturalHeight,
      })),
    );
    expect(images).toEqual([
      { src: `${origin}/blog/images/shell.png`, complete: true, width: 12, height: 8 },
    ]);
    await page.close();
  });
});
