// `npm run bench:hostile`: times the hostile inputs of issue #13 (markdown and YAML) as the build
// meets them now (refused by the limits before parsing: src/load/markdown-limits.ts, front matter
// limits in src/parse/parse.ts), the worst documents just under the limits as they render, and the
// quadratic steps that were replaced, before and after. Rewrites the "Hostile input" part of
// docs/benchmarks.md. Each timing runs in this process, one after the other; a "before" case that
// would run for minutes is cut at BENCH_HOSTILE_CUT seconds (default 20) in a child process.
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createJiti } from 'jiti';

const START = '<!-- hostile: written by `npm run bench:hostile` -->';
const END = '<!-- /hostile -->';
const benchDir = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(benchDir);
const documentPath = process.env.BENCH_HOSTILE_DOC ?? path.join(root, 'docs/benchmarks.md');
const cutSeconds = Number(process.env.BENCH_HOSTILE_CUT ?? 20);
const jiti = createJiti(import.meta.url);

/** The markdown inputs of the attack, at the sizes it reported. */
export const HOSTILE_MARKDOWN = {
  'comment: `- ` × 9,997 + `x`': { trust: 'comment', text: () => `${'- '.repeat(9_997)}x` },
  'post: `**` × 10k + `x` + `**` × 10k': {
    trust: 'post',
    text: () => `${'**'.repeat(10_000)}x${'**'.repeat(10_000)}`,
  },
  'post: `- ` × 20k': { trust: 'post', text: () => '- '.repeat(20_000) },
  'post: `>` × 100k': { trust: 'post', text: () => '>'.repeat(100_000) },
  'post: `[a](` × 100k': { trust: 'post', text: () => '[a]('.repeat(100_000) },
  'post: `1. ` × 30k': { trust: 'post', text: () => '1. '.repeat(30_000) },
  'post: setext `a\\n=\\n` × 100k': { trust: 'post', text: () => 'a\n=\n'.repeat(100_000) },
  'post: `~~a` × 200k': { trust: 'post', text: () => '~~a'.repeat(200_000) },
  'post: 100k task items': { trust: 'post', text: () => '- [ ] a\n'.repeat(100_000) },
  'post: `[a][b]` × 100k': { trust: 'post', text: () => '[a][b]'.repeat(100_000) },
  'post: a 600 KB table': {
    trust: 'post',
    text: () => `| a | b |\n|---|---|\n${'| x | y |\n'.repeat(60_000)}`,
  },
  // Under the first limits (500 KB, counts per block), refused by the counts per document.
  'post: 10,000 list items (40 KB)': { trust: 'post', text: () => '- a\n'.repeat(10_000) },
  'post: 20,000 paragraphs (60 KB)': { trust: 'post', text: () => 'a\n\n'.repeat(20_000) },
  'post: a table of 20,000 cells (50 KB)': {
    trust: 'post',
    text: () => `|a|b|c|d|\n|-|-|-|-|\n${'|a|b|c|d|\n'.repeat(5_000)}`,
  },
  'post: 10,000 links, 500 a block (80 KB)': {
    trust: 'post',
    text: () => `${'[a](b) '.repeat(500)}\n\n`.repeat(20),
  },
  'post: 20,000 inline HTML tags (90 KB)': { trust: 'post', text: () => '<b>a</b> '.repeat(10_000) },
  'comment: 2,000 list items (8 KB)': { trust: 'comment', text: () => '- a\n'.repeat(2_000) },
};

/**
 * The worst documents under the limits. Each is built greedily: as many of each unit (in order,
 * the limits accept, then plain prose up to the length limit. The last of each trust level mixes
 * every costly construct, in like shares of the limits' common budget.
 */
