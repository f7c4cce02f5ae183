import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, copyGoldenSite } from '../build/helpers';
import { elementsOf, parseHtml } from '../render/safety';

async function buildWithEndpoint(endpoint: string | undefined): Promise<string> {
  const root = await copyGoldenSite();
  const configFile = path.join(root, 'broadsheet.config.json');
  const config = JSON.parse(await readFile(configFile, 'utf8'));
  if (endpoint !== undefined) config.comments = { endpoint, maxLength: 2000 };
  await writeFile(configFile, JSON.stringify(config));
  const build = await cli(['build'], { cwd: root });
  expect(build.code, build.stderr).toBe(0);
  return root;
}

const page = (root: string, slug: string) =>
  readFile(path.join(root, `public/posts/${slug}/index.html`), 'utf8');

describe('the comment form on post pages', () => {
  it('posts to comments.endpoint with labelled fields, a honeypot and a Reply per approved comment', async () => {
    const root = await buildWithEndpoint('/comments');
    const html = await page(root, 'hello-world');
    const elements = elementsOf(parseHtml(html));
    const forms = elements.filter((element) => element.tagName === 'form');
    const approved = elements.filter(
      (element) => element.tagName === 'li' && String(element.properties.id).startsWith('comment-'),
    );
    expect(approved.length).toBeGreaterThan(1);
    // One form for the post, one reply form per approved comment.
    expect(forms).toHaveLength(approved.length + 1);
    for (const form of forms) {
      expect(form.properties).toMatchObject({ method: 'post', action: '/comments' });
    }
    const inputs = elements.filter(
      (element) => element.tagName === 'input' || element.tagName === 'textarea',
    );
    const ids = inputs.map((input) => input.properties.id).filter(Boolean);
    expect(new Set(ids).size).toBe(ids.length);
    const labelled = new Set(
      elements
        .filter((element) => element.tagName === 'label')
        .flatMap((label) => [label.properties.htmlFor].flat()),
    );
    for (const id of ids) expect(labelled.has(id)).toBe(true);
    const parents = inputs
      .filter((input) => input.properties.name === 'parent')
      .map((input) => input.properties.value);
    expect(parents.sort()).toEqual(
      approved.map((li) => String(li.properties.id).slice('comment-'.length)).sort(),
    );
    expect(html).toContain('<p id="comment-pending" class="comment-notice" role="status" hidden>');
    expect(html).toContain('#comment-pending:target{display:block');
    expect(html).toContain('<textarea id="comment-body" name="body" required rows="6" maxlength="2000">');
    // No script runs: the only script element is JSON-LD data.
    expect(html).not.toMatch(/<script(?![^>]*application\/ld\+json)/);

    const closed = await page(root, 'markdown-tour');
    expect(closed).toContain('<p>Comments are closed.</p>');
    expect(closed).not.toContain('<form');
    const site = JSON.parse(await readFile(path.join(root, 'public/api/site.json'), 'utf8'));
    expect(site.comments).toEqual({ endpoint: 'https://gazette.example/comments', maxLength: 2000 });
    const post = JSON.parse(await readFile(path.join(root, 'public/api/posts/markdown-tour.json'), 'utf8'));
    expect(post.commentsOpen).toBe(false);
  });

  it('shows no form without an endpoint', async () => {
    const root = await buildWithEndpoint(undefined);
    expect(await page(root, 'hello-world')).not.toContain('<form');
    const site = JSON.parse(await readFile(path.join(root, 'public/api/site.json'), 'utf8'));
    expect(site.comments.endpoint).toBeNull();
  });
});
