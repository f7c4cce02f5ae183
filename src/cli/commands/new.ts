import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { loadConfig } from '../../config/load-config';
import { wallClockAt } from '../../schema/time-zone';
import { slugify } from '../../site/slugify';
import { type CliIo, EXIT } from '../io';
import { reportDiagnostics } from '../report';
import { UsageError } from '../usage';

export { slugify } from '../../site/slugify';

/**
 * `broadsheet new post "Title" [--root DIR]`: writes `content/posts/YYYY-MM-DD-<slug>.md`, dated
 * today in the site's time zone. It never overwrites a file.
 */
export async function newCommand(args: string[], io: CliIo, now: Date = new Date()): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { root: { type: 'string' } },
    strict: true,
    allowPositionals: true,
  });
  const [kind, title, ...extra] = positionals;
  if (kind !== 'post' || title === undefined || extra.length > 0) {
    throw new UsageError('usage: broadsheet new post "Title" [--root DIR]');
  }
  if (title.trim() === '') throw new UsageError('the title must not be empty');
  const root = path.resolve(io.cwd, values.root ?? '.');
  const loaded = await loadConfig({ root });
  if (!loaded.ok) {
    reportDiagnostics(io, loaded.diagnostics, 'text');
    return EXIT.usageError;
  }
  const { config } = loaded.loaded;
  const day = localDay(now, config.site.timezone);
  const slug = slugify(title);
  const relativeFile = path.posix.join(config.content, 'posts', `${day}-${slug}.md`);
  const absolute = path.join(root, ...relativeFile.split('/'));
  const frontMatter = stringify({ title: title.trim(), date: day }, { lineWidth: 0 });
  const text = `---\n${frontMatter}---\n\nWrite your post here. The first paragraph is the summary.\n`;
  await mkdir(path.dirname(absolute), { recursive: true });
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(absolute, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      io.stderr(`broadsheet new: ${relativeFile} already exists; nothing was written\n`);
      return EXIT.usageError;
    }
    throw error;
  }
  try {
    await handle.writeFile(text, 'utf8');
  } finally {
    await handle.close();
  }
  io.stdout(`${relativeFile}\n`);
  return EXIT.ok;
}

/** The calendar day (`YYYY-MM-DD`) of an instant in an IANA time zone. */
function localDay(now: Date, timeZone: string): string {
  const { year, month, day } = wallClockAt(now, timeZone);
  return [String(year).padStart(4, '0'), String(month).padStart(2, '0'), String(day).padStart(2, '0')].join(
    '-',
  );
}
