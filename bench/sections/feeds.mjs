// feedFiles on a loaded site: every feed of every kind in all three formats, no I/O.

/** @type {import('./types').Section} */
export default {
  name: 'feeds',
  description:
    'feedFiles on the loaded site (site, tag, comment and post-comment feeds; RSS, Atom, JSON Feed)',
  async run({ root, library }) {
    const result = await library.loadSite({ root, now: new Date('2100-01-01T00:00:00Z') });
    if (!result.ok) throw new Error('the generated site does not load');
    const started = performance.now();
    const files = library.feedFiles(result.site);
    const seconds = (performance.now() - started) / 1000;
    return { items: files.length, unit: 'feed files', seconds };
  },
};
