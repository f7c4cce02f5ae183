import { createHash, hash } from 'node:crypto';
import { stableIdentity } from '../cache/identity';
import { BroadsheetError } from '../errors';
import type { Author, Comment, OutputFile, Post, Site, Tag } from '../site/types';
import type { OutputGroup } from './plan';

/**
 * The lists of a site that one output group may read. A group's `make()` gets a site whose other
 * lists throw when read (see {@link scopedSite}), so a group cannot read more than its key covers.
 */
export interface SiteLists {
  posts?: Post[];
  tags?: Tag[];
  comments?: Comment[];
  authors?: Author[];
}

/**
 * What one output group is made from besides the site-wide settings: the site lists it may read
 * (`lists`), and any other values (a post, a tag, a page of posts, a number). The group's key is a
 * hash of exactly these values and the site fingerprint, and `make()` receives exactly these values,
 * so the two cannot drift apart.
 */
export type GroupInputs = { lists?: SiteLists } & Record<string, unknown>;

/**
 * A site with only the lists `lists` holds: reading another list throws a `BroadsheetError`
 * (`output-scope`). `config` and `url` are there as in `site`: the site fingerprint covers them.
 * Every output group makes its files from such a site, so that what a group reads is what its key
 * is made of; reading anything else fails in every build (and in the tests), not only in warm ones.
 */
export function scopedSite(site: Site, lists: SiteLists): Site {
  const list = <K extends keyof SiteLists>(name: K): NonNullable<SiteLists[K]> => {
    const value = lists[name];
    if (value === undefined) {
      throw new BroadsheetError(
        'output-scope',
        `an output group read site.${name}, which is not in its inputs (src/outputs/keys.ts)`,
      );
    }
    return value as NonNullable<SiteLists[K]>;
  };
  return {
    config: site.config,
    url: site.url,
    get posts() {
      return list('posts');
    },
    get tags() {
      return list('tags');
    },
    get comments() {
      return list('comments');
    },
    get authors() {
      return list('authors');
    },
  };
}

/** Lists at least this long are written once per plan and stand in a key as the hash of their text. */
const LONG_LIST = 64;

/** Marks a value that JSON would write like another one (a `Map`, `NaN`, a `bigint`, …) in a fingerprint. */
const TAG = '\0';

/**
 * A JSON replacer that writes every value JSON would lose or confuse as a tagged object, so that two
 * values with the same text are the same value: `Map`, `Set`, `Date` (not its ISO string, which a
 * string could equal), `bigint`, `NaN`, `±Infinity`, `-0`, `undefined`, functions and symbols.
 * Strings and keys that start with the tag character get one more, so that they cannot pass for a tag.
 */
function exactReplacer(this: unknown, key: string, value: unknown): unknown {
  const raw = (this as Record<string, unknown>)[key];
  switch (typeof raw) {
    case 'string':
      return raw.charCodeAt(0) === 0 ? TAG + raw : raw;
    case 'number':
      return Number.isFinite(raw) && !Object.is(raw, -0) ? raw : { [`${TAG}number`]: String(raw) };
    case 'boolean':
      return raw;
    case 'bigint':
      return { [`${TAG}bigint`]: String(raw) };
    case 'undefined':
      return { [`${TAG}undefined`]: 0 };
    case 'function':
      return { [`${TAG}function`]: `${raw.name}:${Function.prototype.toString.call(raw)}` };
    case 'symbol':
      return { [`${TAG}symbol`]: String(raw) };
  }
  if (raw === null) return null;
  if (raw instanceof Date) return { [`${TAG}date`]: String(raw.getTime()) };
  if (raw instanceof Map) return { [`${TAG}map`]: [...raw] };
  if (raw instanceof Set) return { [`${TAG}set`]: [...raw] };
  if (value !== raw) return { [`${TAG}json`]: value }; // its own toJSON (a Buffer, a URL)
  if (Array.isArray(raw)) return raw;
  const object = raw as Record<string, unknown>;
  let tagLike = false;
  for (const name in object) {
    if (name.charCodeAt(0) === 0 && Object.hasOwn(object, name)) {
      tagLike = true;
      break;
    }
  }
  if (!tagLike) return object;
  const escaped: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(object)) {
    Object.defineProperty(escaped, name.charCodeAt(0) === 0 ? TAG + name : name, {
      value: item,
      enumerable: true,
    });
  }
  return escaped;
}

/** The exact text of any value (see {@link exactReplacer}); throws a `TypeError` for a cycle. */
function exactText(value: unknown): string {
  return JSON.stringify({ v: value }, exactReplacer);
}

/**
 * Whether JSON writes `value` exactly (strings, finite numbers other than `-0`, booleans, `null`,
 * arrays and plain objects of them, no key starting with the tag character), so that plain
 * `JSON.stringify` is enough. Front matter nearly always is; checking costs far less than the replacer.
 */
