import { z } from 'zod';
import { isHttpUrl } from './urls';

/** The default of `comments.rateLimit`: 5 comments a minute per client. */
export const DEFAULT_RATE_LIMIT = { max: 5, windowSeconds: 60 } as const;

/** The default of `comments.maxLength`: the longest comment body, in characters. */
export const DEFAULT_MAX_LENGTH = 10_000;

/**
 * The `comments` key of the config. `endpoint` is a path on the site's host
 * (`/comments`) or an absolute http(s) URL; without it, pages carry no comment form.
 */
export const commentsConfigSchema = z
  .object({
    endpoint: z
      .string()
      .refine((value) => (value.startsWith('/') && !value.startsWith('//')) || isHttpUrl(value), {
        message: 'must be a path such as /comments or an absolute http(s) URL',
      })
      .optional(),
    maxLength: z.number().int().min(1).max(1_000_000).default(DEFAULT_MAX_LENGTH),
    rateLimit: z
      .union([
        z.literal(false),
        z.object({ max: z.number().int().min(1), windowSeconds: z.number().positive() }),
      ])
      .default(DEFAULT_RATE_LIMIT),
  })
  .prefault({});

/** `comments` as a config file writes it. */
export interface CommentsConfig {
  /** Where the comment form posts: a path (`/comments`) or an absolute URL. Unset: no form. */
  endpoint?: string;
  /** The longest comment body, in characters (default 10,000). */
  maxLength?: number;
  /** Per-client limit (default `{max: 5, windowSeconds: 60}`); `false` turns it off. */
  rateLimit?: false | { max: number; windowSeconds: number };
}

/** `comments` after defaults are applied. */
export type ResolvedCommentsConfig = z.output<typeof commentsConfigSchema>;
