import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { loadSite } from '../../src/load/load-site';
import { apiFiles } from '../../src/outputs/api/index';
import {
  type ApiComment,
  type ApiPagination,
  type ApiPost,
  type ApiPostList,
  type ApiPostSummary,
  type ApiSite,
  type ApiTag,
  type ApiTagList,
  apiDocumentSchemas,
  type apiPostListSchema,
  apiPostSchema,
  type apiSiteSchema,
  type apiTagListSchema,
  type apiTagSchema,
} from '../../src/outputs/api/schema';
import type { OutputFile, Site } from '../../src/site/types';
import { loadSmallSite } from './fixture';
import { buildSite } from './site-builder';

/** The schema name a document path is validated with. */
function schemaNameOf(documentPath: string): keyof typeof apiDocumentSchemas | 'schema' {
  if (documentPath === 'api/site.json') return 'site';
  if (documentPath === 'api/posts.json' || documentPath.startsWith('api/posts/page/')) return 'posts';
  if (documentPath.startsWith('api/posts/')) return 'post';
  if (documentPath === 'api/tags.json') return 'tags';
  if (documentPath.startsWith('api/tags/')) return 'tag';
  if (documentPath.startsWith('api/pages/')) return 'page';
  if (documentPath.startsWith('api/schema/')) return 'schema';
  throw new Error(`unknown API document ${documentPath}`);
}

let site: Site;
let files: OutputFile[];
const documentAt = (documentPath: string): unknown => {
  const file = files.find((candidate) => candidate.path === documentPath);
  if (!file) throw new Error(`no document ${documentPath}`);
  return JSON.parse(file.contents);
};

beforeAll(async () => {
  site = await loadSmallSite();
  files = apiFiles(site);
});

