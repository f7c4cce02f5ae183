import type { z } from 'zod';
import type { BroadsheetConfig as ConfigOfTemplates } from '../../schema/config';
import type { CommentSchema, PostSchema } from '../../schema/content';
import type { Post, Site, SitePage, Tag } from '../../site/types';
import type { Page } from '../api/links';
import { type HtmlFragment, html, isHtmlFragment } from './html';
import type { PostNeighbours } from './templates';

/** What the home page's template gets: the site and one page of its posts. */
export interface HomePageData {
  site: Site;
  page: Page<Post>;
}

/** What a post page's template gets: the site, the post and the posts before and after it. */
export interface PostPageData {
  site: Site;
  post: Post;
  neighbours: PostNeighbours;
}

/** What the tag index's template gets. */
export interface TagIndexData {
  site: Site;
}

/** What a tag page's template gets: the tag and one page of its posts. */
export interface TagPageData {
  site: Site;
  tag: Tag;
  page: Page<Post>;
}

/** What the template of a page of `content/pages/` gets. */
export interface StandalonePageData {
  site: Site;
  page: SitePage;
}

/** What the 404 page's template gets. */
export interface NotFoundData {
  site: Site;
}

/**
 * A page kind's template: the page's `<main>` from the same data the default template gets, as an
 * {@link HtmlFragment} made with the `html` tag (which escapes every interpolated string; insert
 * sanitised HTML such as `post.html` with `trustedHtml`). `byDefault()` gives the default `<main>`,
 * to wrap or reuse. The rest of the page (head, canonical, Open Graph, feeds, navigation, footer)
 * stays broadsheet's.
 */
export type Template<TData> = (data: TData, byDefault: () => HtmlFragment) => HtmlFragment;

/** The templates a theme may replace, one per page kind. */
export interface ThemeTemplates {
  home?: Template<HomePageData>;
  post?: Template<PostPageData>;
  tagIndex?: Template<TagIndexData>;
  tag?: Template<TagPageData>;
  page?: Template<StandalonePageData>;
  notFound?: Template<NotFoundData>;
}

/** The data of each page kind's template. */
export type TemplateData<K extends keyof ThemeTemplates> = Parameters<NonNullable<ThemeTemplates[K]>>[0];

/** A page's `<main>`: the theme's template for its kind when the config has one, else `byDefault()`. */
export function themedMain<K extends keyof ThemeTemplates>(
  site: Site,
  kind: K,
  data: TemplateData<K>,
  byDefault: () => HtmlFragment,
): HtmlFragment {
  const template = site.config.theme?.templates?.[kind] as Template<TemplateData<K>> | undefined;
  if (!template) return byDefault();
  const result: unknown = template(data, byDefault);
  // Escaped by default: anything but a fragment (a string from a JS config) is shown as text.
  return isHtmlFragment(result) ? result : html`${String(result ?? '')}`;
}

/**
 * What a site's `broadsheet.config.ts` exports. `TPost` and `TComment` are the schemas that
 * `schema.post` and `schema.comment` return; the types of `loadSite`'s posts and comments follow
 * them. `theme.templates` are typed by {@link ThemeTemplates}.
 */
export type BroadsheetConfig<
  TPost extends z.ZodType = PostSchema,
  TComment extends z.ZodType = CommentSchema,
> = ConfigOfTemplates<TPost, TComment, ThemeTemplates>;

/**
 * Gives types to a site's configuration. Extending a schema makes the extra fields typed in
 * `loadSite`'s result; a theme's templates get the types of their page kind's data.
 *
 * @example
 * ```ts
 * // broadsheet.config.ts
 * import { defineConfig, html } from 'broadsheet';
 * import { z } from 'zod';
 *
 * export default defineConfig({
 *   site: { title: 'My blog', url: 'https://example.com/' },
 *   schema: { post: (base) => base.extend({ mood: z.enum(['happy', 'sad']).optional() }) },
 *   theme: { templates: { post: ({ post }, byDefault) => html`<p>${post.title}</p>${byDefault()}` } },
 * });
 * ```
 */
export function defineConfig<
  TPost extends z.ZodType = PostSchema,
  TComment extends z.ZodType = CommentSchema,
>(config: BroadsheetConfig<TPost, TComment>): BroadsheetConfig<TPost, TComment> {
  return config;
}
