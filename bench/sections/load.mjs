// loadSite on the whole generated root: find, read, parse, validate, resolve and render every file.

/** @type {import('./types').Section} */
export default {
  name: 'load',
  description:
    'loadSite on the generated root, no cache (read, parse, validate, resolve, render on worker threads)',
  async run({ root, library, site }) {
    const started = performance.now();
    const result = await library.loadSite({ root, now: new Date('2100-01-01T00:00:00Z'), cache: false });
    const seconds = (performance.now() - started) / 1000;
    if (!result.ok)
      throw new Error(`the generated site does not load: ${JSON.stringify(result.diagnostics.slice(0, 3))}`);
    const files = site.posts + site.comments + 1;
    return { items: files, unit: 'files', seconds };
  },
};
