import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/diagnostics/format';
import { loadSite } from '../../src/load/load-site';
import { siteFiles } from '../../src/outputs/index';
import { redirectFiles } from '../../src/outputs/redirects';
import { NOW, temporarySite } from '../load/helpers';
import { cli } from './helpers';

async function siteWith(aliases: string, url = 'https://example.com/') {
  const root = await temporarySite({
    'broadsheet.config.json': JSON.stringify({ site: { title: 'T', url } }),
    'content/posts/2012-03-13-new-name.md': `---\ntitle: New name\ndate: 2012-03-13\naliases: ${aliases}\n---\n\nBody.\n`,
  });
  return { root, result: await loadSite({ root, now: NOW }) };
}

describe('aliases', () => {
  it('an alias that is not a path from the site root is an invalid-alias error at its value', async () => {
    const { result } = await siteWith('[/ok.html, old.html, /a/../b, "/x?p=1"]');
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.diagnostics.map(formatDiagnostic)).toMatchInlineSnapshot(`
      [
        "content/posts/2012-03-13-new-name.md:4:21: error invalid-alias: aliases.1 must be a path from the site root such as /2012/03/old-name.html (no ., .., ?, # or spaces)",
        "content/posts/2012-03-13-new-name.md:4:31: error invalid-alias: aliases.2 must be a path from the site root such as /2012/03/old-name.html (no ., .., ?, # or spaces)",
        "content/posts/2012-03-13-new-name.md:4:40: error invalid-alias: aliases.3 must be a path from the site root such as /2012/03/old-name.html (no ., .., ?, # or spaces)",
      ]
    `);
  });

  it('the redirects are a pure output: _redirects and a page at each old path, under the site path', async () => {
    const { result } = await siteWith(
      '[/2012/03/old-name.html, /old/dir/, /no-extension]',
      'https://example.com/blog/',
    );
    if (!result.ok) throw new Error('did not load');
    const files = redirectFiles(result.site);
    expect(files.map((file) => file.path)).toEqual([
      '_redirects',
      '2012/03/old-name.html',
      'old/dir/index.html',
      'no-extension/index.html',
    ]);
    expect(files[0]?.contents).toBe(
      '/blog/2012/03/old-name.html /blog/posts/new-name/ 301\n/blog/old/dir/ /blog/posts/new-name/ 301\n/blog/no-extension /blog/posts/new-name/ 301\n',
    );
    expect(files[1]?.contents).toMatchInlineSnapshot(`
      "<!DOCTYPE html>
      <html lang="en"><head><meta charset="utf-8"><title>Moved</title><link rel="canonical" href="https://example.com/blog/posts/new-name/"><meta name="robots" content="noindex"><meta http-equiv="refresh" content="0; url=https://example.com/blog/posts/new-name/"><meta name="viewport" content="width=device-width, initial-scale=1"></head><body><p>This page has moved to <a href="https://example.com/blog/posts/new-name/">https://example.com/blog/posts/new-name/</a>.</p></body></html>
      "
    `);
    expect(redirectFiles(result.site)).toEqual(files);
  });

  it('an old path that a generated page has is left out: generated pages win', async () => {
    const { result } = await siteWith('[/posts/new-name/, /tags/, /rss.xml, /kept.html]');
    if (!result.ok) throw new Error('did not load');
    const files = siteFiles(result.site);
    expect(files.find((file) => file.path === '_redirects')?.contents).toBe(
      '/kept.html /posts/new-name/ 301\n',
    );
    expect(files.filter((file) => file.path === 'posts/new-name/index.html')).toHaveLength(1);
    expect(files.find((file) => file.path === 'posts/new-name/index.html')?.contents).not.toContain(
      'http-equiv',
    );
  });

  it('a site without aliases has no _redirects', async () => {
    const root = await temporarySite({
      'content/posts/a.md': '---\ntitle: A\ndate: 2012-03-13\n---\n\nBody.\n',
    });
    const result = await loadSite({ root, now: NOW });
    if (!result.ok) throw new Error('did not load');
    expect(redirectFiles(result.site)).toEqual([]);
  });
});

describe('progress', () => {
  it('shows a progress line on a terminal, and clears it', async () => {
    const root = await temporarySite({});
    let stderr = '';
    const { runCli } = await import('../../src/cli/main');
    const code = await runCli(['import', 'feed', 'import-atom/atom.xml', '--root', root], {
      stdout: () => {},
      stderr: (text) => {
        stderr += text;
      },
      env: {},
      cwd: (await import('../load/helpers')).fixturesDir,
      isTTY: true,
    });
    expect(code).toBe(0);
    expect(stderr).toMatch(/\r\u001b\[Kimporting: 0\.0 MB of 0\.0 MB, 2 items/);
    expect(stderr).toMatch(/\r\u001b\[Kimported 2 posts/);
    expect((await cli(['import', 'feed', 'import-atom/atom.xml', '--root', root])).stderr).not.toContain(
      'importing:',
    );
  });
});
