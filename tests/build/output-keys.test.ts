import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { keyPlan } from '../../src/build/output-keys';
import {
  type OutputManifest,
  outputCodeIdentity,
  readOutputManifest,
  writeOutputManifest,
} from '../../src/build/output-manifest';
import { stagePlan } from '../../src/build/write-tree';
import { cacheFolder } from '../../src/cache/location';
import { buildSite, loadSite } from '../../src/index';
import { siteFilePlan } from '../../src/outputs/index';
import { copyGoldenSite, GOLDEN_NOW, goldenBuild, hashTree, temporaryFolder } from './helpers';

/**
 * Output group keys (docs/decisions/output-keys.md): a warm build makes only the groups whose inputs
 * changed and reuses the others' files. The safety net: after any sequence of edits, the warm build's
 * output is byte for byte what a build without the cache makes of the same content.
 */

beforeEach(async () => {
  process.env.BROADSHEET_CACHE_DIR = await temporaryFolder();
});

interface CommentModel {
  id: string;
  author: string;
  url?: string;
  /** Hours after the post's date. */
  hours: number;
  body: string;
  parent?: string;
  pending: boolean;
}

interface PostModel {
  slug: string;
  title: string;
  /** Day of 2024, 1–300. */
  day: number;
  tags: string[];
  summary?: string;
  body: string;
  comments: CommentModel[];
  /**
   * Tens of pixels of the width of an image beside the post (the post is then a folder): its size
   * is in the HTML, not in the markdown (the render key covers it, docs/decisions/output-keys.md).
   */
  image?: number;
}

interface SiteModel {
  title: string;
  url: string;
  postsPerPage: number;
  feedLimit: number;
  fullContent: boolean;
  /** The build time: day of 2024 (posts dated later are not published yet). */
  now: number;
  posts: PostModel[];
  next: number;
}

const TAGS = ['News', 'Meta', 'Open Source', 'Travel', 'C++'];
const WORDS = [
  'alpha',
  'beta',
  'gamma',
  '**bold**',
  '_it_',
  '`code`',
  'déjà',
  '&amp;',
  '<b>x</b>',
  'Ünïcode',
];

const text = fc
  .array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 5 })
  .map((words) => words.join(' '));
const title = fc
  .array(fc.constantFrom('Hello', 'World', 'Notes', 'On', 'Things', '&', '“Quoted”'), {
    minLength: 1,
    maxLength: 3,
  })
  .map((words) => words.join(' '));
const tags = fc.subarray(TAGS, { maxLength: 3 });

function dayDate(day: number): string {
  return new Date(Date.UTC(2024, 0, day)).toISOString().slice(0, 10);
}

function commentArbitrary(id: string, earlier: string[]): fc.Arbitrary<CommentModel> {
  return fc.record({
    id: fc.constant(id),
    author: fc.constantFrom('Alice', 'Bob', 'Carol <i>C</i>'),
    url: fc.option(fc.constant('https://visitor.example/'), { nil: undefined }),
    hours: fc.integer({ min: 1, max: 400 }),
    body: text,
    parent:
      earlier.length > 0
        ? fc.option(fc.constantFrom(...earlier), { nil: undefined })
        : fc.constant(undefined),
    pending: fc.constantFrom(false, false, false, true),
  });
}

function commentsArbitrary(prefix: string): fc.Arbitrary<CommentModel[]> {
  return fc.integer({ min: 0, max: 3 }).chain((count) => {
    const ids = Array.from({ length: count }, (_, index) => `${prefix}c${index + 1}`);
    return ids.length === 0
      ? fc.constant([])
      : fc.tuple(...ids.map((id, index) => commentArbitrary(id, ids.slice(0, index))));
  });
}

function postArbitrary(slug: string): fc.Arbitrary<PostModel> {
  return fc.record({
    slug: fc.constant(slug),
    title,
    day: fc.integer({ min: 1, max: 300 }),
    tags,
    summary: fc.option(text, { nil: undefined }),
    body: text,
    comments: commentsArbitrary(''),
    image: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
  });
}

const siteArbitrary: fc.Arbitrary<SiteModel> = fc.integer({ min: 2, max: 5 }).chain((count) =>
  fc.record({
    title: title,
    url: fc.constantFrom('https://example.com/', 'https://example.org/blog/'),
    postsPerPage: fc.integer({ min: 1, max: 3 }),
    feedLimit: fc.integer({ min: 1, max: 3 }),
    fullContent: fc.boolean(),
    now: fc.constantFrom(200, 365),
    posts: fc.tuple(...Array.from({ length: count }, (_, index) => postArbitrary(`p${index + 1}`))),
    next: fc.constant(count + 1),
  }),
);

