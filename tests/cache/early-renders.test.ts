// A cold build hands each post to its render threads as soon as the post is validated
// (src/load/early-renders.ts, src/render/render-session.ts): the same output as a build without
// threads, no render of a post it does not publish, and a failure found later leaves the output as
// it was with the same diagnostics.
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildSite, loadSite } from '../../src/index';
import { stallSite } from '../render/stall-site';
import { GOLDEN_NOW, hashTree, remarkLogSource, temporaryFolder, writeText } from './helpers';

/** A config whose remark plugin (run in the render threads too) logs the `MARK-…` word of each post it renders. */
function loggingConfig(log: string): string {
  return `
import { existsSync } from 'node:fs';
${remarkLogSource(log)}
// While a test sets globalThis.waitForRenders, validating post "third" waits until a thread has
// rendered a post: the checks across files then fail after renders were made.
function waitForRenders(): boolean {
  if (!(globalThis as { waitForRenders?: boolean }).waitForRenders) return true;
  const sleep = new Int32Array(new SharedArrayBuffer(4));
  for (let tries = 0; tries < 3000 && !existsSync(${JSON.stringify(log)}); tries++) Atomics.wait(sleep, 0, 0, 10);
  return true;
}
export default {
  site: { title: 'Early', url: 'https://early.example/', author: { name: 'Site' } },
  markdown: { remarkPlugins: [remarkLog] },
  schema: { post: (base: any) => base.refine((data: { title: string }) => data.title !== 'Post 4' || waitForRenders()) },
};
`;
}

interface PostSpec {
  slug: string;
  draft?: boolean;
  future?: boolean;
  /** A `slug` key in the front matter (another post's slug makes a collision). */
  slugKey?: string;
  author?: string;
  comments?: { status: 'approved' | 'pending'; parent?: number }[];
}

/** Writes a site of `posts` (and an author profile `ann`); returns its root and render log. */
async function writeSite(posts: readonly PostSpec[]): Promise<{ root: string; log: string }> {
  const folder = await temporaryFolder();
  const root = path.join(folder, 'site');
  const log = path.join(folder, 'renders.log');
  await writeText(path.join(root, 'broadsheet.config.ts'), loggingConfig(log));
  await writeText(path.join(root, 'content/authors/ann.yaml'), 'name: Ann\n');
  for (const [index, post] of posts.entries()) {
    const day = String((index % 27) + 1).padStart(2, '0');
    const front = [
      `title: Post ${index}`,
      `date: ${post.future ? '2031' : '2024'}-01-${day}`,
      ...(post.draft ? ['draft: true'] : []),
      ...(post.slugKey ? [`slug: ${post.slugKey}`] : []),
      ...(post.author ? [`authors: [${post.author}]`] : []),
    ];
    const body = `Post MARK-${post.slug} with a [link](../other/) and *emphasis*.\n\n## A heading\n\nMore text.\n`;
    await writeText(
      path.join(root, `content/posts/${post.slug}.md`),
      `---\n${front.join('\n')}\n---\n\n${body}`,
    );
    for (const [number, comment] of (post.comments ?? []).entries()) {
      const parent =
        comment.parent !== undefined && comment.parent < number ? [`parent: c${comment.parent}`] : [];
      await writeText(
        path.join(root, `content/comments/${post.slug}/c${number}.md`),
        `---\nauthor: Reader ${number}\ndate: 2024-02-0${(number % 9) + 1}T10:00:00Z\nstatus: ${comment.status}\n${parent.join('\n')}\n---\n\nComment ${number} on **${post.slug}** https://example.com/${number}.\n`,
      );
    }
  }
  return { root, log };
}

/** The marks the render log holds, sorted (none when nothing was rendered). */
async function rendered(log: string): Promise<string[]> {
  const text = await readFile(log, 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean).sort();
}

const SITE: PostSpec[] = [
  {
    slug: 'first',
    comments: [{ status: 'approved' }, { status: 'approved', parent: 0 }, { status: 'pending' }],
  },
  { slug: 'a-draft', draft: true, comments: [{ status: 'approved' }] },
  { slug: 'later', future: true },
  { slug: 'second', author: 'ann', comments: [{ status: 'pending' }, { status: 'approved', parent: 0 }] },
  { slug: 'third' },
];

