// Where rendering on worker threads pays off: loadSite without the cache on sites of growing size,
// in the main thread alone (workers: 0), on one thread and on two threads (workers: 1 and 2, forced:
// the main thread only waits), start-up included (each thread loads the bundle and the config).
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { generateSite } from '../generate.mjs';

const SIZES = [10, 25, 50, 100, 200];

/** @type {import('./types').Section} */
export default {
  name: 'threshold',
  description: 'loadSite without cache, main thread vs 1 and 2 worker threads, by site size',
  async run({ root, library }) {
    const now = new Date('2100-01-01T00:00:00Z');
    const rows = [];
    let seconds = 0;
    let items = 0;
    for (const posts of SIZES) {
      const folder = path.join(path.dirname(root), `threshold-${posts}`);
      const site = await generateSite(folder, posts);
      const time = async (workers) => {
        const started = performance.now();
        const result = await library.loadSite({ root: folder, now, cache: false, workers });
        if (!result.ok) throw new Error('the threshold site does not load');
        return (performance.now() - started) / 1000;
      };
      await time(0); // warm up the modules
      const main = await time(0);
      const oneThread = await time(1);
      const threads = await time(2);
      rows.push({ posts, documents: site.posts + site.comments, main, oneThread, threads });
      seconds += main + oneThread + threads;
      items += site.posts + site.comments;
      await rm(folder, { recursive: true, force: true });
    }
    return { items, unit: 'documents', seconds, details: rows };
  },
};
