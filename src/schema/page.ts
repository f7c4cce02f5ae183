import { z } from 'zod';
import { postSchema } from './content';

/**
 * The front matter of a page (`content/pages/**\/*.md`): a title, and optionally a summary,
 * a place in the site's navigation (`menu`, lower first), a language, an image, `date` (when it was
 * first published) and `updated` (the sitemap's `lastmod`: `updated`, else `date`), old paths that
 * redirect to it (`aliases`) and `draft`.
 *
 * @example
 * ```ts
 * pageSchema.parse({ title: 'About', menu: 1 });
 * ```
 */
export const pageSchema = postSchema
  .pick({
    title: true,
    date: true,
    updated: true,
    summary: true,
    draft: true,
    lang: true,
    image: true,
    aliases: true,
  })
  .partial({ date: true })
  .extend({
    menu: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('Its place in the navigation, lower first; absent: not in it.'),
  });

/** A page's front matter after validation. */
export type PageFrontMatter = z.output<typeof pageSchema>;
