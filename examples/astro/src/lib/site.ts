import { formatDiagnostic, type LoadSiteResult, loadSite, type Site, type SiteWatcher, watchSite } from 'broadsheet';

let loading: Promise<LoadSiteResult> | undefined;

/** One watcher for the dev server's process, kept on globalThis so that a hot reload of this module reuses it. */
const shared = globalThis as typeof globalThis & { broadsheetWatcher?: SiteWatcher };

/**
 * The broadsheet site of this project (broadsheet.config.ts and content/). `astro build` loads and
 * validates it once; `astro dev` watches it (`watchSite`), so that an edited post shows on the next
 * refresh without a restart. Content errors stop `astro build` (or show in the dev server's error
 * page) with `file:line:column` diagnostics.
 */
export async function getSite(): Promise<Site> {
  const result = import.meta.env.DEV
    ? await (shared.broadsheetWatcher ??= watchSite({ root: process.cwd() })).current()
    : await (loading ??= loadSite({ root: process.cwd() }).then((loaded) => {
        if (loaded.ok) for (const warning of loaded.warnings) console.warn(formatDiagnostic(warning));
        return loaded;
      }));
  if (!result.ok) {
    throw new Error(`the content has errors:\n${result.diagnostics.map(formatDiagnostic).join('\n')}`);
  }
  return result.site;
}

/** A date as the day it falls on in UTC, `YYYY-MM-DD`. */
export function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}
