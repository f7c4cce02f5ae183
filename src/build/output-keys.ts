import { exactText, isPlainJson } from '../fingerprint/exact';
import { contentHash } from '../fingerprint/hash';
import { renderKeyOf, sourceIdentityOf } from '../load/render-identity';
import { HIDDEN_FIELDS, LISTING_FIELDS, listingSource } from '../outputs/listing';
import { type GroupInputs, makeGroup, type OutputGroup } from '../outputs/plan';
import type { Comment, OutputFile, Post, Site, Tag } from '../site/types';

/** Lists at least this long are written once per plan and stand in a key as the hash of their text. */
const LONG_LIST = 64;

/** The exact text of a value; throws {@link NoFingerprint} when it has none (a cycle). */
function exactOrThrow(value: unknown, options?: Parameters<typeof exactText>[1]): string {
  const text = exactText(value, options);
  if (text === undefined) throw new NoFingerprint();
  return text;
}

/**
 * Front matter as a value whose JSON is exact: itself when JSON writes it exactly, else an object
 * holding its exact text under a tagged key (which plain front matter cannot have, see
 * {@link isPlainJson}), so that the two never write alike.
 */
function dataValue(data: unknown): unknown {
  return isPlainJson(data) ? data : { $t: 'exact', v: exactOrThrow(data) };
}

type Kind = 'post' | 'listing' | 'tag' | 'comment';

/** The kinds of objects the constructor registers, as their index in `KINDS` stands in {@link OutputKeys}' map. */
const KINDS = ['post', 'tag', 'comment'] as const satisfies readonly Kind[];
const [POST, TAG, COMMENT] = [0, 1, 2] as const;