const PROSE = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.\n';
const UNITS = {
  paragraphs: 'a\n\n',
  'list items': '- a\n',
  'nested lists': null, // by trust: as deep as a line may go
  'emphasis marks': '*a* ',
  links: '[a](b) ',
  'table cells': '|a|b|c|d|\n',
  'inline HTML': '<b>a</b> ',
  autolinks: 'www.a.com ',
  'code spans': '`a` ',
  'setext headings': 'a\n=\n\n',
};
function unitsFor(trust, names) {
  const nesting = trust === 'post' ? 32 : 8;
  return names.map((name) =>
    name === 'nested lists'
      ? `${'- '.repeat(nesting)}x\n`
      : name === 'table cells'
        ? ['|a|b|c|d|\n|-|-|-|-|\n', UNITS[name]]
        : UNITS[name],
  );
}
const ALL = [
  'table cells',
  'links',
  'inline HTML',
  'emphasis marks',
  'code spans',
  'autolinks',
  'list items',
  'paragraphs',
];
export const UNDER_LIMITS = {};
for (const trust of ['comment', 'post']) {
  UNDER_LIMITS[`${trust}: prose up to the length limit`] = { trust, units: [] };
  for (const name of Object.keys(UNITS))
    UNDER_LIMITS[`${trust}: ${name} up to the limits`] = { trust, units: [name] };
  UNDER_LIMITS[`${trust}: a mix of them all`] = { trust, units: ALL };
}

/** The greedy document of `units` (names of UNITS) for `trust`, checked with `check`. */
export function worstDocument(trust, units, check) {
  let text = '';
  const most = (unit, max) => {
    // The largest count of `unit` the limits accept after `text` (binary search, each check linear).
    let low = 0;
    let high = max;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (check(text + unit.repeat(middle), trust) === undefined) low = middle;
      else high = middle - 1;
    }
    return low;
  };
  const limit = trust === 'post' ? 150_000 : 20_000;
  const entries = unitsFor(trust, units).map((entry) => (Array.isArray(entry) ? entry : ['', entry]));
  if (entries.length === 1) {
    const [[head, unit]] = entries;
    if (check(text + head, trust) === undefined) {
      // A blank line after a table (a line of text after one would be a row of it).
      text += head;
      text += unit.repeat(most(unit, Math.floor(limit / unit.length))) + (head ? '\n\n' : '');
    }
  } else {
    // A mix: rounds of 20 of each unit while any fits, so that each takes a like share.
    let added = true;
    while (added) {
      added = false;
      for (const [head, unit] of entries) {
        const chunk = head + unit.repeat(20) + (head ? '\n\n' : '\n');
        if (check(text + chunk, trust) === undefined) {
          text += chunk;
          added = true;
        }
      }
    }
  }
  return text + PROSE.repeat(most(PROSE, Math.floor(limit / PROSE.length)));
}

function seconds(milliseconds) {
  return milliseconds >= 1000 ? `${(milliseconds / 1000).toFixed(2)} s` : `${Math.round(milliseconds)} ms`;
}

async function time(work) {
  const start = performance.now();
  const value = await work();
  return { ms: performance.now() - start, value };
}

/** Runs `bench/hostile.mjs --render <group> <name>` in a child cut at the limit: the old pipeline's time. */
function renderInChild(args) {
  return new Promise((resolve) => {
    const start = performance.now();
    execFile(
      process.execPath,
      [fileURLToPath(import.meta.url), ...args],
      { timeout: cutSeconds * 1000, maxBuffer: 1 << 20 },
      (error, stdout) => {
        if (error?.killed) resolve({ wall: `> ${cutSeconds} s (cut)`, cpu: '' });
        else if (error) resolve({ wall: `failed: ${String(error.message).split('\n')[0]}`, cpu: '' });
        else {
          const [wall, cpu] = stdout.trim().split(' ').map(Number);
          resolve({
            wall: seconds(wall || performance.now() - start),
            cpu: cpu === undefined ? '' : seconds(cpu),
          });
        }
      },
    );
  });
}

