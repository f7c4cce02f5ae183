import { readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, copyGoldenSite, copyShellSite, listFiles, writeText } from '../build/helpers';
import { listen, startDev, until } from './helpers';

const HELLO = 'content/posts/2024/2024-01-10-hello-world.md';
const pageHash = async (origin: string, pathname: string) =>
  (
    (await (await fetch(`${origin}/__broadsheet/hash?path=${encodeURIComponent(pathname)}`)).json()) as {
      hash: string;
    }
  ).hash;

describe('broadsheet dev', () => {
  it('serves a preview on loopback whose bytes follow every edit of posts, comments and the config', async () => {
    const root = await copyGoldenSite();
    const dev = await startDev(root);
    expect(dev.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/blog\/$/);
    const post = `${dev.url}posts/hello-world/`;

    // Drafts and future posts are in the preview, marked; links stay on the local origin.
    const draft = await until(`${dev.url}posts/draft-idea/`, (status) => status === 200);
    expect(draft).toContain('<mark>Draft</mark> This post is a draft');
    expect(draft).toContain(`<link rel="canonical" href="${dev.url}posts/draft-idea/">`);
    expect(draft).not.toContain('https://gazette.example/blog/');
    // Every HTML page gets the reload script, with the hash of its bytes.
    const first = await until(post, (status) => status === 200);
    const hash = await pageHash(dev.origin, '/blog/posts/hello-world/');
    expect(first).toContain(`<script src="/__broadsheet/client.js" data-hash="${hash}"></script>\n</body>`);
    const feed = await fetch(`${dev.url}atom.xml`);
    expect(await feed.text()).not.toContain('__broadsheet');

    // Edit a post.
    const hello = path.join(root, HELLO);
    const text = await readFile(hello, 'utf8');
    await writeFile(hello, text.replace('title: Hello, World & Friends', 'title: Hello from the dev server'));
    await until(post, (_, body) => body.includes('<h1>Hello from the dev server</h1>'));
    const edited = await pageHash(dev.origin, '/blog/posts/hello-world/');
    expect(edited).not.toBe(hash);

    // Add a post, then delete it; a page the edit did not touch keeps its bytes (no reload). (The
    // newest post's page links the new one as its newer neighbour: a post further back does not change.)
    const quiet = await pageHash(dev.origin, '/blog/posts/markdown-tour/');
    const added = path.join(root, 'content/posts/fresh-news.md');
    await writeFile(added, '---\ntitle: Fresh News\ndate: 2024-04-01\n---\nJust in.\n');
    await until(`${dev.url}posts/fresh-news/`, (status, body) => status === 200 && body.includes('Just in.'));
    await until(dev.url, (_, body) => body.includes('Fresh News'));
    expect(await pageHash(dev.origin, '/blog/posts/markdown-tour/')).toBe(quiet);
    await rm(added);
    await until(`${dev.url}posts/fresh-news/`, (status) => status === 404);
    expect(await pageHash(dev.origin, '/blog/posts/fresh-news/')).toBe('');

    // Add a comment, then delete it.
    const comment = path.join(root, 'content/comments/quiet-post/q1.md');
    await writeText(comment, '---\nauthor: Quentin\ndate: 2024-03-06T10:00:00Z\n---\nNot so quiet now.\n');
    await until(`${dev.url}posts/quiet-post/`, (_, body) => body.includes('Not so quiet now.'));
    await rm(comment);
    await until(`${dev.url}posts/quiet-post/`, (_, body) => !body.includes('Not so quiet now.'));

    // Edit the config.
    const configFile = path.join(root, 'broadsheet.config.json');
    const config = JSON.parse(await readFile(configFile, 'utf8'));
    config.site.title = 'The Dev Gazette';
    await writeFile(configFile, JSON.stringify(config));
    await until(dev.url, (_, body) => body.includes('<title>The Dev Gazette</title>'));
  });

  it("serves a post folder's files and rebuilds when one is added, changed or removed", async () => {
    const root = await copyShellSite();
    const folder = path.join(root, 'content/posts/2024-05-03-tide-pools');
    const dev = await startDev(root);
    const post = `${dev.url}posts/tide-pools/`;
    const png = await fetch(`${post}tide.png`);
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await png.arrayBuffer())).toEqual(await readFile(path.join(folder, 'tide.png')));
    // A changed image: its new size is in the page.
    await writeFile(
      path.join(folder, 'sketches/star.svg'),
      '<svg xmlns="http://www.w3.org/2000/svg" width="48" height="40"></svg>\n',
    );
    await until(post, (_, body) => body.includes('alt="a starfish" title="Starfish" width="48" height="40"'));
    // A removed one: the error is shown at the reference, the last good page stays served.
    const log = await listen(dev.origin);
    await rm(path.join(folder, 'sketches/crab.png'));
    // (A build still running from the edit above may find the file gone as it copies it: write-failed.)
    type State = { ok: boolean; problems: { file: string; line: number; column: number; code: string }[] };
    const failed = (await log.next((state) =>
      (state as State).problems?.some((problem) => problem.code === 'missing-asset'),
    )) as State;
    expect(failed.problems).toMatchObject([
      { file: 'content/posts/2024-05-03-tide-pools/index.md', line: 10, column: 21, code: 'missing-asset' },
    ]);
    // (The preview serves copied files from where they are now: the removed one is gone.)
    expect(await until(post, (status) => status === 200)).toContain(`src="${post}sketches/crab.png"`);
    log.close();
    // Added back under another name, with the post pointing at it: served again.
    await writeFile(path.join(folder, 'crab.png'), await readFile(path.join(folder, 'tide.png')));
    const index = path.join(folder, 'index.md');
    await writeFile(index, (await readFile(index, 'utf8')).replace('sketches/crab.png', 'crab.png'));
    await until(`${post}crab.png`, (status) => status === 200);
    await until(post, (_, body) =>
      body.includes(`src="${post}crab.png" alt="A crab, sketched" width="16" height="10"`),
    );
  });

  it('shows a broken edit’s diagnostics to open pages, keeps the last good build served, and recovers', async () => {
    const root = await copyGoldenSite();
    const dev = await startDev(root);
    const log = await listen(dev.origin);
    await log.next((state) => (state as { ok: boolean }).ok);
    const hello = path.join(root, HELLO);
    const text = await readFile(hello, 'utf8');
    await writeFile(
      hello,
      text
        .replace('title: Hello, World & Friends', 'title: Broken')
        .replace('tags: [News, Meta]', 'tags: [News, Meta'),
    );
    // A busy machine may build between writeFile's truncation and its write: wait for the written text.
    const failed = (await log.next(
      (state) => !(state as { ok: boolean }).ok && JSON.stringify(state).includes('"invalid-yaml"'),
    )) as {
      problems: {
        file: string;
        line: number;
        column: number;
        code: string;
        source: { line: number; text: string }[];
      }[];
    };
    const problem = failed.problems.find((p) => p.file === HELLO)!;
    expect(problem).toMatchObject({ line: 4, column: 18, code: 'invalid-yaml' });
    expect(problem.source).toContainEqual({ line: 4, text: 'tags: [News, Meta' });
    // The previous build is still served, and the server did not go down.
    const page = await until(`${dev.url}posts/hello-world/`, (status) => status === 200);
    expect(page).toContain('<h1>Hello, World &amp; Friends</h1>');
    expect(dev.stderr()).toMatch(/2024-01-10-hello-world\.md:4:18: error invalid-yaml: /);
    expect(dev.stderr()).toContain('the last good build is still served');

    const from = log.events.length;
    await writeFile(hello, text.replace('title: Hello, World & Friends', 'title: Fixed'));
    await log.next((state) => (state as { ok: boolean }).ok, from);
    await until(`${dev.url}posts/hello-world/`, (_, body) => body.includes('<h1>Fixed</h1>'));
    log.close();
  });

  it('never lets the preview reach out: a build after dev has no draft, no script and no local link', async () => {
    const root = await copyGoldenSite();
    const dev = await startDev(root);
    await until(`${dev.url}posts/draft-idea/`, (status) => status === 200);
    const build = await cli(['build', '--root', root], { cwd: root });
    expect(build.code, build.stderr).toBe(0);
    const files = await listFiles(path.join(root, 'public'));
    expect(files).not.toContain('posts/draft-idea/index.html');
    expect(files).not.toContain('posts/from-the-future/index.html');
    for (const file of files) {
      const text = await readFile(path.join(root, 'public', file), 'utf8');
      expect(text, file).not.toMatch(/__broadsheet|127\.0\.0\.1|<mark>/);
    }
  });

  it('exits with code 2 when the port is taken', async () => {
    const root = await copyGoldenSite();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      const result = await cli(['dev', '--root', root, '--port', String(port)], { cwd: root });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`cannot listen on 127.0.0.1:${port}`);
    } finally {
      blocker.close();
    }
  });
});
