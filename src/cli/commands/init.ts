import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { VERSION } from '../../version';
import { type CliIo, EXIT } from '../io';
import { UsageError } from '../usage';
import { slugify } from './new';

/**
 * `broadsheet init [DIR]`: scaffolds a site root that builds at once: a config, a first post with a
 * comment, and a package.json whose scripts run `check` and `build`. It refuses a non-empty folder.
 */
export async function initCommand(args: string[], io: CliIo): Promise<number> {
  const { positionals } = parseArgs({ args, options: {}, strict: true, allowPositionals: true });
  if (positionals.length > 1) throw new UsageError('usage: broadsheet init [DIR]');
  const target = path.resolve(io.cwd, positionals[0] ?? '.');
  const existing = await readdir(target).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  if (existing.length > 0) {
    io.stderr(`broadsheet init: ${positionals[0] ?? '.'} is not empty; nothing was written\n`);
    return EXIT.usageError;
  }
  const name = slugify(path.basename(target)) || 'my-blog';
  for (const [file, contents] of Object.entries(scaffold(name))) {
    const absolute = path.join(target, ...file.split('/'));
    await mkdir(path.dirname(absolute), { recursive: true });
    await writeFile(absolute, contents, { flag: 'wx' });
  }
  const shown = path.relative(io.cwd, target) || '.';
  io.stdout(
    `Created a broadsheet site in ${shown}\n\nNext:\n  cd ${shown}\n  npm install\n  npm run build   # writes public/\n`,
  );
  return EXIT.ok;
}

function scaffold(name: string): Record<string, string> {
  const packageJson = {
    name,
    private: true,
    type: 'module',
    scripts: { check: 'broadsheet check', build: 'broadsheet build', new: 'broadsheet new post' },
    devDependencies: { broadsheet: `^${VERSION}` },
  };
  return {
    'package.json': `${JSON.stringify(packageJson, null, 2)}\n`,
    '.gitignore': 'node_modules/\npublic/\n',
    // A type-only import is erased when the config loads, so it builds before `npm install` too.
    'broadsheet.config.ts': `import type { BroadsheetConfig } from 'broadsheet';

const config: BroadsheetConfig = {
  site: {
    title: 'My blog',
    url: 'https://example.com/',
    description: 'Notes and essays.',
    language: 'en',
    timezone: 'UTC',
    author: { name: 'Your Name' },
  },
  postsPerPage: 10,
  feeds: { limit: 20, fullContent: true },
};

export default config;
`,
    'content/posts/2024-01-01-welcome.md': `---
title: Welcome to broadsheet
date: 2024-01-01
tags: [Meta]
---

This is your first post. Edit it in \`content/posts/\`, or write another with
\`npx broadsheet new post "A title"\`.

<!-- more -->

## What is here

- \`broadsheet.config.ts\`: the site's title, URL and settings.
- \`content/posts/\`: one markdown file per post, front matter first.
- \`content/comments/welcome/\`: the comments on this post, one file each.
`,
    'content/comments/welcome/first-comment.md': `---
author:
  name: A Reader
  url: https://example.org/
date: 2024-01-02T09:30:00Z
---

Comments are markdown files too. Set \`status: pending\` to hold one back.
`,
  };
}