async function childRender() {
  const [, , , group, name] = process.argv;
  const { checkMarkdownLimits } = await jiti.import(path.join(root, 'src/load/markdown-limits.ts'));
  const { trust, text, units } = (group === 'hostile' ? HOSTILE_MARKDOWN : UNDER_LIMITS)[name];
  const markdown = units ? worstDocument(trust, units, checkMarkdownLimits) : text();
  const { createMarkdownRenderer } = await jiti.import(path.join(root, 'src/render/render-markdown.ts'));
  const renderer = createMarkdownRenderer({ trust });
  await renderer('warm up');
  const cpu = process.cpuUsage();
  const { ms } = await time(() => renderer(markdown, { url: 'https://example.com/posts/p/' }));
  const used = process.cpuUsage(cpu);
  process.stdout.write(`${ms} ${(used.user + used.system) / 1000}\n`);
}

/** mdast-util-to-hast's own listItem handler against the linear one, on one long list. */
async function listCases() {
  const { unified } = await import('unified');
  const remarkParse = (await import('remark-parse')).default;
  const remarkRehype = (await import('remark-rehype')).default;
  const { listItemHandler } = await jiti.import(path.join(root, 'src/render/list-item-handler.ts'));
  const rows = [];
  for (const items of [10_000, 25_000, 50_000]) {
    const parser = unified().use(remarkParse);
    const tree = () => parser.runSync(parser.parse('- item\n'.repeat(items)));
    const stock = await time(() => unified().use(remarkRehype).runSync(tree()));
    const ours = await time(() =>
      unified()
        .use(remarkRehype, { handlers: { listItem: listItemHandler } })
        .runSync(tree()),
    );
    rows.push(`| ${items.toLocaleString('en')} items | ${seconds(stock.ms)} | ${seconds(ours.ms)} |`);
  }
  return rows;
}

/** micromark's own `EditMap.consume` against the linear one, on setext headings and nested lists. */
async function editMapCases() {
  const { parse, postprocess, preprocess } = await import('micromark');
  const { installLinearEditMap } = await jiti.import(path.join(root, 'src/render/linear-edit-map.ts'));
  const documents = [
    ['5,000 setext headings (20 KB)', 'a\n=\n'.repeat(5_000)],
    ['1,100 lines of 8 nested list markers (20 KB)', '- - - - - - - - x\n'.repeat(1_100)],
  ];
  const parseAll = () =>
    documents.map(([, markdown]) =>
      time(() =>
        postprocess(
          parse()
            .document()
            .write(preprocess()(markdown, undefined, true)),
        ),
      ),
    );
  const stock = [];
  for (const run of parseAll()) stock.push((await run).ms);
  installLinearEditMap();
  const linear = [];
  for (const run of parseAll()) linear.push((await run).ms);
  return documents.map(
    ([name], index) => `| ${name} | ${seconds(stock[index])} | ${seconds(linear[index])} |`,
  );
}

async function yamlCases() {
  const { parseDocument } = await import('yaml');
  const { parseYamlFile } = await jiti.import(path.join(root, 'src/parse/parse.ts'));
  const topLevel = Array.from({ length: 32_000 }, (_, index) => `k${index}: 1`).join('\n');
  const nested = Array.from({ length: 16_000 }, (_, index) => `a${index}:\n  b: 1`).join('\n');
  const atLimit = Array.from({ length: 2_000 }, (_, index) => `k${index}: 1`).join('\n');
  const rows = [];
  for (const [name, text] of [
    ['32,000 top-level keys', topLevel],
    ['16,000 mappings of one key (32,000 keys)', nested],
    ['2,000 keys (the limit)', atLimit],
  ]) {
    const before = await time(() => parseDocument(text, { uniqueKeys: true, strict: true }));
    const withoutUnique = await time(() => parseDocument(text, { uniqueKeys: false, strict: true }));
    const after = await time(() => parseYamlFile('x.yaml', text));
    const outcome = 'diagnostics' in after.value ? after.value.diagnostics[0].code : 'parsed';
    rows.push(
      `| ${name} (${Math.round(text.length / 1024)} KB) | ${seconds(before.ms)} | ${seconds(withoutUnique.ms)} | ${seconds(after.ms)} (${outcome}) |`,
    );
  }
  return rows;
}