/**
 * The fingerprints one plan's keys are made of, each computed once, when a key first needs it:
 *
 * - the **site fingerprint**: everything site-wide an output reads (the resolved config with its
 *   plugins' source, `site.url`, the author profiles). The identity of broadsheet's own output code
 *   is not in it: the build adds it (it needs I/O), see src/build/output-manifest.ts;
 * - a **post fingerprint** for each post: every field of the post and of its comments;
 * - a **listing fingerprint** for a post's listing (src/outputs/listing.ts): the fields a listing
 *   shows, and its comments;
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
  /**
   * Each post, tag and comment of the site, and each listing met: as it stands in a key
   * (`post:<fingerprint>`) once computed, `null` when it has no fingerprint, before that its kind (an
   * index into {@link KINDS}). One lookup tells a site object from any other value.
   */
  private readonly refs = new Map<object, string | null | number>();
  /** The fingerprints of each post and of its listing, made by one pass ({@link postFingerprints}). */
  private readonly postPrints = new Map<Post, { post: string | null; listing: string }>();
  /** A comment of a post, as its post and its place in `post.comments`: the post's fingerprint covers it. */
  private readonly owners = new Map<Comment, { post: Post; index: number }>();
  /** The text of each long list already written once (`site.posts` is read by several groups). */
  private readonly lists = new WeakMap<readonly unknown[], string>();

  /**
   * `memo`: listing fingerprints kept from earlier builds by post fingerprint (src/build/listing-prints.ts),
   * which it is given the new ones to keep.
   */
  constructor(
    private readonly site: Site,
    private readonly memo?: ListingMemo,
  ) {
    for (const post of site.posts) {
      this.refs.set(post, POST);
      for (const [index, comment] of post.comments.entries()) {
        this.refs.set(comment, COMMENT);
        this.owners.set(comment, { post, index });
      }
    }
    for (const tag of site.tags) this.refs.set(tag, TAG);
    for (const comment of site.comments) this.refs.set(comment, COMMENT);
  }

  /**
   * The key of a group with these paths and inputs (both are in it): the same key in two builds
   * means the same files at the same paths. `undefined` when an input cannot be fingerprinted. One
   * part for {@link contentHash}: the site fingerprint (64 hex digits), the paths (their length
   * first) and the text of the inputs.
   */
  keyOf(paths: readonly string[], inputs: GroupInputs): string | undefined {
    const site = this.siteWide();
    if (site === null) return undefined;
    try {
      const joined = paths.length === 1 ? paths[0]! : paths.join('\0');
      return contentHash(`${site}${joined.length}:${joined}\0${this.inputText(inputs)}`);
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
        return quoted(value);
      case 'number':
        return Object.is(value, -0) ? '-0' : String(value);
      case 'boolean':
      case 'undefined':
        return String(value);
      case 'object': {
        if (value === null) return 'null';
        let ref = this.refs.get(value);
        if (ref === undefined) {
          // Not a post, tag or comment of the site: a list, a plain object, a listing or anything else.
          if (Array.isArray(value)) return this.listText(value);
          const prototype = Object.getPrototypeOf(value);
          if (prototype === Object.prototype) return this.objectText(value as Record<string, unknown>);
          // A date (the sitemap's) as `exactText` writes it, without its machinery.
          if (prototype === Date.prototype) return `x{"$t":"date","v":"${(value as Date).getTime()}"}`;
          if (prototype === null || !listingSource(value)) return `x${exactOrThrow(value)}`;
          ref = this.refOf(value, 'listing');
        } else if (typeof ref === 'number') ref = this.refOf(value, KINDS[ref]!);
        if (ref === null) throw new NoFingerprint();
        return ref;
      }
      default:
        return `x${exactOrThrow(value)}`;
    }
  }

  /** A list's text: a long one written once per plan and standing as the hash of its text. */
  private listText(value: readonly unknown[]): string {
    if (value.length < LONG_LIST) return this.arrayText(value);
    let text = this.lists.get(value);
    if (text === undefined) {
      text = `list:${contentHash(this.arrayText(value))}`;
      this.lists.set(value, text);
    }
    return text;
  }

  private objectText(value: Record<string, unknown>): string {
    let text = '{';
    let first = true;
    for (const key of Object.keys(value)) {
      text += `${first ? '' : ','}${quotedKey(key)}:${this.inputText(value[key])}`;
      first = false;
    }
    return `${text}}`;
  }

  private arrayText(value: readonly unknown[]): string {
    let text = '[';
    for (let index = 0; index < value.length; index++) {
      const item = value[index];
      text += `${index === 0 ? '' : ','}${item !== undefined || index in value ? this.inputText(item) : 'hole'}`;
    }
    return `${text}]`;
  }

  private siteWide(): string | null {
    if (this.siteFingerprint === undefined) {
      try {
        this.siteFingerprint = contentHash(
          // The config as the render cache sees it: a cycle in a plugin's options is marked, not fatal.
          exactOrThrow(this.site.config, { cycles: 'mark' }),
          this.site.url,
          exactOrThrow(this.site.authors),
          // Every page shows the navigation and the stylesheet.
          exactOrThrow(this.site.menu),
          exactOrThrow(this.site.stylesheet ?? null),
        );
      } catch {
        this.siteFingerprint = null;
      }
    }
    return this.siteFingerprint;
  }

  /** The fingerprint of a site object of this kind (computed at most once: {@link inputText} keeps its ref). */
  private fingerprint(value: object, kind: Kind): string | null {
    try {
      if (kind === 'post') return this.printsOf(value as Post).post;
      if (kind === 'listing') return this.printsOf(listingSource(value) as Post).listing;
      if (kind === 'comment') return this.commentFingerprint(value as Comment);
      return contentHash(this.inputText({ ...(value as Tag) }));
    } catch (error) {
      if (!(error instanceof NoFingerprint || error instanceof TypeError)) throw error;
      return null;
    }
  }

  /** A post's fingerprint and its listing's, from one pass over its fields (its comments are written once for both). */
  private printsOf(post: Post): { post: string | null; listing: string } {
    let prints = this.postPrints.get(post);
    if (prints === undefined) {
      // Asked only while a key is computed, after the site fingerprint (keyOf).
      prints = postFingerprints(post, this.siteFingerprint!, this.memo);
      this.postPrints.set(post, prints);
    }
    return prints;
  }

  private commentFingerprint(comment: Comment): string | null {
    const owner = this.owners.get(comment);
    if (!owner) {
      return contentHash(JSON.stringify(commentRest(comment)), comment.html);
    }
    const post = this.refOf(owner.post, 'post');
    return post === null ? null : `${post}#${owner.index}`;
  }

  /** The ref of a site object of a known kind (`post:<fingerprint>`), computed once; `null`: none. */
  private refOf(value: object, kind: Kind): string | null {
    let ref = this.refs.get(value);
    if (typeof ref !== 'string' && ref !== null) {
      const fingerprint = this.fingerprint(value, kind);
      ref = fingerprint === null ? null : `${kind}:${fingerprint}`;
      this.refs.set(value, ref);
    }
    return ref;
  }
}

