const plural = new Intl.PluralRules('en');

/** `1 comment`, `0 comments`, `2 comments`: a comment count in words, for the post list. */
export function commentCount(count: number): string {
  return `${count} ${plural.select(count) === 'one' ? 'comment' : 'comments'}`;
}
