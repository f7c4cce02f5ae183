import { formatDiagnostic, loadSite, type Site } from 'broadsheet';

let loading: Promise<Site> | undefined;

/**
 * The broadsheet site of this project (broadsheet.config.ts and content/), loaded and validated
 * once per build. Content errors stop `astro build` with `file:line:column` diagnostics.
 */
export function getSite(): Promise<Site> {
  loading ??= loadSite({ root: process.cwd() }).then((result) => {
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
