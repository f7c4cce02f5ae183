import type { DiagnosticCollector } from '../diagnostics/collector';
import type { CommentSource, PostSource } from './sources';
import type { ValidatedFiles } from './validate-files';

/** The posts and comments that passed the cross-file checks, by slug and by post and id. */
export interface CheckedFiles {
  /** Each slug's first post (a second one with the same slug is reported). */
  postsBySlug: Map<string, PostSource>;
  /** The comments of each post, by id. */
  commentsByPost: Map<string, Map<string, CommentSource>>;
}

/**
 * The third stage of a load: the checks no single file can make. Posts sharing a slug (one
 * diagnostic naming every file, at the second one), comments on no post or dated before it, parents
 * that are not comments on the same post, and replies that form a cycle. A comment under a post
 * that failed validation, or a reply to a comment that did, is not reported again.
 */
export function checkAcrossFiles(files: ValidatedFiles, problems: DiagnosticCollector): CheckedFiles {
  const postsBySlug = new Map<string, PostSource>();
  const sharing = new Map<string, PostSource[]>();
  for (const post of files.posts) {
    const group = sharing.get(post.slug);
    if (group) group.push(post);
    else {
      sharing.set(post.slug, [post]);
      postsBySlug.set(post.slug, post);
    }
  }
  for (const [slug, group] of sharing) {
    if (group.length < 2) continue;
    const second = group[1]!;
    const names = group.map((post) => post.parsed.file);
    problems.error(
      second.parsed,
      second.data.slug ? ['slug'] : [],
      'duplicate-slug',
      `${names.slice(0, -1).join(', ')} and ${names.at(-1)} have the same slug "${slug}": each post needs its own slug`,
    );
  }

  const commentsByPost = new Map<string, Map<string, CommentSource>>();
  for (const comment of files.comments) {
    const post = postsBySlug.get(comment.postSlug);
    if (!post) {
      if (!files.slugsOfInvalidPosts.has(comment.postSlug)) {
        problems.error(
          comment.parsed,
          [],
          'unknown-post',
          `no post has the slug "${comment.postSlug}" (the comment's folder name)`,
        );
      }
      continue;
    }
    if (comment.date < post.date) {
      problems.error(
        comment.parsed,
        ['date'],
        'comment-before-post',
        `the comment is dated ${comment.data.date}, before its post (${post.data.date})`,
      );
    }
    let byId = commentsByPost.get(comment.postSlug);
    if (!byId) {
      byId = new Map();
      commentsByPost.set(comment.postSlug, byId);
    }
    byId.set(comment.id, comment);
  }
  for (const byId of commentsByPost.values()) checkParents(byId, files.invalidComments, problems);
  return { postsBySlug, commentsByPost };
}

/** Reports the parents of one post's comments that are unknown or lead back to the comment. */
function checkParents(
  byId: Map<string, CommentSource>,
  invalidComments: ReadonlySet<string>,
  problems: DiagnosticCollector,
): void {
  for (const comment of byId.values()) {
    const parent = comment.data.parent;
    if (parent === undefined) continue;
    if (!byId.has(parent)) {
      if (invalidComments.has(`${comment.postSlug}/${parent}`)) continue;
      problems.error(
        comment.parsed,
        ['parent'],
        'unknown-parent',
        `parent "${parent}" is not a comment on the same post`,
      );
      continue;
    }
    // Follow the chain of parents; coming back to this comment is a cycle.
    const seen = new Set<string>([comment.id]);
    let current: string | undefined = parent;
    while (current !== undefined) {
      if (seen.has(current)) {
        if (current === comment.id) {
          problems.error(
            comment.parsed,
            ['parent'],
            'parent-cycle',
            `parent "${parent}" leads back to this comment: replies cannot form a cycle`,
          );
        }
        break;
      }
      seen.add(current);
      current = byId.get(current)?.data.parent;
    }
  }
}
