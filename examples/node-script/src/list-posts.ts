// Loads the site in this folder and prints its posts, newest first, with their typed fields.
import { fileURLToPath } from 'node:url';
import { formatDiagnostic, loadSite } from 'broadsheet';
import config from '../broadsheet.config.js';

// This file runs as dist/src/list-posts.js; the site root is the example's folder.
const root = fileURLToPath(new URL('../..', import.meta.url));

const result = await loadSite({ root, config });
if (!result.ok) {
  for (const diagnostic of result.diagnostics) console.error(formatDiagnostic(diagnostic));
  process.exit(1);
}
for (const warning of result.warnings) console.error(formatDiagnostic(warning));

// A post of this site: `Post` with the front matter the config's schema extension gives.
type SitePost = (typeof result.site.posts)[number];
// The extension's field is typed: 'calm' | 'stormy' | undefined.
type Mood = NonNullable<SitePost['data']['mood']>;
const moodMark: Record<Mood, string> = { calm: '~', stormy: '!' };

function describe(post: SitePost): string {
  const day = post.date.toISOString().slice(0, 10);
  const tags = post.tags.map((tag) => `#${tag.slug}`).join(' ');
  const mood = post.data.mood ? ` ${moodMark[post.data.mood]}` : '';
  return `${day}  ${post.title}${mood}  ${tags}  (${post.comments.length} ${post.comments.length === 1 ? 'comment' : 'comments'}, ${post.readingTime} min)`;
}

console.log(`${result.site.config.site.title}: ${result.site.posts.length} posts`);
for (const post of result.site.posts) {
  console.log(describe(post));
  for (const comment of post.comments) {
    console.log(`${'  '.repeat(comment.depth + 1)}- ${comment.author.name}: ${comment.url}`);
  }
}
