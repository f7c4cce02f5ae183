import { stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config/load-config';
import { commentIntakePath, withCommentIntake } from '../../server/intake';
import { startServer } from '../../server/node';
import { createStaticHandler } from '../../server/static';
import { type CliIo, EXIT } from '../io';
import { reportDiagnostics } from '../report';
import { UsageError } from '../usage';

/** The options `serve` and `dev` share. */
export const serverOptions = {
  root: { type: 'string' },
  config: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
} as const;

/** Resolves at the first SIGINT (Ctrl-C) or SIGTERM: when a server command stops. */
export function untilStopped(): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** The port `serve` listens on without `--port`. */
export const DEFAULT_PORT = 8080;

/**
 * `broadsheet serve [--root DIR] [--config FILE] [--port N] [--host H]`: serves the built `out`
 * folder under the path of `site.url` (as the site is published) until SIGINT or SIGTERM. Prints
 * `serving <out> at <url>` on stdout once it listens (`--port 0` picks a free port). Exit 2 when
 * the config is invalid, the port is taken or `out` was never built.
 */
export async function serveCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: serverOptions,
    strict: true,
    allowPositionals: false,
  });
  const port = parsePort(values.port);
  const host = values.host ?? '127.0.0.1';
  const root = path.resolve(io.cwd, values.root ?? '.');
  const result = await loadConfig({ root, configFile: values.config });
  if (!result.ok) {
    reportDiagnostics(io, result.diagnostics, 'text');
    return EXIT.usageError;
  }
  const { config } = result.loaded;
  const out = path.resolve(root, config.out);
  if (!(await stat(out).catch(() => undefined))?.isDirectory()) {
    throw new UsageError(`${config.out}/ does not exist: run \`broadsheet build\` first`);
  }
  const basePath = new URL(config.site.url).pathname;
  const files = createStaticHandler({ root: out, basePath });
  const handler = withCommentIntake(root, config, files);

  let running: Awaited<ReturnType<typeof startServer>>;
  try {
    running = await startServer(handler, {
      host,
      port,
      onError: (error) =>
        io.stderr(`broadsheet serve: ${error instanceof Error ? error.message : String(error)}\n`),
    });
  } catch (error) {
    throw new UsageError(`cannot listen on ${host}:${port}: ${(error as Error).message}`);
  }
  const intakePath = commentIntakePath(config);
  const comments = intakePath ? ` (comments at ${running.origin}${intakePath})` : '';
  io.stdout(`serving ${path.relative(io.cwd, out) || '.'}/ at ${running.origin}${basePath}${comments}\n`);
  await untilStopped();
  await running.close();
  return EXIT.ok;
}

/** Reads `--port`: a whole number from 0 to 65535 (0: a free port); `DEFAULT_PORT` when not given. */
export function parsePort(value: string | undefined): number {
  if (value === undefined) return DEFAULT_PORT;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) {
    throw new UsageError(`--port must be a whole number from 0 to 65535, not "${value}"`);
  }
  return port;
}
