import { setFlagsFromString } from 'node:v8';
import { cacheFolder } from '../cache/location';
import { renderCacheExists } from '../render/render-cache';

/** V8's old generation grows by this percentage between full collections in a cold CLI build. */
const COLD_HEAP_GROWING_PERCENT = 30;

/**
 * The largest semi-space of the young generation, in MB, of each thread a cold build starts (the
 * render workers, the file writer). V8's default is 16 MB, and a thread keeps two of them.
 */
const COLD_SEMI_SPACE_MB = 4;

/**
 * Tunes V8 for a `build` or `check` that will render every document: with `--no-cache`, or when
 * the site has no render cache yet. By default V8 lets the old generation grow to several times its
 * live size between full collections; rendering thousands of documents allocates fast, so a cold
 * build's heap held several times what it used. A fixed 30% keeps the peak near the live size for
 * a few more (mostly concurrent) collections, and the young generation of each thread stays at
 * most 4 MB semi-spaces instead of growing to 16 MB. A warm build keeps V8's own factor: its allocations
 * mostly survive, and the fixed factor made it slower. Only the CLI does this, since it owns its
 * process (the library runs in the user's); a `--heap-growing-percent` given to node wins.
 * docs/decisions/performance.md has the figures.
 */
export async function tuneHeapForRendering(root: string, cache: boolean): Promise<void> {
  if (process.execArgv.some((flag) => flag.startsWith('--heap-growing-percent'))) return;
  if (cache && (await renderCacheExists(await cacheFolder(root)))) return;
  setFlagsFromString(`--heap-growing-percent=${COLD_HEAP_GROWING_PERCENT}`);
  // A running isolate keeps the semi-space limit it started with, but reads the growth factor at
  // each growth: the main thread's young generation (4 MB semi-spaces after the CLI's imports) stops
  // growing, and threads started later keep the size they start with, never over the limit.
  setFlagsFromString(`--max-semi-space-size=${COLD_SEMI_SPACE_MB}`);
  setFlagsFromString('--semi-space-growth-factor=1');
}
