import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPreviewSite, type PreviewUpdate } from '../../src/dev/preview-site';
import { buildSite } from '../../src/index';
import { copyGoldenSite, listFiles, temporaryFolder, writeText } from '../build/helpers';

const ORIGIN = 'http://127.0.0.1:4321';
const SLUGS = ['hello-world', 'markdown-tour', 'quiet-post', 'fresh', 'later'] as const;
const TAGS = ['News', 'Meta', 'Open Source', 'Notes'] as const;

/** One change a writer (or the comment intake, or a moderator) makes to the site's files. */
type Edit =
  | {
      kind: 'post';
      slug: (typeof SLUGS)[number];
      title: string;
      body: string;
      tags: string[];
      day: number;
      /** A `slug:` in the front matter, moving the post's pages (and its comments' thread). */
      renamed?: string;
      draft?: boolean;
    }
  | { kind: 'broken-post'; slug: (typeof SLUGS)[number] }
  | { kind: 'remove-post'; slug: (typeof SLUGS)[number] }
  | {
      kind: 'comment';
      slug: (typeof SLUGS)[number];
      id: string;
      author: string;
      body: string;
      status: 'approved' | 'pending';
      parent?: string;
    }
  | { kind: 'remove-comment'; slug: (typeof SLUGS)[number]; id: string };

const text = fc.string({ maxLength: 40 });
const slug = fc.constantFrom(...SLUGS);
const commentId = fc.constantFrom('c1', 'c2', 'n1', 'n2');
const edit: fc.Arbitrary<Edit> = fc.oneof(
  // Dates, tags, slugs and drafts change the output's paths and what its lists hold: the preview
  // must plan again after them (a plan kept from before would serve stale or missing files).
  fc.record(
    {
      kind: fc.constant('post' as const),
      slug,
      title: text.filter((title) => title.trim() !== ''),
      body: text,
      tags: fc.subarray([...TAGS]),
      day: fc.integer({ min: 1, max: 28 }),
      renamed: fc.constantFrom('renamed', 'moved-on', 'fresh'),
      draft: fc.boolean(),
    },
    { requiredKeys: ['kind', 'slug', 'title', 'body', 'tags', 'day'] },
  ),
  fc.record({ kind: fc.constant('broken-post' as const), slug }),
  fc.record({ kind: fc.constant('remove-post' as const), slug }),
  fc.record(
    {
      kind: fc.constant('comment' as const),
      slug,
      id: commentId,
      author: text.filter((name) => name.trim() !== ''),
      body: text.filter((body) => body.trim() !== ''),
      status: fc.constantFrom('approved' as const, 'pending' as const),
      parent: commentId,
    },
    { requiredKeys: ['kind', 'slug', 'id', 'author', 'body', 'status'] },
  ),
  fc.record({ kind: fc.constant('remove-comment' as const), slug, id: commentId }),
);

/** Where an edit's file is: posts are written at `content/posts/<slug>.md` (next to the golden site's own). */
function fileOf(change: Edit): string {
  return change.kind === 'comment' || change.kind === 'remove-comment'
    ? `content/comments/${change.slug}/${change.id}.md`
    : `content/posts/${change.slug}.md`;
}

async function apply(root: string, change: Edit): Promise<string> {
  const file = fileOf(change);
  const absolute = path.join(root, file);
  switch (change.kind) {
    case 'post':
      await writeText(
        absolute,
        `---\ntitle: ${JSON.stringify(change.title)}\ndate: 2024-04-${String(change.day).padStart(2, '0')}\ntags: ${JSON.stringify(change.tags)}\n${change.renamed ? `slug: ${change.renamed}\n` : ''}${change.draft === undefined ? '' : `draft: ${change.draft}\n`}---\n\n${change.body}\n`,
      );
      break;
    case 'broken-post':
      await writeText(absolute, '---\ntitle: [unclosed\ndate: 2024-04-01\n---\nBroken.\n');
      break;
    case 'comment':
      await writeText(
        absolute,
        `---\nauthor: ${JSON.stringify(change.author)}\ndate: 2024-06-01T10:00:00Z\nstatus: ${change.status}\n${change.parent ? `parent: ${change.parent}\n` : ''}---\n${change.body}\n`,
      );
      break;
    default:
      await rm(absolute, { force: true });
  }
  return file;
}

/** What a fresh full build of the preview (no cache) writes: its files' bytes, or its diagnostics. */
async function fullPreviewBuild(root: string): Promise<PreviewUpdate & { bytes?: Map<string, Buffer> }> {
  const out = path.join(await temporaryFolder(), 'preview');
  const result = await buildSite({ root, out, preview: { origin: ORIGIN }, cache: false });
  if (!result.ok) return result;
  const bytes = new Map<string, Buffer>();
  for (const file of await listFiles(out)) {
    if (file !== '.broadsheet-build') bytes.set(file, await readFile(path.join(out, file)));
  }
  return { ok: true, files: result.files, warnings: result.warnings, bytes };
}

describe('createPreviewSite', () => {
  it('serves, after any sequence of edits, additions and deletions of posts and comments, the bytes a fresh full preview build writes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 6 }), async (edits) => {
        const root = await copyGoldenSite();
        const preview = createPreviewSite({ root, origin: ORIGIN });
        expect((await preview.update([])).ok).toBe(true);
        let last: PreviewUpdate | undefined;
        for (const change of edits) last = await preview.update([await apply(root, change)]);
        const built = await fullPreviewBuild(root);
        if (!built.ok) {
          // A failed load is reported as the build reports it; the preview keeps its last good site.
          expect(last).toEqual({ ok: false, diagnostics: built.diagnostics });
          return;
        }
        expect(last).toEqual({ ok: true, files: built.files, warnings: built.warnings });
        for (const [file, bytes] of built.bytes!) {
          const served = await preview.file(file);
          expect(served && Buffer.from(served.bytes).equals(bytes), file).toBe(true);
        }
      }),
      { numRuns: 12 },
    );
  });

  it('makes a file from memory when asked: no file of the preview is written', async () => {
    const root = await copyGoldenSite();
    const before = await listFiles(root);
    const preview = createPreviewSite({ root, origin: ORIGIN });
    const update = await preview.update([]);
    expect(update.ok && update.files).toBeGreaterThan(50);
    expect(preview.has('posts/hello-world/index.html')).toBe(true);
    const page = await preview.file('posts/hello-world/index.html');
    expect(Buffer.from(page!.bytes).toString('utf8')).toContain(`${ORIGIN}/blog/posts/hello-world/`);
    expect(await preview.file('posts/no-such-post/index.html')).toBeUndefined();
    expect(await listFiles(root)).toEqual(before);
  });
});