class NoFingerprint extends Error {}

/** A character JSON escapes in a string (a quote, a backslash, a control character) or a surrogate. */
const ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * A string as `JSON.stringify` writes it: quoted as it is when it holds nothing JSON escapes, as
 * `JSON.stringify` then writes it (titles and URLs nearly always; a call of it costs about a
 * microsecond, and a build's keys quote some 20,000 strings).
 */
function quoted(value: string): string {
  return ESCAPED.test(value) ? JSON.stringify(value) : `"${value}"`;
}

/** Keys of the plain objects of group inputs as JSON writes them: a few names, quoted once. */
const QUOTED_KEYS = new Map<string, string>();

function quotedKey(key: string): string {
  let quoted = QUOTED_KEYS.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (QUOTED_KEYS.size < 1024) QUOTED_KEYS.set(key, quoted);
  }
  return quoted;
}

/**
 * Listing fingerprints kept by post fingerprint across builds (src/build/listing-prints.ts): `get`
 * gives the one computed for a post fingerprint, `set` records a new one.
 */
export interface ListingMemo {
  get(post: string): string | undefined;
  set(post: string, listing: string): void;
}

/**
 * A post's fingerprint and its listing's, from one pass over its fields.
 *
 * - The **listing fingerprint** covers the fields a listing shows (`LISTING_FIELDS` in
 *   src/outputs/listing.ts) and the post's comments: the JSON of those fields, then each comment's
 *   JSON without its HTML, then the HTML of the comments that have no render key.
 * - The **post fingerprint** covers every field of the post and of its comments. For a post made of
 *   a file of known identity ({@link sourceIdentityOf}) rendered under a render key, it is made of
 *   those identities, of the site fingerprint `site`, and of what is decided across files besides
 *   them (`unpublished`, `assets`, the comments as in the listing): those decide every field of the
 *   post (`MadeFields` below, and the listing's fields: tags and authors are the post's own front
 *   matter resolved against the config and the author profiles, which the site fingerprint covers;
 *   URL and language the front matter and the config). Its listing fingerprint is then taken from
 *   `memo` by the post fingerprint when an earlier build computed it (src/build/listing-prints.ts),
 *   and computed otherwise. For any other post, the post fingerprint is the listing fingerprint
 *   (which stands for the text it hashed), the JSON of the other fields, then the post's HTML when
 *   it has no render key.
 *
 * The bulk of a post is its HTML. A document whose HTML is still that of the render it was loaded
 * with stands as the render's key ({@link renderKeyOf}, src/load/render-identity.ts: the render
 * cache's key, which decides the whole render), a string in the JSON in place of the HTML. Any other
 * HTML is hashed as it is, after the JSON (which JSON would copy and escape), and the JSON records
 * its length, a number, so that the bytes split back into their parts. Dates are written as their time value (JSON's `toISOString` is slow); front
 * matter, which a schema extension may turn into any value, as {@link dataValue}; the other fields
 * are strings, numbers, booleans and arrays and objects of them, which JSON writes exactly. Each
 * field is written in a fixed place of a JSON array ({@link fieldValue}), in the order of
 * `LISTING_FIELDS` and `HIDDEN_FIELDS` (src/outputs/listing.ts, which fails to compile while a field
 * of `Post` is in neither), and any other field a post has is written after them ({@link otherFields}).
 */
