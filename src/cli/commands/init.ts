import { spawn } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { VERSION } from '../../version';
import {
  installSpec,
  PACKAGE_MANAGERS,
  type PackageManager,
  packageManagerFromAgent,
  runningPackageRoot,
} from '../install-source';
import { type CliIo, EXIT } from '../io';
import { UsageError } from '../usage';
import { slugify } from './new';

/** Options of {@link initCommand} that tests set. */
export interface InitOptions {
  /** The dependency spec written for broadsheet (default: where the running broadsheet came from). */
  spec?: string;
}

/**
 * `broadsheet init [DIR] [--no-install] [--pm npm|pnpm|yarn|bun]`: scaffolds a site root that builds
 * at once (a config, a first post with a comment, a package.json whose scripts run `check` and
 * `build`), then installs its dependencies with the package manager that ran it (or `--pm`), as
 * create-* tools do. The package.json depends on broadsheet from where the running one came from: the
 * same tarball, git URL or folder, else the registry range. It refuses a non-empty folder.
 */
export async function initCommand(args: string[], io: CliIo, options: InitOptions = {}): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    options: { 'no-install': { type: 'boolean' }, pm: { type: 'string' } },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length > 1)
    throw new UsageError('usage: broadsheet init [DIR] [--no-install] [--pm npm|pnpm|yarn|bun]');
  if (values.pm !== undefined && !(PACKAGE_MANAGERS as readonly string[]).includes(values.pm)) {
    throw new UsageError(`--pm must be one of ${PACKAGE_MANAGERS.join(', ')}, not "${values.pm}"`);
  }
  const pm =
    (values.pm as PackageManager | undefined) ?? packageManagerFromAgent(io.env.npm_config_user_agent);
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
  const spec = options.spec ?? installSpec(runningPackageRoot(), VERSION);
  for (const [file, contents] of Object.entries(scaffold(name, spec))) {
    const absolute = path.join(target, ...file.split('/'));
    await mkdir(path.dirname(absolute), { recursive: true });
    await writeFile(absolute, contents, { flag: 'wx' });
  }
  const shown = path.relative(io.cwd, target) || '.';
  io.stdout(`Created a broadsheet site in ${shown} (broadsheet ${spec})\n`);
  const run = pm === 'npm' ? 'npm run' : pm;
  const next = [`cd ${shown}`];
  if (values['no-install']) {
    next.push(`${pm} install`);
  } else {
    io.stdout(`Installing its dependencies with ${pm} install…\n`);
    const code = await install(pm, target);
    if (code !== 0) {
      io.stderr(
        `broadsheet init: ${pm} install failed (exit ${code}); the site is written: run \`${pm} install\` in ${shown}\n`,
      );
      return EXIT.contentError;
    }
  }
  next.push(`${run} build   # writes public/`);
  io.stdout(`\nNext:\n${next.map((line) => `  ${line}\n`).join('')}`);
  return EXIT.ok;
}

/** Runs `<pm> install` in `folder`, its output on this process's; resolves with its exit code. */
function install(pm: PackageManager, folder: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(pm, ['install'], {
      cwd: folder,
      stdio: ['ignore', 'inherit', 'inherit'],
      shell: process.platform === 'win32',
    });
    child.once('error', () => resolve(127));
    child.once('exit', (code) => resolve(code ?? 1));
  });
}

function scaffold(name: string, spec: string): Record<string, string> {
  const packageJson = {
    name,
    private: true,
    type: 'module',
    scripts: { check: 'broadsheet check', build: 'broadsheet build', new: 'broadsheet new post' },
    devDependencies: { broadsheet: spec },
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
