import type { OutputFile } from '../site/types';

/**
 * Some output files whose paths are known before their contents are made: `make()` returns files
 * with exactly `paths`, in that order. Each output (pages, JSON API, feeds) is a list of groups, so
 * a build can check every path first and then make and write one group at a time.
 *
 * `key()` is a hash of everything `make()` reads and of `paths` (src/outputs/keys.ts): when two
 * builds of the same version of broadsheet give a group the same key, it has the same files with
 * byte-identical contents, so a warm build whose previous output still holds them does not make
 * them again. A group without a key (or whose key is `undefined`) is made in every build.
 */
export interface OutputGroup {
  paths: string[];
  make(): OutputFile[];
  key?: () => string | undefined;
}

/** A group of one file, without a key: made in every build. */
export function singleFile(path: string, contents: () => string): OutputGroup {
  return { paths: [path], make: () => [{ path, contents: contents() }] };
}

/** Every file of a plan, made now, in plan order. */
export function filesOf(plan: readonly OutputGroup[]): OutputFile[] {
  return plan.flatMap((group) => group.make());
}
