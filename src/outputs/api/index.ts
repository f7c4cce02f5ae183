import type { OutputFile, Site } from '../../site/types';

/** Every document of the static JSON API (scaffold: the build issue fills this in). */
export function apiFiles(_site: Site): OutputFile[] {
  return [];
}
