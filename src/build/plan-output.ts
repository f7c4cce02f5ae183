import { type Diagnostic, diagnostic } from '../diagnostics/diagnostic';
import { BroadsheetError } from '../errors';
import { type OutputGroup, siteFilePlan } from '../outputs/index';
import type { Site } from '../site/types';
import { MARKER_FILE } from './out-folder';
import { type KeyedGroup, keyedGroups } from './output-keys';
import { listStaticFiles, staticCollisions } from './static-files';
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

/**
 * The plan with the files of the site's static folder added, copied verbatim to the same paths in
 * `out` (made in every build: their bytes are read and compared, not keyed); or a `static-collision`
 * error for each static file whose path a generated file or folder takes, naming both.
 */
export function withStaticFiles(
  root: string,
  site: Site,
  plan: PlannedOutput,
): { plan: PlannedOutput } | { diagnostics: Diagnostic[] } {
  const folder = site.config.static;
  const files = listStaticFiles(root, folder);
  if (files.length === 0) return { plan };
  const collisions = staticCollisions(
    files.map((file) => file.path),
    [...plan.paths, MARKER_FILE],
  );
  if (collisions.length > 0) {
    return {
      diagnostics: collisions.map(([staticPath, generated]) =>
        diagnostic({
          code: 'static-collision',
          file: `${folder.replace(/\/+$/, '')}/${staticPath}`,
          message:
            generated === staticPath
              ? `${folder}/${staticPath} would take the place of the generated ${generated}: rename or remove it`
              : `${folder}/${staticPath} collides with the generated ${generated}: rename or remove it`,
        }),
      ),
    };
  }
  const group = {
    paths: files.map((file) => file.path),
    key: undefined,
    make: () => files.map((file) => ({ path: file.path, contents: '', source: file.source })),
  };
  return { plan: { ...plan, groups: [...plan.groups, group], paths: [...plan.paths, ...group.paths] } };
}
