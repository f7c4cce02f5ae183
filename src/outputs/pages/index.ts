import type { OutputFile, Site } from '../../site/types';

/** Every HTML page of the site (scaffold: the build issue fills this in). */
export function pageFiles(_site: Site): OutputFile[] {
  return [];
}
