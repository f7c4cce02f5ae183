import { describe, expect, it } from 'vitest';
import { keyPlan } from '../../src/build/output-keys';
import { scopedSite, siteFilePlan } from '../../src/outputs/index';
import { LISTING_FIELDS, listingSource, postListing, tagListing } from '../../src/outputs/listing';
import type { Site } from '../../src/site/types';
import { buildSite, type SiteSpec } from './site-builder';

/** Each group's key by its first path. */
function keys(site: Site): Map<string, string | undefined> {
  return new Map(keyPlan(site, siteFilePlan(site)).map((group) => [group.paths[0]!, group.key]));
}

/** The first paths of the groups whose key differs between two sites (or that only one has). */
function changedKeys(before: Site, after: Site): string[] {
  const a = keys(before);
  const b = keys(after);
  return [...new Set([...a.keys(), ...b.keys()])].filter((path) => a.get(path) !== b.get(path)).sort();
}

const spec = (data: Record<string, unknown> = {}): SiteSpec => ({
  title: 'Keys',
  posts: [
    { title: 'One', body: 'First *post*.', tags: ['A'] },
    { title: 'Two', body: 'Second.', tags: ['B'], data, comments: [{ name: 'Ann', body: 'Hi' }] },
    { title: 'Three', body: 'Third.' },
  ],
});

