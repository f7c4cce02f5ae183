import type { PostAssets } from '../rehype-assets';
import type { RenderResult } from '../render-markdown';

/**
 * One document to render: the trust level, the page URL its links resolve against, the markdown,
 * and for a post its own files (facts only, read by the load stage: a worker reads no file).
 */
export interface RenderJob {
  trust: 'post' | 'comment';
  url: string;
  /** The file the markdown is from, for a diagnostic about its render. */
  file?: string;
  markdown: string;
  assets?: PostAssets;
}

/** What a render worker is started with: it loads the site's config itself (plugins are functions). */
export interface RenderWorkerData {
  root: string;
  configFile?: string;
  /**
   * Whether the site's config has markdown plugins: only then does the worker load the config (the
   * plugins are functions, which cannot be sent); without, it renders with none.
   */
  plugins: boolean;
  /**
   * Where the worker is, in shared memory ({@link PROGRESS_SLOTS} slots): when it started the
   * document it is rendering (milliseconds since `epoch`, plus one; 0 between documents), that
   * document's batch and its place in the batch, and how many batches it has answered. The pool
   * reads it to enforce the time budget, and to keep the thread busy while its own event loop is
   * blocked by synchronous work.
   */
  progress: Int32Array;
  /** The pool's `Date.now()` when it started, the zero of `progress`. */
  epoch: number;
}

/** The slots of {@link RenderWorkerData.progress}: started at, batch, offset, batches answered. */
export const PROGRESS_SLOTS = 4;

/** The slot of {@link RenderWorkerData.progress} that counts the batches a worker has answered. */
export const DONE_SLOT = 3;

/** Messages from the main thread to a render worker. */
export type ToRenderWorker = { type: 'render'; batch: number; jobs: RenderJob[] };

/** Messages from a render worker to the main thread. */
export type FromRenderWorker =
  /** `identity`: of the markdown config the worker loaded; none when it loaded none (no plugins). */
  | { type: 'ready'; identity: string | undefined }
  | { type: 'failed'; reason: string }
  | { type: 'done'; batch: number; results: RenderResult[] }
  | { type: 'error'; batch: number; message: string; stack?: string };
