import { formatDiagnostic, type LoadSiteResult, loadSite, type Site, type SiteWatcher, watchSite } from 'broadsheet';
import config from '../broadsheet.config';

let loading: Promise<LoadSiteResult> | undefined;

/** One watcher for the dev server's process, kept on globalThis so that a hot reload of this module reuses it. */
const shared = globalThis as typeof globalThis & { broadsheetWatcher?: SiteWatcher };

/**
 * The site in content/. `next build` loads and validates it once; `next dev` watches it
 * (`watchSite`), so that an edited, added or deleted post shows on the next refresh without a
 * restart. Content errors stop the build, or show on the page in development, with the same
 * `file:line:column` lines `broadsheet check` prints.
 */
export async function getSite(): Promise<Site> {
  const result =
    process.env.NODE_ENV === 'development'
      ? await (shared.broadsheetWatcher ??= watchSite({ root: process.cwd() })).current()
      : await (loading ??= loadSite({ root: process.cwd(), config }).then((loaded) => {
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
