import path from 'node:path';
import { type Diagnostic, diagnostic } from '../diagnostics/diagnostic';
import { BroadsheetError } from '../errors';
import { type OutputGroup, siteFilePlan } from '../outputs/index';
import { paths } from '../site/paths';
import type { Site } from '../site/types';
import { MARKER_FILE } from './out-folder';
import { type KeyedGroup, keyedGroups } from './output-keys';
import { listStaticFiles, type StaticFile, staticCollisions } from './static-files';
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
 * `checked`, an earlier plan's `paths` (a watch loop's last load), skips the checks when the paths
 * are the same, in the same order: the checks look at the paths alone.
 */
export function planOutput(site: Site, checked?: readonly string[]): PlannedOutput {
  const outputs = siteFilePlan(site);
  const paths = outputs.flatMap((group) => group.paths);
  if (checked === undefined || !sameStrings(checked, paths)) {
    checkOutputPaths(paths, MARKER_FILE);
    // Names beginning with `.broadsheet-` at the top of the output are the build's own (marker, journal).
    for (const file of paths) {
      if (file.startsWith('.broadsheet-')) {
        throw new BroadsheetError('invalid-output-path', `output path "${file}" is reserved`);
      }
    }
  }
  return { outputs, groups: keyedGroups(site, outputs), paths };
}

/** Whether two lists hold the same strings in the same order. */
export function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}

/**
 * The plan with the files copied from the site added, verbatim: each post folder's files beside the
 * post's page (`posts/<slug>/<path>`) and the static folder's at the same paths in `out` (made in
 * every build: their bytes are read and compared, not keyed); or, for each of them whose path a
 * generated file or folder takes, an `asset-collision` or `static-collision` error naming both.
 */
export function withStaticFiles(
  root: string,
  site: Site,
  plan: PlannedOutput,
): { plan: PlannedOutput } | { diagnostics: Diagnostic[] } {
  const assets = postAssetFiles(root, site);
  const folder = site.config.static;
  const files = listStaticFiles(root, folder);
  if (files.length === 0 && assets.length === 0) return { plan };
  const generated = [...plan.paths, MARKER_FILE];
  const assetOf = new Map(assets.map((asset) => [asset.path, asset.file]));
  const diagnostics = [
    ...staticCollisions(
      assets.map((asset) => asset.path),
      generated,
    ).map(([assetPath, generatedPath]) =>
      collision('asset-collision', assetOf.get(assetPath)!, assetPath, generatedPath),
    ),
    ...staticCollisions(
      files.map((file) => file.path),
      [...generated, ...assetOf.keys()],
    ).map(([staticPath, generatedPath]) => {
      const shown = `${folder.replace(/\/+$/, '')}/${staticPath}`;
      const asset = assetOf.get(generatedPath);
      return collision('static-collision', shown, staticPath, generatedPath, asset);
    }),
  ];
  if (diagnostics.length > 0) return { diagnostics };
  const copied = [...assets, ...files];
  const group = {
    paths: copied.map((file) => file.path),
    key: undefined,
    make: () => copied.map((file) => ({ path: file.path, contents: '', source: file.source })),
  };
  return { plan: { ...plan, groups: [...plan.groups, group], paths: [...plan.paths, ...group.paths] } };
}

/** Every published post's files, at their paths in `out`, with the file each is copied from. */
function postAssetFiles(root: string, site: Site): (StaticFile & { file: string })[] {
  return site.posts.flatMap((post) =>
    (post.assets ?? []).map((asset) => ({
      path: `${paths.post(post.slug)}${asset.path}`,
      source: path.join(root, asset.file),
      file: asset.file,
    })),
  );
}

/** A collision of a copied file (`shown`, at `outPath` in `out`) with a generated path (or another post's file). */
function collision(
  code: 'asset-collision' | 'static-collision',
  shown: string,
  outPath: string,
  generatedPath: string,
  generatedFrom?: string,
): Diagnostic {
  const other = generatedFrom
    ? `${generatedPath}, a file of a post folder (${generatedFrom})`
    : `the generated ${generatedPath}`;
  return diagnostic({
    code,
    file: shown,
    message:
      generatedPath === outPath
        ? `${shown} would take the place of ${other}: rename or remove it`
        : `${shown} collides with ${other}: rename or remove it`,
  });
}