/** An edit of the site: what a writer does between two builds. `pick` chooses a post or a comment. */
type Edit =
  | { kind: 'body' | 'summary' | 'comment-body'; pick: number; text: string | undefined }
  | { kind: 'title'; pick: number; title: string }
  | { kind: 'date'; pick: number; day: number }
  | { kind: 'tags'; pick: number; tags: string[] }
  | { kind: 'image'; pick: number; width: number | undefined }
  | { kind: 'add-comment'; pick: number; comment: CommentModel; reply: boolean }
  | { kind: 'remove-comment' | 'moderate'; pick: number }
  | { kind: 'remove-post'; pick: number }
  | { kind: 'comment-author'; pick: number; name: string }
  | { kind: 'comment-date'; pick: number; hours: number }
  | { kind: 'add-post'; post: PostModel }
  | { kind: 'site-title'; title: string }
  | { kind: 'site-url'; url: string }
  | { kind: 'posts-per-page' | 'feed-limit'; value: number }
  | { kind: 'full-content' }
  | { kind: 'now'; day: number };

const pick = fc.nat(1000);
const editArbitrary: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('body' as const), pick, text }),
  fc.record({ kind: fc.constant('summary' as const), pick, text: fc.option(text, { nil: undefined }) }),
  fc.record({ kind: fc.constant('comment-body' as const), pick, text }),
  fc.record({ kind: fc.constant('title' as const), pick, title }),
  {
    arbitrary: fc.record({ kind: fc.constant('date' as const), pick, day: fc.integer({ min: 1, max: 300 }) }),
    weight: 3,
  },
  fc.record({ kind: fc.constant('tags' as const), pick, tags }),
  {
    arbitrary: fc.record({
      kind: fc.constant('image' as const),
      pick,
      width: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
    }),
    weight: 2,
  },
  fc.record({
    kind: fc.constant('add-comment' as const),
    pick,
    comment: commentArbitrary('new', []),
    reply: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('remove-comment' as const), pick }),
  fc.record({ kind: fc.constant('moderate' as const), pick }),
  { arbitrary: fc.record({ kind: fc.constant('remove-post' as const), pick }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('add-post' as const), post: postArbitrary('new') }), weight: 3 },
  fc.record({ kind: fc.constant('comment-author' as const), pick, name: fc.constantFrom('Dora', 'Eve') }),
  fc.record({ kind: fc.constant('comment-date' as const), pick, hours: fc.integer({ min: 1, max: 400 }) }),
  fc.record({ kind: fc.constant('site-title' as const), title }),
  fc.record({
    kind: fc.constant('site-url' as const),
    url: fc.constantFrom('https://example.com/', 'https://x.example/a/'),
  }),
  fc.record({ kind: fc.constant('posts-per-page' as const), value: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('feed-limit' as const), value: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('full-content' as const) }),
  fc.record({ kind: fc.constant('now' as const), day: fc.constantFrom(150, 200, 365) }),
);

/** Applies an edit to the model (a copy); an edit that does not apply (no comment to remove) does nothing. */
function applyEdit(site: SiteModel, edit: Edit): SiteModel {
  const next: SiteModel = structuredClone(site);
  const post =
    next.posts.length > 0 ? next.posts[('pick' in edit ? edit.pick : 0) % next.posts.length] : undefined;
  const allComments = next.posts.flatMap((owner) => owner.comments.map((comment) => ({ owner, comment })));
  const chosen =
    allComments.length > 0 && 'pick' in edit ? allComments[edit.pick % allComments.length] : undefined;
  switch (edit.kind) {
    case 'body':
      if (post) post.body = edit.text ?? 'empty';
      break;
    case 'summary':
      if (post) post.summary = edit.text;
      break;
    case 'comment-body':
      if (chosen) chosen.comment.body = edit.text ?? 'empty';
      break;
    case 'title':
      if (post) post.title = edit.title;
      break;
    case 'date':
      if (post) post.day = edit.day;
      break;
    case 'tags':
      if (post) post.tags = edit.tags;
      break;
    case 'image':
      if (post) post.image = edit.width;
      break;
    case 'add-comment':
      if (post) {
        const id = `n${next.next++}`;
        const parent = edit.reply ? post.comments.at(-1)?.id : undefined;
        post.comments.push({ ...edit.comment, id, parent });
      }
      break;
    case 'remove-comment':
      if (chosen) {
        // A reply cannot outlive its parent's file: the whole thread under it goes too.
        const gone = new Set([chosen.comment.id]);
        for (const comment of chosen.owner.comments)
          if (comment.parent && gone.has(comment.parent)) gone.add(comment.id);
        chosen.owner.comments = chosen.owner.comments.filter((comment) => !gone.has(comment.id));
      }
      break;
    case 'comment-author':
      if (chosen) chosen.comment.author = edit.name;
      break;
    case 'comment-date':
      if (chosen) chosen.comment.hours = edit.hours;
      break;
    case 'moderate':
      if (chosen) chosen.comment.pending = !chosen.comment.pending;
      break;
    case 'remove-post':
      if (post) next.posts = next.posts.filter((other) => other !== post);
      break;
    case 'add-post':
      next.posts.push({ ...edit.post, slug: `p${next.next++}` });
      break;
    case 'site-title':
      next.title = edit.title;
      break;
    case 'site-url':
      next.url = edit.url;
      break;
    case 'posts-per-page':
      next.postsPerPage = edit.value;
      break;
    case 'feed-limit':
      next.feedLimit = edit.value;
      break;
    case 'full-content':
      next.fullContent = !next.fullContent;
      break;
    case 'now':
      next.now = edit.day;
      break;
  }
  return next;
}

