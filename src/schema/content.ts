import { z } from 'zod';
import { aliasPath } from './aliases';
import { frontMatterDate, frontMatterDateTime, isLanguageTag } from './dates';
import { httpUrl, linkUrl } from './urls';

/** The pattern a slug follows: lower-case words of letters and digits joined by single hyphens. */
export const SLUG_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** The pattern a comment id (its file name without `.md`) follows. */
export const COMMENT_ID_PATTERN = /^[A-Za-z0-9_-]+$/;

const languageTag = z.string().refine(isLanguageTag, {
  message: 'must be a BCP 47 language tag such as en or pt-BR',
  params: { broadsheetCode: 'invalid-language' },
});

/**
 * The front matter of a post: title and date required, the rest optional. Extend it in a TS config with `schema.post`.
 *
 * @example
 * ```ts
 * const result = postSchema.safeParse({ title: 'Hello', date: '2024-01-02' });
 * ```
 */
export const postSchema = z.object({
  title: z.string().trim().min(1).max(300),
  date: frontMatterDate,
  updated: frontMatterDate.optional(),
  slug: z
    .string()
    .refine((value) => SLUG_PATTERN.test(value), {
      message: 'must be lower-case letters and digits joined by single hyphens (like my-first-post)',
      params: { broadsheetCode: 'invalid-slug' },
    })
    .optional(),
  summary: z.string().optional(),
  tags: z.array(z.string().trim().min(1)).optional(),
  authors: z.array(z.string().min(1)).optional(),
  draft: z.boolean().optional(),
  comments: z.boolean().optional(),
  lang: languageTag.optional(),
  canonical: httpUrl.optional(),
  image: linkUrl.optional(),
  aliases: z.array(aliasPath).optional(),
});

/** The schema of a post's front matter, as `schema.post` receives it. */
export type PostSchema = typeof postSchema;
/** A post's front matter after validation. */
export type PostFrontMatter = z.output<typeof postSchema>;

/** The states a comment can be in; only `approved` comments are published. */
export const commentStatuses = ['approved', 'pending', 'spam', 'trash'] as const;
/** A comment's moderation state. */
export type CommentStatus = (typeof commentStatuses)[number];

/**
 * The front matter of a comment: author and date required, `parent` and `status` optional. Extend it in a TS config with `schema.comment`.
 *
 * @example
 * ```ts
 * commentSchema.parse({ author: 'Ann', date: '2024-01-02T10:00:00Z' });
 * ```
 */
export const commentSchema = z.object({
  author: z.union(
    [
      z.string().min(1),
      z.object({
        name: z.string().min(1),
        url: z.string().optional(),
        email: z.string().optional(),
      }),
    ],
    { error: 'must be a name, or a mapping with `name` and optional `url` and `email`' },
  ),
  date: frontMatterDateTime,
  parent: z.string().regex(COMMENT_ID_PATTERN).optional(),
  status: z.enum(commentStatuses).optional(),
});

/** The schema of a comment's front matter, as `schema.comment` receives it. */
export type CommentSchema = typeof commentSchema;
/** A comment's front matter after validation. */
export type CommentFrontMatter = z.output<typeof commentSchema>;

/**
 * An author profile, `content/authors/<id>.yaml`.
 *
 * @example
 * ```ts
 * authorSchema.parse({ name: 'Ann Example', url: 'https://ann.example' });
 * ```
 */
export const authorSchema = z.object({
  name: z.string().trim().min(1),
  email: z.string().optional(),
  url: httpUrl.optional(),
  avatar: linkUrl.optional(),
  bio: z.string().optional(),
});

/** An author profile after validation. */
export type AuthorProfile = z.output<typeof authorSchema>;
