import path from 'node:path';
import { parseArgs } from 'node:util';
import { type BuildProgress, buildSite } from '../../build/build-site';
import type { Diagnostic } from '../../diagnostics/diagnostic';
import { tuneHeapForRendering } from '../heap';
import { type CliIo, EXIT } from '../io';
import {
  countOf,
  failureExitCode,
  failureSummary,
  type ReportFormat,
  reportAnnotations,
  reportDiagnostics,
} from '../report';
import { parseFormat, siteOptions } from '../usage';

/** What `broadsheet build --format json` prints on stdout. */
export interface BuildJsonReport {
  ok: boolean;
  /** Published posts, approved comments on them and output files; all 0 when the build failed. */
  posts: number;
  comments: number;
  files: number;
  /** The warnings of a build that succeeded, or every problem of one that failed. */
  diagnostics: Diagnostic[];
}

/**
 * `broadsheet build [--root DIR] [--out DIR] [--config FILE] [--future] [--format text|json] [--no-cache]`:
 * validate, render and write every output, all or nothing. `--no-cache` neither reads nor writes
 * the render cache and writes every file (instead of linking the unchanged ones). `--root` and `--out` are relative to
 * the working directory; without `--out`, the config's `out` (relative to the root) is used.
 */
export async function buildCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { ...siteOptions, out: { type: 'string' }, future: { type: 'boolean' } },
    strict: true,
    allowPositionals: false,
  });
  const format: ReportFormat = parseFormat(values.format);
  const root = path.resolve(io.cwd, values.root ?? '.');
  await tuneHeapForRendering(root, values['no-cache'] !== true);
  const started = performance.now();
  const progress = io.isTTY ? createProgressLine(io) : undefined;
  const result = await buildSite({
    root,
    out: values.out === undefined ? undefined : path.resolve(io.cwd, values.out),
    configFile: values.config,
    future: values.future,
    cache: values['no-cache'] !== true,
    onProgress: progress?.update,
  }).finally(() => progress?.clear());

  const diagnostics = result.ok ? result.warnings : result.diagnostics;
  if (format === 'json') {
    const report: BuildJsonReport = result.ok
      ? { ok: true, posts: result.posts, comments: result.comments, files: result.files, diagnostics }
      : { ok: false, posts: 0, comments: 0, files: 0, diagnostics };
    io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    reportAnnotations(io, diagnostics, 'json');
  } else {
    reportDiagnostics(io, diagnostics, 'text');
  }
  if (!result.ok) {
    if (format === 'text') io.stderr(failureSummary('build', result.diagnostics));
    return failureExitCode(result.diagnostics);
  }
  if (format === 'text') {
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    io.stderr(
      `built ${countOf(result.posts, 'post')}, ${countOf(result.comments, 'comment')}, ${countOf(result.files, 'file')} in ${seconds}s\n`,
    );
  }
  return EXIT.ok;
}

/** A single line on the terminal that each phase of the build rewrites, at most 10 times a second. */
function createProgressLine(io: CliIo): { update: (progress: BuildProgress) => void; clear: () => void } {
  let shown = false;
  let last = 0;
  let lastPhase = '';
  return {
    update(progress) {
      const now = performance.now();
      const done = progress.phase === 'write' && progress.written === progress.total;
      if (progress.phase === lastPhase && now - last < 100 && !done) return;
      last = now;
      lastPhase = progress.phase;
      io.stderr(`\r\x1b[2K${describe(progress)}`);
      shown = true;
    },
    clear() {
      if (shown) io.stderr('\r\x1b[2K');
      shown = false;
    },
  };
}

function describe(progress: BuildProgress): string {
  switch (progress.phase) {
    case 'load':
      return 'loading and validating content…';
    case 'render':
      return `rendering ${progress.posts} posts…`;
    case 'write':
      return `writing files ${progress.written}/${progress.total}`;
    case 'swap':
      return 'replacing the previous output…';
  }
}