describe('output group keys', () => {
  it('are the same for the same content in two separately loaded sites, and every group has one', async () => {
    const first = keys(await buildSite(spec()));
    expect([...first.values()].every((key) => typeof key === 'string')).toBe(true);
    expect(keys(await buildSite(spec()))).toEqual(first);
  });

  it('tell apart front matter values that JSON would write alike', async () => {
    const variants: Record<string, unknown>[] = [
      { extra: new Map([['a', 1]]) },
      { extra: { a: 1 } },
      { extra: [['a', 1]] },
      { extra: new Set(['a']) },
      { extra: ['a'] },
      { extra: new Date(0) },
      { extra: new Date(0).toISOString() },
      { extra: Number.NaN },
      { extra: null },
      { extra: 10n },
      { extra: '10' },
      { extra: -0 },
      { extra: 0 },
      { extra: { '\0map': [['a', 1]] } },
      { extra: '\0x' },
      { extra: undefined },
      {},
    ];
    const base = await buildSite(spec());
    const seen = new Map<string, number>();
    for (const [index, data] of variants.entries()) {
      const site = await buildSite(spec(data));
      const key = keys(site).get('posts/post-2/index.html');
      expect(key, `variant ${index}`).toBeTypeOf('string');
      expect(seen.get(key!), `variant ${index} has the key of variant ${seen.get(key!)}`).toBeUndefined();
      seen.set(key!, index);
      // Only the groups that read post 2 change: its page, document and feeds, the lists it is in.
      if (index === variants.length - 1) expect(changedKeys(base, site)).toEqual([]);
    }
  });

  it('change for the groups that read an edited post body, and no listing of it', async () => {
    const before = await buildSite(spec());
    const edited = spec();
    edited.posts[0]!.body = 'First *post*, edited.';
    edited.posts[0]!.summary = 'First post.';
    // Post 1 (tag A) keeps its listing fields (the same summary): its own page, document and comment
    // feeds, the site feeds and its tag's feeds (they carry the body); api/site.json and the site's
    // comment feeds read every post. Not the home page, the tag pages or the API's lists.
    expect(changedKeys(before, await buildSite(edited))).toEqual([
      'api/posts/post-1.json',
      'api/site.json',
      'comments/rss.xml',
      'posts/post-1/comments/atom.xml',
      'posts/post-1/index.html',
      'rss.xml',
      'tags/a/rss.xml',
    ]);
  });

  it('change for the lists of a post whose listing fields change', async () => {
    const before = await buildSite(spec());
    const edited = spec();
    edited.posts[0]!.summary = 'A new summary.';
    // Post 1 is the oldest: on the second page of the lists.
    expect(changedKeys(before, await buildSite(edited))).toEqual([
      'api/posts/page/2.json',
      'api/posts/post-1.json',
      'api/site.json',
      'api/tags.json',
      'api/tags/a.json',
      'comments/rss.xml',
      'page/2/index.html',
      'posts/post-1/comments/atom.xml',
      'posts/post-1/index.html',
      'rss.xml',
      'tags/a/index.html',
      'tags/a/rss.xml',
      'tags/index.html',
    ]);
  });

  it('give the lists listings of posts, which throw when a group reads a field they do not show', async () => {
    const site = await buildSite(spec());
    const post = site.posts[0]!;
    const listing = postListing(post);
    expect(postListing(post)).toBe(listing);
    expect([listing.title, listing.url, listing.summary, listing.comments]).toEqual([
      post.title,
      post.url,
      post.summary,
      post.comments,
    ]);
    expect(() => listing.html).toThrow(/read post\.html from a listing/);
    expect(() => listing.data).toThrow(/output-scope|listing/);
    // It shows its fields and nothing else: to JSON, to keys and spreads, and to the build's keys.
    const shown = LISTING_FIELDS.filter((name) => name in post);
    expect(Object.keys(listing)).toEqual(shown);
    expect(Object.keys(JSON.parse(JSON.stringify(listing)))).toEqual(
      shown.filter((name) => post[name] !== undefined),
    );
    expect({ ...listing }).toEqual(Object.fromEntries(shown.map((name) => [name, post[name]])));
    expect(listingSource(listing)).toBe(post);
    expect(listingSource(post)).toBeUndefined();
    expect(Object.isFrozen(listing)).toBe(true);
    expect(tagListing(site.tags[0]!).posts.every((item) => item !== post)).toBe(true);
    // The plan's lists hold listings only.
    const home = siteFilePlan(site).find((group) => group.paths[0] === 'index.html')!;
    const items = (home.inputs.page as { items: object[] }).items;
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((item) => !site.posts.includes(item as never))).toBe(true);
  });

  it('leave a tag feed alone when a post of the tag older than the feed limit changes', async () => {
    const tagged = (body: string): SiteSpec => {
      const site = spec();
      site.posts[0]!.body = body;
      site.posts[2]!.tags = ['A'];
      return site;
    };
    const limited = async (body: string): Promise<Site> => {
      const site = await buildSite(tagged(body));
      return { ...site, config: { ...site.config, feeds: { ...site.config.feeds, limit: 1 } } };
    };
    // Tag A has posts 3 (newest) and 1; its feeds show post 3 alone.
    const changed = changedKeys(await limited('First *post*.'), await limited('First, edited.'));
    expect(changed).toContain('posts/post-1/index.html');
    expect(changed).not.toContain('tags/a/rss.xml');
  });

  it('change for a change of any field of a post or of its comments, even a field of no type', async () => {
    const site = await buildSite(spec());
    const post = site.posts[1]!;
    const base = keys(site).get('posts/post-2/index.html');
    // Every own field as loaded, plus the optional ones this post lacks and one the type does not name.
    const fields = [
      ...new Set([...Object.keys(post), 'updated', 'canonical', 'image', 'assets', 'unpublished', 'extra']),
    ];
    const changed = (value: unknown): unknown => {
      if (value instanceof Date) return new Date(value.getTime() + 1);
      if (typeof value === 'string') return `${value}x`;
      if (typeof value === 'number') return value + 1;
      if (typeof value === 'boolean') return !value;
      if (Array.isArray(value)) return [...value, value[0] ?? 'x'];
      if (value && typeof value === 'object') return { ...value, added: 1 };
      return 'x';
    };
    for (const field of fields) {
      const edited = { ...post, [field]: changed((post as unknown as Record<string, unknown>)[field]) };
      const posts = site.posts.map((item) => (item === post ? edited : item));
      const key = keys({ ...site, posts } as Site).get('posts/post-2/index.html');
      expect(key, `post.${field}`).not.toBe(base);
    }
    const comment = post.comments[0]!;
    for (const field of [...new Set([...Object.keys(comment), 'parent', 'extra'])]) {
      const edited = { ...comment, [field]: changed((comment as unknown as Record<string, unknown>)[field]) };
      const posts = site.posts.map((item) => (item === post ? { ...post, comments: [edited] } : item));
      const key = keys({ ...site, posts } as Site).get('posts/post-2/index.html');
      expect(key, `comment.${field}`).not.toBe(base);
    }
  });

  it('give no key to a group whose post cannot be fingerprinted (a cycle), so it is always made', async () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    const site = await buildSite(spec({ cycle }));
    const plan = keyPlan(site, siteFilePlan(site));
    expect(plan.find((group) => group.paths[0] === 'posts/post-2/index.html')?.key).toBeUndefined();
    expect(plan.find((group) => group.paths[0] === 'posts/post-1/index.html')?.key).toBeTypeOf('string');
  });

  it('scope each group to the site lists in its key: reading another list throws', async () => {
    const site = await buildSite(spec());
    const scoped = scopedSite(site, { tags: site.tags });
    expect(scoped.tags).toBe(site.tags);
    expect(scoped.url).toBe(site.url);
    expect(() => scoped.posts).toThrowErrorMatchingInlineSnapshot(
      `[BroadsheetError: an output group read site.posts, which is not in its inputs (src/outputs/plan.ts)]`,
    );
  });
});
