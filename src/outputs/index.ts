import { compareText } from '../common/text';
import type { OutputFile, Site } from '../site/types';
import { apiPlan } from './api/index';
import { feedPlan } from './feeds/index';
import { pagePlan } from './pages/index';
import { filesOf, type OutputGroup } from './plan';
import { redirectPlan } from './redirects';
import { seoPlan } from './seo/index';

export type { GroupInputs, OutputGroup, SiteLists } from './plan';
export { makeGroup, scopedSite } from './plan';

/**
 * Every output file of a site: pages, the JSON API, the feeds, the sitemap and `robots.txt`. Pure:
 * no I/O, no clock.
 *
 * @example
 * ```ts
 * const result = await loadSite({ root: '.' });
 * if (result.ok) for (const file of siteFiles(result.site)) console.log(file.path);
 * ```
 */
export function siteFiles(site: Site): OutputFile[] {
  return filesOf(site, siteFilePlan(site)).sort((a, b) => compareText(a.path, b.path));
}

/**
 * The same files as {@link siteFiles}, as a plan (internal: the build's input): every path up front
 * (a few bytes per file), each group's contents made only when asked ({@link makeGroup}). A build
 * checks the paths, then makes and writes one group at a time, so its memory holds the site's
 * metadata and the files being written, not every file. Pure, like {@link siteFiles}: making every
 * group gives exactly its files (in another order).
 *
 * @example
 * ```ts
 * const plan = siteFilePlan(site);
 * console.log(plan.reduce((sum, group) => sum + group.paths.length, 0), 'files');
 * for (const group of plan) for (const file of makeGroup(site, group)) await write(file);
 * ```
 */
export function siteFilePlan(site: Site): OutputGroup[] {
  const plan = [...pagePlan(site), ...apiPlan(site), ...feedPlan(site), ...seoPlan(site)];
  return [...plan, ...redirectPlan(site, new Set(plan.flatMap((group) => group.paths)))];
}
