import { stat } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../config/load-config';
import { compareDiagnostics, type Diagnostic, diagnostic } from '../diagnostics/diagnostic';
import { readBlogger } from './blogger';
import { readFeed } from './feed';
import { readGhost } from './ghost';
import type { ExportReader, ImportFormat } from './model';
import { readWordpress } from './wordpress';
import { type ImportedFile, type ImportSummary, ImportWriter } from './writer';

const readers: Record<ImportFormat, ExportReader> = {
  wordpress: readWordpress,
  blogger: readBlogger,
  ghost: readGhost,
  feed: readFeed,
};

/** Options of {@link importExport}. */
export interface ImportOptions {
  format: ImportFormat;
  /** The export file (absolute, or relative to the current folder). */
  file: string;
  /** The site root to write into; it must have a config (`broadsheet init` makes one). */
  root: string;
  /** The config file, when not one of the usual names in the root. */
  configFile?: string;
  /** Write nothing; `files` says what would be written. */
  dryRun?: boolean;
  /** Keep WordPress pingbacks and trackbacks as comments. */
  pingbacks?: boolean;
  /** Called as the export is read, with its size, the bytes read and the posts and pages so far. */
  onProgress?: (progress: { bytesRead: number; totalBytes: number; items: number }) => void;
}

/** What an import did (or, with `dryRun`, would do). */
export interface ImportResult {
  /** `false` when the export could not be read to its end or the config is at fault. */
  ok: boolean;
  summary: ImportSummary;
  files: ImportedFile[];
  /** Errors (a malformed export, a missing file) and warnings (what was skipped or changed, and why). */
  diagnostics: Diagnostic[];
}

/**
 * Imports a blog export into a site root: posts, pages, authors and threaded comments with their
 * moderation status, never overwriting a file. What cannot be represented is fixed or skipped with a
 * warning, so that `broadsheet check` passes on the result. Running the same import again writes
 * nothing (every file is `unchanged`).
 *
 * @example
 * ```ts
 * const result = await importExport({ format: 'wordpress', file: 'export.xml', root: '.' });
 * console.log(result.summary.posts, 'posts');
 * ```
 */
export async function importExport(options: ImportOptions): Promise<ImportResult> {
  const root = path.resolve(options.root);
  const file = path.resolve(options.file);
  const exportName = path.basename(file);
  const loaded = await loadConfig({
    root,
    ...(options.configFile ? { configFile: options.configFile } : {}),
  });
  const emptyWriter = () => new ImportWriter({ root, contentDir: 'content', exportName, dryRun: true });
  if (!loaded.ok) {
    return { ok: false, summary: emptyWriter().summary(), files: [], diagnostics: loaded.diagnostics };
  }
  let totalBytes: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
    totalBytes = info.size;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
    return {
      ok: false,
      summary: emptyWriter().summary(),
      files: [],
      diagnostics: [
        diagnostic({
          code: 'import-unreadable-file',
          file: exportName,
          line: 1,
          column: 1,
          message: `cannot read the export ${options.file} (${code})`,
        }),
      ],
    };
  }
  const writer = new ImportWriter({
    root,
    contentDir: loaded.loaded.config.content,
    exportName,
    dryRun: options.dryRun === true,
  });
  if (options.onProgress) {
    const report = options.onProgress;
    writer.onProgress = (bytesRead, items) => report({ bytesRead, totalBytes, items });
  }
  const problems = await readers[options.format](file, exportName, writer, {
    pingbacks: options.pingbacks === true,
  });
  writer.finish();
  const diagnostics = [...loaded.loaded.warnings, ...problems, ...writer.diagnostics].sort(
    compareDiagnostics,
  );
  return {
    ok: !diagnostics.some((diagnostic) => diagnostic.severity === 'error'),
    summary: writer.summary(),
    files: writer.files,
    diagnostics,
  };
}