function isPlainJson(value: unknown, depth = 0): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object': {
      if (value === null) return true;
      if (depth > 64) return false;
      if (Array.isArray(value)) {
        for (let index = 0; index < value.length; index++) {
          if (!(index in value) || !isPlainJson(value[index], depth + 1)) return false;
        }
        return true;
      }
      const prototype = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) return false;
      for (const key in value) {
        if (key.charCodeAt(0) === 0 || !isPlainJson((value as Record<string, unknown>)[key], depth + 1)) {
          return false;
        }
      }
      return true;
    }
    default:
      return false;
  }
}

/**
 * Front matter as a value whose JSON is exact: itself when JSON writes it exactly, else an object
 * holding its exact text under a tagged key (which plain front matter cannot have, see
 * {@link isPlainJson}), so that the two never write alike.
 */
function dataValue(data: unknown): unknown {
  return isPlainJson(data) ? data : { [`${TAG}exact`]: exactText(data) };
}

function digest(text: string): string {
  return hash('sha1', text, 'base64url');
}

type Kind = 'post' | 'tag' | 'comment';

/**
 * The fingerprints one plan's keys are made of, each computed once, when a key first needs it:
 *
 * - the **site fingerprint**: everything site-wide an output reads (the resolved config with its
 *   plugins' source, `site.url`, the author profiles). The identity of broadsheet's own output code
 *   is not in it: the build adds it (it needs I/O), see src/build/output-manifest.ts;
 * - a **post fingerprint** for each post: every field of the post and of its comments;
 * - a **tag fingerprint**: its name, slug, URL and its posts' fingerprints;
 * - a **comment fingerprint** for a comment listed on its own (the site's comment feed): its post's
 *   fingerprint and its place among the post's comments, or for a comment of no post of the site,
 *   its own fields.
 *
 * A value that cannot be fingerprinted (a cycle in a post's front matter) gives no fingerprint, and
 * every group that reads it has no key: it is made in every build.
 */
export class OutputKeys {
  private siteFingerprint: string | null | undefined;
  private readonly known = new Map<object, string | null>();
  private readonly kinds = new Map<object, Kind>();
  /** A comment of a post, as its post and its place in `post.comments`: the post's fingerprint covers it. */
  private readonly owners = new Map<Comment, { post: Post; index: number }>();
  /** The text of each long list already written once (`site.posts` is read by several groups). */
  private readonly lists = new WeakMap<readonly unknown[], string>();

  constructor(private readonly site: Site) {
    for (const post of site.posts) {
      this.kinds.set(post, 'post');
      for (const [index, comment] of post.comments.entries()) {
        this.kinds.set(comment, 'comment');
        this.owners.set(comment, { post, index });
      }
    }
    for (const tag of site.tags) this.kinds.set(tag, 'tag');
    for (const comment of site.comments) this.kinds.set(comment, 'comment');
  }

  /**
   * The key of a group with these paths and inputs (both are in it): the same key in two builds
   * means the same files at the same paths. `undefined` when an input cannot be fingerprinted.
   */
  keyOf(paths: readonly string[], inputs: GroupInputs): string | undefined {
    const site = this.siteWide();
    if (site === null) return undefined;
    try {
      return digest(`${site}\0${paths.join('\0')}\0${this.inputText(inputs)}`);
    } catch (error) {
      if (error instanceof NoFingerprint || error instanceof TypeError) return undefined;
      throw error;
    }
  }

  /**
   * The exact text of a group's inputs, where a post, tag or comment of the site stands as its
   * fingerprint. Each kind of value has its own first character, so different inputs give different
   * texts: strings are quoted, numbers as `String` writes them (`NaN`, `-0` kept), objects of the site
   * `post:…`, anything else unusual as exact JSON after `x`.
   */
  private inputText(value: unknown): string {
    switch (typeof value) {
      case 'string':
        return JSON.stringify(value);
      case 'number':
        return Object.is(value, -0) ? '-0' : String(value);
      case 'boolean':
      case 'undefined':
        return String(value);
      case 'object': {
        if (value === null) return 'null';
        const kind = this.kinds.get(value);
        if (kind !== undefined) {
          const fingerprint = this.fingerprint(value, kind);
          if (fingerprint === null) throw new NoFingerprint();
          return `${kind}:${fingerprint}`;
        }
        if (Array.isArray(value)) {
          if (value.length < LONG_LIST) return this.arrayText(value);
          let text = this.lists.get(value);
          if (text === undefined) {
            text = `list:${digest(this.arrayText(value))}`;
            this.lists.set(value, text);
          }
          return text;
        }
        if (Object.getPrototypeOf(value) === Object.prototype) {
          let text = '{';
          for (const [key, item] of Object.entries(value)) {
            text += `${text === '{' ? '' : ','}${JSON.stringify(key)}:${this.inputText(item)}`;
          }
          return `${text}}`;
        }
        return `x${exactText(value)}`;
      }
      default:
        return `x${exactText(value)}`;
    }
  }

