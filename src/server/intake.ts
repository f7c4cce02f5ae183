import path from 'node:path';
import { createCommentHandler } from '../comments/handler';
import { postsFromApi } from '../comments/posts';
import type { ResolvedConfig } from '../schema/config';
import { createFileCommentStore } from './comment-file-store';
import { mount, type RequestHandler } from './handler';

/**
 * `files` with the comment intake mounted at the path of `comments.endpoint` when the config sets
 * one (else `files` itself), as `broadsheet serve` and `broadsheet dev` run it: the filesystem store
 * writes pending comments into the root's `content/comments`, and posts are looked up in the site's
 * own JSON API as `files` serves it (so the intake knows exactly the posts the served site shows).
 * `config.site.url` is the origin and path the site is served at.
 *
 * @example
 * ```ts
 * const handler = withCommentIntake(root, config, createStaticHandler({ root: out, basePath }));
 * ```
 */
export function withCommentIntake(
  root: string,
  config: Pick<ResolvedConfig, 'site' | 'comments' | 'content'>,
  files: RequestHandler,
): RequestHandler {
  const at = commentIntakePath(config);
  if (at === undefined) return files;
  return mount(
    at,
    createCommentHandler({
      config,
      store: createFileCommentStore({ folder: path.join(root, config.content, 'comments') }),
      posts: postsFromApi({ siteUrl: config.site.url, fetch: (url) => files(new Request(url)) }),
    }),
    files,
  );
}

/** The URL path the intake answers at: the path of `comments.endpoint` (`undefined` when none is set). */
export function commentIntakePath(config: Pick<ResolvedConfig, 'site' | 'comments'>): string | undefined {
  const endpoint = config.comments.endpoint;
  return endpoint === undefined ? undefined : new URL(endpoint, config.site.url).pathname;
}
