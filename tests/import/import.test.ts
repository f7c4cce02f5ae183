// `UPDATE=1 npx vitest run tests/import/import.test.ts` rewrites each fixture's `expected/` folder
// (the content files an import writes); review the diff before committing it.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSite } from '../../src/load/load-site';
import { expectFilesToMatch } from '../feeds/support';
import { fixturesDir, NOW, temporarySite } from '../load/helpers';
import { cli, importFixture, listFiles } from './helpers';

async function contentFiles(root: string) {
  const files = await listFiles(path.join(root, 'content'));
  return Promise.all(
    files.map(async (file) => ({
      path: file,
      contents: await readFile(path.join(root, 'content', file), 'utf8'),
    })),
  );
}

const cases = [
  { name: 'import-wordpress', format: 'wordpress', file: 'export.xml' },
  { name: 'import-blogger-classic', format: 'blogger', file: 'blogger.xml' },
  { name: 'import-blogger-takeout', format: 'blogger', file: 'feed.atom' },
  { name: 'import-ghost', format: 'ghost', file: 'ghost.json' },
  { name: 'import-rss', format: 'feed', file: 'rss.xml' },
  { name: 'import-atom', format: 'feed', file: 'atom.xml' },
] as const;

describe.each(cases)('broadsheet import $format $file', ({ name, format, file }) => {
  it('writes the expected content, which checks and builds; a second run changes nothing', async () => {
    const root = await temporarySite({});
    const exportFile = path.join(fixturesDir, name, file);
    const first = await cli(['import', format, exportFile, '--root', root]);
    expect(first.code, first.stderr).toBe(0);
    await expectFilesToMatch(await contentFiles(root), path.join(fixturesDir, name, 'expected'));

    const loaded = await loadSite({ root, now: NOW });
    expect(loaded.ok ? loaded.warnings : loaded.diagnostics).toEqual([]);
    const build = await cli(['build', '--root', root]);
    expect(build.code, build.stderr).toBe(0);

    const before = await contentFiles(root);
    const second = await cli(['import', format, exportFile, '--root', root]);
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/nothing to do: all \d+ files are already imported/);
    expect(await contentFiles(root)).toEqual(before);
  });
});

