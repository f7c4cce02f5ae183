// Side-by-side build timings: `broadsheet build` (cold and warm), Eleventy 3 and Hugo on the same
// generated posts. Each measured build is its own process, timed by wall clock, with its peak RSS
// from GNU time (`/usr/bin/time -f %M`, the largest resident set of the process and its threads).
import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repositoryRoot = path.dirname(benchDir);
const cliPath = path.join(repositoryRoot, 'dist/cli.js');
const require = createRequire(import.meta.url);

/** GNU time, when the machine has it (it gives the peak RSS of a child and its threads). */
const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** Runs a command once; resolves with its wall time and peak RSS. Throws when it fails. */
export async function timed(command, args, options = {}) {
  const rssFile = path.join(
    options.scratch ?? '/tmp',
    `bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`,
  );
  const [file, argv] = GNU_TIME ? [GNU_TIME, ['-f', '%M', '-o', rssFile, command, ...args]] : [command, args];
  const started = performance.now();
  try {
    await promisify(execFile)(file, argv, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    throw new Error(`${command} ${args.join(' ')} failed:\n${error.stderr || error.message}`);
  }
  const seconds = (performance.now() - started) / 1000;
  let peakRssBytes;
  if (GNU_TIME) {
    peakRssBytes = Number((await readFile(rssFile, 'utf8')).trim().split('\n').at(-1)) * 1024;
    await rm(rssFile, { force: true });
  }
  return { seconds, peakRssBytes };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** The median run of several (by time), with every time. */
function summarise(runs) {
  const seconds = median(runs.map((run) => run.seconds));
  return {
    seconds,
    times: runs.map((run) => run.seconds),
    peakRssBytes: Math.max(...runs.map((run) => run.peakRssBytes ?? 0)) || undefined,
  };
}

/** The post file of index `index` in a generated site (its year folder and date prefix vary). */
async function postFile(root, index) {
  const posts = path.join(root, 'content/posts');
  for (const year of await readdir(posts)) {
    const match = (await readdir(path.join(posts, year))).find((name) => name.endsWith(`-post-${index}.md`));
    if (match) return path.join(posts, year, match);
  }
  throw new Error(`no post ${index}`);
}

/**
 * broadsheet build, cold (no cache, no previous output) `runs` times, then warm `runs` times, each
 * warm run after appending a sentence to one post, then with the cache kept and the output removed
 * (`ci`: a CI job with a restored cache) `runs` times, then `--no-cache` `runs` times (`only: 'cold'`:
 * the cold runs alone). `nodeFlags` go before `dist/cli.js`.
 */
export async function measureBroadsheet(
  root,
  { runs = 3, nodeFlags = [], posts, only, log = console.log } = {},
) {
  const out = path.join(root, 'public');
  const cache = path.join(root, '..', 'broadsheet-cache');
  const env = { BROADSHEET_CACHE_DIR: cache };
  const args = [...nodeFlags, cliPath, 'build', '--root', root, '--out', out];
  const cold = [];
  for (let run = 0; run < runs; run++) {
    await rm(out, { recursive: true, force: true });
    await rm(cache, { recursive: true, force: true });
    cold.push(await timed(process.execPath, args, { env }));
    log(`  broadsheet cold ${run + 1}/${runs}: ${cold.at(-1).seconds.toFixed(2)} s`);
  }
  if (only === 'cold') return { cold: summarise(cold), files: await countFiles(out) };
  const warm = [];
  for (let run = 0; run < runs; run++) {
    const file = await postFile(root, Math.floor((posts / (runs + 1)) * (run + 1)));
    await appendFile(file, `\nEdited for warm build ${run + 1}.\n`);
    warm.push(await timed(process.execPath, args, { env }));
    log(`  broadsheet warm ${run + 1}/${runs}: ${warm.at(-1).seconds.toFixed(2)} s`);
  }
  // What a CI job with a restored cache does: the render cache (and front matter cache) of the build
  // before, for the same content, and no previous output. Nothing is rendered, so this is also the
  // serial part of a cold build: what no number of render threads can shorten.
  const ci = [];
  for (let run = 0; run < runs; run++) {
    await rm(out, { recursive: true, force: true });
    ci.push(await timed(process.execPath, args, { env }));
    log(`  broadsheet cache kept, no output ${run + 1}/${runs}: ${ci.at(-1).seconds.toFixed(2)} s`);
  }
  const noCache = [];
  for (let run = 0; run < runs; run++) {
    await rm(out, { recursive: true, force: true });
    noCache.push(await timed(process.execPath, [...args, '--no-cache'], { env }));
    log(`  broadsheet --no-cache ${run + 1}/${runs}: ${noCache.at(-1).seconds.toFixed(2)} s`);
  }
  return {
    cold: summarise(cold),
    warm: summarise(warm),
    ci: summarise(ci),
    noCache: summarise(noCache),
    files: await countFiles(out),
  };
}

/**
 * Cold builds (no cache, no previous output) with the render threads forced to each count of
 * `threads` (`BROADSHEET_WORKERS`: that many worker threads render, the main thread loads, plans
 * and writes), `runs` runs each: where the build stops getting faster with more threads.
 */
export async function measureScaling(root, { threads, runs = 1, log = console.log } = {}) {
  const out = path.join(root, 'public');
  const cache = path.join(root, '..', 'broadsheet-cache');
  const args = [cliPath, 'build', '--root', root, '--out', out];
  const rows = [];
  for (const count of threads) {
    const results = [];
    for (let run = 0; run < runs; run++) {
      await rm(out, { recursive: true, force: true });
      await rm(cache, { recursive: true, force: true });
      const env = { BROADSHEET_CACHE_DIR: cache, BROADSHEET_WORKERS: String(count) };
      results.push(await timed(process.execPath, args, { env }));
      log(
        `  broadsheet cold, ${count} render threads ${run + 1}/${runs}: ${results.at(-1).seconds.toFixed(2)} s`,
      );
    }
    rows.push({ threads: count, ...summarise(results) });
  }
  return rows;
}

async function countFiles(folder) {
  return (await readdir(folder, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile())
    .length;
}

/**
 * A minimal Eleventy 3 project on the same posts: markdown-it (Eleventy's default) through a post
 * layout, an index listing every post, and an RSS feed of the newest 20 from @11ty/eleventy-plugin-rss.
 */
export async function makeEleventyProject(root, folder) {
  const rss = pathToFileURL(require.resolve('@11ty/eleventy-plugin-rss')).href;
  await mkdir(path.join(folder, 'src/_includes'), { recursive: true });
  await cp(path.join(root, 'content/posts'), path.join(folder, 'src/posts'), { recursive: true });
  await writeFile(
    path.join(folder, 'eleventy.config.mjs'),
    `import { feedPlugin } from ${JSON.stringify(rss)};
export default function (eleventyConfig) {
  eleventyConfig.addPlugin(feedPlugin, {
    type: 'rss',
    outputPath: '/rss.xml',
    collection: { name: 'posts', limit: 20 },
    metadata: { language: 'en', title: 'Benchmark', subtitle: 'Posts', base: 'https://bench.example/', author: { name: 'Bench' } },
  });
}
export const config = { dir: { input: 'src', output: '_site' }, markdownTemplateEngine: false };
`,
  );
  await writeFile(
    path.join(folder, 'src/posts/posts.json'),
    JSON.stringify({ layout: 'post.njk', tags: ['posts'] }),
  );
  await writeFile(
    path.join(folder, 'src/_includes/post.njk'),
    `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title>
<link rel="alternate" type="application/rss+xml" href="/rss.xml"></head>
<body><article><h1>{{ title }}</h1><time datetime="{{ page.date.toISOString() }}">{{ page.date.toDateString() }}</time>
{{ content | safe }}</article></body></html>
`,
  );
  await writeFile(
    path.join(folder, 'src/index.njk'),
    `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Benchmark</title></head>
<body><ul>{% for post in collections.posts | reverse %}
<li><a href="{{ post.url }}">{{ post.data.title }}</a></li>{% endfor %}
</ul></body></html>
`,
  );
}

/** Eleventy, cold (output removed) `runs` times. */
export async function measureEleventy(folder, { runs = 3, log = console.log } = {}) {
  const cmd = path.join(repositoryRoot, 'node_modules/@11ty/eleventy/cmd.cjs');
  const results = [];
  for (let run = 0; run < runs; run++) {
    await rm(path.join(folder, '_site'), { recursive: true, force: true });
    await rm(path.join(folder, '.cache'), { recursive: true, force: true });
    results.push(await timed(process.execPath, [cmd, '--quiet'], { cwd: folder }));
    log(`  eleventy cold ${run + 1}/${runs}: ${results.at(-1).seconds.toFixed(2)} s`);
  }
  const files = (await readdir(path.join(folder, '_site'), { recursive: true, withFileTypes: true })).filter(
    (entry) => entry.isFile(),
  ).length;
  const { version } = JSON.parse(
    await readFile(path.join(repositoryRoot, 'node_modules/@11ty/eleventy/package.json'), 'utf8'),
  );
  return { ...summarise(results), files, version };
}

/** Hugo's version, or `undefined` when it is not installed. */
export function hugoVersion() {
  const result = spawnSync('hugo', ['version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/** A minimal Hugo site on the same posts: a post template, a home page listing every post, tag pages, RSS. */
export async function makeHugoProject(root, folder) {
  await mkdir(path.join(folder, 'layouts/_default'), { recursive: true });
  await cp(path.join(root, 'content/posts'), path.join(folder, 'content/posts'), { recursive: true });
  await writeFile(
    path.join(folder, 'hugo.toml'),
    `baseURL = 'https://bench.example/'\nlanguageCode = 'en'\ntitle = 'Benchmark'\nrssLimit = 20\n[taxonomies]\ntag = 'tags'\n`,
  );
  await writeFile(
    path.join(folder, 'layouts/_default/single.html'),
    `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title>
{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .Permalink }}">{{ end }}</head>
<body><article><h1>{{ .Title }}</h1><time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">{{ .Date.Format "2006-01-02" }}</time>
{{ .Content }}</article></body></html>
`,
  );
  await writeFile(
    path.join(folder, 'layouts/_default/list.html'),
    `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><ul>{{ range .Pages }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}
</ul></body></html>
`,
  );
  await writeFile(
    path.join(folder, 'layouts/index.html'),
    `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Site.Title }}</title></head>
<body><ul>{{ range .Site.RegularPages }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}
</ul></body></html>
`,
  );
}

/** Hugo, cold (output and resources removed) `runs` times. */
export async function measureHugo(folder, { runs = 3, log = console.log } = {}) {
  const results = [];
  for (let run = 0; run < runs; run++) {
    await rm(path.join(folder, 'public'), { recursive: true, force: true });
    await rm(path.join(folder, 'resources'), { recursive: true, force: true });
    results.push(await timed('hugo', ['--source', folder, '--quiet'], { cwd: folder }));
    log(`  hugo cold ${run + 1}/${runs}: ${results.at(-1).seconds.toFixed(2)} s`);
  }
  const files = (await readdir(path.join(folder, 'public'), { recursive: true, withFileTypes: true })).filter(
    (entry) => entry.isFile(),
  ).length;
  return { ...summarise(results), files };
}