function postFingerprints(
  post: Post,
  site: string,
  memo: ListingMemo | undefined,
): { post: string | null; listing: string } {
  const comments = post.comments;
  // The HTML of the comments that have no render key, hashed as it is after the JSON.
  const htmls: string[] = [];
  let commentText = '[';
  for (let index = 0; index < comments.length; index++) {
    const comment = comments[index]!;
    const key = renderKeyOf(comment);
    if (key === undefined) htmls.push(comment.html);
    const source = key === undefined ? undefined : sourceIdentityOf(comment);
    // A comment made of a file of known identity: that identity, its render key and what its thread
    // decided (an array, where a comment written field by field is an object).
    const text =
      source === undefined
        ? JSON.stringify(commentRest(comment, key))
        : JSON.stringify([source, key, comment.parent ?? null, comment.depth, comment.url]);
    commentText += `${index === 0 ? '' : ','}${text}`;
  }
  commentText += ']';
  const listingOf = () =>
    contentHash('listing', JSON.stringify(fieldValues(post, LISTING_FIELDS)), commentText, ...htmls);
  const key = renderKeyOf(post);
  const source = key === undefined ? undefined : sourceIdentityOf(post);
  if (source !== undefined) {
    // The fields made of the post's file and render stand as their identities (`MadeFields`), the
    // listing's as those and the site fingerprint.
    const print = contentHash(
      'post-made',
      site,
      source,
      key!,
      JSON.stringify(post.unpublished ?? null),
      JSON.stringify(post.assets ?? null),
      commentText,
      ...htmls,
    );
    let listing = memo?.get(print);
    if (listing === undefined) {
      listing = listingOf();
      memo?.set(print, listing);
    }
    return { listing, post: print };
  }
  const listing = listingOf();
  let hidden: string;
  try {
    const values = fieldValues(post, HIDDEN_FIELDS);
    if (key !== undefined) values[HTML_AT] = key;
    values.push(otherFields(post));
    hidden = JSON.stringify(values);
  } catch (error) {
    // Front matter that cannot be fingerprinted (a cycle) leaves the post without one, not its listing.
    if (error instanceof NoFingerprint) return { post: null, listing };
    throw error;
  }
  // The listing fingerprint stands for the text it hashed (shown fields, comments, their HTML).
  return {
    listing,
    post:
      key === undefined
        ? contentHash('post', listing, hidden, post.html)
        : contentHash('post', listing, hidden),
  };
}

/**
 * The fields of a post that are a function of its file's loaded-post identity (its path and bytes
 * under the cache's identity of the config, schemas and code: slug, title, dates, `data` and what
 * comes of it) and of its render key (the HTML, headings, word count and reading time), which
 * {@link postFingerprints} writes as those identities when both are recorded
 * (src/load/render-identity.ts). The other fields are written as they are: the listing's (tags
 * and authors are resolved across files, `url` and `lang` read the config) and `assets` (the post
 * folder's files). A field added to `HIDDEN_FIELDS` fails to compile until it is one of these.
 */
type MadeField = 'file' | 'commentsOpen' | 'canonical' | 'image' | 'html' | 'headings';
type MadeFields = MadeField | 'wordCount' | 'readingTime' | 'data';
type Unmade = Exclude<(typeof HIDDEN_FIELDS)[number], MadeFields | 'assets'>;
const everyHiddenFieldMade: [Unmade] extends [never] ? true : Unmade = true;
void everyHiddenFieldMade;

/**
 * The fields a listing shows that a post fingerprint made of identities covers through them (see
 * {@link postFingerprints}): the front matter's and the file's (slug, title, dates, tags, authors,
 * language), the render's (the summary when the front matter has none), and the config's and the
 * author profiles' (URL, tag URLs, the authors' fields: the site fingerprint). The others it writes:
 * `comments` and `unpublished` (the build time). A field added to `LISTING_FIELDS` fails to compile
 * until it is one of these.
 */
type ListingMade = 'slug' | 'title' | 'date' | 'updated' | 'url' | 'summary' | 'tags' | 'authors' | 'lang';
type Unwritten = Exclude<(typeof LISTING_FIELDS)[number], ListingMade | 'comments' | 'unpublished'>;
const everyListingFieldCovered: [Unwritten] extends [never] ? true : Unwritten = true;
void everyListingFieldCovered;

