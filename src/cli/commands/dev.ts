import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEV_PORT, type DevEvent, startDevServer } from '../../dev/dev-server';
import { formatDiagnostic } from '../../diagnostics/format';
import { type CliIo, EXIT } from '../io';
import { countOf } from '../report';
import { UsageError } from '../usage';
import { parsePort, serverOptions, untilStopped } from './serve';

/**
 * `broadsheet dev [--root DIR] [--config FILE] [--port N] [--host H]`: builds a preview of the site
 * (drafts and future posts shown and marked, links on the local origin) into a folder of the cache,
 * serves it, rebuilds on every change and reloads open pages, until SIGINT or SIGTERM. Prints
 * `broadsheet dev: <url>` on stdout once the first build is served (`--port 0` picks a free port);
 * each build's outcome and diagnostics go to stderr. Exit 2 when the port cannot be listened on.
 */
export async function devCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: serverOptions,
    strict: true,
    allowPositionals: false,
  });
  const port = values.port === undefined ? DEV_PORT : parsePort(values.port);
  const host = values.host ?? '127.0.0.1';
  const root = path.resolve(io.cwd, values.root ?? '.');
  let dev: Awaited<ReturnType<typeof startDevServer>>;
  try {
    dev = await startDevServer({
      root,
      configFile: values.config,
      host,
      port,
      onEvent: reporter(io),
    });
  } catch (error) {
    if (
      (error as NodeJS.ErrnoException).code === 'EADDRINUSE' ||
      (error as NodeJS.ErrnoException).syscall === 'listen'
    ) {
      throw new UsageError(
        `cannot listen on ${host}:${port}: ${(error as Error).message} (--port 0 picks a free port)`,
      );
    }
    throw error;
  }
  io.stdout(`broadsheet dev: ${dev.url}\n`);
  io.stderr('drafts and future posts are shown and marked; Ctrl-C stops\n');
  await untilStopped();
  await dev.close();
  return EXIT.ok;
}

/**
 * Each build's outcome on stderr: a failed build's diagnostics, a good build's warnings when they
 * differ from the last good build's (not the same warnings after every save), then a summary line.
 */
function reporter(io: CliIo): (event: DevEvent) => void {
  let shownWarnings = '';
  return (event) => {
    if (event.type === 'error') {
      const error = event.error;
      io.stderr(
        `broadsheet dev: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      return;
    }
    const changed =
      event.changed.length === 0
        ? ''
        : ` after ${event.changed.length > 3 ? countOf(event.changed.length, 'change') : event.changed.join(', ')}`;
    if (event.type === 'built') {
      const warnings = event.warnings.map((warning) => `${formatDiagnostic(warning)}\n`).join('');
      if (warnings !== shownWarnings) io.stderr(warnings);
      shownWarnings = warnings;
      io.stderr(`built ${countOf(event.files, 'file')} in ${event.milliseconds} ms${changed}\n`);
      return;
    }
    for (const diagnostic of event.diagnostics) io.stderr(`${formatDiagnostic(diagnostic)}\n`);
    io.stderr(`build failed in ${event.milliseconds} ms${changed}: the last good build is still served\n`);
  };
}
