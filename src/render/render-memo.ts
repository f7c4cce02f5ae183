import { assetsIdentity } from './assets-identity';
import type { RenderResult } from './render-markdown';
import type { RenderJob } from './workers/protocol';

/**
 * The renders of one load kept in memory for the next (a watch loop's, see `LoadedFileStore`): a
 * document is its trust level, page URL and markdown, as the persistent render cache keys it; the
 * config and plugins, the rest of that key, are the same for every load of one memo (its owner
 * starts a new one when they change). Holds exactly the documents of the last load: a post that was
 * edited or deleted lets go of its old render.
 *
 * @example
 * ```ts
 * const memo = new RenderMemo();
 * await renderDocuments(jobs, { ...stage, memo }); // renders every document
 * await renderDocuments(jobs, { ...stage, memo }); // renders none
 * ```
 */
export class RenderMemo {
  /** By trust level and URL (a post and its comments share a URL), then by markdown. */
  private entries = new Map<string, Map<string, RenderResult>>();

  /** The kept render of a document with this trust level, URL and markdown, if any. */
  lookup(job: RenderJob): RenderResult | undefined {
    return this.entries.get(entryKey(job))?.get(job.markdown);
  }

  /**
   * Keeps exactly these documents' renders (`results[i]` of `jobs[i]`) that `keeps` accepts (all by
   * default), for the next load.
   */
  keep(
    jobs: readonly RenderJob[],
    results: readonly RenderResult[],
    keeps: (result: RenderResult) => boolean = () => true,
  ): void {
    const entries = new Map<string, Map<string, RenderResult>>();
    for (const [index, job] of jobs.entries()) {
      if (!keeps(results[index]!)) continue;
      const key = entryKey(job);
      let byMarkdown = entries.get(key);
      if (!byMarkdown) {
        byMarkdown = new Map();
        entries.set(key, byMarkdown);
      }
      byMarkdown.set(job.markdown, results[index]!);
    }
    this.entries = entries;
  }
}

function entryKey(job: RenderJob): string {
  // A post's files are part of its render (image sizes, missing references), as in the cache's key.
  return `${job.trust} ${job.url} ${assetsIdentity(job.assets)}`;
}
