// `node bench/file-count.mjs [N]`: how many files a build writes for a site of N generated posts
// (default 5000), for each setting of `feeds.postComments`; rewrites its part of docs/benchmarks.md.
// Free static hosts cap the files of a site (20,000 is a common limit), so the count is on record.
// Builds the default setting for real and counts the files in its output; the other settings are
// counted from the paths of `siteFiles` (the files a build writes).
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateSite } from './generate.mjs';

export const FILE_COUNT_START = '<!-- file-count: written by `node bench/file-count.mjs` -->';
export const FILE_COUNT_END = '<!-- /file-count -->';

const repositoryRoot = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const documentPath = path.join(repositoryRoot, 'docs/benchmarks.md');
const NOW = new Date('2100-01-01T00:00:00Z');

async function countFiles(dir) {
  let count = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name !== '.broadsheet-build') count++;
  }
  return count;
}

async function main() {
  const posts = Number(process.argv[2] ?? 5000);
  const library = await import(pathToFileURL(path.join(repositoryRoot, 'dist/index.js')).href);
  const folder = await mkdtemp(path.join(process.env.BENCH_DIR ?? os.tmpdir(), 'broadsheet-files-'));
  try {
    const root = path.join(folder, 'site');
    const site = await generateSite(root, posts);
    const out = path.join(folder, 'out');
    const built = await library.buildSite({ root, out, now: NOW });
    if (!built.ok) throw new Error('the generated site does not build');
    const written = await countFiles(out);
    const loaded = await library.loadSite({ root, now: NOW });
    if (!loaded.ok) throw new Error('the generated site does not load');
    const rows = [];
    for (const postComments of [['atom'], [], ['rss', 'atom', 'json']]) {
      const config = { ...loaded.site.config, feeds: { ...loaded.site.config.feeds, postComments } };
      const paths = library.siteFiles({ ...loaded.site, config }).map((file) => file.path);
      const files = paths.length;
      const perPost = paths.filter((file) => /^posts\/[^/]+\/comments\//.test(file)).length;
      rows.push({ postComments, files, perPost });
    }
    const format = (value) => value.toLocaleString('en-US');
    const part = [
      FILE_COUNT_START,
      '## Files written',
      '',
      '```sh',
      `node bench/file-count.mjs ${posts}`,
      '```',
      '',
      `The generated site (bench/generate.mjs) with ${format(site.posts)} posts, ${format(site.comments)} comments and 8 tags.`,
      `A build with the default settings wrote ${format(written)} files (counted in its output).`,
      'The other rows count the paths of `siteFiles`, the files a build writes.',
      '',
      '| `feeds.postComments` | files | of them per-post comment feeds |',
      '|---|---:|---:|',
      ...rows.map(
        (row) =>
          `| \`${JSON.stringify(row.postComments)}\`${row.postComments.length === 1 ? ' (default)' : ''} | ${format(row.files)} | ${format(row.perPost)} |`,
      ),
      FILE_COUNT_END,
    ].join('\n');
    const previous = await readFile(documentPath, 'utf8').catch(() => '');
    const start = previous.indexOf(FILE_COUNT_START);
    const end = previous.indexOf(FILE_COUNT_END);
    let document;
    if (start !== -1 && end !== -1) {
      document = previous.slice(0, start) + part + previous.slice(end + FILE_COUNT_END.length);
    } else {
      const scale = previous.indexOf('<!-- scale:');
      document =
        scale === -1
          ? `${previous.trimEnd()}\n\n${part}\n`
          : `${previous.slice(0, scale)}${part}\n\n${previous.slice(scale)}`;
    }
    await writeFile(documentPath, document);
    console.log(part);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
