import type { RenderResult } from '../render-markdown';

/** One document to render: the trust level, the page URL its links resolve against, the markdown. */
export interface RenderJob {
  trust: 'post' | 'comment';
  url: string;
  markdown: string;
}

/** What a render worker is started with: it loads the site's config itself (plugins are functions). */
export interface RenderWorkerData {
  root: string;
  configFile?: string;
}

/** Messages from the main thread to a render worker. */
export type ToRenderWorker = { type: 'render'; batch: number; jobs: RenderJob[] };

/** Messages from a render worker to the main thread. */
export type FromRenderWorker =
  | { type: 'ready'; identity: string }
  | { type: 'failed'; reason: string }
  | { type: 'done'; batch: number; results: RenderResult[] }
  | { type: 'error'; batch: number; message: string; stack?: string };
