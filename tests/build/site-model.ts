import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { type BuildProgress, buildSite } from '../../src/index';
import { temporaryFolder } from './helpers';

/**
 * A model of a small site (posts with tags, images and comment threads; its config) as fast-check
 * arbitraries, the edits a writer makes to it, and its files: the property tests of warm and CI
 * builds (output-keys.test.ts, speculation.test.ts) build any site after any edits.
 */

export interface CommentModel {
  id: string;
  author: string;
  url?: string;
  /** Hours after the post's date. */
  hours: number;
  body: string;
  parent?: string;
  pending: boolean;
}

export interface PostModel {
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
  /** Front matter a listing does not show: `comments: false`, `canonical`. */
  closed?: boolean;
  canonical?: string;
}

export interface SiteModel {
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

export const siteArbitrary: fc.Arbitrary<SiteModel> = fc.integer({ min: 2, max: 5 }).chain((count) =>
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
export type Edit =
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
  | { kind: 'closed'; pick: number }
  | { kind: 'canonical'; pick: number; url: string | undefined }
  | { kind: 'reparent'; pick: number; parent: number }
  | { kind: 'add-post'; post: PostModel }
  | { kind: 'site-title'; title: string }
  | { kind: 'site-url'; url: string }
  | { kind: 'posts-per-page' | 'feed-limit'; value: number }
  | { kind: 'full-content' }
  | { kind: 'now'; day: number };

const pick = fc.nat(1000);
export const editArbitrary: fc.Arbitrary<Edit> = fc.oneof(
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
  fc.record({ kind: fc.constant('closed' as const), pick }),
  fc.record({
    kind: fc.constant('canonical' as const),
    pick,
    url: fc.option(fc.constantFrom('https://elsewhere.example/a', 'https://elsewhere.example/b'), {
      nil: undefined,
    }),
  }),
  { arbitrary: fc.record({ kind: fc.constant('reparent' as const), pick, parent: fc.nat(8) }), weight: 2 },
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
export function applyEdit(site: SiteModel, edit: Edit): SiteModel {
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
    case 'closed':
      if (post) post.closed = !post.closed;
      break;
    case 'canonical':
      if (post) post.canonical = edit.url;
      break;
    case 'reparent':
      if (chosen) {
        // Another parent among the comments before it (so no cycle), or none: its replies' threads move too.
        const earlier = chosen.owner.comments.slice(0, chosen.owner.comments.indexOf(chosen.comment));
        chosen.comment.parent = edit.parent < earlier.length ? earlier[edit.parent]!.id : undefined;
      }
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
export async function writeSite(root: string, site: SiteModel): Promise<void> {
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
      ...(post.closed ? ['comments: false'] : []),
      ...(post.canonical === undefined ? [] : [`canonical: ${post.canonical}`]),
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

export function nowOf(site: SiteModel): Date {
  return new Date(Date.UTC(2024, 0, site.now, 12));
}

/**
 * Builds the model's site (no threads; `cache` as given); returns the groups the build made, reused
 * and wrote from the output store. `onProgress` sees every progress event.
 */
export async function buildModel(
  root: string,
  out: string,
  site: SiteModel,
  cache: boolean,
  onProgress?: (event: BuildProgress) => void,
): Promise<{ made: number; reused: number; stored: number }> {
  let groups = { made: 0, reused: 0, stored: 0 };
  const result = await buildSite({
    root,
    out,
    now: nowOf(site),
    workers: 0,
    cache,
    onProgress: (event) => {
      onProgress?.(event);
      if (event.phase === 'swap') groups = event.groups;
    },
  });
  if (!result.ok) throw new Error(`build failed: ${JSON.stringify(result.diagnostics, null, 2)}`);
  return groups;
}

/**
 * A new folder with the model's site written into `site/` and built (with the cache, into `out/`),
 * its cache folder in `cache/` (`BROADSHEET_CACHE_DIR`).
 */
export async function builtSite(site: SiteModel): Promise<{ folder: string; root: string; out: string }> {
  const folder = await temporaryFolder();
  const root = path.join(folder, 'site');
  const out = path.join(folder, 'out');
  process.env.BROADSHEET_CACHE_DIR = path.join(folder, 'cache');
  await writeSite(root, site);
  await buildModel(root, out, site, true);
  return { folder, root, out };
}
