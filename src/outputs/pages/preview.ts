import type { Post } from '../../site/types';
import { type HtmlFragment, html } from './html';

const LABELS: Record<NonNullable<Post['unpublished']>, { mark: string; note: string }> = {
  draft: { mark: 'Draft', note: 'a draft (draft: true): a build leaves it out' },
  future: { mark: 'Scheduled', note: 'dated in the future: a build leaves it out until its date' },
};

/**
 * The mark of a post that only a preview shows (`post.unpublished`), before its date in a list:
 * `<mark>Draft</mark> · `. Empty for a published post, so a build's pages never carry it.
 */
export function unpublishedMark(post: Post): HtmlFragment | '' {
  return post.unpublished ? html`<mark>${LABELS[post.unpublished].mark}</mark> · ` : '';
}

/** The note under a preview-only post's title: what it is and why a build leaves it out. Empty otherwise. */
export function unpublishedNote(post: Post): HtmlFragment | '' {
  if (!post.unpublished) return '';
  const { mark, note } = LABELS[post.unpublished];
  return html`<p class="meta"><mark>${mark}</mark> This post is ${note}.</p>\n`;
}
