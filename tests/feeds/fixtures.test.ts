import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSite } from '../../src/load/load-site';
import { feedFiles } from '../../src/outputs/feeds/index';
import type { Site } from '../../src/site/types';
import { expectFilesToMatch, expectValidFeedFile, repoRoot } from './support';

const NOW = new Date('2025-01-01T00:00:00Z');

async function load(fixture: string): Promise<Site> {
  const result = await loadSite({ root: path.join(repoRoot, 'tests/fixtures', fixture), now: NOW });
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics, null, 2));
  return result.site;
}

describe('fixture feeds-small-site', () => {
  it('writes every feed of the site, its tags, its comments and each post, exactly as expected', async () => {
    const site = await load('feeds-small-site');
    const files = feedFiles(site);
    expect(files.map((file) => file.path)).toEqual([
      'rss.xml',
      'atom.xml',
      'feed.json',
      'tags/announcements/rss.xml',
      'tags/announcements/atom.xml',
      'tags/announcements/feed.json',
      'tags/meta/rss.xml',
      'tags/meta/atom.xml',
      'tags/meta/feed.json',
      'comments/rss.xml',
      'comments/atom.xml',
      'comments/feed.json',
      'posts/closed/comments/rss.xml',
      'posts/closed/comments/atom.xml',
      'posts/closed/comments/feed.json',
      'posts/en-francais/comments/rss.xml',
      'posts/en-francais/comments/atom.xml',
      'posts/en-francais/comments/feed.json',
      'posts/threads/comments/rss.xml',
      'posts/threads/comments/atom.xml',
      'posts/threads/comments/feed.json',
      'posts/hello-world/comments/rss.xml',
      'posts/hello-world/comments/atom.xml',
      'posts/hello-world/comments/feed.json',
    ]);
    for (const file of files) expectValidFeedFile(file);
    await expectFilesToMatch(files, path.join(repoRoot, 'tests/fixtures/feeds-small-site/expected'));
  });

  it('publishes no email, no pending comment, no draft and no future post', async () => {
    const all = feedFiles(await load('feeds-small-site'))
      .map((file) => file.contents)
      .join('\n');
    expect(all).not.toContain('@small.example');
    expect(all).not.toContain('carol@private.example');
    expect(all).not.toContain('Mallory');
    expect(all).not.toContain('A draft');
    expect(all).not.toContain('From the future');
  });

  it('is byte-identical when built twice', async () => {
    expect(feedFiles(await load('feeds-small-site'))).toEqual(feedFiles(await load('feeds-small-site')));
  });
});

describe('fixture feeds-seed (the repository seed post)', () => {
  it('writes the site feeds and the post’s empty comment feeds, exactly as expected', async () => {
    const site = await load('feeds-seed');
    const files = feedFiles(site);
    expect(files.map((file) => file.path)).toEqual([
      'rss.xml',
      'atom.xml',
      'feed.json',
      'comments/rss.xml',
      'comments/atom.xml',
      'comments/feed.json',
      'posts/how-to-recover-from-a-bad-interview/comments/atom.xml',
    ]);
    for (const file of files) expectValidFeedFile(file);
    await expectFilesToMatch(files, path.join(repoRoot, 'tests/fixtures/feeds-seed/expected'));
  });
});
