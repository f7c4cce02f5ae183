import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSite, loadSite } from '../../src/index';
import { cli } from '../build/helpers';
import {
  build,
  cacheEntries,
  copyGoldenSite,
  GOLDEN_NOW,
  hashTree,
  temporaryFolder,
  warmAndColdChanges,
  writeText,
} from './helpers';

const MARKER = '.broadsheet-build';

describe('the build cache: a warm build changes exactly what a cold build changes', () => {
  it('builds byte-identical output with the cache (cold and warm) and without it', async () => {
    const root = await copyGoldenSite();
    const folder = await temporaryFolder();
    await build(root, path.join(folder, 'none'), { cache: false });
    await build(root, path.join(folder, 'cold'));
    await build(root, path.join(folder, 'warm'));
    const none = await hashTree(path.join(folder, 'none'));
    expect(Object.keys(none).length).toBeGreaterThan(40);
    expect(await hashTree(path.join(folder, 'cold'))).toEqual(none);
    expect(await hashTree(path.join(folder, 'warm'))).toEqual(none);
    // --no-cache neither reads nor writes the cache.
    const entries = await cacheEntries();
    expect(entries.length).toBeGreaterThan(0);
    await build(root, path.join(folder, 'none'), { cache: false });
    expect(await cacheEntries()).toEqual(entries);
  });

  it('editing a post body rewrites only the outputs whose bytes change, and re-renders only that post', async () => {
    const root = await copyGoldenSite();
    const file = path.join(root, 'content/posts/2024/2024-03-05-quiet-post.md');
    let entriesBefore: string[] = [];
    const changes = await warmAndColdChanges(root, async () => {
      entriesBefore = await cacheEntries();
      const text = await readFile(file, 'utf8');
      await writeFile(file, text.replace('Nobody has commented', 'Still nobody has commented'));
    });
    expect(changes.warm).toEqual(changes.cold);
    expect(changes.warm).toContain('posts/quiet-post/index.html');
    expect(changes.warm).toContain('api/posts/quiet-post.json');
    expect(changes.warm).not.toContain('posts/hello-world/index.html');
    expect(changes.rewritten).toEqual([MARKER, ...changes.warm].sort());
    // One entry replaced: the edited post's.
    const entriesAfter = await cacheEntries();
    expect(entriesAfter.filter((entry) => !entriesBefore.includes(entry))).toHaveLength(1);
    expect(entriesBefore.filter((entry) => !entriesAfter.includes(entry))).toHaveLength(1);
  });

  it('editing a comment changes its post page and API document (and what else a cold build changes)', async () => {
    const root = await copyGoldenSite();
    const file = path.join(root, 'content/comments/hello-world/c1.md');
    const changes = await warmAndColdChanges(root, async () => {
      const text = await readFile(file, 'utf8');
      await writeFile(file, text.replace('Nice **paper**.', 'Nice *paper*, really.'));
    });
    expect(changes.warm).toEqual(changes.cold);
    expect(changes.warm).toEqual(
      expect.arrayContaining(['api/posts/hello-world.json', 'posts/hello-world/index.html']),
    );
    expect(changes.warm).not.toContain('posts/markdown-tour/index.html');
    expect(changes.rewritten).toEqual([MARKER, ...changes.warm].sort());
  });

  it('editing the config changes what a cold build changes', async () => {
    const root = await copyGoldenSite();
    const file = path.join(root, 'broadsheet.config.json');
    const changes = await warmAndColdChanges(root, async () => {
      const config = JSON.parse(await readFile(file, 'utf8'));
      config.site.url = 'https://gazette.example/news/';
      await writeFile(file, JSON.stringify(config));
    });
    expect(changes.warm).toEqual(changes.cold);
    // Every post's HTML has absolute links under the new URL: the cached renders are not reused.
    expect(changes.warm).toContain('api/posts/markdown-tour.json');
    expect(changes.warm).toContain('posts/quiet-post/index.html');
    expect(changes.rewritten).toEqual([MARKER, ...changes.warm].sort());
  });

  it('changing a plugin (its source or its options) re-renders the posts', async () => {
    const root = path.join(await temporaryFolder(), 'site');
    const config = (attribute: string, option: string) => `
function rehypeMark(options: { value: string }) {
  return (tree: { children: { type: string; properties?: object }[] }) => {
    for (const node of tree.children) {
      if (node.type === 'element') node.properties = { ...node.properties, ${attribute}: options.value };
    }
  };
}
export default {
  site: { title: 'Plugins', url: 'https://plugins.example/' },
  markdown: { rehypePlugins: [[rehypeMark, { value: '${option}' }]] },
};
`;
    await writeText(path.join(root, 'broadsheet.config.ts'), config('dataMark', 'one'));
    await writeText(
      path.join(root, 'content/posts/a.md'),
      '---\ntitle: A\ndate: 2024-01-01\n---\n\nHello.\n',
    );
    const out = path.join(await temporaryFolder(), 'out');
    const html = async () => readFile(path.join(out, 'posts/a/index.html'), 'utf8');
    await build(root, out);
    expect(await html()).toContain('<p data-mark="one">Hello.</p>');
    await build(root, out);
    expect(await html()).toContain('<p data-mark="one">Hello.</p>');
    await writeText(path.join(root, 'broadsheet.config.ts'), config('dataMark', 'two'));
    await build(root, out);
    expect(await html()).toContain('<p data-mark="two">Hello.</p>');
    await writeText(path.join(root, 'broadsheet.config.ts'), config('dataNote', 'two'));
    await build(root, out);
    expect(await html()).toContain('<p data-note="two">Hello.</p>');
  });

  it('a config object passed to loadSite keys the cache by its plugins too', async () => {
    const root = path.join(await temporaryFolder(), 'site');
    await writeText(
      path.join(root, 'content/posts/a.md'),
      '---\ntitle: A\ndate: 2024-01-01\n---\n\nHello.\n',
    );
    const plugin = (value: string) => () => (tree: { children: { type: string; properties?: object }[] }) => {
      for (const node of tree.children) if (node.type === 'element') node.properties = { dataV: value };
    };
    const load = async (value: string) => {
      const result = await loadSite({
        root,
        now: GOLDEN_NOW,
        config: {
          site: { title: 'T', url: 'https://t.example/' },
          markdown: { rehypePlugins: [plugin(value)] },
        },
      });
      if (!result.ok) throw new Error('load failed');
      return result.site.posts[0]!.html;
    };
    expect(await load('x')).toBe('<p data-v="x">Hello.</p>');
    // A plugin with other source text is another identity: the cached render is not reused.
    const other = () => (tree: { children: { type: string; properties?: object }[] }) => {
      for (const node of tree.children) if (node.type === 'element') node.properties = { dataW: 'y' };
    };
    const result = await loadSite({
      root,
      now: GOLDEN_NOW,
      config: { site: { title: 'T', url: 'https://t.example/' }, markdown: { rehypePlugins: [other] } },
    });
    expect(result.ok && result.site.posts[0]!.html).toBe('<p data-w="y">Hello.</p>');
  });
});

