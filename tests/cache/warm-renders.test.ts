// A warm build (render cache and previous output kept) renders the documents its cache lacks on a
// thread it starts while the site loads (src/render/render-session.ts, docs/decisions/render-speed.md,
// "Round four"): the same bytes as a build without cache and threads, after any edits; only the
// edited documents rendered; the same diagnostics, and the output untouched, when the load fails; a
// document past its render budget stopped as in a cold build.
import { execFile } from 'node:child_process';
import { access, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { buildSite } from '../../src/index';
import { repoRoot } from '../build/helpers';
import { stallSite } from '../render/stall-site';
import { GOLDEN_NOW, hashTree, packFolder, remarkLogSource, temporaryFolder, writeText } from './helpers';

const run = promisify(execFile);

/** How many render pools (each one or more threads) builds started in this file. */
const pools = vi.hoisted(() => ({ started: 0 }));
vi.mock('../../src/render/workers/render-pool', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/render/workers/render-pool')>();
  class CountedPool extends original.RenderPool {
    constructor(...args: ConstructorParameters<typeof original.RenderPool>) {
      super(...args);
      pools.started += 1;
    }
  }
  return { ...original, RenderPool: CountedPool };
});

/**
 * A config whose remark plugin logs the `MARK-…` words of each post it renders, with where it ran
 * (`MARK-a@thread` on a render thread, `MARK-a@main` in the main thread).
 */
function loggingConfig(log: string): string {
  return `
import { isMainThread } from 'node:worker_threads';
${remarkLogSource(log, "'@' + (isMainThread ? 'main' : 'thread')")}
export default {
  site: { title: 'Warm', url: 'https://warm.example/', author: { name: 'Site' } },
  markdown: { remarkPlugins: [remarkLog] },
};
`;
}

const PLAIN_CONFIG = JSON.stringify({
  site: { title: 'Warm', url: 'https://warm.example/', author: { name: 'Site' } },
});

interface PostState {
  slug: string;
  title: string;
  body: string;
  draft: boolean;
  /** A `slug` key in the front matter (another post's slug makes a collision). */
  slugKey?: string;
  comments: ('approved' | 'pending')[];
}

interface SiteState {
  posts: PostState[];
  /** The body of the folder post (content/posts/folder/index.md, beside its notes.txt). */
  folderBody: string;
}

const SLUGS = ['alpha', 'beta', 'gamma', 'delta'];

function initialState(): SiteState {
  return {
    posts: SLUGS.map((slug, index) => ({
      slug,
      title: `Post ${slug}`,
      body: `Post MARK-${slug} with a [link](../other/) and *emphasis*.\n\n## A heading\n\nMore text ${index}.\n`,
      draft: false,
      comments: index % 2 === 0 ? ['approved', 'pending'] : ['approved'],
    })),
    folderBody: 'A folder post MARK-folder with [its notes](notes.txt).\n',
  };
}

/** Writes every file of the site (an unchanged file gets the same bytes). */
async function writeState(root: string, state: SiteState): Promise<void> {
  for (const [index, post] of state.posts.entries()) {
    const front = [
      `title: ${post.title}`,
      `date: 2024-01-${String(index + 1).padStart(2, '0')}`,
      ...(post.draft ? ['draft: true'] : []),
      ...(post.slugKey ? [`slug: ${post.slugKey}`] : []),
    ];
    await writeText(
      path.join(root, `content/posts/${post.slug}.md`),
      `---\n${front.join('\n')}\n---\n\n${post.body}`,
    );
    for (const [number, status] of post.comments.entries()) {
      await writeText(
        path.join(root, `content/comments/${post.slug}/c${number}.md`),
        `---\nauthor: Reader ${number}\ndate: 2024-02-0${(number % 9) + 1}T10:00:00Z\nstatus: ${status}\n---\n\nComment ${number} on **${post.slug}** https://example.com/${number}.\n`,
      );
    }
  }
  await writeText(
    path.join(root, 'content/posts/folder/index.md'),
    `---\ntitle: Folder\ndate: 2024-01-20\n---\n\n${state.folderBody}`,
  );
  await writeText(path.join(root, 'content/posts/folder/notes.txt'), 'Notes.\n');
}

