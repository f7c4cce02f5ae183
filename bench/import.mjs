// `npm run bench:import`: generates WordPress exports (WXR 1.2) of 10 MB and of BENCH_IMPORT_MB (default
// 50) MB, imports each into an empty site root with `broadsheet import wordpress` (its own process,
// wall clock and peak RSS from GNU time), imports it again (nothing to do), and rewrites the import
// section of docs/benchmarks.md. Memory bounded by the largest item shows as a peak RSS that does not
// grow with the export's size. BENCH_DIR (default the system's temporary folder) is where it works.
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { timed } from './compare.mjs';

const repositoryRoot = fileURLToPath(new URL('../', import.meta.url));
const cli = path.join(repositoryRoot, 'dist/cli.js');
const START = '<!-- import: written by `npm run bench:import` -->';
const END = '<!-- /import -->';
const STATUSES = ['1', '1', '0', 'spam', 'trash'];

/** A post body of about 4 KB, in the block editor's markup, with the elements imports convert. */
function postHtml(index) {
  const paragraph = (n) =>
    `<!-- wp:paragraph -->\n<p>Paragraph ${n} of post ${index}: some <strong>bold</strong> and <em>emphasised</em> words, <a href="https://example.org/${index}/${n}">a link</a>, and <code>inline code</code>. ${'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(4)}</p>\n<!-- /wp:paragraph -->`;
  return [
    paragraph(1),
    '<!--more-->',
    `<!-- wp:heading -->\n<h2 class="wp-block-heading">Section of post ${index}</h2>\n<!-- /wp:heading -->`,
    paragraph(2),
    '<!-- wp:list -->\n<ul><li>First point</li><li>Second point with <a href="/x/">a link</a></li><li>Third point</li></ul>\n<!-- /wp:list -->',
    `[caption id="attachment_${index}" align="aligncenter" width="300"]<img src="https://old.example/wp-content/uploads/${index}.jpg" alt="Image ${index}" width="300" height="200" /> Caption ${index}[/caption]`,
    '<!-- wp:code -->\n<pre class="wp-block-code"><code>const answer = 42;\nconsole.log(answer);</code></pre>\n<!-- /wp:code -->',
    '<!-- wp:table -->\n<figure class="wp-block-table"><table><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table></figure>\n<!-- /wp:table -->',
    '<!-- wp:quote -->\n<blockquote class="wp-block-quote"><p>A quotation.</p></blockquote>\n<!-- /wp:quote -->',
    paragraph(3),
  ].join('\n\n');
}

