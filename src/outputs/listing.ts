import { BroadsheetError } from '../errors';
import type { Post, Site, Tag } from '../site/types';

/**
 * The fields of a post that a listing of posts shows (home pages, tag pages, the post lists of the
 * JSON API): title, URL, dates, language, summary, tags, authors and comments (their count). A
 * body edit that leaves these alone changes none of those listings.
 */
export const LISTING_FIELDS = [
  'slug',
  'title',
  'date',
  'updated',
  'url',
  'summary',
  'tags',
  'authors',
  'lang',
  'comments',
  'unpublished',
] as const satisfies readonly (keyof Post)[];

/** The fields of a post a listing does not show: reading one of them from a listing throws. */
export const HIDDEN_FIELDS = [
  'file',
  'commentsOpen',
  'canonical',
  'image',
  'html',
  'headings',
  'wordCount',
  'readingTime',
  'data',
  'assets',
] as const satisfies readonly Exclude<keyof Post, (typeof LISTING_FIELDS)[number]>[];

// Every field of a post is either shown or hidden (a new field of Post fails to compile here).
type Unlisted = Exclude<keyof Post, (typeof LISTING_FIELDS)[number] | (typeof HIDDEN_FIELDS)[number]>;
const everyFieldListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyFieldListed;

const listings = new WeakMap<Post, Post>();
const tagListings = new WeakMap<Tag, Tag>();

/** The post each listing was made of, beside it: no field of the listing, so JSON, keys and spreads never see it. */
const sources = new WeakMap<object, Post>();

/**
 * The prototype of every listing: each field a listing does not show is a getter that throws. One
 * for all listings, so that a listing is a small object of its shown fields (a site of 100,000 posts
 * has as many listings; a getter of its own for each hidden field cost ~1.7 KB of heap each).
 */
const LISTING_PROTOTYPE: object = Object.freeze(
  Object.create(
    Object.prototype,
    Object.fromEntries(
      HIDDEN_FIELDS.map((name): [string, PropertyDescriptor] => [
        name,
        {
          get(this: Post) {
            throw new BroadsheetError(
              'output-scope',
              `an output group read post.${name} from a listing of "${this.slug}", which shows only ${LISTING_FIELDS.join(', ')} (src/outputs/listing.ts)`,
            );
          },
        },
      ]),
    ),
  ),
);

/**
 * A post as a listing shows it: an object with the {@link LISTING_FIELDS} of `post` whose other
 * fields throw a `BroadsheetError` (`output-scope`) when read, so an output group that declares a
 * listing cannot read the body it did not declare. One listing per post (the same object each time),
 * so the build fingerprints it once (src/build/output-keys.ts, {@link listingSource}).
 *
 * @example
 * ```ts
 * const item = postListing(post);
 * item.title; // as post.title
 * item.html; // throws: a listing has no body
 * ```
 */
export function postListing(post: Post): Post {
  let listing = listings.get(post);
  if (listing !== undefined) return listing;
  const fields: Record<PropertyKey, unknown> = Object.create(LISTING_PROTOTYPE);
  for (const name of LISTING_FIELDS) {
    if (name in post) fields[name] = post[name];
  }
  listing = Object.freeze(fields) as unknown as Post;
  listings.set(post, listing);
  sources.set(listing, post);
  return listing;
}

/** The post a {@link postListing} was made of; `undefined` for anything else. */
export function listingSource(value: object): Post | undefined {
  return sources.get(value);
}

/** A tag whose posts are {@link postListing}s (the same object for the same tag). */
export function tagListing(tag: Tag): Tag {
  let listing = tagListings.get(tag);
  if (listing === undefined) {
    listing = { name: tag.name, slug: tag.slug, url: tag.url, posts: tag.posts.map(postListing) };
    tagListings.set(tag, listing);
  }
  return listing;
}

/**
 * Whether a page kind lists posts as {@link postListing}s: yes, unless the site's theme replaces the
 * template of that kind (a theme's template is given whole posts and may show any field).
 */
export function listsPostListings(site: Site, kind: 'home' | 'tagIndex' | 'tag'): boolean {
  return site.config.theme?.templates?.[kind] === undefined;
}
