import { describe, expect, it } from 'vitest';
import { loadFixture } from './helpers';

describe('what is published', () => {
  it('drafts and future posts are kept out; only approved comments; replies hang from the nearest published ancestor', async () => {
    const result = await loadFixture('load-publishing', { now: new Date('2025-06-01T00:00:00Z') });
    if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
    const { site } = result;
    expect(site.posts.map((post) => post.slug)).toEqual(['published']);
    expect(site.tags.map((tag) => `${tag.name}: ${tag.posts.map((post) => post.slug).join(' ')}`)).toEqual([
      'News: published',
    ]);
    const comments = site.posts[0]!.comments.map((c) => ({
      id: c.id,
      parent: c.parent,
      depth: c.depth,
      url: c.url,
    }));
    expect(comments).toEqual([
      { id: 'a', parent: undefined, depth: 0, url: 'https://example.com/posts/published/#comment-a' },
      // c replies to b, which is pending: it hangs from a.
      { id: 'c', parent: 'a', depth: 1, url: 'https://example.com/posts/published/#comment-c' },
      { id: 'e', parent: 'c', depth: 2, url: 'https://example.com/posts/published/#comment-e' },
    ]);
    expect(site.comments.map((c) => c.id)).toEqual(['e', 'c', 'a']);
  });

  it('a post dated after the injected build time is published once that time has come', async () => {
    const before = await loadFixture('load-publishing', { now: new Date('2030-01-01T08:59:59Z') });
    const after = await loadFixture('load-publishing', { now: new Date('2030-01-01T09:00:00Z') });
    expect(before.ok && before.site.posts.map((post) => post.slug)).toEqual(['published']);
    expect(after.ok && after.site.posts.map((post) => post.slug)).toEqual(['future', 'published']);
  });

  it('future: true publishes future posts, never drafts', async () => {
    const result = await loadFixture('load-publishing', { future: true });
    expect(result.ok && result.site.posts.map((post) => post.slug)).toEqual(['future', 'published']);
    expect(result.ok && result.site.tags.map((tag) => [tag.slug, tag.posts.length])).toEqual([['news', 2]]);
  });

  it('the config key future: true has the same effect', async () => {
    const { loadSite } = await import('../../src/load/load-site');
    const { fixturesDir, NOW } = await import('./helpers');
    const result = await loadSite({
      root: `${fixturesDir}load-publishing`,
      now: NOW,
      config: { site: { title: 'Future', url: 'https://example.com' }, future: true },
    });
    expect(result.ok && result.site.posts.map((post) => post.slug)).toEqual(['future', 'published']);
    expect(result.ok && result.site.url).toBe('https://example.com/');
  });
});
