import type { OutputFile } from '../site/types';

/**
 * Some output files whose paths are known before their contents are made: `make()` returns files
 * with exactly `paths`, in that order. Each output (pages, JSON API, feeds) is a list of groups, so
 * a build can check every path first and then make and write one group at a time.
 */
export interface OutputGroup {
  paths: string[];
  make(): OutputFile[];
}

/** A group of one file. */
export function singleFile(path: string, contents: () => string): OutputGroup {
  return { paths: [path], make: () => [{ path, contents: contents() }] };
}

/** Every file of a plan, made now, in plan order. */
export function filesOf(plan: readonly OutputGroup[]): OutputFile[] {
  return plan.flatMap((group) => group.make());
}
