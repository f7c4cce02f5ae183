import path from 'node:path';
import { parseArgs } from 'node:util';
import { type ImportFormat, importFormats } from '../../import/model';
import { importExport } from '../../import/run-import';
import type { ImportSummary } from '../../import/writer';
import { type CliIo, EXIT } from '../io';
import { countOf, failureExitCode, reportAnnotations, reportDiagnostics } from '../report';
import { parseFormat, UsageError } from '../usage';

const USAGE =
  'usage: broadsheet import <wordpress|blogger|ghost|feed> <file> [--root DIR] [--config FILE] [--dry-run] [--pingbacks] [--format text|json]';

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The summary as one paragraph of text. */
function summaryText(summary: ImportSummary, dryRun: boolean): string {
  const { comments } = summary;
  const commentCount = comments.approved + comments.pending + comments.spam + comments.trash;
  const lines = [
    `${dryRun ? 'would import' : 'imported'} ${countOf(summary.posts, 'post')} (${countOf(summary.drafts, 'draft')}), ${countOf(summary.pages, 'page')}, ${countOf(commentCount, 'comment')} (${comments.approved} approved, ${comments.pending} pending, ${comments.spam} spam, ${comments.trash} trash), ${countOf(summary.authors, 'author')}, ${countOf(summary.tags, 'tag')}, ${countOf(summary.redirects, 'redirect')}; ${summary.skipped} skipped`,
  ];
  if (summary.attachments.length > 0)
    lines.push(
      `${countOf(summary.attachments.length, 'attachment')} listed, not downloaded (their URLs: --format json)`,
    );
  const { write, unchanged, kept } = summary.files;
  if (write === 0 && kept === 0 && unchanged > 0)
    lines.push(`nothing to do: all ${countOf(unchanged, 'file')} are already imported`);
  else
    lines.push(
      `${dryRun ? 'would write' : 'wrote'} ${countOf(write, 'file')}; ${unchanged} already there unchanged; ${kept} already there with other contents, kept`,
    );
  return `${lines.join('\n')}\n`;
}

/**
 * `broadsheet import <wordpress|blogger|ghost|feed> <file> [--root DIR] [--config FILE] [--dry-run]
 * [--pingbacks] [--format text|json]`: imports a blog export into the site root, never overwriting a
 * file. Text: the warnings (what was skipped or changed, and why), then a summary on stderr, and with
 * `--dry-run` the files that would be written on stdout. JSON: `{summary, files, diagnostics}` on
 * stdout. Exit codes as `build`: 0 (warnings allowed), 1 for a malformed or unreadable export, 2 for
 * usage or config errors.
 */
export async function importCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      root: { type: 'string' },
      config: { type: 'string' },
      format: { type: 'string' },
      'dry-run': { type: 'boolean' },
      pingbacks: { type: 'boolean' },
    },
    strict: true,
    allowPositionals: true,
  });
  const [format, file, ...extra] = positionals;
  if (format === undefined || file === undefined || extra.length > 0) throw new UsageError(USAGE);
  if (!(importFormats as readonly string[]).includes(format))
    throw new UsageError(`the format must be one of ${importFormats.join(', ')}, not "${format}"\n${USAGE}`);
  const output = parseFormat(values.format);
  const dryRun = values['dry-run'] === true;
  let lastProgress = 0;
  const result = await importExport({
    format: format as ImportFormat,
    file: path.resolve(io.cwd, file),
    root: path.resolve(io.cwd, values.root ?? '.'),
    ...(values.config ? { configFile: values.config } : {}),
    dryRun,
    pingbacks: values.pingbacks === true,
    ...(io.isTTY && output === 'text'
      ? {
          onProgress: ({ bytesRead, totalBytes, items }) => {
            const now = Date.now();
            if (now - lastProgress < 100 && bytesRead < totalBytes) return;
            lastProgress = now;
            io.stderr(
              `\r\u001b[Kimporting: ${megabytes(bytesRead)} of ${megabytes(totalBytes)}, ${countOf(items, 'item')}`,
            );
          },
        }
      : {}),
  });
  if (io.isTTY && output === 'text') io.stderr('\r\u001b[K');
  if (output === 'json') {
    io.stdout(
      `${JSON.stringify({ summary: result.summary, files: result.files, diagnostics: result.diagnostics }, null, 2)}\n`,
    );
    reportAnnotations(io, result.diagnostics, 'json');
  } else {
    reportDiagnostics(io, result.diagnostics, 'text');
    if (dryRun) for (const entry of result.files) if (entry.action === 'write') io.stdout(`${entry.path}\n`);
    if (result.ok) io.stderr(summaryText(result.summary, dryRun));
  }
  return result.ok ? EXIT.ok : failureExitCode(result.diagnostics);
}
