import { open, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildSite, loadSite } from '../../src/index';
import { cli } from '../build/helpers';
import {
  build,
  cacheEntries,
  cacheSnapshot,
  copyGoldenSite,
  frontMatterReadByYaml,
  GOLDEN_NOW,
  hashTree,
  type PackName,
  packFolder,
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
    // One entry per document rendered; none for the front matter, which the fast path reads (it is
    // read again, never stored: reading it costs less than a lookup).
    expect(await cacheEntries()).toHaveLength(9);
    expect(await cacheEntries('front-matter-v2')).toHaveLength(0);
    // --no-cache neither reads nor writes the cache.
    const snapshot = await cacheSnapshot();
    await build(root, path.join(folder, 'none'), { cache: false });
    expect(await cacheSnapshot()).toEqual(snapshot);
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
  interface StoredIndex {
    layout: string;
    namespace: string;
    segments: { name: string; size: number }[];
    entries: [string, number, number, number][];
  }
  const readIndex = async (pack: PackName) =>
    JSON.parse(await readFile(path.join(await packFolder(pack), 'index.json'), 'utf8')) as StoredIndex;
  const writeIndex = async (pack: PackName, index: unknown) =>
    writeFile(path.join(await packFolder(pack), 'index.json'), JSON.stringify(index));
  /** The segment file and offset of the first record of a pack. */
  const firstRecord = async (pack: PackName) => {
    const index = await readIndex(pack);
    const [key, segment, offset, length] = index.entries[0]!;
    return { key, file: path.join(await packFolder(pack), index.segments[segment]!.name), offset, length };
  };
  /** Overwrites bytes of a file in place. */
  const overwrite = async (file: string, position: number, bytes: string) => {
    const handle = await open(file, 'r+');
    await handle.write(Buffer.from(bytes), 0, bytes.length, position);
    await handle.close();
  };

  const cases: { name: string; corrupt: () => Promise<string> }[] = [
    {
      name: 'garbage bytes inside a record (its fields still decode: only the checksum sees it)',
      corrupt: async () => {
        const record = await firstRecord('render-v5');
        const payload = await readFile(record.file);
        // Inside the HTML, the end of the payload: its last closing tag (`</p>`) becomes `XYZ>`.
        const at = payload.lastIndexOf('</', record.offset + record.length);
        expect(at).toBeGreaterThan(record.offset + 44);
        expect(at + 3).toBeLessThan(record.offset + record.length);
        await overwrite(record.file, at, 'XYZ');
        return record.file;
      },
    },
    {
      name: 'a record whose checksum matches but whose lengths do not fit it',
      corrupt: async () => {
        const record = await firstRecord('render-v5');
        const bytes = await readFile(record.file);
        const payload = bytes.subarray(record.offset + 44, record.offset + record.length);
        // The number of headings (after the word count and the reading time).
        payload.writeUInt32LE(0xffffffff, 16);
        bytes.writeUInt32LE(crc32(payload), record.offset + 8);
        await writeFile(record.file, bytes);
        return record.file;
      },
    },
    {
      name: 'a truncated segment',
      corrupt: async () => {
        const record = await firstRecord('render-v5');
        const { size } = await stat(record.file);
        await truncate(record.file, Math.floor(size / 2));
        return record.file;
      },
    },
    {
      name: 'an index pointing past the end of its segment file',
      corrupt: async () => {
        const index = await readIndex('render-v5');
        const segment = index.segments[0]!;
        const entry = index.entries.find(([, number]) => number === 0)!;
        entry[2] = segment.size;
        segment.size += entry[3];
        await writeIndex('render-v5', index);
        return path.join(await packFolder('render-v5'), segment.name);
      },
    },
    {
      name: 'an index whose entry lies beyond the segment size it records',
      corrupt: async () => {
        const index = await readIndex('render-v5');
        index.entries[0]![2] = index.segments[index.entries[0]![1]]!.size;
        await writeIndex('render-v5', index);
        return path.join(await packFolder('render-v5'), 'index.json');
      },
    },
    {
      name: 'an index of the wrong shape',
      corrupt: async () => {
        const index = await readIndex('render-v5');
        await writeIndex('render-v5', {
          ...index,
          entries: Object.fromEntries(index.entries.map((e) => [e[0], e])),
        });
        return path.join(await packFolder('render-v5'), 'index.json');
      },
    },
    {
      name: 'an index that is not JSON',
      corrupt: async () => {
        const file = path.join(await packFolder('render-v5'), 'index.json');
        await writeFile(file, '\u0000{not json');
        return file;
      },
    },
    {
      name: 'garbage bytes inside a front matter record',
      corrupt: async () => {
        const record = await firstRecord('front-matter-v2');
        await overwrite(record.file, record.offset + record.length - 4, '!!!');
        // Without the loaded-post cache, whose outcomes spare reading the front matter of unchanged files.
        await rm(path.join(path.dirname(await packFolder()), 'loaded-v2.jsonl'));
        return record.file;
      },
    },
    {
      name: 'a loaded-post cache file cut short',
      corrupt: async () => {
        const file = path.join(path.dirname(await packFolder()), 'loaded-v2.jsonl');
        const text = await readFile(file, 'utf8');
        await writeFile(file, text.slice(0, text.length - 40));
        return file;
      },
    },
    {
      name: 'garbage inside a loaded-post cache line',
      corrupt: async () => {
        const file = path.join(path.dirname(await packFolder()), 'loaded-v2.jsonl');
        const lines = (await readFile(file, 'utf8')).split('\n');
        lines[2] = lines[2]!.replace('{"k":', '{"k"!');
        await writeFile(file, lines.join('\n'));
        return file;
      },
    },
    {
      name: 'a loaded-post cache file that is not one',
      corrupt: async () => {
        const file = path.join(path.dirname(await packFolder()), 'loaded-v2.jsonl');
        await writeFile(file, '\u0000{not json\n');
        return file;
      },
    },
    {
      name: 'a front matter index of the wrong shape',
      corrupt: async () => {
        const file = path.join(await packFolder('front-matter-v2'), 'index.json');
        await writeFile(file, JSON.stringify({ layout: 'front-matter-v2', namespace: 3 }));
        // The front matter cache is opened only for files the loaded-post cache does not answer.
        await rm(path.join(path.dirname(await packFolder()), 'loaded-v2.jsonl'));
        return file;
      },
    },
  ];

  it.each(cases)(
    '$name: a cache-corrupt warning, the output of --no-cache, no warning next time',
    async ({ corrupt }) => {
      // Front matter that yaml reads, which the front matter cache stores.
      const root = await frontMatterReadByYaml(await copyGoldenSite());
      const folder = await temporaryFolder();
      await build(root, path.join(folder, 'reference'), { cache: false });
      const reference = await hashTree(path.join(folder, 'reference'));
      const out = path.join(folder, 'out');
      await build(root, out);
      const file = await corrupt();
      const { diagnostics } = await build(root, out);
      const corrupted = diagnostics.filter((diagnostic) => diagnostic.code === 'cache-corrupt');
      expect(corrupted).toEqual([
        expect.objectContaining({ file, line: 1, column: 1, severity: 'warning', code: 'cache-corrupt' }),
      ]);
      expect(await hashTree(out)).toEqual(reference);
      // The index now points only at good records: the next build has no warning and the same output.
      const again = await build(root, out);
      expect(again.diagnostics.filter((diagnostic) => diagnostic.code === 'cache-corrupt')).toEqual([]);
      expect(await hashTree(out)).toEqual(reference);
    },
  );

  it('counts the corrupt entries of a file in one warning', async () => {
    const root = await copyGoldenSite();
    const out = path.join(await temporaryFolder(), 'out');
    await build(root, out);
    const index = await readIndex('render-v5');
    const file = path.join(await packFolder('render-v5'), index.segments[0]!.name);
    const records = index.entries.filter(([, segment]) => segment === 0).slice(0, 3);
    for (const [, , offset] of records) await overwrite(file, offset + 44 + 12, 'XYZ');
    const { warnings } = await build(root, out);
    expect(warnings.filter((warning) => warning.startsWith('cache-corrupt'))).toEqual([
      'cache-corrupt 3 cache entries in this file are not valid: ignored and rewritten',
    ]);
  });

  it('takes a missing segment (removed by another build) as a plain miss, without a warning', async () => {
    const root = await copyGoldenSite();
    const folder = await temporaryFolder();
    await build(root, path.join(folder, 'reference'), { cache: false });
    const out = path.join(folder, 'out');
    await build(root, out);
    const index = await readIndex('render-v5');
    await rm(path.join(await packFolder('render-v5'), index.segments[0]!.name));
    const { warnings } = await build(root, out);
    expect(warnings.filter((warning) => warning.startsWith('cache-corrupt'))).toEqual([]);
    expect(await hashTree(out)).toEqual(await hashTree(path.join(folder, 'reference')));
    expect(await cacheEntries()).toEqual(index.entries.map(([key]) => key).sort());
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
