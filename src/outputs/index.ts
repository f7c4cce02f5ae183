import type { OutputFile, Site } from '../site/types';
import { apiPlan } from './api/index';
import { feedPlan } from './feeds/index';
import { OutputKeys } from './keys';
import { pagePlan } from './pages/index';
import { filesOf, type OutputGroup } from './plan';
import { redirectPlan } from './redirects';

export type { OutputGroup } from './plan';

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
  return filesOf(siteFilePlan(site)).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * The same files as {@link siteFiles}, as a plan: every path up front (a few bytes per file), each
 * group's contents made only when asked. A build checks the paths, then makes and writes one group
 * at a time, so its memory holds the site's metadata and the files being written, not every file.
 * Pure, like {@link siteFiles}: making every group gives exactly its files (in another order).
 *
 * @example
 * ```ts
 * const plan = siteFilePlan(site);
 * console.log(plan.reduce((sum, group) => sum + group.paths.length, 0), 'files');
 * for (const group of plan) for (const file of group.make()) await write(file);
 * ```
 */
export function siteFilePlan(site: Site): OutputGroup[] {
  const keys = new OutputKeys(site);
  const plan = [...pagePlan(site, keys), ...apiPlan(site, keys), ...feedPlan(site, keys)];
  return [...plan, ...redirectPlan(site, new Set(plan.flatMap((group) => group.paths)))];
}

/**
 * The files of {@link siteFiles} one at a time, made as they are asked for (pages, then the JSON
 * API, then the feeds; not sorted by path). For writing a large site without holding every file.
 *
 * @example
 * ```ts
 * for (const file of siteFileStream(site)) await writeFile(path.join(out, file.path), file.contents);
 * ```
 */
export function* siteFileStream(site: Site): Generator<OutputFile, void, undefined> {
  for (const group of siteFilePlan(site)) yield* group.make();
}
