// Builds consistent Site objects directly (no files, no markdown), so that property tests can put any
// string in any field. The fixture tests go through loadSite on real files instead.
import type { FeedFormat, ResolvedConfig } from '../../src/schema/config';
import type { CommentFrontMatter, PostFrontMatter } from '../../src/schema/content';
import { assembleSite } from '../../src/site/assemble';
import type { Author, Comment, Post, Site } from '../../src/site/types';

export interface CommentSpec {
  name: string;
  url?: string;
  html: string;
  /** Index of an earlier comment of the same post it replies to. */
  replyTo?: number;
}

export interface PostSpec {
  title: string;
  summary: string;
  html: string;
  /** Tag display names. */
  tags: string[];
  authors: { name: string; url?: string }[];
  comments: CommentSpec[];
  lang?: string;
  /** Minutes after the site's first post; defaults to the post's index × 60 (later posts are newer). */
  minutes?: number;
  updatedMinutes?: number;
}

export interface SiteSpec {
  title: string;
  url?: string;
  description?: string;
  language?: string;
  author?: { name: string; url?: string };
  copyright?: string;
  limit?: number;
  fullContent?: boolean;
  /** Default: all three formats, so that every feed test sees every comment feed. */
  postComments?: FeedFormat[];
  posts: PostSpec[];
}

const START = Date.UTC(2024, 0, 1, 12, 0, 0);

/** A site as loadSite would resolve it from the spec: posts newest first, tags by slug, comments threaded. */
export function buildSite(spec: SiteSpec): Site {
  const url = spec.url ?? 'https://example.com/blog/';
  const config: ResolvedConfig = {
    site: {
      title: spec.title,
      url,
      description: spec.description,
      language: spec.language ?? 'en',
      timezone: 'UTC',
      author: spec.author,
      copyright: spec.copyright,
    },
    content: 'content',
    out: 'public',
    static: 'static',
    postsPerPage: 10,
    feeds: {
      limit: spec.limit ?? 20,
      fullContent: spec.fullContent ?? true,
      postComments: spec.postComments ?? ['rss', 'atom', 'json'],
    },
    future: false,
    comments: { maxLength: 10_000, rateLimit: { max: 5, windowSeconds: 60 } },
    markdown: { remarkPlugins: [], rehypePlugins: [], renderTimeoutMs: 10_000, limits: {} },
  };
  const tagSlugs = new Map<string, string>();
  const slugOf = (name: string) => {
    let slug = tagSlugs.get(name);
    if (!slug) {
      slug = `tag-${tagSlugs.size + 1}`;
      tagSlugs.set(name, slug);
    }
    return slug;
  };
  const posts: Post[] = spec.posts.map((postSpec, index) => {
    const slug = `post-${index + 1}`;
    const postUrl = `${url}posts/${slug}/`;
    const date = new Date(START + (postSpec.minutes ?? index * 60) * 60_000);
    const updated =
      postSpec.updatedMinutes === undefined
        ? undefined
        : new Date(date.getTime() + postSpec.updatedMinutes * 60_000);
    const comments: Comment[] = [];
    postSpec.comments.forEach((commentSpec, commentIndex) => {
      const id = `c${commentIndex + 1}`;
      const parent = commentSpec.replyTo === undefined ? undefined : comments[commentSpec.replyTo];
      comments.push({
        id,
        postSlug: slug,
        parent: parent?.id,
        depth: parent ? parent.depth + 1 : 0,
        author:
          commentSpec.url === undefined
            ? { name: commentSpec.name }
            : { name: commentSpec.name, url: commentSpec.url },
        date: new Date(date.getTime() + (commentIndex + 1) * 60_000),
        html: commentSpec.html,
        url: `${postUrl}#comment-${id}`,
        file: `content/comments/${slug}/${id}.md`,
        data: { author: commentSpec.name, date: '' } as CommentFrontMatter,
      });
    });
    const tags = [...new Set(postSpec.tags)].map((name) => {
      const tagSlug = slugOf(name);
      return { name, slug: tagSlug, url: `${url}tags/${tagSlug}/` };
    });
    const authors: Author[] = postSpec.authors.map((author, authorIndex) => ({
      id: `author-${authorIndex}`,
      ...author,
    }));
    return {
      slug,
      title: postSpec.title,
      date,
      updated,
      url: postUrl,
      file: `content/posts/${slug}.md`,
      summary: postSpec.summary,
      tags,
      authors,
      commentsOpen: true,
      lang: postSpec.lang ?? config.site.language,
      html: postSpec.html,
      headings: [],
      wordCount: 1,
      readingTime: 1,
      comments,
      data: { title: postSpec.title, date: date.toISOString() } as PostFrontMatter,
    };
  });
  return assembleSite(config, posts, []);
}