describe('broadsheet import: what it says', () => {
  it('reports what it skipped and changed at the export line, and a summary', async () => {
    const root = await temporarySite({});
    const { code, stdout, stderr } = await importFixture('wordpress', 'import-wordpress/export.xml', root);
    expect({ code, stdout }).toEqual({ code: 0, stdout: '' });
    expect(stderr).toMatchInlineSnapshot(`
      "export.xml:26:3: warning import-skipped: the [gallery] shortcode in post 10 "Hello & welcome" is not imported: it needs the old site to mean anything
      export.xml:158:4: warning import-skipped: pingback 106 is not imported: pingbacks and trackbacks are skipped (--pingbacks keeps them)
      export.xml:172:4: warning import-comment-date: comment 107 is dated 2012-03-12T16:00:00Z, before its post (2012-03-13T16:00:00Z): it takes its post's date
      export.xml:224:3: warning import-duplicate-slug: the slug "hello-world" is taken: post 30 gets "hello-world-2"
      export.xml:224:3: warning import-empty-title: post 30 has no title: it is titled "An aside without a title, whose slug another…"
      export.xml:343:3: warning import-skipped: nav_menu_item 60 "Home" is not imported: the post type "nav_menu_item" is not a post or a page
      imported 5 posts (1 draft), 1 page, 6 comments (3 approved, 1 pending, 1 spam, 1 trash), 2 authors, 2 tags, 4 redirects; 3 skipped
      1 attachment listed, not downloaded (their URLs: --format json)
      wrote 14 files; 0 already there unchanged; 0 already there with other contents, kept
      "
    `);
  });

  it('--dry-run lists what it would write and writes nothing', async () => {
    const root = await temporarySite({});
    const { code, stdout, stderr } = await importFixture(
      'blogger',
      'import-blogger-takeout/feed.atom',
      root,
      '--dry-run',
    );
    expect(code).toBe(0);
    expect(stdout).toMatchInlineSnapshot(`
      "content/authors/jane-recruiter.yaml
      content/posts/2012-03-13-how-to-recover-from-bad-interview.md
      content/pages/p/about-me.md
      content/comments/how-to-recover-from-bad-interview/9002.md
      content/comments/how-to-recover-from-bad-interview/9001.md
      content/comments/how-to-recover-from-bad-interview/9003.md
      "
    `);
    expect(stderr).toMatch(/^would import 1 post/m);
    expect(await listFiles(root)).toEqual(['broadsheet.config.json']);
  });

  it('--format json prints the summary, the files and the diagnostics', async () => {
    const root = await temporarySite({});
    const { code, stdout } = await importFixture(
      'wordpress',
      'import-wordpress/export.xml',
      root,
      '--format',
      'json',
    );
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.summary).toMatchInlineSnapshot(`
      {
        "attachments": [
          "https://old.example/wp-content/uploads/cat.jpg",
        ],
        "authors": 2,
        "comments": {
          "approved": 3,
          "pending": 1,
          "spam": 1,
          "trash": 1,
        },
        "drafts": 1,
        "files": {
          "kept": 0,
          "unchanged": 0,
          "write": 14,
        },
        "pages": 1,
        "posts": 5,
        "redirects": 4,
        "skipped": 3,
        "tags": 2,
      }
    `);
    expect(report.files[0]).toEqual({ path: 'content/authors/ann.yaml', action: 'write' });
    expect(report.diagnostics.length).toBeGreaterThan(0);
  });

  it('keeps a file that is already there with other contents, and says so', async () => {
    const root = await temporarySite({
      'content/posts/2021-01-03-xhtml.md': '---\ntitle: Mine\ndate: 2021-01-03\n---\n\nMy own words.\n',
    });
    const { code, stderr } = await importFixture('feed', 'import-atom/atom.xml', root);
    expect(code).toBe(0);
    expect(stderr).toContain(
      'content/posts/2021-01-03-xhtml.md:1:1: warning import-file-exists: this file is already there with other contents',
    );
    expect(await readFile(path.join(root, 'content/posts/2021-01-03-xhtml.md'), 'utf8')).toContain(
      'My own words.',
    );
  });

  it('a file it cannot write is an error naming it (exit 1), not a crash', async () => {
    const root = await temporarySite({ 'content/authors': '' });
    const { code, stderr } = await importFixture('feed', 'import-atom/atom.xml', root);
    expect(code).toBe(1);
    expect(stderr).toContain(
      'content/authors/lee.yaml:1:1: error import-write-failed: cannot write this file (ENOTDIR)',
    );
  });

  it('gives an imported post another slug than one the site already has', async () => {
    const root = await temporarySite({
      'content/posts/mine.md': '---\ntitle: Mine\ndate: 2021-01-03\nslug: xhtml\n---\n\nMy own words.\n',
    });
    const { code, stderr } = await importFixture('feed', 'import-atom/atom.xml', root);
    expect(code).toBe(0);
    expect(stderr).toContain('the slug "xhtml" is taken');
    const loaded = await loadSite({ root, now: NOW });
    expect(loaded.ok).toBe(true);
  });

  it('a malformed XML export is an error at its line and column (exit 1)', async () => {
    const root = await temporarySite({});
    const { code, stderr } = await importFixture('wordpress', 'import-malformed/export.xml', root);
    expect(code).toBe(1);
    expect(stderr).toMatchInlineSnapshot(`
      "export.xml:4:39: error import-malformed-xml: the export is not well-formed XML: unexpected close tag.
      "
    `);
    expect(await listFiles(root)).toEqual(['broadsheet.config.json']);
  });

  it('a malformed JSON export is an error at its line and column (exit 1)', async () => {
    const root = await temporarySite({});
    const { code, stderr } = await importFixture('ghost', 'import-malformed/ghost.json', root);
    expect(code).toBe(1);
    expect(stderr).toMatchInlineSnapshot(`
      "ghost.json:3:40: error import-malformed-json: the export is not valid JSON: Expected ',' or '}' after property value
      "
    `);
  });

  it('an export of the wrong format is an error naming its root element', async () => {
    const root = await temporarySite({});
    const { code, stderr } = await importFixture('wordpress', 'import-atom/atom.xml', root);
    expect(code).toBe(1);
    expect(stderr).toMatchInlineSnapshot(`
      "atom.xml:3:2: error import-wrong-format: this is not a WordPress export (WXR, with an <rss> root): its root element is <feed>
      "
    `);
  });

  it('a missing export file is exit 1; a wrong format name or no file is a usage error (exit 2)', async () => {
    const root = await temporarySite({});
    expect((await cli(['import', 'feed', path.join(root, 'nope.xml'), '--root', root])).code).toBe(1);
    expect((await cli(['import', 'tumblr', 'x.xml', '--root', root])).code).toBe(2);
    expect((await cli(['import', 'feed'])).code).toBe(2);
  });

  it('a root without a config is a config error (exit 2)', async () => {
    const { code, stderr } = await cli([
      'import',
      'feed',
      path.join(fixturesDir, 'import-atom', 'atom.xml'),
      '--root',
      path.join(fixturesDir, 'config-missing'),
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain('config-missing');
  });
});

describe('old URLs', () => {
  it('the build writes _redirects and a redirect page at each old path', async () => {
    const root = await temporarySite({});
    await importFixture('blogger', 'import-blogger-classic/blogger.xml', root);
    expect((await cli(['build', '--root', root])).code).toBe(0);
    const out = path.join(root, 'public');
    expect(await readFile(path.join(out, '_redirects'), 'utf8')).toBe(
      '/2012/03/how-to-recover-from-bad-interview.html /posts/how-to-recover-from-bad-interview/ 301\n',
    );
    const page = await readFile(path.join(out, '2012/03/how-to-recover-from-bad-interview.html'), 'utf8');
    expect(page).toContain(
      '<meta http-equiv="refresh" content="0; url=https://example.com/posts/how-to-recover-from-bad-interview/">',
    );
  });
});