describe('rendering while the site loads (a cold build on threads)', () => {
  it('renders only the posts it publishes, once each, into the bytes of a build without threads', async () => {
    const { root, log } = await writeSite(SITE);
    const folder = await temporaryFolder();
    const main = await buildSite({
      root,
      out: path.join(folder, 'main'),
      now: GOLDEN_NOW,
      cache: false,
      workers: 0,
    });
    expect(main.ok).toBe(true);
    await rm(log, { force: true });
    // Cold with a cache (none yet) and without one: both start the threads while loading.
    for (const cache of [true, false]) {
      const out = path.join(folder, `threads-${cache}`);
      const threads = await buildSite({ root, out, now: GOLDEN_NOW, cache, workers: 1 });
      expect(threads.ok).toBe(true);
      expect(await hashTree(out)).toEqual(await hashTree(path.join(folder, 'main')));
      expect(await rendered(log)).toEqual(['MARK-first', 'MARK-second', 'MARK-third']);
      await rm(log, { force: true });
    }
  });

  it('a failure found after the early renders gives the same diagnostics and leaves the output as it was', async () => {
    const { root, log } = await writeSite(SITE);
    const out = path.join(await temporaryFolder(), 'out');
    expect((await buildSite({ root, out, now: GOLDEN_NOW, cache: false, workers: 0 })).ok).toBe(true);
    const before = await hashTree(out);
    // Found by the checks across files and by resolve, after every post was validated (and offered).
    await writeText(
      path.join(root, 'content/posts/fourth.md'),
      '---\ntitle: Fourth\ndate: 2024-03-01\nslug: third\nauthors: [bob]\n---\n\nMARK-fourth\n',
    );
    await rm(log, { force: true });
    const main = await buildSite({ root, out, now: GOLDEN_NOW, cache: false, workers: 0 });
    expect(await rendered(log)).toEqual([]);
    const waiting = globalThis as { waitForRenders?: boolean };
    waiting.waitForRenders = true;
    const threads = await buildSite({ root, out, now: GOLDEN_NOW, cache: false, workers: 1 }).finally(() => {
      waiting.waitForRenders = false;
    });
    // The threads did render posts before the checks failed (validation waited for one): the early path ran.
    const early = await rendered(log);
    expect(early.length).toBeGreaterThan(0);
    // Only published posts: "third" is offered once its validation stops waiting, so a thread may
    // render it too before the checks fail (it did on a loaded machine); drafts and future posts never.
    for (const mark of early)
      expect(['MARK-first', 'MARK-fourth', 'MARK-second', 'MARK-third']).toContain(mark);
    expect(threads.ok).toBe(false);
    expect(!threads.ok && threads.diagnostics).toEqual(!main.ok && main.diagnostics);
    expect(
      !threads.ok && threads.diagnostics.map(({ code, file }) => `${code} ${file}`),
    ).toMatchInlineSnapshot(`
      [
        "unknown-author content/posts/fourth.md",
        "duplicate-slug content/posts/third.md",
      ]
    `);
    expect(await hashTree(out)).toEqual(before);
  });

  it('loads any small site as a build without threads does: the same posts and comments, or the same diagnostics', async () => {
    const slugs = ['alpha', 'beta', 'gamma', 'delta', 'omega'];
    const post = (slug: string) =>
      fc.record(
        {
          slug: fc.constant(slug),
          draft: fc.boolean(),
          future: fc.boolean(),
          slugKey: fc.option(fc.constantFrom(...slugs), { nil: undefined }),
          author: fc.option(fc.constantFrom('ann', 'bob'), { nil: undefined }),
          comments: fc.array(
            fc.record({
              status: fc.constantFrom('approved' as const, 'pending' as const),
              parent: fc.option(fc.nat(3), { nil: undefined }),
            }),
            { maxLength: 3 },
          ),
        },
        { requiredKeys: ['slug', 'comments'] },
      );
    const site = fc
      .subarray(slugs, { minLength: 1 })
      .chain((chosen) => fc.tuple(...chosen.map(post)))
      .map((posts) => posts as PostSpec[]);
    await fc.assert(
      fc.asyncProperty(site, fc.boolean(), async (posts, future) => {
        const { root } = await writeSite(posts);
        const options = { root, now: GOLDEN_NOW, cache: false, future };
        const [main, threads] = [
          await loadSite({ ...options, workers: 0 }),
          await loadSite({ ...options, workers: 1 }),
        ];
        expect(threads.ok).toBe(main.ok);
        if (!main.ok || !threads.ok) {
          expect(!threads.ok && threads.diagnostics).toEqual(!main.ok && main.diagnostics);
          return;
        }
        const pages = (result: typeof main) =>
          result.ok && [
            result.site.posts.map(({ slug, html, summary }) => ({ slug, html, summary })),
            result.site.comments.map(({ id, html }) => ({ id, html })),
          ];
        expect(pages(threads)).toEqual(pages(main));
      }),
      { numRuns: 6 },
    );
  }, 240_000);
  it('a post that stalls its thread: a render-timeout when it is published, nothing when a later check fails', async () => {
    const root = await stallSite();
    const post = (title: string, body: string, extra = '') =>
      `---\ntitle: ${title}\ndate: 2024-01-02\n${extra}---\n\n${body}\n`;
    for (let index = 0; index < 20; index++) {
      await writeText(path.join(root, `content/posts/p${index}.md`), post(`P${index}`, `Post *${index}*.`));
    }
    await writeText(path.join(root, 'content/posts/stalls.md'), post('Stalls', 'A STALL.'));
    // A draft that would stall is never handed to a thread.
    await writeText(path.join(root, 'content/posts/draft.md'), post('Draft', 'A STALL.', 'draft: true\n'));
    const options = { root, now: GOLDEN_NOW, cache: false, workers: 1 };
    const timedOut = await loadSite(options);
    expect(!timedOut.ok && timedOut.diagnostics.map(({ code, file }) => `${code} ${file}`)).toEqual([
      'render-timeout content/posts/stalls.md',
    ]);
    // Found after the stalling post was handed over: the load fails with the check's diagnostics
    // only (as in the main thread, which never renders it), and the stalled thread is stopped.
    await writeText(path.join(root, 'content/posts/same.md'), post('Same', 'Same.', 'slug: stalls\n'));
    const collision = await loadSite(options);
    const alone = await loadSite({ ...options, workers: 0 });
    expect(!collision.ok && collision.diagnostics).toEqual(!alone.ok && alone.diagnostics);
    expect(!alone.ok && alone.diagnostics.map(({ code }) => code)).toEqual(['duplicate-slug']);
  }, 120_000);
});
