import { BroadsheetError } from '../errors';
import type { Author, Comment, OutputFile, Post, Site, SitePage, Tag } from '../site/types';

/**
 * The lists of a site that one output group may read. A group's `make()` gets a site whose other
 * lists throw when read (see {@link scopedSite}), so a group cannot read more than it declares.
 */
export interface SiteLists {
  posts?: Post[];
  tags?: Tag[];
  comments?: Comment[];
  authors?: Author[];
  pages?: SitePage[];
}

/**
 * What one output group is made from besides the site-wide settings (`config`, `url`):
 * the site lists it may read (`lists`), and any other values (a post, a tag, a page of posts, a
 * number). `make()` receives exactly these values, and the build's key of the group
 * (src/build/output-keys.ts) is made of exactly these values, so the two cannot drift apart.
 */
export type GroupInputs = { lists?: SiteLists } & Record<string, unknown>;

/**
 * Some output files whose paths are known before their contents are made: plain data. `make()`,
 * given a site scoped to `inputs.lists` ({@link scopedSite}) and the inputs, returns files with
 * exactly `paths`, in that order ({@link makeGroup} calls it so). Each output (pages, JSON API,
 * feeds) is a list of groups, so that a build can check every path first, then make and write one
 * group at a time, and skip the groups whose inputs did not change since the last build.
 */
export interface OutputGroup<T extends GroupInputs = GroupInputs> {
  paths: string[];
  inputs: T;
  make(scoped: Site, inputs: T): OutputFile[];
}

/**
 * A group of one file.
 *
 * @example
 * ```ts
 * const group = fileGroup(`posts/${post.slug}/index.html`, { post }, (scoped, { post }) =>
 *   postPage(scoped, post),
 * );
 * ```
 */
export function fileGroup<T extends GroupInputs>(
  path: string,
  inputs: T,
  contents: (scoped: Site, inputs: T) => string,
): OutputGroup<T> {
  return { paths: [path], inputs, make: (scoped, given) => [{ path, contents: contents(scoped, given) }] };
}

/**
 * A site with only the lists `lists` holds: reading another list throws a `BroadsheetError`
 * (`output-scope`). `config`, `url`, `menu` and `stylesheet` are there as in `site`: they are
 * site-wide settings every group may read (the build's site fingerprint covers them). Every output group makes its files
 * from such a site, so that what a group reads is what it declares; reading anything else fails in
 * every build (and in the tests), not only in warm ones.
 */
export function scopedSite(site: Site, lists: SiteLists): Site {
  return new ScopedSite(site, lists);
}

/**
 * The site of {@link scopedSite}: its lists are getters of the class, not of each object (an object
 * literal with five getters cost a runtime call per getter, made once per output group: 20–50 ms of
 * a cold 4,000-post build; docs/decisions/performance.md, "Round six").
 */
class ScopedSite implements Site {
  readonly config: Site['config'];
  readonly url: string;
  readonly menu: Site['menu'];
  readonly stylesheet: Site['stylesheet'];
  readonly #lists: SiteLists;

  constructor(site: Site, lists: SiteLists) {
    this.config = site.config;
    this.url = site.url;
    this.menu = site.menu;
    this.stylesheet = site.stylesheet;
    this.#lists = lists;
  }

  get posts(): Post[] {
    return listIn(this.#lists, 'posts');
  }
  get tags(): Tag[] {
    return listIn(this.#lists, 'tags');
  }
  get comments(): Comment[] {
    return listIn(this.#lists, 'comments');
  }
  get authors(): Author[] {
    return listIn(this.#lists, 'authors');
  }
  get pages(): SitePage[] {
    return listIn(this.#lists, 'pages');
  }
}

/** The list `name` of `lists`; reading one that is not there throws (`output-scope`). */
function listIn<K extends keyof SiteLists>(lists: SiteLists, name: K): NonNullable<SiteLists[K]> {
  const value = lists[name];
  if (value === undefined) {
    throw new BroadsheetError(
      'output-scope',
      `an output group read site.${name}, which is not in its inputs (src/outputs/plan.ts)`,
    );
  }
  return value as NonNullable<SiteLists[K]>;
}

/** The files of one group of `site`'s plan, made now from its inputs and a site scoped to them. */
export function makeGroup(site: Site, group: OutputGroup): OutputFile[] {
  return group.make(scopedSite(site, group.inputs.lists ?? {}), group.inputs);
}

/** Every file of a plan of `site`, made now, in plan order. */
export function filesOf(site: Site, plan: readonly OutputGroup[]): OutputFile[] {
  return plan.flatMap((group) => makeGroup(site, group));
}
