// Lists the posts of the broadsheet site that `broadsheet build` wrote into public/blog/ (served
// by Vite at /blog/), through the typed client. Every response is validated against the JSON
// API's schemas; failures come back as values, never as exceptions.
import { type ApiPostList, createClient } from 'broadsheet/client';
import { commentCount } from './comment-count';

const client = createClient({ baseUrl: new URL('blog/', document.baseURI).href });

const list = document.querySelector<HTMLOListElement>('#posts')!;
const status = document.querySelector<HTMLParagraphElement>('#status')!;
const older = document.querySelector<HTMLButtonElement>('#older')!;

function show(page: ApiPostList): void {
  for (const post of page.posts) {
    const item = document.createElement('li');
    const link = document.createElement('a');
    link.href = post.url;
    link.textContent = post.title; // text, never HTML
    const date = document.createElement('time');
    date.dateTime = post.date;
    date.textContent = post.date.slice(0, 10);
    const summary = document.createElement('p');
    summary.textContent = `${post.summary} (${commentCount(post.commentCount)})`;
    item.append(link, ' ', date, summary);
    list.append(item);
  }
  const { page: current, pages, total, next } = page.meta.pagination;
  status.textContent = `${total} posts, page ${current} of ${pages}`;
  older.hidden = next === null;
  older.onclick = next === null ? null : () => void load(next);
}

async function load(page: number): Promise<void> {
  const result = await client.posts.list({ page });
  if (result.ok) {
    show(result.data);
    return;
  }
  const { error } = result;
  status.textContent =
    error.kind === 'not-found'
      ? `No posts at ${error.url}: run \`broadsheet build\` first.`
      : `Could not load ${error.url}: ${error.message}`;
}

async function main(): Promise<void> {
  const site = await client.site();
  if (site.ok) document.querySelector('#site-title')!.textContent = site.data.title;
  await load(1);
}

void main();