describe('a corrupted cache', () => {
  it('is ignored with a cache-corrupt warning, never a crash, and the output is the same', async () => {
    const root = await copyGoldenSite();
    const folder = await temporaryFolder();
    await build(root, path.join(folder, 'reference'), { cache: false });
    const out = path.join(folder, 'out');
    await build(root, out);
    const cache = process.env.BROADSHEET_CACHE_DIR!;
    const entries = await cacheEntries();
    // Garbage, valid JSON of the wrong shape, and an entry of another key.
    await writeFile(path.join(cache, entries[0]!), '\u0000{not json');
    await writeFile(path.join(cache, entries[1]!), JSON.stringify({ key: 'x', result: { html: 1 } }));
    await writeFile(path.join(cache, entries[2]!), await readFile(path.join(cache, entries[3]!)));
    const { warnings } = await build(root, out);
    const corrupt = warnings.filter((warning) => warning.startsWith('cache-corrupt'));
    expect(corrupt).toHaveLength(3);
    expect(await hashTree(out)).toEqual(await hashTree(path.join(folder, 'reference')));
    // Rewritten: the next build has no warning.
    expect((await build(root, out)).warnings.filter((w) => w.startsWith('cache-corrupt'))).toEqual([]);
  });

  it('ignores a corrupt output manifest with a warning and writes every file', async () => {
    const root = await copyGoldenSite();
    const out = path.join(await temporaryFolder(), 'out');
    await build(root, out);
    const before = await hashTree(out);
    const cache = process.env.BROADSHEET_CACHE_DIR!;
    const [site] = await readdir(cache);
    const manifest = (await readdir(path.join(cache, site!))).find((name) => name.startsWith('outputs-'))!;
    await writeFile(path.join(cache, site!, manifest), '{"out": 3');
    const result = await buildSite({ root, out, now: GOLDEN_NOW, workers: 0 });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.warnings.map((warning) => warning.code)).toContain('cache-corrupt');
    expect(await hashTree(out)).toEqual(before);
  });
});

describe('--no-cache on the command line', () => {
  it('build and check neither read nor write the cache with --no-cache, and fill it without', async () => {
    const root = await copyGoldenSite();
    const check = await cli(['check', '--root', root, '--no-cache'], { cwd: root });
    expect(check.code).toBe(0);
    const built = await cli(['build', '--root', root, '--no-cache'], { cwd: root });
    expect(built.code).toBe(0);
    expect(await cacheEntries()).toEqual([]);
    expect((await cli(['check', '--root', root], { cwd: root })).code).toBe(0);
    expect((await cacheEntries()).length).toBeGreaterThan(0);
  });
});
