import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type SiteUpdate, type SiteWatcher, watchSite } from '../../src/index';
import { copyGoldenSite, GOLDEN_NOW } from '../build/helpers';

const HELLO = 'content/posts/2024/2024-01-10-hello-world.md';
let watcher: SiteWatcher | undefined;
afterEach(async () => {
  await watcher?.close();
  watcher = undefined;
});

/** Collects a watcher's updates and waits for the first one after a mark that `check` accepts. */
function recorder(root: string) {
  const updates: SiteUpdate[] = [];
  let wake: (() => void) | undefined;
  watcher = watchSite({
    root,
    now: GOLDEN_NOW,
    onUpdate: (update) => {
      updates.push(update);
      wake?.();
    },
  });
  let from = 0;
  return {
    watcher,
    async next(check: (update: SiteUpdate) => boolean): Promise<SiteUpdate> {
      for (;;) {
        const found = updates.slice(from).find(check);
        if (found) {
          from = updates.indexOf(found) + 1;
          return found;
        }
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
  };
}

const titles = (update: SiteUpdate) => (update.ok ? update.site.posts.map((post) => post.title) : []);

describe('watchSite', () => {
  it('gives a fresh site after each edit, addition and deletion of a post, a comment and the config', async () => {
    const root = await copyGoldenSite();
    const { watcher, next } = recorder(root);
    const first = await next(() => true);
    expect(first.ok && first.changed).toEqual([]);
    expect(titles(first)).toContain('Hello, World & Friends');
    await watcher.ready;

    const hello = path.join(root, HELLO);
    const text = await readFile(hello, 'utf8');
    await writeFile(hello, text.replace('title: Hello, World & Friends', 'title: Hello again'));
    const edited = await next((update) => titles(update).includes('Hello again'));
    expect(edited.changed).toContain(HELLO);

    await writeFile(
      path.join(root, 'content/posts/new-one.md'),
      '---\ntitle: A New One\ndate: 2024-05-01\n---\nNew.\n',
    );
    await next((update) => titles(update).includes('A New One'));
    await rm(path.join(root, 'content/posts/new-one.md'));
    await next((update) => update.ok && !titles(update).includes('A New One'));

    const comment = 'content/comments/hello-world/c9.md';
    await writeFile(
      path.join(root, comment),
      '---\nauthor: Zed\ndate: 2024-06-01T10:00:00Z\n---\nLate to the party.\n',
    );
    const commented = await next(
      (update) => update.ok && update.site.comments.some((c) => c.id === 'c9' && c.author.name === 'Zed'),
    );
    expect(commented.changed).toContain(comment);

    const configFile = path.join(root, 'broadsheet.config.json');
    const config = JSON.parse(await readFile(configFile, 'utf8'));
    await writeFile(
      configFile,
      JSON.stringify({ ...config, site: { ...config.site, title: 'The Silver Sheet' } }),
    );
    await next((update) => update.ok && update.site.config.site.title === 'The Silver Sheet');
  });

  it('reports a broken edit as diagnostics with file, line and column, and a site again once fixed', async () => {
    const root = await copyGoldenSite();
    const { watcher, next } = recorder(root);
    await next(() => true);
    await watcher.ready;
    const hello = path.join(root, HELLO);
    const text = await readFile(hello, 'utf8');
    await writeFile(hello, text.replace('date: 2024-01-10', 'date: 2024-13-45'));
    // The watcher may see the file between writeFile's truncation and its write (an empty post: other
    // diagnostics) when the machine is busy: wait for the load of the written text.
    const broken = await next(
      (update) => !update.ok && update.diagnostics.some((d) => d.code === 'invalid-date'),
    );
    expect(
      broken.ok
        ? []
        : broken.diagnostics
            .filter((d) => d.severity === 'error')
            .map((d) => `${d.file}:${d.line}:${d.column} ${d.code}`),
    ).toEqual([`${HELLO}:3:7 invalid-date`]);
    await writeFile(hello, text);
    const fixed = await next((update) => update.ok);
    expect(titles(fixed)).toContain('Hello, World & Friends');
    expect((await watcher.current()).ok).toBe(true);
  });

  it('iterates over updates and ends when closed', async () => {
    const root = await copyGoldenSite();
    const local = watchSite({ root, now: GOLDEN_NOW, preview: true });
    watcher = local;
    const seen: boolean[] = [];
    for await (const update of local) {
      seen.push(update.ok);
      expect(update.ok && update.site.posts.some((post) => post.unpublished === 'draft')).toBe(true);
      await local.close();
    }
    expect(seen).toEqual([true]);
  });
});