describe('the JSON API of the small site', () => {
  it('holds documents that each parse with their zod schema, unchanged', () => {
    for (const file of files) {
      const name = schemaNameOf(file.path);
      if (name === 'schema') continue;
      const document = JSON.parse(file.contents);
      expect(apiDocumentSchemas[name].parse(document), file.path).toEqual(document);
    }
  });

  it('holds JSON Schemas, generated from the zod schemas, that accept every document', () => {
    for (const [name, schema] of Object.entries(apiDocumentSchemas)) {
      const jsonSchema = documentAt(`api/schema/${name}.json`) as Record<string, unknown>;
      expect(jsonSchema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(jsonSchema).toEqual(JSON.parse(JSON.stringify(z.toJSONSchema(schema, { io: 'input' }))));
      // Read the JSON Schema back into a validator and check every document of its kind with it.
      const fromJsonSchema = z.fromJSONSchema(jsonSchema as Parameters<typeof z.fromJSONSchema>[0]);
      const documents = files.filter((file) => schemaNameOf(file.path) === name);
      expect(documents.length, name).toBeGreaterThan(0);
      for (const file of documents) {
        const result = fromJsonSchema.safeParse(JSON.parse(file.contents));
        expect(result.success, `${file.path}: ${result.error?.message}`).toBe(true);
      }
      // …and refuse a document that is not of its kind.
      expect(fromJsonSchema.safeParse({ nothing: 'here' }).success, name).toBe(false);
    }
  });

  it('paginates posts like Ghost: page, limit, pages, total, next, prev', () => {
    const pages = ['api/posts.json', 'api/posts/page/2.json', 'api/posts/page/3.json'].map(
      (documentPath) => documentAt(documentPath) as ApiPostList,
    );
    expect(pages.map((page) => page.meta.pagination)).toEqual([
      { page: 1, limit: 2, pages: 3, total: 5, next: 2, prev: null },
      { page: 2, limit: 2, pages: 3, total: 5, next: 3, prev: 1 },
      { page: 3, limit: 2, pages: 3, total: 5, next: null, prev: 2 },
    ]);
    expect(pages.flatMap((page) => page.posts.map((post) => post.slug))).toEqual(
      site.posts.map((post) => post.slug),
    );
    for (const summary of pages.flatMap((page) => page.posts)) {
      expect(Object.keys(summary)).toEqual([
        'slug',
        'url',
        'title',
        'date',
        'updated',
        'summary',
        'tags',
        'authors',
        'commentCount',
      ]);
    }
  });

  it('gives a post its html, headings, reading time, comments with parents and no email, and its data', () => {
    const post = documentAt('api/posts/hello-world.json') as ApiPost;
    expect(post.html).toContain('<a href="https://example.org/more">');
    expect(post.readingTime).toBe(1);
    expect(post.commentCount).toBe(5);
    expect(
      post.comments.map((comment) => [comment.id, comment.parent, comment.depth, comment.author]),
    ).toEqual([
      ['first', null, 0, { name: 'Alan Turing' }],
      ['second', 'first', 1, { name: 'Barbara', url: 'https://barbara.example/' }],
      ['third', 'second', 2, { name: 'Claude' }],
      ['fourth', null, 0, { name: 'Dana' }],
      ['orphan-reply', null, 0, { name: 'Eve' }],
    ]);
    expect(post.data).toEqual({ title: 'Hello, world', date: '2024-01-10', tags: ['Meta', 'Announcements'] });
    const quiet = documentAt('api/posts/quiet.json') as ApiPost;
    expect([quiet.lang, quiet.commentsOpen, quiet.comments]).toEqual(['fr', true, []]);
    const leapDay = documentAt('api/posts/leap-day.json') as ApiPost;
    expect([leapDay.commentsOpen, leapDay.updated, leapDay.comments.length]).toEqual([
      false,
      '2024-03-02T08:00:00.000Z',
      1,
    ]);
  });

  it('gives the site settings as written, not HTML-escaped, with absolute feed URLs and counts', () => {
    const document = documentAt('api/site.json') as ApiSite;
    expect(document.title).toBe('The Small & Curious Gazette');
    expect(document.description).toBe('Notes on <small> things, "quoted" & otherwise.');
    expect(document.author).toEqual({ name: 'Ada Editor', url: 'https://ada.example/' });
    expect(document.feeds.atom).toBe('https://example.com/gazette/atom.xml');
    expect(document.commentFeeds.json).toBe('https://example.com/gazette/comments/feed.json');
    expect(document.counts).toEqual({ posts: 5, comments: 6, tags: 4, authors: 1 });
  });

  it('lists tags with counts, and gives each tag its posts', () => {
    expect((documentAt('api/tags.json') as ApiTagList).tags.map((tag) => [tag.slug, tag.count])).toEqual([
      ['announcements', 1],
      ['café', 1],
      ['meta', 2],
      ['notes', 3],
    ]);
    const notes = documentAt('api/tags/notes.json') as ApiTag;
    expect(notes.tag.url).toBe('https://example.com/gazette/tags/notes/');
    // postsPerPage is 2: the third post is on the tag's second page.
    expect(notes.posts.map((post) => post.slug)).toEqual(['middle', 'quiet']);
    const more = documentAt('api/tags/notes/page/2.json') as ApiTag;
    expect(more.posts.map((post) => post.slug)).toEqual(['tables-and-code']);
  });

  it('exports a TypeScript type for each document', () => {
    expectTypeOf<ApiSite>().toEqualTypeOf<z.output<typeof apiSiteSchema>>();
    expectTypeOf<ApiPostList>().toEqualTypeOf<z.output<typeof apiPostListSchema>>();
    expectTypeOf<ApiPost>().toEqualTypeOf<z.output<typeof apiPostSchema>>();
    expectTypeOf<ApiTagList>().toEqualTypeOf<z.output<typeof apiTagListSchema>>();
    expectTypeOf<ApiTag>().toEqualTypeOf<z.output<typeof apiTagSchema>>();
    expectTypeOf<ApiPostList['posts'][number]>().toEqualTypeOf<ApiPostSummary>();
    expectTypeOf<ApiPost['comments'][number]>().toEqualTypeOf<ApiComment>();
    expectTypeOf<ApiPagination>().toEqualTypeOf<{
      page: number;
      limit: number;
      pages: number;
      total: number;
      next: number | null;
      prev: number | null;
    }>();
    expectTypeOf<ApiComment['author']>().toEqualTypeOf<{ name: string; url?: string | undefined }>();
    expectTypeOf<ApiPostSummary['updated']>().toEqualTypeOf<string | null>();
  });
});

describe('any text', () => {
  it('yields valid JSON that reads back exactly, lone surrogates and controls included', async () => {
    const nasty = 'a\uD800b\uDC00c\u0000\u0001\u001F\u007F\u2028\u2029"\\</script>]]>\uFFFE😀';
    const built = await buildSite({
      title: nasty,
      description: nasty,
      posts: [
        {
          title: nasty,
          summary: nasty,
          body: 'text',
          tags: [`${nasty}tag`],
          comments: [{ name: nasty, body: 'hi' }],
        },
      ],
    });
    for (const file of apiFiles(built)) {
      // Well-formed UTF-16: every surrogate is half of a pair, so the file encodes to UTF-8 losslessly.
      expect(file.contents, file.path).not.toMatch(
        /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/,
      );
      expect(() => JSON.parse(Buffer.from(file.contents, 'utf8').toString('utf8')), file.path).not.toThrow();
    }
    const post = JSON.parse(
      apiFiles(built).find((file) => file.path === 'api/posts/post-1.json')!.contents,
    ) as ApiPost;
    expect([post.title, post.summary, post.comments[0]!.author.name, post.tags[0]!.name]).toEqual([
      nasty,
      nasty,
      nasty,
      `${nasty}tag`,
    ]);
    const siteDocument = JSON.parse(
      apiFiles(built).find((file) => file.path === 'api/site.json')!.contents,
    ) as ApiSite;
    expect(siteDocument.title).toBe(nasty);
  });
});

describe('the schema module', () => {
  it('imports zod and the URL check (which imports only zod), so a browser client can use it', async () => {
    const importsOf = async (file: string) => {
      const source = await readFile(new URL(`../../src/${file}`, import.meta.url), 'utf8');
      expect(source).not.toMatch(/\brequire\(|\bimport\(/);
      return [...source.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+['"]([^'"]+)['"]/gm)].map(
        (match) => match[1],
      );
    };
    expect(await importsOf('outputs/api/schema.ts')).toEqual(['zod', '../../schema/urls']);
    expect(await importsOf('schema/urls.ts')).toEqual(['zod']);
  });
});

describe('an empty site', () => {
  it('has one empty page of posts and no tags', async () => {
    const empty = apiFiles(await buildSite({ title: 'Empty', posts: [] }));
    expect(JSON.parse(empty.find((file) => file.path === 'api/posts.json')!.contents)).toEqual({
      posts: [],
      meta: { pagination: { page: 1, limit: 2, pages: 1, total: 0, next: null, prev: null } },
    });
    expect(JSON.parse(empty.find((file) => file.path === 'api/tags.json')!.contents)).toEqual({ tags: [] });
  });
});

describe('front matter that a schema extension adds', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'broadsheet-api-data-'));
    await mkdir(path.join(root, 'content', 'posts'), { recursive: true });
    await writeFile(
      path.join(root, 'content', 'posts', 'moody.md'),
      '---\ntitle: Moody\ndate: 2024-05-01\nmood: happy\nreviewed: 2024-05-03T10:00:00Z\nstars: 12345678901234567890\n---\nBody.\n',
    );
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('is published under data, with dates and big integers as JSON can carry them', async () => {
    const result = await loadSite({
      root,
      now: new Date('2024-06-01T00:00:00Z'),
      config: {
        site: { title: 'Moods', url: 'https://moods.example/' },
        schema: {
          post: (base) =>
            base.extend({
              mood: z.enum(['happy', 'sad']),
              reviewed: z.string().transform((value) => new Date(value)),
              stars: z
                .union([z.number(), z.string()])
                .transform((value) => BigInt(String(value).split('.')[0]!)),
            }),
        },
      },
    });
    if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
    const post = JSON.parse(
      apiFiles(result.site as Site).find((file) => file.path === 'api/posts/moody.json')!.contents,
    ) as ApiPost;
    expect(post.data).toMatchObject({ title: 'Moody', mood: 'happy', reviewed: '2024-05-03T10:00:00.000Z' });
    expect(typeof post.data.stars).toBe('string');
    expect(apiPostSchema.safeParse(post).success).toBe(true);
  });
});
