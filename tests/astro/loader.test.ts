import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type AstroLoaderContext, type BroadsheetLoader, broadsheetLoader } from '../../src/astro/index';
import { copyGoldenSite, GOLDEN_NOW } from '../build/helpers';

const HELLO = 'content/posts/2024/2024-01-10-hello-world.md';
const loaders: BroadsheetLoader[] = [];
afterEach(async () => {
  await Promise.all(loaders.splice(0).map((loader) => loader.close()));
});

/** A stand-in for Astro's loader context: a store of entries and a log. */
function fakeContext(dev: boolean) {
  const entries = new Map<string, Parameters<AstroLoaderContext['store']['set']>[0]>();
  const log: string[] = [];
  let wake: (() => void) | undefined;
  const context: AstroLoaderContext = {
    store: {
      clear: () => entries.clear(),
      set: (entry) => {
        entries.set(entry.id, entry);
        wake?.();
        return true;
      },
    },
    logger: {
      warn: (message) => log.push(`warn ${message}`),
      error: (message) => {
        log.push(`error ${message}`);
        wake?.();
      },
    },
    generateDigest: (data) => JSON.stringify(data).length.toString(36),
    ...(dev ? { watcher: {} } : {}),
  };
  const until = async (check: () => boolean) => {
    while (!check()) await new Promise<void>((resolve) => (wake = resolve));
  };
  return { context, entries, log, until };
}

describe('broadsheetLoader (broadsheet/astro)', () => {
  it('puts each published post in the store: its fields as data, its HTML as rendered content', async () => {
    const loader = broadsheetLoader({ root: await copyGoldenSite(), now: GOLDEN_NOW });
    const { context, entries } = fakeContext(false);
    await loader.load(context);
    expect([...entries.keys()].sort()).toEqual(['hello-world', 'markdown-tour', 'quiet-post']);
    const hello = entries.get('hello-world')!;
    expect(hello.data).toMatchObject({ slug: 'hello-world', title: 'Hello, World & Friends' });
    expect(hello.data).not.toHaveProperty('html');
    expect(hello.rendered!.html).toContain('<p>');
    const tour = entries.get('markdown-tour')!;
    expect(tour.rendered!.metadata!.headings![0]).toEqual({
      depth: expect.any(Number),
      slug: expect.any(String),
      text: expect.any(String),
    });
  });

  it('fails astro build on a content error, with file:line:column', async () => {
    const root = await copyGoldenSite();
    const file = path.join(root, HELLO);
    await writeFile(file, (await readFile(file, 'utf8')).replace('date: 2024-01-10', 'date: 2024-13-45'));
    const loader = broadsheetLoader({ root, now: GOLDEN_NOW });
    await expect(loader.load(fakeContext(false).context)).rejects.toThrow(`${HELLO}:3:7: error invalid-date`);
  });

  it('in astro dev, watches the site: an edit is in the store without a new load, a broken edit is logged', async () => {
    const root = await copyGoldenSite();
    const loader = broadsheetLoader({ root, now: GOLDEN_NOW });
    loaders.push(loader);
    const { context, entries, log, until } = fakeContext(true);
    await loader.load(context);
    expect(entries.get('hello-world')!.data.title).toBe('Hello, World & Friends');
    const file = path.join(root, HELLO);
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('title: Hello, World & Friends', 'title: Hello from Astro'));
    await until(() => entries.get('hello-world')?.data.title === 'Hello from Astro');
    await writeFile(file, text.replace('date: 2024-01-10', 'date: 2024-13-45'));
    await until(() => log.some((line) => line.includes('invalid-date')));
    expect(entries.get('hello-world')!.data.title).toBe('Hello from Astro');
  });
});
