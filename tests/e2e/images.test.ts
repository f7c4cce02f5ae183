import { createReadStream } from 'node:fs';
import { cp, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite } from '../../src/index';
import { repoRoot, temporaryFolder } from '../build/helpers';

const types: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.png': 'image/png' };

let server: Server;
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
  server = createServer(async (request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    const relative = pathname.replace(/^\/blog\//, '');
    const file = path.join(
      out,
      relative.endsWith('/') || relative === '' ? `${relative}index.html` : relative,
    );
    const info = pathname.startsWith('/blog/') ? await stat(file).catch(() => undefined) : undefined;
    if (!info?.isFile()) {
      response.writeHead(404).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // A preview build: the site's URL on this server's origin, so that absolute links load here.
  const result = await buildSite({ root, out, preview: { origin }, cache: false });
  expect(result.ok, JSON.stringify(result.ok ? [] : result.diagnostics)).toBe(true);
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
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
