import type { Comment, Post, Site } from '../../site/types';
import { type HtmlValue, html } from './html';

/** The fragment the comment intake redirects to after a form post. */
export const PENDING_NOTICE_ID = 'comment-pending';

/**
 * The stylesheet a post page with a comment form adds: the pending notice, `hidden` until the
 * intake's redirect targets it (`#comment-pending`), and a plain form layout.
 */
export const COMMENT_FORM_STYLESHEET = `
#${PENDING_NOTICE_ID}:target{display:block;padding:.5rem .75rem;border:1px solid var(--rule);border-radius:4px}
.comment-form label{display:block;font-size:.9375rem}
.comment-form input,.comment-form textarea{box-sizing:border-box;width:100%;font:inherit}
.reply summary{cursor:pointer;color:var(--muted);font-size:.9375rem}
`;

/** Whether a post page carries comment forms: an endpoint is configured and the post is open. */
export function hasCommentForm(site: Site, post: Post): boolean {
  return site.config.comments.endpoint !== undefined && post.commentsOpen;
}

/**
 * The end of a post's comment section: "Comments are closed." on a closed post; with
 * `comments.endpoint` set, the pending notice (shown when the intake's redirect lands on it) and
 * the "Post a Comment" form, which works with no JavaScript.
 */
export function commentFormSection(site: Site, post: Post): HtmlValue {
  if (!post.commentsOpen) return html`<p>Comments are closed.</p>\n`;
  if (!hasCommentForm(site, post)) return '';
  return html`<p id="${PENDING_NOTICE_ID}" class="comment-notice" role="status" hidden>Thank you: your comment awaits moderation and will appear here once it is approved.</p>
<h3 id="post-a-comment">Post a Comment</h3>
${commentForm(site, post, undefined)}`;
}

/** A "Reply" to one approved comment: a form that sets `parent`, folded in a `<details>`. */
export function replyForm(site: Site, post: Post, comment: Comment): HtmlValue {
  if (!hasCommentForm(site, post)) return '';
  return html`<details class="reply">
<summary>Reply</summary>
${commentForm(site, post, comment.id)}</details>
`;
}

/** The form itself; `parent` set for a reply. Field ids are unique on the page. */
function commentForm(site: Site, post: Post, parent: string | undefined): HtmlValue {
  const prefix = parent === undefined ? 'comment' : `reply-${parent}`;
  const { endpoint, maxLength } = site.config.comments;
  return html`<form class="comment-form" method="post" action="${endpoint ?? ''}">
<input type="hidden" name="post" value="${post.slug}">
${parent === undefined ? '' : html`<input type="hidden" name="parent" value="${parent}">\n`}<p><label for="${prefix}-name">Name</label>
<input id="${prefix}-name" name="name" required maxlength="100" autocomplete="name"></p>
<p><label for="${prefix}-email">Email (optional, never published)</label>
<input id="${prefix}-email" name="email" type="email" maxlength="254" autocomplete="email"></p>
<p><label for="${prefix}-url">Website (optional)</label>
<input id="${prefix}-url" name="url" type="url" maxlength="2000" autocomplete="url"></p>
<p><label for="${prefix}-body">${parent === undefined ? 'Comment' : 'Reply'} (markdown)</label>
<textarea id="${prefix}-body" name="body" required rows="6" maxlength="${String(maxLength)}"></textarea></p>
<p hidden><label for="${prefix}-honeypot">Leave this field empty</label>
<input id="${prefix}-honeypot" name="honeypot" tabindex="-1" autocomplete="off"></p>
<p><button type="submit">${parent === undefined ? 'Post comment' : 'Post reply'}</button></p>
</form>
`;
}
