import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type RenderJob, renderDocuments, THREAD_DOCUMENT_CHARACTERS } from '../../src/render/render-stage';
import { cli, hashTree, writeText } from '../build/helpers';
import { stallSite, stallStage } from './stall-site';

const post = (title: string, body: string) => `---\ntitle: ${title}\ndate: 2024-01-02\n---\n\n${body}\n`;

describe('the render time budget', () => {
  it('stops a thread past the budget, reports the document and renders the rest on a new thread', async () => {
    const stage = await stallStage();
    const url = 'https://budget.example/posts/p/';
    const jobs: RenderJob[] = Array.from({ length: 40 }, (_, index) => ({
      trust: index % 5 === 4 ? 'comment' : 'post',
      url,
      markdown: `Document *${index}*.`,
      file: `content/posts/p${index}.md`,
    }));
    jobs[1] = { ...jobs[1]!, markdown: 'A STALL.' };
    jobs[30] = { ...jobs[30]!, markdown: 'Another STALL.' };
    const { results, errors } = await renderDocuments(jobs, { ...stage, cache: false, workers: 1 });
    expect(
      errors.map((error) => `${error.file}:${error.line}:${error.column} ${error.code}: ${error.message}`),
    ).toMatchInlineSnapshot(`
        [
          "content/posts/p1.md:1:1 render-timeout: rendering this post took longer than its time budget of 1000 ms (markdown.renderTimeoutMs) and was stopped: simplify the markdown (or the site's plugins)",
          "content/posts/p30.md:1:1 render-timeout: rendering this post took longer than its time budget of 1000 ms (markdown.renderTimeoutMs) and was stopped: simplify the markdown (or the site's plugins)",
        ]
      `);
    // Every other document was rendered (by the threads that replaced the stopped ones).
    results.forEach((result, index) => {
      if (index === 1 || index === 30) expect(result.html).toBe('');
      else expect(result.html).toBe(`<p>Document <em>${index}</em>.</p>`);
    });
  }, 120_000);

  it('fails the build (exit 1) and leaves the previous output as it was, on a small site too', async () => {
    const root = await stallSite();
    await writeText(path.join(root, 'content/posts/fine.md'), post('Fine', 'Fine *words*.'));
    const first = await cli(['build', '--no-cache'], { cwd: root });
    expect(first.code).toBe(0);
    const before = await hashTree(path.join(root, 'public'));
    // A small site renders in the main thread, but a long document goes to a thread, where the
    // budget holds: in the main thread this one would never finish.
    const long = `${'Words and more words. '.repeat(Math.ceil(THREAD_DOCUMENT_CHARACTERS / 22))}STALL`;
    await writeText(path.join(root, 'content/posts/long.md'), post('Long', long));
    await writeText(path.join(root, 'content/posts/after.md'), post('After', 'After.'));
    const { code, stderr } = await cli(['build', '--no-cache'], { cwd: root });
    expect(code).toBe(1);
    expect(stderr).toMatchInlineSnapshot(`
      "content/posts/long.md:1:1: error render-timeout: rendering this post took longer than its time budget of 1000 ms (markdown.renderTimeoutMs) and was stopped: simplify the markdown (or the site's plugins)
      build failed: 1 error and 0 warnings in 1 file; nothing was written, the previous output is as it was
      "
    `);
    expect(await hashTree(path.join(root, 'public'))).toEqual(before);
  }, 120_000);

  it('renders a post that only raised limits let through on a thread, where the budget holds', async () => {
    const root = await stallSite();
    const configFile = path.join(root, 'broadsheet.config.ts');
    const text = await readFile(configFile, 'utf8');
    await writeText(
      configFile,
      text.replace('renderTimeoutMs: 1000', 'renderTimeoutMs: 1000, limits: { containers: 5000 }'),
    );
    // 1,000 list items (over the default 700) in far fewer than THREAD_DOCUMENT_CHARACTERS: on a
    // small site it would render in the main thread, where this one would never finish.
    await writeText(
      path.join(root, 'content/posts/list.md'),
      post('List', `${'- item\n'.repeat(1000)}\nSTALL`),
    );
    const { code, stderr } = await cli(['build', '--no-cache'], { cwd: root });
    expect(code).toBe(1);
    expect(stderr).toContain('content/posts/list.md:1:1: error render-timeout');
  }, 120_000);
});
