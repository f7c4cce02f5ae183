import { BroadsheetError } from '../errors';
import { type OutputGroup, siteFilePlan } from '../outputs/index';
import type { Site } from '../site/types';
import { MARKER_FILE } from './out-folder';
import { type KeyedGroup, keyedGroups } from './output-keys';
import { checkOutputPaths } from './write-tree';

/** Every output of a site as the build stages it: the plan, its groups (keys filled in later) and every path. */
export interface PlannedOutput {
  /** The output groups as src/outputs plans them (paths, inputs, make). */
  outputs: OutputGroup[];
  /** The same groups, in the same order, as the build stages them (a key, a `make()` of the site). */
  groups: KeyedGroup[];
  /** Every output path, checked. */
  paths: string[];
}

/**
 * Plans the output of a site: every path up front (to check them and count them), each file's
 * contents only when it is written. A bad path is a bug in an output function: it throws.
 */
export function planOutput(site: Site): PlannedOutput {
  const outputs = siteFilePlan(site);
  const paths = outputs.flatMap((group) => group.paths);
  checkOutputPaths(paths, MARKER_FILE);
  // Names beginning with `.broadsheet-` at the top of the output are the build's own (marker, journal).
  for (const file of paths) {
    if (file.startsWith('.broadsheet-')) {
      throw new BroadsheetError('invalid-output-path', `output path "${file}" is reserved`);
    }
  }
  return { outputs, groups: keyedGroups(site, outputs), paths };
}
