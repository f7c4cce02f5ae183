import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { OutputKeys } from '../build/output-keys';
import { type PlannedOutput, planOutput, sameStrings, withStaticFiles } from '../build/plan-output';
import type { Diagnostic } from '../diagnostics/diagnostic';
import { loadSiteWith } from '../load/load-site';
import { LoadedFileStore } from '../load/loaded-file-store';
import type { OutputFile, Site } from '../site/types';

/** Options of {@link createPreviewSite}. */
export interface PreviewSiteOptions {
  /** The site root. */
  root: string;
  /** A config file relative to the root, instead of looking for `broadsheet.config.*`. */
  configFile?: string;
  /** The preview's origin (`http://127.0.0.1:4000`): it replaces the origin of `site.url`. */
  origin: string;
}

/** What one {@link PreviewSite.update} gives: the new preview's size and warnings, or why there is none. */
export type PreviewUpdate =
  | { ok: true; files: number; warnings: Diagnostic[] }
  | { ok: false; diagnostics: Diagnostic[] };

/** A file of the preview: its bytes as a build would write them. */
export interface PreviewFile {
  path: string;
  bytes: Uint8Array;
}

/**
 * A site previewed from memory, as `broadsheet dev` serves it: each {@link update} loads the site
 * again (drafts and future posts marked, links on the preview's origin) with a
 * {@link LoadedFileStore}, so that a one-file edit reads, parses and renders that file alone, and
 * plans its output; nothing is written. A file is made when it is asked for ({@link file}): only
 * the output group holding it, whose made files are kept under the group's key (its paths and
 * inputs, as the build keys groups) for as long as later loads give the same key. The bytes are the
 * ones `buildSite` with the same `preview` would write (a test checks it after random edits).
 */
export interface PreviewSite {
  /** Loads the site again after `changed` files (relative to the root; `[]` for the first load). */
  update(changed: readonly string[]): Promise<PreviewUpdate>;
  /** The last good load's site, if any. */
  readonly site: Site | undefined;
  /** Whether the last good load's output has a file at this path. */
  has(outputPath: string): boolean;
  /** A file of the last good load's output by its path in `out` (`posts/a/index.html`), made now. */
  file(outputPath: string): Promise<PreviewFile | undefined>;
}

/** Made groups kept past this many are dropped (all of them: the next requests make them again). */
const MAX_KEPT_GROUPS = 4096;

interface Loaded {
  site: Site;
  planned: PlannedOutput;
  /** The generated paths (`planOutput`'s, before the copied files), checked. */
  generated: readonly string[];
  /** Each output path's group, by its index in `planned.groups`. */
  groupOf: Map<string, number>;
  keys: OutputKeys | undefined;
}

/**
 * Starts a {@link PreviewSite} (nothing is loaded before the first `update`).
 *
 * @example
 * ```ts
 * const preview = createPreviewSite({ root, origin: 'http://127.0.0.1:4000' });
 * await preview.update([]);
 * const page = await preview.file('index.html');
 * ```
 */
export function createPreviewSite(options: PreviewSiteOptions): PreviewSite {
  const root = path.resolve(options.root);
  const store = new LoadedFileStore();
  const made = new Map<string, OutputFile[]>();
  let loaded: Loaded | undefined;

  const update = async (changed: readonly string[]): Promise<PreviewUpdate> => {
    store.changed(changed);
    const result = await loadSiteWith(
      {
        root,
        configFile: options.configFile,
        preview: { origin: options.origin },
        // The first load (or one after the store starts over) takes renders from the persistent
        // cache; later ones render the few changed documents in the main thread.
        cache: !store.warm,
      },
      store,
    );
    if (!result.ok) return { ok: false, diagnostics: result.diagnostics };
    const { site, warnings } = result;
    // The last good load's paths: when an edit left them as they were, they are not checked again.
    const generated = planOutput(site, loaded?.generated);
    const planned = withStaticFiles(root, site, generated);
    if ('diagnostics' in planned) return { ok: false, diagnostics: [...planned.diagnostics, ...warnings] };
    const groupOf =
      loaded && sameGroups(loaded.planned, planned.plan) ? loaded.groupOf : groupIndex(planned.plan);
    loaded = { site, planned: planned.plan, generated: generated.paths, groupOf, keys: undefined };
    return { ok: true, files: planned.plan.paths.length, warnings };
  };

  const file = async (outputPath: string): Promise<PreviewFile | undefined> => {
    const current = loaded;
    const index = current?.groupOf.get(outputPath);
    if (current === undefined || index === undefined) return undefined;
    const group = current.planned.groups[index]!;
    const output = current.planned.outputs[index];
    let files: OutputFile[];
    if (output === undefined) {
      // The static files: copied as they are now.
      files = group.make();
    } else {
      current.keys ??= new OutputKeys(current.site);
      const key = current.keys.keyOf(output.paths, output.inputs);
      const kept = key === undefined ? undefined : made.get(key);
      files = kept ?? group.make();
      if (key !== undefined && !kept) {
        if (made.size >= MAX_KEPT_GROUPS) made.clear();
        made.set(key, files);
      }
    }
    const found = files.find((candidate) => candidate.path === outputPath);
    if (!found) return undefined;
    const bytes =
      found.source === undefined
        ? Buffer.from(found.contents, 'utf8')
        : await readFile(found.source).catch(() => undefined);
    return bytes && { path: outputPath, bytes };
  };

  return {
    update,
    get site() {
      return loaded?.site;
    },
    has: (outputPath) => loaded?.groupOf.has(outputPath) ?? false,
    file,
  };
}

/** Each output path's group, by its index in `planned.groups`. */
function groupIndex(planned: PlannedOutput): Map<string, number> {
  const groupOf = new Map<string, number>();
  for (const [index, group] of planned.groups.entries()) {
    for (const file of group.paths) groupOf.set(file, index);
  }
  return groupOf;
}

/** Whether two plans have the same groups of paths, in the same order (so the same {@link groupIndex}). */
function sameGroups(a: PlannedOutput, b: PlannedOutput): boolean {
  return (
    a.groups.length === b.groups.length &&
    a.groups.every((group, index) => sameStrings(group.paths, b.groups[index]!.paths))
  );
}
