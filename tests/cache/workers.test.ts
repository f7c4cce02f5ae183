import { execFile } from 'node:child_process';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadSite } from '../../src/index';
import { WORKER_THRESHOLD } from '../../src/render/render-stage';
import { writeBigSite } from '../build/big-site';
import { GOLDEN_NOW, goldenRoot, repoRoot } from '../build/helpers';
import { build, copyGoldenSite, hashTree, temporaryFolder, writeText } from './helpers';

const run = promisify(execFile);
const cliPath = path.join(repoRoot, 'dist/cli.js');

async function requireDist(): Promise<void> {
  await access(path.join(repoRoot, 'dist/render-worker.js')).catch(() => {
    throw new Error('dist/render-worker.js is missing: run `npm run build:lib` first (npm test does)');
  });
}

const PLUGIN_CONFIG = `
function rehypeMark() {
  return (tree: { children: { type: string; properties?: object }[] }) => {
    for (const node of tree.children) {
      if (node.type === 'element') node.properties = { ...node.properties, dataPlugin: 'ran' };
    }
  };
}
export default {
  site: { title: 'Workers', url: 'https://workers.example/' },
  markdown: { rehypePlugins: [rehypeMark] },
};
`;

/** A site whose config has a plugin, which the workers must load themselves. */
async function pluginSite(): Promise<string> {
  const root = path.join(await temporaryFolder(), 'site');
  await writeText(path.join(root, 'broadsheet.config.ts'), PLUGIN_CONFIG);
  for (let index = 0; index < 40; index++) {
    await writeText(
      path.join(root, `content/posts/p${index}.md`),
      `---\ntitle: Post ${index}\ndate: 2024-01-${String((index % 28) + 1).padStart(2, '0')}\n---\n\nPost **${index}** [link](../p${index + 1}/).\n`,
    );
  }
  await writeText(
    path.join(root, 'content/comments/p1/c1.md'),
    '---\nauthor: Ann\ndate: 2024-03-01T10:00:00Z\n---\n\nA <b>comment</b> https://example.com/.\n',
  );
  return root;
}

describe('rendering on worker threads', () => {
  it('gives byte-identical output with the pool forced on (from source) and off', async () => {
    const folder = await temporaryFolder();
    await build(goldenRoot, path.join(folder, 'main'), { cache: false, workers: 0 });
    await build(goldenRoot, path.join(folder, 'pool'), { cache: false, workers: 2 });
    expect(await hashTree(path.join(folder, 'pool'))).toEqual(await hashTree(path.join(folder, 'main')));
  });

  it('renders a site above the threshold on threads and the main thread together, identically', async () => {
    const root = path.join(await temporaryFolder(), 'site');
    await writeBigSite(root, WORKER_THRESHOLD + 20);
    delete process.env.BROADSHEET_WORKERS;
    const auto = await loadSite({ root, now: GOLDEN_NOW, cache: false });
    const main = await loadSite({ root, now: GOLDEN_NOW, cache: false, workers: 0 });
    if (!auto.ok || !main.ok) throw new Error('the big site does not load');
    expect(auto.site.posts.length).toBeGreaterThanOrEqual(WORKER_THRESHOLD);
    expect(auto.site.posts.map((post) => post.html)).toEqual(main.site.posts.map((post) => post.html));
    expect(auto.site.comments.map((c) => c.html)).toEqual(main.site.comments.map((c) => c.html));
  });

  it("runs the config's plugins in the workers", async () => {
    const root = await pluginSite();
    const threaded = await loadSite({ root, now: GOLDEN_NOW, cache: false, workers: 2 });
    const main = await loadSite({ root, now: GOLDEN_NOW, cache: false, workers: 0 });
    expect(threaded.ok && main.ok).toBe(true);
    if (!threaded.ok || !main.ok) return;
    expect(threaded.site.posts.map((post) => post.html)).toEqual(main.site.posts.map((post) => post.html));
    expect(threaded.site.posts[0]!.html).toContain('data-plugin="ran"');
    expect(threaded.site.comments.map((c) => c.html)).toEqual(main.site.comments.map((c) => c.html));
  });

  it('renders in the main thread when loadSite is given a config object (plugins cannot be sent)', async () => {
    const root = await copyGoldenSite();
    const plugin = () => (tree: { children: { type: string; properties?: object }[] }) => {
      for (const node of tree.children) if (node.type === 'element') node.properties = { dataIn: 'process' };
    };
    const result = await loadSite({
      root,
      now: GOLDEN_NOW,
      cache: false,
      workers: 2,
      config: { site: { title: 'T', url: 'https://t.example/' }, markdown: { rehypePlugins: [plugin] } },
    });
    expect(result.ok && result.site.posts[0]!.html).toContain('data-in="process"');
  });

  it('works from the built CLI (ESM) with BROADSHEET_WORKERS, with and without the cache', async () => {
    await requireDist();
    const root = await pluginSite();
    const folder = await temporaryFolder();
    const env = { ...process.env, BROADSHEET_CACHE_DIR: path.join(folder, 'cache') };
    const builds = [
      { out: 'main', workers: '0', args: ['--no-cache'] },
      { out: 'pool', workers: '2', args: ['--no-cache'] },
      { out: 'cached-cold', workers: '2', args: [] },
      { out: 'cached-warm', workers: '2', args: [] },
    ];
    for (const { out, workers, args } of builds) {
      await run(
        process.execPath,
        [cliPath, 'build', '--root', root, '--out', path.join(folder, out), ...args],
        { env: { ...env, BROADSHEET_WORKERS: workers } },
      );
    }
    const main = await hashTree(path.join(folder, 'main'));
    expect(Object.keys(main).length).toBeGreaterThan(100);
    for (const { out } of builds.slice(1)) expect(await hashTree(path.join(folder, out)), out).toEqual(main);
  });

  it('works from the built CommonJS library (dist/index.cjs)', async () => {
    await requireDist();
    const root = await pluginSite();
    const script = `
      const { loadSite } = require(${JSON.stringify(path.join(repoRoot, 'dist/index.cjs'))});
      Promise.all([0, 2].map((workers) => loadSite({ root: ${JSON.stringify(root)}, cache: false, workers })))
        .then(([main, pool]) => {
          if (!main.ok || !pool.ok) throw new Error('load failed');
          const html = (result) => JSON.stringify(result.site.posts.map((post) => post.html));
          process.stdout.write(JSON.stringify({ same: html(main) === html(pool), first: pool.site.posts[0].html }));
        });
    `;
    const { stdout } = await run(process.execPath, ['-e', script]);
    const result = JSON.parse(stdout) as { same: boolean; first: string };
    expect(result.same).toBe(true);
    expect(result.first).toContain('data-plugin="ran"');
  });
});
