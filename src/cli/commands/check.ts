import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadSite } from '../../load/load-site';
import { type CliIo, EXIT } from '../io';
import { isConfigProblem, type ReportFormat, reportDiagnostics } from '../report';
import { parseFormat } from '../usage';

/** `broadsheet check [--root DIR] [--config FILE] [--format text|json]`: validate only. */
export async function checkCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      root: { type: 'string' },
      config: { type: 'string' },
      format: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const format: ReportFormat = parseFormat(values.format);
  const root = path.resolve(io.cwd, values.root ?? '.');
  const result = await loadSite({ root, configFile: values.config, future: true });
  if (!result.ok) {
    reportDiagnostics(io, result.diagnostics, format);
    return isConfigProblem(result.diagnostics) ? EXIT.usageError : EXIT.contentError;
  }
  reportDiagnostics(io, result.warnings, format);
  if (format === 'text') {
    const comments = result.site.posts.reduce((sum, post) => sum + post.comments.length, 0);
    io.stderr(
      `checked ${result.site.posts.length} published posts and ${comments} comments: no errors, ${result.warnings.length} warnings\n`,
    );
  }
  return EXIT.ok;
}