type Edit =
  | { kind: 'body' | 'title'; post: number; word: string }
  | { kind: 'long'; post: number }
  | { kind: 'draft' | 'status'; post: number }
  | { kind: 'comment'; post: number; status: 'approved' | 'pending' }
  | { kind: 'slug'; post: number; to: string | undefined }
  | { kind: 'folder'; word: string };

const word = fc.stringMatching(/^[a-z]{1,8}$/);
const post = fc.nat(SLUGS.length - 1);
const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constantFrom('body' as const, 'title' as const), post, word }),
  fc.record({ kind: fc.constant('long' as const), post }),
  fc.record({ kind: fc.constantFrom('draft' as const, 'status' as const), post }),
  fc.record({
    kind: fc.constant('comment' as const),
    post,
    status: fc.constantFrom('approved' as const, 'pending' as const),
  }),
  fc.record({
    kind: fc.constant('slug' as const),
    post,
    to: fc.option(fc.constantFrom(...SLUGS, 'fresh'), { nil: undefined }),
  }),
  fc.record({ kind: fc.constant('folder' as const), word }),
);

function apply(state: SiteState, change: Edit): void {
  if (change.kind === 'folder') {
    state.folderBody += `More MARK-folder-${change.word}.\n`;
    return;
  }
  const target = state.posts[change.post]!;
  switch (change.kind) {
    case 'body':
      target.body += `\nEdited MARK-${target.slug}-${change.word}.\n`;
      return;
    case 'title':
      target.title = `Post ${target.slug} ${change.word}`;
      return;
    case 'long':
      // Over THREAD_DOCUMENT_CHARACTERS: only a thread renders it, where its budget holds.
      target.body += `\n${'Long text for the budget. '.repeat(1400)}\n`;
      return;
    case 'draft':
      target.draft = !target.draft;
      return;
    case 'status':
      target.comments[0] = target.comments[0] === 'approved' ? 'pending' : 'approved';
      return;
    case 'comment':
      target.comments.push(change.status);
      return;
    case 'slug':
      target.slugKey = change.to;
      return;
  }
}

/** A site in its initial state whose config logs the posts it renders. */
async function loggingSite(): Promise<{ folder: string; root: string; log: string; state: SiteState }> {
  const folder = await temporaryFolder();
  const root = path.join(folder, 'site');
  const log = path.join(folder, 'renders.log');
  await writeText(path.join(root, 'broadsheet.config.ts'), loggingConfig(log));
  const state = initialState();
  await writeState(root, state);
  return { folder, root, log, state };
}

async function renderLog(log: string): Promise<string[]> {
  const text = await readFile(log, 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean).sort();
}