  private arrayText(value: readonly unknown[]): string {
    let text = '[';
    for (let index = 0; index < value.length; index++) {
      text += `${index === 0 ? '' : ','}${index in value ? this.inputText(value[index]) : 'hole'}`;
    }
    return `${text}]`;
  }

  private siteWide(): string | null {
    if (this.siteFingerprint === undefined) {
      try {
        this.siteFingerprint = digest(
          `${stableIdentity(this.site.config)}\0${this.site.url}\0${exactText(this.site.authors)}`,
        );
      } catch {
        this.siteFingerprint = null;
      }
    }
    return this.siteFingerprint;
  }

  private fingerprint(value: object, kind: Kind): string | null {
    let fingerprint = this.known.get(value);
    if (fingerprint !== undefined) return fingerprint;
    try {
      if (kind === 'post') fingerprint = postFingerprint(value as Post);
      else if (kind === 'comment') fingerprint = this.commentFingerprint(value as Comment);
      else fingerprint = digest(this.inputText({ ...(value as Tag) }));
    } catch (error) {
      if (!(error instanceof NoFingerprint || error instanceof TypeError)) throw error;
      fingerprint = null;
    }
    this.known.set(value, fingerprint);
    return fingerprint;
  }

  private commentFingerprint(comment: Comment): string | null {
    const owner = this.owners.get(comment);
    if (!owner) {
      return createHash('sha1')
        .update(JSON.stringify(commentRest(comment)))
        .update('\0')
        .update(comment.html)
        .digest('base64url');
    }
    const post = this.fingerprint(owner.post, 'post');
    return post === null ? null : `${post}#${owner.index}`;
  }
}

class NoFingerprint extends Error {}

/**
 * A post's fingerprint: every field of the post and of its comments. The bulk of a post is its HTML,
 * which JSON would copy and escape (most of the cost), so the HTML of the post and of its comments
 * is hashed as it is, after the JSON of everything else (which records each HTML's length, so the
 * bytes split back into their parts). Dates are written as their time value (JSON's `toISOString` is
 * slow); front matter, which a schema extension may turn into any value, as {@link dataValue}; the
 * other fields are strings, numbers, booleans and arrays and objects of them, which JSON writes exactly.
 */
function postFingerprint(post: Post): string {
  const rest = JSON.stringify({
    ...post,
    date: post.date.getTime(),
    updated: post.updated?.getTime(),
    html: post.html.length,
    comments: post.comments.map(commentRest),
    data: dataValue(post.data),
  });
  const sha1 = createHash('sha1').update(rest).update('\0').update(post.html);
  for (const comment of post.comments) sha1.update(comment.html);
  return sha1.digest('base64url');
}

/** A comment without its HTML (only its length), for JSON. */
function commentRest(comment: Comment): object {
  return {
    ...comment,
    date: comment.date.getTime(),
    html: comment.html.length,
    data: dataValue(comment.data),
  };
}

/**
 * An output group whose files are made from `inputs` alone, with a key of those inputs. `make`
 * receives a site scoped to `inputs.lists` (see {@link scopedSite}) and the inputs.
 *
 * @example
 * ```ts
 * const keys = new OutputKeys(site);
 * const group = keyedGroup(keys, site, ['posts/a/index.html'], { post }, (scoped, { post }) => [
 *   { path: 'posts/a/index.html', contents: postPage(scoped, post) },
 * ]);
 * group.key(); // the same in a build where the site settings and this post are the same
 * ```
 */
export function keyedGroup<T extends GroupInputs>(
  keys: OutputKeys,
  site: Site,
  paths: string[],
  inputs: T,
  make: (site: Site, inputs: T) => OutputFile[],
): OutputGroup {
  // Computed once: a build may ask for the keys ahead of making the files (the site does not change).
  let key: string | undefined | null = null;
  return {
    paths,
    key: () => {
      if (key === null) key = keys.keyOf(paths, inputs);
      return key;
    },
    make: () => make(scopedSite(site, inputs.lists ?? {}), inputs),
  };
}

/** A {@link keyedGroup} of one file. */
export function keyedFile<T extends GroupInputs>(
  keys: OutputKeys,
  site: Site,
  path: string,
  inputs: T,
  contents: (site: Site, inputs: T) => string,
): OutputGroup {
  return keyedGroup(keys, site, [path], inputs, (scoped, given) => [
    { path, contents: contents(scoped, given) },
  ]);
}
