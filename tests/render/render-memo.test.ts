import { describe, expect, it } from 'vitest';
import { RenderMemo } from '../../src/render/render-memo';
import { type RenderJob, renderDocuments } from '../../src/render/render-stage';
import { stallStage } from './stall-site';

describe('RenderMemo', () => {
  it("keeps a post's render for the same files only: an image's new size or a new file is another render", () => {
    const memo = new RenderMemo();
    const url = 'https://memo.example/posts/p/';
    const assets = { siteUrl: 'https://memo.example/', files: { 'a.png': { width: 4, height: 3 } } };
    const job: RenderJob = { trust: 'post', url, markdown: '![a](a.png)', assets };
    const result = { html: '<p><img></p>', summary: '', headings: [], wordCount: 0, readingTime: 1 };
    memo.keep([job], [result]);
    expect(memo.lookup({ ...job, assets: { ...assets, files: { 'a.png': { width: 4, height: 3 } } } })).toBe(
      result,
    );
    expect(
      memo.lookup({ ...job, assets: { ...assets, files: { 'a.png': { width: 8, height: 3 } } } }),
    ).toBeUndefined();
    expect(memo.lookup({ ...job, assets: { ...assets, files: {} } })).toBeUndefined();
  });

  it('gives back the renders of the last call (a post and its comments share a URL) and renders only new markdown', async () => {
    const url = 'https://budget.example/posts/p/';
    const jobs: RenderJob[] = [
      { trust: 'post', url, markdown: 'The *post*.' },
      { trust: 'comment', url, markdown: 'First.' },
      { trust: 'comment', url, markdown: 'Second.' },
    ];
    const memo = new RenderMemo();
    const stage = { ...(await stallStage()), cache: false, memo };
    const first = await renderDocuments(jobs, stage);
    const again = await renderDocuments(jobs, stage);
    expect(again.results).toEqual(first.results);
    for (const [index, result] of again.results.entries()) expect(result).toBe(first.results[index]);
    const edited = await renderDocuments([jobs[0]!, { ...jobs[1]!, markdown: 'First, edited.' }], stage);
    expect(edited.results[0]).toBe(first.results[0]);
    expect(edited.results[1]!.html).toBe('<p>First, edited.</p>');
    // Only the last call's documents are kept.
    expect(memo.lookup(jobs[2]!)).toBeUndefined();
  });

  it('does not keep a document stopped at its time budget: the next call reports it again', async () => {
    const jobs: RenderJob[] = [
      {
        trust: 'post',
        url: 'https://budget.example/posts/a/',
        markdown: 'Fine.',
        file: 'content/posts/a.md',
      },
      {
        trust: 'post',
        url: 'https://budget.example/posts/b/',
        markdown: 'A STALL.',
        file: 'content/posts/b.md',
      },
    ];
    const memo = new RenderMemo();
    const stage = { ...(await stallStage()), cache: false, workers: 1, memo };
    for (let call = 0; call < 2; call++) {
      const { results, errors } = await renderDocuments(jobs, stage);
      expect(errors.map((error) => `${error.file} ${error.code}`)).toEqual([
        'content/posts/b.md render-timeout',
      ]);
      expect(results[0]!.html).toBe('<p>Fine.</p>');
    }
  }, 120_000);
});
