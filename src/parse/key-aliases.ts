// Keys that other blog tools (Jekyll, Hugo, Eleventy, WordPress exports, Staticman, Disqus exports)
// write in front matter, and the broadsheet key that holds the same thing. An unknown key found here
// is suggested by meaning before any key is suggested by spelling: `name:` in a comment means the
// author's name, though `date` is closer in letters.

/** Other tools' key (lower case, `-` and `_` removed) → the broadsheet key meaning the same. */
const ALIASES: Readonly<Record<string, string>> = {
  // Who wrote it.
  name: 'author',
  authorname: 'author',
  email: 'author',
  authoremail: 'author',
  mail: 'author',
  url: 'author',
  authorurl: 'author',
  website: 'author',
  homepage: 'author',
  user: 'author',
  username: 'author',
  author: 'authors',
  by: 'authors',
  // When.
  published: 'date',
  publishdate: 'date',
  pubdate: 'date',
  publishedat: 'date',
  created: 'date',
  createdat: 'date',
  timestamp: 'date',
  time: 'date',
  posted: 'date',
  modified: 'updated',
  lastmod: 'updated',
  lastmodified: 'updated',
  updatedat: 'updated',
  // Threads and moderation.
  replyto: 'parent',
  inreplyto: 'parent',
  parentid: 'parent',
  approved: 'status',
  state: 'status',
  moderation: 'status',
  // Posts.
  categories: 'tags',
  category: 'tags',
  keywords: 'tags',
  tag: 'tags',
  description: 'summary',
  excerpt: 'summary',
  permalink: 'slug',
  language: 'lang',
  locale: 'lang',
  cover: 'image',
  thumbnail: 'image',
  canonicalurl: 'canonical',
};

/**
 * The key of `knownKeys` that other tools' `key` means, when it is one (`name` → `author` for a
 * comment, `categories` → `tags` for a post); `undefined` otherwise.
 *
 * @example
 * ```ts
 * aliasOf('name', ['author', 'date', 'parent', 'status']); // 'author'
 * aliasOf('name', ['title', 'date']); // undefined
 * ```
 */
export function aliasOf(key: string, knownKeys: readonly string[]): string | undefined {
  const target = ALIASES[key.toLowerCase().replace(/[-_]/g, '')];
  return target !== undefined && target !== key && knownKeys.includes(target) ? target : undefined;
}

/** The keys among `keys` that other tools write for `target` (`name`, `email` for `author`). */
export function aliasesFor(target: string, keys: readonly string[], knownKeys: readonly string[]): string[] {
  return keys.filter((key) => !knownKeys.includes(key) && aliasOf(key, knownKeys) === target);
}