/**
 * A field of a post as {@link postFingerprints} writes it in JSON: absent as `null` (no field of a
 * post is `null`), a date as its time value, the HTML as its length (its bytes follow the JSON; its
 * render key instead is written by {@link postFingerprints}),
 * the comments as their count (written on their own), front matter as {@link dataValue}.
 */
function fieldValue(post: Post, name: keyof Post): unknown {
  const value = post[name];
  if (value === undefined) return null;
  if (value instanceof Date) return timeOf(value);
  if (name === 'html' || name === 'comments') return (value as string | Comment[]).length;
  if (name === 'data') return dataValue(value);
  return value;
}

/** Each field's {@link fieldValue}, in the order of `names`. */
function fieldValues(post: Post, names: readonly (keyof Post)[]): unknown[] {
  const values = new Array<unknown>(names.length);
  for (let index = 0; index < names.length; index++) values[index] = fieldValue(post, names[index]!);
  return values;
}

/** Where the HTML is among the {@link HIDDEN_FIELDS}: its render key replaces its length there. */
const HTML_AT = HIDDEN_FIELDS.indexOf('html');

/** The fields {@link postFingerprints} writes by name: every field of the type (src/outputs/listing.ts checks). */
const WRITTEN = new Set<string>([...LISTING_FIELDS, ...HIDDEN_FIELDS]);

/**
 * The fields of a post that are not in {@link WRITTEN} (none, unless something adds a field the
 * type does not have), as exact text; `null` when there are none.
 */
function otherFields(post: Post): { $t: 'exact'; v: string } | null {
  let others: Record<string, unknown> | null = null;
  for (const key of Object.keys(post)) {
    if (WRITTEN.has(key)) continue;
    others ??= {};
    others[key] = (post as unknown as Record<string, unknown>)[key];
  }
  return others === null ? null : { $t: 'exact', v: exactOrThrow(others) };
}

/** A date as its time value for JSON, an invalid one as `"NaN"` (JSON would write `NaN` as `null`). */
function timeOf(date: Date): number | string {
  const time = date.getTime();
  return Number.isNaN(time) ? 'NaN' : time;
}

/**
 * A comment without its HTML, for JSON: in its place the render key that stands for it (a string,
 * src/load/render-identity.ts) or, when it has none, its length (a number: its bytes follow the JSON).
 */
function commentRest(comment: Comment, renderKey?: string): object {
  return {
    ...comment,
    date: timeOf(comment.date),
    html: renderKey ?? comment.html.length,
    data: dataValue(comment.data),
  };
}

/**
 * The groups of a plan as the build stages them: each group's paths, its key when it has one
 * (`undefined`: made in every build) and a `make()` of its files from `site` ({@link makeGroup}).
 */
export interface KeyedGroup {
  paths: string[];
  key: string | undefined;
  make(): OutputFile[];
}

/**
 * A plan of `site` as {@link KeyedGroup}s, with no keys yet (the build fills them in, a few at a
 * time, see `computeKeys` in src/build/build-site.ts; {@link keyPlan} does it at once).
 */
export function keyedGroups(site: Site, plan: readonly OutputGroup[]): KeyedGroup[] {
  return plan.map((group) => ({ paths: group.paths, key: undefined, make: () => makeGroup(site, group) }));
}

/**
 * Every group of a plan of `site` with its key, computed now (with `memo`, the listing fingerprints
 * kept from earlier builds, see {@link OutputKeys}).
 *
 * @example
 * ```ts
 * const groups = keyPlan(site, siteFilePlan(site));
 * groups[0].key; // the same in a build where the site settings and this group's inputs are the same
 * ```
 */
export function keyPlan(site: Site, plan: readonly OutputGroup[], memo?: ListingMemo): KeyedGroup[] {
  const keys = new OutputKeys(site, memo);
  const groups = keyedGroups(site, plan);
  for (const [index, group] of plan.entries()) groups[index]!.key = keys.keyOf(group.paths, group.inputs);
  return groups;
}
