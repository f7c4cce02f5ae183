import { slug as githubSlug } from 'github-slugger';
import type { DiagnosticCollector } from '../diagnostics/collector';
import type { ResolvedConfig } from '../schema/config';
import { isHttpUrl } from '../schema/urls';
import { compareNewestFirst } from '../site/assemble';
import { absoluteUrl, paths } from '../site/paths';
import type { Author, Post, TagRef } from '../site/types';
import type { CheckedFiles } from './check-across-files';
import type { PostSource } from './sources';
import type { ValidatedFiles } from './validate-files';

/** A post with its authors and tags resolved. */
export interface ResolvedPost {
  post: PostSource;
  authors: Author[];
  tags: TagRef[];
}

/**
 * The fourth stage of a load: resolves every post's authors (profiles by id, else the site's author)
 * and tags (slugs, one name per slug), newest post first, drafts and future posts included so that
 * their problems are found; and warns of comment author URLs that are not http(s).
 */
export function resolve(
  files: ValidatedFiles,
  checked: CheckedFiles,
  config: ResolvedConfig,
  problems: DiagnosticCollector,
): ResolvedPost[] {
  const siteAuthor: Author | undefined = config.site.author
    ? { id: 'site', ...config.site.author }
    : undefined;
  const authorsOf = (post: PostSource): Author[] => {
    const ids = post.data.authors;
    if (!ids) return siteAuthor ? [siteAuthor] : [];
    const authors: Author[] = [];
    ids.forEach((id, index) => {
      const profile = files.profiles.get(id);
      if (profile) authors.push(profile);
      else
        problems.error(
          post.parsed,
          ['authors', index],
          'unknown-author',
          `no author profile "${id}" (content/authors/${id}.yaml)`,
        );
    });
    return authors;
  };

  const tagNamesBySlug = new Map<string, { name: string; post: PostSource }>();
  const tagsOf = (post: PostSource): TagRef[] => {
    const refs: TagRef[] = [];
    const seen = new Set<string>();
    (post.data.tags ?? []).forEach((name, index) => {
      const slug = githubSlug(name);
      if (slug === '') {
        problems.error(
          post.parsed,
          ['tags', index],
          'invalid-tag',
          `tag "${name}" has no letters or digits to make a slug from`,
        );
        return;
      }
      const first = tagNamesBySlug.get(slug);
      if (first && first.name !== name) {
        problems.error(
          post.parsed,
          ['tags', index],
          'tag-collision',
          `tag "${name}" and tag "${first.name}" (${first.post.parsed.file}) both have the slug "${slug}": use one name`,
        );
        return;
      }
      if (!first) tagNamesBySlug.set(slug, { name, post });
      if (seen.has(slug)) return;
      seen.add(slug);
      refs.push({ name, slug, url: absoluteUrl(config.site.url, paths.tag(slug)) });
    });
    return refs;
  };

  const ordered = [...checked.postsBySlug.values()].sort(compareNewestFirst);
  const resolved = ordered.map((post) => ({ post, authors: authorsOf(post), tags: tagsOf(post) }));

  for (const comment of files.comments) {
    const author = comment.data.author;
    if (typeof author === 'object' && author.url !== undefined && !isHttpUrl(author.url)) {
      problems.warning(
        comment.parsed,
        ['author', 'url'],
        'invalid-comment-url',
        `author.url "${author.url}" is not an http(s) URL: it is dropped`,
      );
    }
  }
  return resolved;
}

/** A post to publish, resolved; `unpublished` only in a preview, for a post a build leaves out. */
export interface PublishedPost extends ResolvedPost {
  unpublished?: Post['unpublished'];
}

/**
 * The posts to publish at `now`: not drafts, and not dated later unless `future`. A preview keeps
 * the others too, each marked with why a build would leave it out.
 */
export function publish(resolved: readonly ResolvedPost[], options: PublishOptions): PublishedPost[] {
  const published: PublishedPost[] = [];
  for (const item of resolved) {
    const unpublished = unpublishedReason(item.post, options);
    if (!unpublished) published.push(item);
    else if (options.preview) published.push({ ...item, unpublished });
  }
  return published;
}

/** What decides which posts {@link publish} keeps. */
export interface PublishOptions {
  now: Date;
  future: boolean;
  preview: boolean;
}

/** Why a build leaves a post out (`draft`, or `future` when dated after `now` without `future`), if it does. */
export function unpublishedReason(
  post: PostSource,
  options: Omit<PublishOptions, 'preview'>,
): Post['unpublished'] | undefined {
  if (post.data.draft === true) return 'draft';
  return !options.future && post.date > options.now ? 'future' : undefined;
}
