import path from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import {
  type CommentFrontMatter,
  type Diagnostic,
  defineConfig,
  loadSite,
  type PostFrontMatter,
  type Site,
} from '../../src/index';
import { fixturesDir } from '../load/helpers';

const root = path.join(fixturesDir, 'config-extended-schema');

describe('types users see', () => {
  it('schema.post extends the type of post.data', async () => {
    const config = defineConfig({
      site: { title: 'Typed', url: 'https://example.com/' },
      schema: { post: (base) => base.extend({ mood: z.enum(['a', 'b']) }) },
    });
    const result = await loadSite({ root, config });
    if (result.ok) {
      expectTypeOf(result.site.posts[0]!.data.mood).toEqualTypeOf<'a' | 'b'>();
      expectTypeOf(result.site.posts[0]!.data.title).toEqualTypeOf<string>();
      expectTypeOf(result.site.posts[0]!.comments[0]!.data).toEqualTypeOf<CommentFrontMatter>();
    } else {
      expectTypeOf(result.diagnostics).toEqualTypeOf<Diagnostic[]>();
    }
    // At run time the same config rejects the post whose mood is not in the enum.
    expect(result.ok).toBe(false);
    expect(!result.ok && result.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.code}`)).toEqual([
      'content/posts/bad.md:4:7 invalid-value',
    ]);
  });

  it('schema.comment extends the type of comment.data', async () => {
    const config = defineConfig({
      site: { title: 'Typed', url: 'https://example.com/' },
      schema: { comment: (base) => base.extend({ rating: z.number().int().optional() }) },
    });
    const result = await loadSite({ root: path.join(fixturesDir, 'load-publishing'), config });
    if (result.ok) {
      expectTypeOf(result.site.posts[0]!.comments[0]!.data.rating).toEqualTypeOf<number | undefined>();
      expectTypeOf(result.site.comments[0]!.data.status).toEqualTypeOf<CommentFrontMatter['status']>();
      expectTypeOf(result.site.posts[0]!.data).toEqualTypeOf<PostFrontMatter>();
    }
    expect(result.ok).toBe(true);
  });

  it('without a config the data type is PostFrontMatter', async () => {
    const result = await loadSite({ root: path.join(fixturesDir, 'load-publishing') });
    if (result.ok) {
      expectTypeOf(result.site).toEqualTypeOf<Site>();
      expectTypeOf(result.site.posts[0]!.data).toEqualTypeOf<PostFrontMatter>();
      expectTypeOf(result.site.posts[0]!.date).toEqualTypeOf<Date>();
    }
    expect(result.ok).toBe(true);
  });

  it('a config without schema keeps the default types', () => {
    const config = defineConfig({ site: { title: 'Plain', url: 'https://example.com/' } });
    expectTypeOf(loadSite({ root, config })).resolves.toMatchTypeOf<
      { ok: true; site: Site<PostFrontMatter, CommentFrontMatter> } | { ok: false }
    >();
  });
});