describe('a warm build renders what its cache lacks on a thread started while it loads', () => {
  it('gives the bytes of a build without cache or threads after any edits, or the same diagnostics and the output untouched', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.array(fc.array(edit, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }),
        async (plugins, steps) => {
          const folder = await temporaryFolder();
          const root = path.join(folder, 'site');
          const config = plugins
            ? { name: 'broadsheet.config.ts', text: loggingConfig(path.join(folder, 'renders.log')) }
            : { name: 'broadsheet.config.json', text: PLAIN_CONFIG };
          await writeText(path.join(root, config.name), config.text);
          const state = initialState();
          await writeState(root, state);
          const warmOut = path.join(folder, 'warm');
          const plainOut = path.join(folder, 'plain');
          // Cold, filling the cache; then each step's edits and a warm build on a thread (asked for).
          expect((await buildSite({ root, out: warmOut, now: GOLDEN_NOW, workers: 1 })).ok).toBe(true);
          for (const changes of steps) {
            for (const change of changes) apply(state, change);
            await writeState(root, state);
            const before = await hashTree(warmOut);
            const warm = await buildSite({ root, out: warmOut, now: GOLDEN_NOW, workers: 1 });
            const plain = await buildSite({ root, out: plainOut, now: GOLDEN_NOW, cache: false, workers: 0 });
            expect(warm.ok).toBe(plain.ok);
            if (!warm.ok || !plain.ok) {
              expect(!warm.ok && warm.diagnostics).toEqual(!plain.ok && plain.diagnostics);
              expect(await hashTree(warmOut)).toEqual(before);
              // The next step starts from the state that built.
              await rm(plainOut, { recursive: true, force: true });
              continue;
            }
            expect(await hashTree(warmOut)).toEqual(await hashTree(plainOut));
          }
        },
      ),
      { numRuns: 5 },
    );
  }, 300_000);

  it('renders only the edited documents, on the thread', async () => {
    const { folder, root, log, state } = await loggingSite();
    const out = path.join(folder, 'out');
    expect((await buildSite({ root, out, now: GOLDEN_NOW, workers: 0 })).ok).toBe(true);
    expect(await renderLog(log)).toContain('MARK-alpha@main');
    await rm(log);
    apply(state, { kind: 'body', post: 1, word: 'new' });
    apply(state, { kind: 'comment', post: 2, status: 'approved' });
    apply(state, { kind: 'title', post: 3, word: 'renamed' });
    await writeState(root, state);
    expect((await buildSite({ root, out, now: GOLDEN_NOW, workers: 1 })).ok).toBe(true);
    // The edited post only (a comment runs no plugin; a new title changes no render).
    expect(await renderLog(log)).toEqual(['MARK-beta-new@thread', 'MARK-beta@thread']);
    await rm(log);
    expect((await buildSite({ root, out, now: GOLDEN_NOW, workers: 1 })).ok).toBe(true);
    expect(await renderLog(log)).toEqual([]);
  }, 120_000);

  it('starts no thread for an edit of front matter alone, and one for an edit of a body', async () => {
    const { folder, root, log, state } = await loggingSite();
    const out = path.join(folder, 'out');
    expect((await buildSite({ root, out, now: GOLDEN_NOW, workers: 0 })).ok).toBe(true);
    await rm(log);
    // New titles: every render is in the cache.
    apply(state, { kind: 'title', post: 0, word: 'renamed' });
    apply(state, { kind: 'title', post: 2, word: 'again' });
    await writeState(root, state);
    const before = pools.started;
    expect((await buildSite({ root, out, now: GOLDEN_NOW, workers: 1 })).ok).toBe(true);
    expect(await renderLog(log)).toEqual([]);
    expect(pools.started).toBe(before);
    // A body edited: the thread starts and renders it.
    apply(state, { kind: 'body', post: 3, word: 'body' });
    await writeState(root, state);
    expect((await buildSite({ root, out, now: GOLDEN_NOW, workers: 1 })).ok).toBe(true);
    expect(await renderLog(log)).toEqual(['MARK-delta-body@thread', 'MARK-delta@thread']);
    expect(pools.started).toBe(before + 1);
    const fresh = path.join(folder, 'fresh');
    expect((await buildSite({ root, out: fresh, now: GOLDEN_NOW, cache: false, workers: 0 })).ok).toBe(true);
    expect(await hashTree(out)).toEqual(await hashTree(fresh));
  }, 120_000);

  it('keeps the render cache through a failed load: the next build renders only what changed', async () => {
    const { folder, root, log, state } = await loggingSite();
    const out = path.join(folder, 'out');
    expect((await buildSite({ root, out, now: GOLDEN_NOW, workers: 0 })).ok).toBe(true);
    // An edit, and a post whose front matter breaks: the load fails while its session is open.
    apply(state, { kind: 'body', post: 1, word: 'edited' });
    await writeState(root, state);
    const broken = path.join(root, 'content/posts/gamma.md');
    const gamma = await readFile(broken, 'utf8');
    await writeText(broken, gamma.replace('title: Post gamma', 'title: [unclosed'));
    expect((await buildSite({ root, out, now: GOLDEN_NOW, workers: 1 })).ok).toBe(false);
    await writeText(broken, gamma);
    await rm(log, { force: true });
    expect((await buildSite({ root, out, now: GOLDEN_NOW, workers: 1 })).ok).toBe(true);
    // The unchanged posts come from the cache (the edited one may have rendered in the failed load).
    expect((await renderLog(log)).filter((line) => !line.startsWith('MARK-beta'))).toEqual([]);
  }, 120_000);

  it('renders on the thread what the cache lost though no file changed', async () => {
    const { folder, root, log } = await loggingSite();
    const out = path.join(folder, 'out');
    expect((await buildSite({ root, out, now: GOLDEN_NOW, workers: 0 })).ok).toBe(true);
    const before = await hashTree(out);
    // The render cache's index forgets every entry; the loaded-post cache still knows every file.
    const index = path.join(await packFolder(), 'index.json');
    await writeText(index, JSON.stringify({ ...JSON.parse(await readFile(index, 'utf8')), entries: [] }));
    await rm(log);
    expect((await buildSite({ root, out, now: GOLDEN_NOW, workers: 1 })).ok).toBe(true);
    expect(await renderLog(log)).toEqual(
      SLUGS.map((slug) => `MARK-${slug}@thread`)
        .concat('MARK-folder@thread')
        .sort(),
    );
    expect(await hashTree(out)).toEqual(before);
  }, 120_000);

  it('stops an edited post past its render budget, as a cold build does', async () => {
    const root = await stallSite();
    const write = (name: string, body: string) =>
      writeText(
        path.join(root, `content/posts/${name}.md`),
        `---\ntitle: ${name}\ndate: 2024-01-02\n---\n\n${body}\n`,
      );
    for (let index = 0; index < 5; index++) await write(`p${index}`, `Post *${index}*.`);
    const out = path.join(await temporaryFolder(), 'out');
    expect((await buildSite({ root, out, now: GOLDEN_NOW, workers: 1 })).ok).toBe(true);
    const before = await hashTree(out);
    await write('p3', 'Now it STALLS.');
    const warm = await buildSite({ root, out, now: GOLDEN_NOW, workers: 1 });
    const cold = await buildSite({ root, out, now: GOLDEN_NOW, cache: false, workers: 1 });
    expect(!warm.ok && warm.diagnostics.map(({ code, file }) => `${code} ${file}`)).toEqual([
      'render-timeout content/posts/p3.md',
    ]);
    expect(!warm.ok && warm.diagnostics).toEqual(!cold.ok && cold.diagnostics);
    expect(await hashTree(out)).toEqual(before);
    // Not cached: fixed, it builds.
    await write('p3', 'Fixed.');
    expect((await buildSite({ root, out, now: GOLDEN_NOW, workers: 1 })).ok).toBe(true);
  }, 120_000);

  it('starts the thread on its own from the built CLI, with the bytes of a build without cache', async () => {
    await access(path.join(repoRoot, 'dist/render-worker.js')).catch(() => {
      throw new Error('dist/render-worker.js is missing: run `npm run build:lib` first (npm test does)');
    });
    const { folder, root, log, state } = await loggingSite();
    const { BROADSHEET_WORKERS: _, ...inherited } = process.env;
    const env = { ...inherited, BROADSHEET_CACHE_DIR: path.join(folder, 'cache') };
    const build = (out: string, ...args: string[]) =>
      run(
        process.execPath,
        [
          path.join(repoRoot, 'dist/cli.js'),
          'build',
          '--root',
          root,
          '--out',
          path.join(folder, out),
          ...args,
        ],
        { env },
      );
    await build('warm');
    await rm(log);
    apply(state, { kind: 'body', post: 0, word: 'cli' });
    await writeState(root, state);
    await build('warm');
    expect(await renderLog(log)).toEqual(['MARK-alpha-cli@thread', 'MARK-alpha@thread']);
    await build('plain', '--no-cache');
    expect(await hashTree(path.join(folder, 'warm'))).toEqual(await hashTree(path.join(folder, 'plain')));
  }, 120_000);
});
