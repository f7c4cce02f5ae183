import { formatDiagnostic, loadSite, type Site } from 'broadsheet';
import config from '../broadsheet.config';

let loading: Promise<Site> | undefined;

/**
 * The site in content/, loaded and validated once per build process. Content errors stop the
 * build with the same `file:line:column` lines `broadsheet check` prints.
 */
export function getSite(): Promise<Site> {
  loading ??= loadSite({ root: process.cwd(), config }).then((result) => {
    if (!result.ok) {
      throw new Error(`the content has errors:\n${result.diagnostics.map(formatDiagnostic).join('\n')}`);
    }
    for (const warning of result.warnings) console.warn(formatDiagnostic(warning));
    return result.site;
  });
  return loading;
}

/** A date as the day it falls on in UTC, `YYYY-MM-DD`. */
export function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}
