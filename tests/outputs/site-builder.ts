import { slug as githubSlug } from 'github-slugger';
import { renderMarkdown } from '../../src/render/render-markdown';
import { configSchema, type ResolvedConfig } from '../../src/schema/config';
import { assembleSite } from '../../src/site/assemble';
import { absoluteUrl, paths } from '../../src/site/paths';
import type { Comment, Post, Site, TagRef } from '../../src/site/types';

/** A comment of a hand-made site; `parent` is the index of an earlier comment of the same post. */
export interface CommentSpec {
  name: string;
  url?: string;
  body: string;
  parent?: number;
}

/** A post of a hand-made site. */
export interface PostSpec {
  title: string;
  summary?: string;
  body: string;
  tags?: string[];
  lang?: string;
  commentsOpen?: boolean;
  comments?: CommentSpec[];
  data?: Record<string, unknown>;
}

/** A hand-made site: what `loadSite` would give, without files, for text no front matter could hold. */
export interface SiteSpec {
  title: string;
  url?: string;
  description?: string;
  copyright?: string;
  postsPerPage?: number;
  posts: PostSpec[];
}

/**
 * Builds a `Site` the way the loader does (newest first, tags by slug, comments oldest first with
 * depths), rendering bodies with the real renderer, but from any text.
 */
export async function buildSite(spec: SiteSpec): Promise<Site> {
  const parsed = configSchema.parse({
    site: { title: 'placeholder', url: spec.url ?? 'https://example.com/blog/' },
    postsPerPage: spec.postsPerPage ?? 2,
  });
  const config = {
    ...parsed,
    site: { ...parsed.site, title: spec.title, description: spec.description, copyright: spec.copyright },
  } as ResolvedConfig;
  const siteUrl = config.site.url.endsWith('/') ? config.site.url : `${config.site.url}/`;
  const posts: Post[] = [];
  for (const [index, postSpec] of spec.posts.entries()) {
    const slug = `post-${index + 1}`;
    const url = absoluteUrl(siteUrl, paths.post(slug));
    const rendered = await renderMarkdown(postSpec.body, { trust: 'post', url });
    const tags: TagRef[] = [];
    for (const name of postSpec.tags ?? []) {
      const tagSlug = githubSlug(name) || `tag-${[...name].length}`;
      if (tags.some((tag) => tag.slug === tagSlug)) continue;
      tags.push({ name, slug: tagSlug, url: absoluteUrl(siteUrl, paths.tag(tagSlug)) });
    }
    const date = new Date(Date.UTC(2024, 0, 1 + index, 12));
    const comments: Comment[] = [];
    for (const [commentIndex, commentSpec] of (postSpec.comments ?? []).entries()) {
      const id = `c${commentIndex + 1}`;
      const parent =
        commentSpec.parent !== undefined && commentSpec.parent < commentIndex
          ? comments[commentSpec.parent]
          : undefined;
      const { html } = await renderMarkdown(commentSpec.body, { trust: 'comment', url });
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
        html,
        url: `${url}#comment-${id}`,
        file: `content/comments/${slug}/${id}.md`,
        data: { author: commentSpec.name, date: date.toISOString() },
      });
    }
    posts.push({
      slug,
      title: postSpec.title,
      date,
      url,
      file: `content/posts/${slug}.md`,
      summary: postSpec.summary ?? rendered.summary,
      tags,
      authors: [],
      commentsOpen: postSpec.commentsOpen ?? true,
      lang: postSpec.lang ?? 'en',
      html: rendered.html,
      headings: rendered.headings,
      wordCount: rendered.wordCount,
      readingTime: rendered.readingTime,
      comments,
      data: { title: postSpec.title, date: date.toISOString().slice(0, 10), ...postSpec.data },
    });
  }
  return assembleSite({ ...config, site: { ...config.site, url: siteUrl } }, posts, []);
}