async function main() {
  const loadAverage = os.loadavg()[0];
  const { checkMarkdownLimits } = await jiti.import(path.join(root, 'src/load/markdown-limits.ts'));
  const lines = [
    START,
    '',
    `Written by \`npm run bench:hostile\` (bench/hostile.mjs) on ${os.cpus()[0]?.model ?? 'an unknown CPU'} ` +
      `(${os.cpus().length} cores), Node ${process.version}, load average (1 min) ${loadAverage.toFixed(2)} at the start ` +
      '(other work on the same cores lengthens the wall times; only their order of magnitude counts). "Before" is the render pipeline of ' +
      `this version without the limits (in a child process, cut at ${cutSeconds} s); lists, setext headings and ` +
      'nested containers were slower still before the linear `listItem` handler and `EditMap.consume` (last ' +
      'tables). "Now" is what a build does with the document.',
    '',
    '| hostile input | characters | before: rendered | now: refused in | diagnostic |',
    '|---|---|---|---|---|',
  ];
  for (const [name, { trust, text }] of Object.entries(HOSTILE_MARKDOWN)) {
    const markdown = text();
    const before = (await renderInChild(['--render', 'hostile', name])).wall;
    const { ms, value } = await time(() => checkMarkdownLimits(markdown, trust));
    lines.push(
      `| ${name} | ${markdown.length.toLocaleString('en')} | ${before} | ${seconds(ms)} | ${value ? `${value.code}: ${value.message}` : 'accepted'} |`,
    );
    process.stderr.write(`${lines.at(-1)}\n`);
  }
  lines.push(
    '',
    'The worst documents under the limits: each built greedily, as many of its units as the limits ' +
      'accept, then prose up to the length limit ("all of them at once": every costly unit in turn). ' +
      '"CPU" is the processor time of the render (what the wall time is on an idle machine); on a machine ' +
      'shared with other jobs, the wall time is longer.',
    '',
    '| document under the limits | characters | accepted | rendered in (wall) | CPU |',
    '|---|---|---|---|---|',
  );
  for (const [name, { trust, units }] of Object.entries(UNDER_LIMITS)) {
    const markdown = worstDocument(trust, units, checkMarkdownLimits);
    const accepted = checkMarkdownLimits(markdown, trust);
    const rendered = await renderInChild(['--render', 'under', name]);
    lines.push(
      `| ${name} | ${markdown.length.toLocaleString('en')} | ${accepted ? `no: ${accepted.message}` : 'yes'} | ${rendered.wall} | ${rendered.cpu} |`,
    );
    process.stderr.write(`${lines.at(-1)}\n`);
  }
  lines.push(
    '',
    '| micromark parse | before: stock `EditMap.consume` | now: linear `consume` |',
    '|---|---|---|',
    ...(await editMapCases()),
    '',
    '| one tight list, parse + mdast to hast | before: stock `listItem` | now: linear `listItem` |',
    '|---|---|---|',
    ...(await listCases()),
    '',
    '| YAML | before: `uniqueKeys: true` | `uniqueKeys: false` | now: parseYamlFile |',
    '|---|---|---|---|',
    ...(await yamlCases()),
    '',
    END,
  );
  const document = await readFile(documentPath, 'utf8');
  const section = lines.join('\n');
  const next = document.includes(START)
    ? document.slice(0, document.indexOf(START)) +
      section +
      document.slice(document.indexOf(END) + END.length)
    : `${document.trimEnd()}\n\n## Hostile input\n\n${section}\n`;
  await writeFile(documentPath, next);
  process.stderr.write(`wrote ${path.relative(process.cwd(), documentPath)}\n`);
}

// Run, not imported (a script can import UNDER_LIMITS and worstDocument).
if (path.resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url)) {
  if (process.argv[2] === '--render') await childRender();
  else await main();
}
