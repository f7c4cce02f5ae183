// Generates a site root for the benchmark: N posts of about 2.7 KB each (headings, paragraphs, lists,
// a fenced code block, a blockquote and links), 3 threaded comments on every fourth post, a few tags.
// Deterministic: the same N gives the same files.
//
//   node bench/generate.mjs DIR [N]     (N defaults to BENCH_N, else 4000)
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The number of posts when neither an argument nor BENCH_N gives one. */
export const DEFAULT_POSTS = 4000;

const TAGS = ['Interviews', 'Careers', 'Writing', 'Node.js', 'Design', 'Open source', 'Travel', 'Notes'];
const WORDS = (
  'the interview went badly but every mistake is a lesson write them down follow up with a thank you note ' +
  'ask for feedback evaluate your qualifications and move on even the great players have off days practice ' +
  'answers out loud research the company prepare questions arrive early breathe listen carefully'
).split(' ');

/** A small seeded generator (mulberry32), so that runs are comparable. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sentence(next, words) {
  const picked = Array.from({ length: words }, () => WORDS[Math.floor(next() * WORDS.length)]);
  const text = picked.join(' ');
  return `${text[0].toUpperCase()}${text.slice(1)}.`;
}

function paragraph(next, sentences) {
  return Array.from({ length: sentences }, () => sentence(next, 8 + Math.floor(next() * 8))).join(' ');
}

/** The markdown body of post `index` (about 2.6 KB). */
export function postBody(index) {
  const next = random(index + 1);
  return [
    paragraph(next, 3),
    '',
    '<!-- more -->',
    '',
    `## What went wrong in interview ${index}`,
    '',
    paragraph(next, 5),
    '',
    `- ${sentence(next, 9)}`,
    `- ${sentence(next, 9)} See [the checklist](/posts/post-${Math.max(0, index - 1)}/).`,
    `- ${sentence(next, 9)}`,
    '',
    '### A note to send',
    '',
    '```js',
    `const note = { to: 'interviewer-${index}', subject: 'Thank you' };`,
    'send(note).then(() => console.log("sent"));',
    '```',
    '',
    `> ${sentence(next, 14)}`,
    '',
    `${paragraph(next, 3)} Read more on [example.com](https://example.com/articles/${index}) or at <https://example.org/>.`,
    '',
    '1. First, breathe.',
    '2. Then write it down.',
    '3. Last, move on.',
    '',
    paragraph(next, 4),
    '',
    '## What to do next time',
    '',
    paragraph(next, 4),
    '',
    `- **Prepare:** ${sentence(next, 10)}`,
    `- *Practise:* ${sentence(next, 10)}`,
    `- Follow up: ${sentence(next, 10)}`,
    '',
    paragraph(next, 5),
    '',
  ].join('\n');
}

function pad(value) {
  return String(value).padStart(2, '0');
}

/** Writes the site root into `root` and returns what it holds. */
export async function generateSite(root, posts = DEFAULT_POSTS) {
  const config = { site: { title: 'Benchmark', url: 'https://bench.example/', author: { name: 'Bench' } } };
  await mkdir(root, { recursive: true });
  await writeFile(path.join(root, 'broadsheet.config.json'), `${JSON.stringify(config, null, 2)}\n`);
  let bytes = 0;
  let comments = 0;
  const start = Date.UTC(2012, 0, 1);
  for (let index = 0; index < posts; index++) {
    const date = new Date(start + index * 6 * 3600_000);
    const year = date.getUTCFullYear();
    const day = `${year}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
    const slug = `post-${index}`;
    const tags = [TAGS[index % TAGS.length], TAGS[(index * 7 + 3) % TAGS.length]];
    const text = [
      '---',
      `title: "Recovering from interview number ${index}"`,
      `date: ${date.toISOString().replace('.000Z', 'Z')}`,
      `tags: [${[...new Set(tags)].map((tag) => JSON.stringify(tag)).join(', ')}]`,
      '---',
      '',
      postBody(index),
    ].join('\n');
    const folder = path.join(root, 'content/posts', String(year));
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, `${day}-${slug}.md`), text);
    bytes += Buffer.byteLength(text);
    if (index % 4 === 0) {
      const commentFolder = path.join(root, 'content/comments', slug);
      await mkdir(commentFolder, { recursive: true });
      for (let number = 1; number <= 3; number++) {
        const when = new Date(date.getTime() + number * 3600_000).toISOString().replace('.000Z', 'Z');
        const parent = number > 1 ? `parent: c${number - 1}\n` : '';
        const comment = `---\nauthor:\n  name: Visitor ${number}\n  url: https://visitor${number}.example/\ndate: ${when}\n${parent}---\n\nThanks for post ${index}, **really** useful. See https://example.net/${number}.\n`;
        await writeFile(path.join(commentFolder, `c${number}.md`), comment);
        comments++;
      }
    }
  }
  return { posts, comments, bytes };
}

/** The number of posts asked for: an argument, else BENCH_N, else {@link DEFAULT_POSTS}. */
export function postCount(argument) {
  const value = Number(argument ?? process.env.BENCH_N ?? DEFAULT_POSTS);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`the number of posts must be a positive integer, not ${argument}`);
  return value;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [root, n] = process.argv.slice(2);
  if (!root) {
    console.error('usage: node bench/generate.mjs DIR [N]');
    process.exit(2);
  }
  const summary = await generateSite(path.resolve(root), postCount(n));
  console.log(
    `${summary.posts} posts, ${summary.comments} comments, ${summary.bytes} bytes of posts in ${root}`,
  );
}
