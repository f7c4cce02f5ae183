import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadSiteWith } from '../../load/load-site';
import { tuneHeapForRendering } from '../heap';
import { type CliIo, EXIT } from '../io';
import { countOf, failureExitCode, failureSummary, type ReportFormat, reportDiagnostics } from '../report';
import { parseFormat, siteOptions } from '../usage';

/**
 * `broadsheet check [--root DIR] [--config FILE] [--format text|json] [--no-cache]`: validates
 * everything (future posts and drafts too) and writes no output (it reads and fills the render cache
 * unless `--no-cache`). Exit 0 with warnings only, 1 on content errors, 2 on
 * config or usage errors.
 */
export async function checkCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: siteOptions,
    strict: true,
    allowPositionals: false,
  });
  const format: ReportFormat = parseFormat(values.format);
  const root = path.resolve(io.cwd, values.root ?? '.');
  await tuneHeapForRendering(root, values['no-cache'] !== true);
  // A check reads no HTML: the cached renders' stays undecoded (src/render/deferred-html.ts).
  const result = await loadSiteWith(
    { root, configFile: values.config, future: true, cache: values['no-cache'] !== true },
    undefined,
    true,
  );
  if (!result.ok) {
    reportDiagnostics(io, result.diagnostics, format);
    if (format === 'text') io.stderr(failureSummary('check', result.diagnostics));
    return failureExitCode(result.diagnostics);
  }
  reportDiagnostics(io, result.warnings, format);
  if (format === 'text') {
    const comments = result.site.posts.reduce((sum, post) => sum + post.comments.length, 0);
    io.stderr(
      `checked ${countOf(result.site.posts.length, 'post')} and ${countOf(comments, 'comment')} to publish: no errors, ${countOf(result.warnings.length, 'warning')}\n`,
    );
  }
  return EXIT.ok;
}