function yamlString(value: string): string {
  return JSON.stringify(value);
}

/** Writes the model as a site's files into `root` (its config and `content/`, replaced whole). */
async function writeSite(root: string, site: SiteModel): Promise<void> {
  await rm(path.join(root, 'content'), { recursive: true, force: true });
  const config = {
    site: { title: site.title, url: site.url, timezone: 'UTC', author: { name: 'Editor' } },
    postsPerPage: site.postsPerPage,
    feeds: { limit: site.feedLimit, fullContent: site.fullContent },
  };
  await mkdir(path.join(root, 'content/posts'), { recursive: true });
  await writeFile(path.join(root, 'broadsheet.config.json'), JSON.stringify(config, null, 2));
  for (const post of site.posts) {
    const front = [
      `title: ${yamlString(post.title)}`,
      `date: ${dayDate(post.day)}`,
      `tags: [${post.tags.map(yamlString).join(', ')}]`,
      ...(post.summary === undefined ? [] : [`summary: ${yamlString(post.summary)}`]),
    ];
    const name = `${dayDate(post.day)}-${post.slug}`;
    if (post.image === undefined) {
      await writeFile(
        path.join(root, 'content/posts', `${name}.md`),
        `---\n${front.join('\n')}\n---\n\n${post.body}\n`,
      );
    } else {
      // A post folder: the image's size is in the page, the markdown stays as it is.
      await mkdir(path.join(root, 'content/posts', name));
      await writeFile(
        path.join(root, 'content/posts', name, 'index.md'),
        `---\n${front.join('\n')}\n---\n\n${post.body}\n\n![A picture](pic.svg)\n`,
      );
      await writeFile(
        path.join(root, 'content/posts', name, 'pic.svg'),
        `<svg xmlns="http://www.w3.org/2000/svg" width="${post.image * 10}" height="10"></svg>\n`,
      );
    }
    if (post.comments.length === 0) continue;
    const folder = path.join(root, 'content/comments', post.slug);
    await mkdir(folder, { recursive: true });
    for (const comment of post.comments) {
      const date = new Date(Date.UTC(2024, 0, post.day) + comment.hours * 3_600_000).toISOString();
      const author = comment.url
        ? `author:\n  name: ${yamlString(comment.author)}\n  url: ${comment.url}`
        : `author: ${yamlString(comment.author)}`;
      const front = [
        author,
        `date: ${date}`,
        ...(comment.parent ? [`parent: ${comment.parent}`] : []),
        ...(comment.pending ? ['status: pending'] : []),
      ];
      await writeFile(
        path.join(folder, `${comment.id}.md`),
        `---\n${front.join('\n')}\n---\n\n${comment.body}\n`,
      );
    }
  }
}

function nowOf(site: SiteModel): Date {
  return new Date(Date.UTC(2024, 0, site.now, 12));
}

/** Builds the model's site; returns the groups the build made and reused. */
async function build(
  root: string,
  out: string,
  site: SiteModel,
  cache: boolean,
): Promise<{ made: number; reused: number; stored: number }> {
  let groups = { made: 0, reused: 0, stored: 0 };
  const result = await buildSite({
    root,
    out,
    now: nowOf(site),
    workers: 0,
    cache,
    onProgress: (event) => {
      if (event.phase === 'swap') groups = event.groups;
    },
  });
  if (!result.ok) throw new Error(`build failed: ${JSON.stringify(result.diagnostics, null, 2)}`);
  return groups;
}

