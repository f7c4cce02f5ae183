// Where the render worker's code is, kept apart from the pool (render-pool.ts): a warm build asks
// whether threads start quickly before it knows it needs one, and loads the pool's code only then.
import path from 'node:path';
import { moduleFile } from '../../common/module-file';

/**
 * Where the worker's code is. In the built package every entry (dist/index.js, dist/index.cjs,
 * dist/cli.js) and chunk sits beside dist/render-worker.js; from source (vitest) this module is
 * src/render/workers/worker-entry.ts and the worker is the TypeScript file beside it, run through jiti.
 */
export function workerEntry(): { file: string; fromSource: boolean } {
  const here = moduleFile(import.meta.url);
  const folder = path.dirname(here);
  if (here.endsWith('.ts')) return { file: path.join(folder, 'render-worker.ts'), fromSource: true };
  return { file: path.join(folder, 'render-worker.js'), fromSource: false };
}

/**
 * Whether threads start from the built package (dist/render-worker.js: a fraction of a second, most
 * of it loading the unified stack) rather than from source through jiti (seconds: under vitest).
 * A warm build starts a thread on its own only in the first case (src/render/render-session.ts).
 */
export function threadsStartQuickly(): boolean {
  return !workerEntry().fromSource;
}
