// The seed post, exported from Blogger and imported, reads the same as the project's own content.
import { fileURLToPath } from 'node:url';
import { fromHtml } from 'hast-util-from-html';
import { toString as hastToString } from 'hast-util-to-string';
import { describe, expect, it } from 'vitest';
import { loadSite } from '../../src/load/load-site';
import type { Post } from '../../src/site/types';
import { NOW, temporarySite } from '../load/helpers';
import { importFixture } from './helpers';

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

function text(post: Post): string {
  return hastToString(fromHtml(post.html, { fragment: true }))
    .replace(/\s+/g, ' ')
    .trim();
}

async function onlyPost(root: string): Promise<Post> {
  const result = await loadSite({ root, now: NOW });
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
  expect(result.site.posts).toHaveLength(1);
  return result.site.posts[0] as Post;
}

describe('the seed post through a Blogger export', () => {
  it.each([
    ['classic export', 'import-blogger-classic', 'blogger.xml'],
    ['Takeout feed.atom', 'import-blogger-takeout', 'feed.atom'],
  ])(
    '%s: same title, day and text as content/ today, with its threaded reply',
    async (_kind, fixture, file) => {
      const seed = await onlyPost(repositoryRoot);
      const root = await temporarySite({});
      const { code } = await importFixture('blogger', `${fixture}/${file}`, root);
      expect(code).toBe(0);
      const imported = await onlyPost(root);
      expect(imported.title).toBe(seed.title);
      expect(imported.date.toISOString().slice(0, 10)).toBe(seed.date.toISOString().slice(0, 10));
      expect(text(imported)).toBe(text(seed));
      expect(imported.html.match(/<li>/g)).toHaveLength(6);
      expect(
        imported.comments.map((comment) => [comment.id, comment.parent ?? null, comment.author.name]),
      ).toEqual([
        ['9001', null, 'Sam'],
        ['9002', '9001', 'Jane Recruiter'],
      ]);
    },
  );
});
