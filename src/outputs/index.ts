import type { OutputFile, Site } from '../site/types';
import { apiFiles } from './api/index';
import { feedFiles } from './feeds/index';
import { pageFiles } from './pages/index';

/**
 * Every output file of a site: pages, the JSON API and the feeds. Pure: no I/O, no clock.
 *
 * @example
 * ```ts
 * const result = await loadSite({ root: '.' });
 * if (result.ok) for (const file of siteFiles(result.site)) console.log(file.path);
 * ```
 */
export function siteFiles(site: Site): OutputFile[] {
  return [...pageFiles(site), ...apiFiles(site), ...feedFiles(site)].sort((a, b) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
  );
}
