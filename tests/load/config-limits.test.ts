import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import type { MarkdownLimits } from '../../src/comments/index';
import {
  type BroadsheetConfig,
  type MarkdownLimitsConfig,
  type SiteUpdate,
  watchSite,
} from '../../src/index';
import { cli, listFiles, temporaryFolder, writeText } from '../build/helpers';

const SITE = { title: 'Limits', url: 'https://limits.example/' };
const config = (markdown?: unknown) =>
  `${JSON.stringify({ site: SITE, ...(markdown ? { markdown } : {}) }, null, 2)}\n`;
/** 750 list items: over the default limit of 700 list items and quotes for a post. */
const LONG_LIST = `---\ntitle: A long list\ndate: 2024-01-02\n---\n\n${'- an item\n'.repeat(750)}`;
/** An approved comment of 250 list items: over the comment limit of 200, which the config never raises. */
const LIST_COMMENT = `---\nauthor: Visitor\ndate: 2024-01-03T00:00:00Z\n---\n${'- a point\n'.repeat(250)}`;

/** A site root with the long-list post and the given config. */
async function site(markdown?: unknown): Promise<string> {
  const root = path.join(await temporaryFolder(), 'site');
  await writeText(path.join(root, 'broadsheet.config.json'), config(markdown));
  await writeText(path.join(root, 'content/posts/long-list.md'), LONG_LIST);
  return root;
}

let cacheBefore: string | undefined;
beforeEach(async () => {
  // The persistent caches of this test's own: the warm builds below use them.
  cacheBefore = process.env.BROADSHEET_CACHE_DIR;
  process.env.BROADSHEET_CACHE_DIR = await temporaryFolder();
});
afterEach(() => {
  if (cacheBefore === undefined) delete process.env.BROADSHEET_CACHE_DIR;
  else process.env.BROADSHEET_CACHE_DIR = cacheBefore;
});

describe('markdown.limits in the config', () => {
  it('lets a post over a default limit through once raised, on cold and warm builds, and refuses it again once lowered', async () => {
    const root = await site();
    const cold = await cli(['build'], { cwd: root });
    expect(cold.code).toBe(1);
    expect(cold.stderr).toMatchInlineSnapshot(`
      "content/posts/long-list.md:706:1: error markdown-too-complex: the document has more than 700 list items and quotes by line 706; the config's markdown.limits.containers raises it
      build failed: 1 error and 0 warnings in 1 file; nothing was written, the previous output is as it was
      "
    `);

    await writeFile(path.join(root, 'broadsheet.config.json'), config({ limits: { containers: 1_000 } }));
    // Warm: the front matter cache holds the post from the refused build.
    const raised = await cli(['build'], { cwd: root });
    expect(raised).toMatchObject({ code: 0 });
    const page = await readFile(path.join(root, 'public/posts/long-list/index.html'), 'utf8');
    expect(page.match(/<li>an item<\/li>/g)).toHaveLength(750);
    // Warmer: the render cache now holds its page too.
    expect(await listFiles(process.env.BROADSHEET_CACHE_DIR!)).not.toEqual([]);
    expect(await cli(['build'], { cwd: root })).toMatchObject({ code: 0 });
    expect(await cli(['check'], { cwd: root })).toMatchObject({ code: 0 });

    // Back to the defaults: the cached render does not let the post through.
    await writeFile(path.join(root, 'broadsheet.config.json'), config());
    const lowered = await cli(['check'], { cwd: root });
    expect(lowered.code).toBe(1);
    expect(lowered.stderr).toContain('706:1: error markdown-too-complex');
    // A limit may be lowered too.
    await writeFile(path.join(root, 'broadsheet.config.json'), config({ limits: { characters: 1_000 } }));
    expect((await cli(['check'], { cwd: root })).stderr).toMatchInlineSnapshot(`
      "content/posts/long-list.md:5:1: error markdown-too-long: the markdown is 7501 characters long; the limit for a post is 1000; the config's markdown.limits.characters raises it
      check failed: 1 error and 0 warnings in 1 file
      "
    `);
  }, 60_000);

  it('holds pages to the raised limits and comments to their own', async () => {
    const root = await site({ limits: { containers: 5_000 } });
    await writeText(path.join(root, 'content/pages/list.md'), LONG_LIST.replace('A long list', 'List'));
    expect(await cli(['build'], { cwd: root })).toMatchObject({ code: 0 });
    expect(existsSync(path.join(root, 'public/list/index.html'))).toBe(true);

    await writeText(path.join(root, 'content/comments/long-list/c1.md'), LIST_COMMENT);
    const { code, stderr } = await cli(['build'], { cwd: root });
    expect(code).toBe(1);
    expect(stderr).toMatchInlineSnapshot(`
      "content/comments/long-list/c1.md:205:1: error markdown-too-complex: the document has more than 200 list items and quotes by line 205
      build failed: 1 error and 0 warnings in 1 file; nothing was written, the previous output is as it was
      "
    `);
  }, 60_000);

  it('is a config diagnostic at the value when a limit is not a positive integer', async () => {
    const root = await site({ limits: { containers: 0, characters: 1.5, listItems: 1_000 } });
    const { code, stderr } = await cli(['check'], { cwd: root });
    expect(code).toBe(2);
    expect(stderr).toMatchInlineSnapshot(`
      "broadsheet.config.json:8:21: error config-out-of-range: markdown.limits.containers must be at least 1
      broadsheet.config.json:9:21: error config-invalid-type: markdown.limits.characters must be a whole number
      broadsheet.config.json:10:7: warning config-unknown-key: unknown key "markdown.limits.listItems" is ignored
      check failed: 2 errors and 1 warning in 1 file
      "
    `);
  });

  it('in a watch loop, a post refused under the old limits is accepted once the config raises them', async () => {
    const root = await site();
    const updates: SiteUpdate[] = [];
    let wake: (() => void) | undefined;
    const watcher = watchSite({
      root,
      onUpdate: (update) => {
        updates.push(update);
        wake?.();
      },
    });
    const next = async (check: (update: SiteUpdate) => boolean): Promise<SiteUpdate> => {
      for (;;) {
        const found = updates.find(check);
        if (found) return found;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    };
    try {
      const first = await next(() => true);
      expect(!first.ok && first.diagnostics.map((d) => `${d.line} ${d.code}`)).toEqual([
        '706 markdown-too-complex',
      ]);
      await watcher.ready;
      await writeFile(path.join(root, 'broadsheet.config.json'), config({ limits: { containers: 1_000 } }));
      const raised = await next((update) => update.ok);
      expect(raised.ok && raised.site.posts.map((post) => post.slug)).toEqual(['long-list']);
    } finally {
      await watcher.close();
    }
  }, 60_000);

  it('has the keys and types of the markdown limits', () => {
    expectTypeOf<NonNullable<BroadsheetConfig['markdown']>['limits']>().toEqualTypeOf<
      MarkdownLimitsConfig | undefined
    >();
    expectTypeOf<MarkdownLimitsConfig>().toEqualTypeOf<Partial<MarkdownLimits>>();
  });
});