describe('output group keys', () => {
  it('a warm build after any edits, and a build from the cache alone, equal a build without the cache, byte for byte', async () => {
    // Which edits let warm builds reuse groups: the property must not hold only because nothing is reused.
    const reusedAfter = new Map<string, number>();
    let stored = 0;
    await fc.assert(
      fc.asyncProperty(
        siteArbitrary,
        fc.array(editArbitrary, { minLength: 1, maxLength: 4 }),
        async (initial, edits) => {
          const folder = await temporaryFolder();
          const root = path.join(folder, 'site');
          const out = path.join(folder, 'out');
          process.env.BROADSHEET_CACHE_DIR = path.join(folder, 'cache');
          let site = initial;
          await writeSite(root, site);
          await build(root, out, site, true);
          for (const edit of edits) {
            site = applyEdit(site, edit);
            await writeSite(root, site);
            const warm = await build(root, out, site, true);
            reusedAfter.set(edit.kind, (reusedAfter.get(edit.kind) ?? 0) + warm.reused);
            const clean = path.join(folder, 'clean');
            await rm(clean, { recursive: true, force: true });
            const cold = await build(root, clean, site, false);
            expect(cold.reused).toBe(0);
            expect(await hashTree(out), JSON.stringify(edit)).toEqual(await hashTree(clean));
            // A CI job: the cache kept, no previous output. Groups come from the output store.
            const ci = path.join(folder, 'ci');
            await rm(ci, { recursive: true, force: true });
            const restored = await build(root, ci, site, true);
            stored += restored.stored;
            expect(restored.reused).toBe(0);
            expect(await hashTree(ci), JSON.stringify(edit)).toEqual(await hashTree(clean));
          }
        },
      ),
      { numRuns: Number(process.env.OUTPUT_KEYS_RUNS ?? 15) },
    );
    const reused = [...reusedAfter.values()].reduce((sum, count) => sum + count, 0);
    expect(reused, JSON.stringify([...reusedAfter])).toBeGreaterThan(0);
    expect(stored).toBeGreaterThan(0);
  }, 300_000);
});

