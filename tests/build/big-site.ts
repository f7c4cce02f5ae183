import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

const TAGS = Array.from({ length: 24 }, (_, index) => `Topic ${index + 1}`);

/** The markdown of generated post number `index`. */
export function generatedPost(index: number): string {
  const day = new Date(Date.UTC(2015, 0, 1) + index * 86_400_000).toISOString().slice(0, 10);
  const tags = [TAGS[index % TAGS.length], TAGS[(index * 7 + 3) % TAGS.length]];
  return [
    '---',
    `title: Generated post number ${index}`,
    `date: ${day}`,
    `tags: [${[...new Set(tags)].join(', ')}]`,
    '---',
    '',
    `Post ${index} opens with a paragraph of *emphasis*, **strong** words and a [link](https://example.com/${index}).`,
    '',
    '## A heading',
    '',
    '- one item',
    '- another item',
    '',
    'A closing paragraph long enough to be a summary, with `code` and an autolink https://example.org/.',
    '',
  ].join('\n');
}

/**
 * Writes a site of `count` posts (every tenth with a short thread of comments) under `root`:
 * big enough that a build takes a while to write.
 */
export async function writeBigSite(root: string, count: number): Promise<void> {
  await mkdir(path.join(root, 'content/posts'), { recursive: true });
  await writeFile(
    path.join(root, 'broadsheet.config.json'),
    JSON.stringify({ site: { title: 'Big site', url: 'https://big.example/' }, postsPerPage: 20 }),
  );
  const writes: Promise<void>[] = [];
  for (let index = 0; index < count; index += 1) {
    const slug = `generated-post-${index}`;
    writes.push(writeFile(path.join(root, `content/posts/${slug}.md`), generatedPost(index)));
    if (index % 10 !== 0) continue;
    const day = new Date(Date.UTC(2015, 0, 1) + index * 86_400_000).toISOString().slice(0, 10);
    const folder = path.join(root, 'content/comments', slug);
    writes.push(
      mkdir(folder, { recursive: true }).then(async () => {
        await writeFile(
          path.join(folder, 'a.md'),
          `---\nauthor: Ann\ndate: ${day}T10:00:00Z\n---\n\nFirst.\n`,
        );
        await writeFile(
          path.join(folder, 'b.md'),
          `---\nauthor: Ben\ndate: ${day}T11:00:00Z\nparent: a\n---\n\nA reply.\n`,
        );
      }),
    );
  }
  await Promise.all(writes);
}