function gmt(date) {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

function item(index) {
  const date = new Date(Date.UTC(2008, 0, 1) + index * 7 * 3600_000);
  const comments = [0, 1, 2, 3]
    .map((n) => {
      const id = index * 10 + n;
      const parent = n === 1 || n === 3 ? id - 1 : 0;
      return `<wp:comment><wp:comment_id>${id}</wp:comment_id><wp:comment_author><![CDATA[Reader ${n}]]></wp:comment_author><wp:comment_author_email><![CDATA[reader${n}@example.com]]></wp:comment_author_email><wp:comment_author_url>https://reader${n}.example/</wp:comment_author_url><wp:comment_date_gmt><![CDATA[${gmt(new Date(date.getTime() + (n + 1) * 3600_000))}]]></wp:comment_date_gmt><wp:comment_content><![CDATA[Comment ${n} on post ${index}.\nA second line.\n\nA second paragraph with <em>emphasis</em>.]]></wp:comment_content><wp:comment_approved><![CDATA[${STATUSES[(index + n) % STATUSES.length]}]]></wp:comment_approved><wp:comment_type><![CDATA[comment]]></wp:comment_type><wp:comment_parent>${parent}</wp:comment_parent></wp:comment>`;
    })
    .join('\n');
  return `<item><title><![CDATA[Post number ${index}]]></title><link>https://old.example/${date.getUTCFullYear()}/post-${index}/</link><pubDate>${date.toUTCString()}</pubDate><dc:creator><![CDATA[author${index % 3}]]></dc:creator><guid isPermaLink="false">https://old.example/?p=${index}</guid><content:encoded><![CDATA[${postHtml(index)}]]></content:encoded><excerpt:encoded><![CDATA[]]></excerpt:encoded><wp:post_id>${index}</wp:post_id><wp:post_date_gmt><![CDATA[${gmt(date)}]]></wp:post_date_gmt><wp:post_name><![CDATA[post-${index}]]></wp:post_name><wp:status><![CDATA[${index % 20 === 0 ? 'draft' : 'publish'}]]></wp:status><wp:post_type><![CDATA[post]]></wp:post_type><category domain="category" nicename="c${index % 8}"><![CDATA[Category ${index % 8}]]></category><category domain="post_tag" nicename="t${index % 13}"><![CDATA[Tag ${index % 13}]]></category>\n${comments}\n</item>\n`;
}

/** Writes a WXR file of about `megabytes` MB; returns its post count. */
async function generateWxr(file, megabytes) {
  const out = createWriteStream(file);
  const write = (text) =>
    out.write(text) ? Promise.resolve() : new Promise((resolve) => out.once('drain', resolve));
  await write(
    '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">\n<channel><title>Bench</title><link>https://old.example</link><wp:wxr_version>1.2</wp:wxr_version>\n',
  );
  for (let n = 0; n < 3; n += 1)
    await write(
      `<wp:author><wp:author_login><![CDATA[author${n}]]></wp:author_login><wp:author_display_name><![CDATA[Author ${n}]]></wp:author_display_name></wp:author>\n`,
    );
  let bytes = 0;
  let posts = 0;
  while (bytes < megabytes * 1024 * 1024) {
    const text = item(posts);
    bytes += Buffer.byteLength(text);
    posts += 1;
    await write(text);
  }
  await write('</channel>\n</rss>\n');
  await new Promise((resolve) => out.end(resolve));
  return posts;
}

async function measure(work, megabytes) {
  const file = path.join(work, `export-${megabytes}.xml`);
  const posts = await generateWxr(file, megabytes);
  const size = (await stat(file)).size;
  const root = path.join(work, `site-${megabytes}`);
  await mkdir(root, { recursive: true });
  await writeFile(
    path.join(root, 'broadsheet.config.json'),
    JSON.stringify({ site: { title: 'Bench', url: 'https://new.example/' } }),
  );
  const args = [cli, 'import', 'wordpress', file, '--root', root];
  const first = await timed(process.execPath, args, { scratch: work });
  const again = await timed(process.execPath, args, { scratch: work });
  console.log(
    `${megabytes} MB (${posts} posts): import ${first.seconds.toFixed(2)} s, again ${again.seconds.toFixed(2)} s`,
  );
  return { megabytes: size / 1024 / 1024, posts, first, again };
}

const mb = (bytes) => (bytes === undefined ? 'n/a' : `${Math.round(bytes / 1024 / 1024)} MB`);

async function main() {
  const target = Number(process.env.BENCH_IMPORT_MB ?? 50);
  const base = process.env.BENCH_DIR ?? os.tmpdir();
  const work = await mkdtemp(path.join(base, 'broadsheet-bench-import-'));
  const loadAverage = os.loadavg()[0];
  try {
    const rows = [];
    for (const megabytes of [10, target]) rows.push(await measure(work, megabytes));
    const cpus = os.cpus();
    const section = [
      START,
      '## Import',
      '',
      '```sh',
      `${process.env.BENCH_DIR ? `BENCH_DIR=${process.env.BENCH_DIR} ` : ''}npm run bench:import`,
      '```',
      '',
      'bench/import.mjs generates WordPress exports (WXR 1.2, block-editor markup with a caption, a table, code,',
      'a list and a quote in each post; four threaded comments per post in all four statuses; one post in',
      'twenty a draft), then runs `node dist/cli.js import wordpress` into an empty site root (one process',
      'each, wall clock, peak RSS from GNU time) and the same import again (nothing to write).',
      '',
      `- Machine: ${cpus[0]?.model.trim() ?? 'unknown'}, ${cpus.length} cores, ${Math.round(os.totalmem() / 1024 ** 3)} GB, Node.js ${process.version}; shared with other work (load average ${loadAverage.toFixed(2)} when the run started)`,
      '',
      '| export | posts | comments | import | peak RSS | again (nothing to do) | peak RSS |',
      '|---|---:|---:|---:|---:|---:|---:|',
      ...rows.map(
        (row) =>
          `| ${row.megabytes.toFixed(1)} MB | ${row.posts.toLocaleString('en')} | ${(row.posts * 4).toLocaleString('en')} | ${row.first.seconds.toFixed(2)} s | ${mb(row.first.peakRssBytes)} | ${row.again.seconds.toFixed(2)} s | ${mb(row.again.peakRssBytes)} |`,
      ),
      '',
      'The reader streams the XML (saxes) and holds one `<item>` at a time, so the peak RSS stays near the',
      "same for both sizes: it is Node's own, the unified pipeline's and one post's, not the file's.",
      END,
    ].join('\n');
    const docs = path.join(repositoryRoot, 'docs/benchmarks.md');
    const current = await readFile(docs, 'utf8');
    const at = current.indexOf(START);
    const next =
      at === -1
        ? `${current.trimEnd()}\n\n${section}\n`
        : `${current.slice(0, at)}${section}${current.slice(current.indexOf(END) + END.length)}`;
    await writeFile(docs, next);
    console.log('docs/benchmarks.md: import section written');
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

await main();
