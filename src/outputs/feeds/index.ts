import type { OutputFile, Site } from '../../site/types';

/** Every feed of the site (scaffold: the feeds issue fills this in). */
export function feedFiles(_site: Site): OutputFile[] {
  return [];
}