describe('a warm build with output group keys', () => {
  const QUIET_POST = 'content/posts/2024/2024-03-05-quiet-post.md';

  async function manifestOf(root: string, out: string): Promise<OutputManifest> {
    const read = await readOutputManifest(await cacheFolder(root), out);
    if (!read || !('manifest' in read)) throw new Error('no manifest after a build');
    return read.manifest;
  }

  it('makes only the groups that read the edited post, and reuses every other one', async () => {
    const root = await copyGoldenSite();
    const out = path.join(root, 'public');
    const cold = await goldenBuild(root, out);
    expect(cold.groups.reused).toBe(0);
    const total = cold.groups.made;

    const file = path.join(root, QUIET_POST);
    await writeFile(file, (await readFile(file, 'utf8')).replace('Nobody has', 'Still nobody has'));
    const loaded = await loadSite({ root, now: GOLDEN_NOW, workers: 0 });
    if (!loaded.ok) throw new Error('the site does not load');
    const staging = path.join(await temporaryFolder(), 'staging');
    await mkdir(staging);
    const staged = await stagePlan(staging, keyPlan(loaded.site, siteFilePlan(loaded.site)), {
      previous: { folder: out, manifest: await manifestOf(root, out) },
      maxChanges: 100,
      record: true,
      keyNamespace: await outputCodeIdentity(),
      onWritten: () => {},
    });
    // The post's own page, API document and comment feeds; the lists it is in (home page 1, the first
    // page of the API's list, its tag's page, document and feeds, the site feeds: it is the newest
    // post); and what reads every post or tag (the tag index and list, api/site.json, the site's
    // comment feeds).
    expect([...staged.groups.made].sort()).toEqual(
      [
        'index.html',
        'posts/quiet-post/index.html',
        'tags/index.html',
        'tags/open-source/index.html',
        'api/site.json',
        'api/posts.json',
        'api/posts/quiet-post.json',
        'api/tags.json',
        'api/tags/open-source.json',
        'rss.xml',
        'tags/open-source/rss.xml',
        'comments/rss.xml',
        'posts/quiet-post/comments/atom.xml',
      ].sort(),
    );
    expect(staged.groups.reused).toBe(total - staged.groups.made.length);
    // What it writes is among the files of the groups it made.
    const madeFiles = siteFilePlan(loaded.site)
      .filter((group) => staged.groups.made.includes(group.paths[0]!))
      .flatMap((group) => group.paths);
    expect(staged.kind).toBe('changes');
    if (staged.kind === 'changes') expect(madeFiles).toEqual(expect.arrayContaining(staged.put));

    // Through buildSite: the same counts, and the output of a build from scratch.
    const warm = await goldenBuild(root, out);
    expect(warm.groups).toEqual({ made: 13, reused: total - 13, stored: 0 });
    const clean = path.join(await temporaryFolder(), 'clean');
    await goldenBuild(root, clean, { cache: false });
    expect(await hashTree(out)).toEqual(await hashTree(clean));

    // Nothing changed: nothing is made.
    expect((await goldenBuild(root, out)).groups).toEqual({ made: 0, reused: total, stored: 0 });
  });

  it('makes a group again when one of its files was changed by hand, even with the same key', async () => {
    const root = await copyGoldenSite();
    const out = path.join(root, 'public');
    const { groups } = await goldenBuild(root, out);
    const page = path.join(out, 'tags/meta/index.html');
    const before = await readFile(page, 'utf8');
    await writeFile(page, `${before}<!-- by hand -->`);
    // The feed's second file is removed: the whole group is made again.
    await rm(path.join(out, 'tags/meta/atom.xml'));
    expect((await goldenBuild(root, out)).groups).toEqual({ made: 2, reused: groups.made - 2, stored: 0 });
    expect(await readFile(page, 'utf8')).toBe(before);
    const clean = path.join(await temporaryFolder(), 'clean');
    await goldenBuild(root, clean, { cache: false });
    expect(await hashTree(out)).toEqual(await hashTree(clean));
  });

  it('makes every group when the manifest has no keys, keys of other code, or no cache is used', async () => {
    const root = await copyGoldenSite();
    const out = path.join(root, 'public');
    const { groups } = await goldenBuild(root, out);
    const cache = await cacheFolder(root);
    const manifest = await manifestOf(root, out);
    expect(manifest.groups?.keys.size).toBe(groups.made);

    // A manifest of the version before keys: it still loads, and every group is made (and keyed).
    await writeOutputManifest(cache, out, { ...manifest, groups: undefined });
    // Nothing is reused from out; the cold build's store gives every group's files (output-store.test.ts).
    expect((await goldenBuild(root, out)).groups).toEqual({ made: 0, reused: 0, stored: groups.made });
    expect((await goldenBuild(root, out)).groups.reused).toBe(groups.made);

    // Keys recorded by other code (another version, or a changed development build) are not trusted.
    await writeOutputManifest(cache, out, {
      ...(await manifestOf(root, out)),
      groups: { namespace: 'other code', keys: manifest.groups!.keys },
    });
    expect((await goldenBuild(root, out)).groups).toEqual({ made: 0, reused: 0, stored: groups.made });

    expect((await goldenBuild(root, out, { cache: false })).groups).toEqual({
      made: groups.made,
      reused: 0,
      stored: 0,
    });
  });

  it('takes a manifest of the earlier format (one array per file) as none: no warning, every group made', async () => {
    const root = await copyGoldenSite();
    const out = path.join(root, 'public');
    const { groups } = await goldenBuild(root, out);
    const read = await readOutputManifest(await cacheFolder(root), out);
    if (!read || !('file' in read)) throw new Error('no manifest after a build');
    const { files } = read.manifest;
    const earlier = { out, files: [...files].map(([name, r]) => [name, r.hash, r.size, r.mtimeMs, r.ino]) };
    await writeFile(read.file, JSON.stringify(earlier));
    const warm = await goldenBuild(root, out);
    expect(warm.groups).toEqual({ made: 0, reused: 0, stored: groups.made });
    expect(warm.warnings.map((warning) => warning.code)).not.toContain('cache-corrupt');
    expect((await goldenBuild(root, out)).groups.reused).toBe(groups.made);
  });

  it('warns about a manifest whose keys are not a manifest’s, and makes every group', async () => {
    const root = await copyGoldenSite();
    const out = path.join(root, 'public');
    const cold = await goldenBuild(root, out);
    const { groups } = cold;
    const read = await readOutputManifest(await cacheFolder(root), out);
    if (!read || !('file' in read)) throw new Error('no manifest after a build');
    const json = JSON.parse(await readFile(read.file, 'utf8'));
    await writeFile(
      read.file,
      JSON.stringify({ ...json, groups: { namespace: 'x', keys: [['index.html', 42]] } }),
    );
    const warm = await goldenBuild(root, out);
    expect(warm.groups).toEqual({ made: 0, reused: 0, stored: groups.made });
    expect(warm.warnings.map((warning) => warning.code)).toContain('cache-corrupt');
    expect(cold.warnings.map((warning) => warning.code)).not.toContain('cache-corrupt');
  });
});
