import { absoluteUrl, paths } from '../../site/paths';
import type { Author, Comment, Post, Site, Tag } from '../../site/types';
import { feedLinks, httpUrl, type Page, postCommentFeedLinks } from '../api/links';
import { displayDay, displayDayTime } from './dates';
import { type HtmlFragment, type HtmlValue, html, joinHtml, trustedHtml } from './html';
import { type FeedSet, layout, subscribeLinks } from './layout';
import { unpublishedMark, unpublishedNote } from './preview';

/** "1 comment", "3 comments", "No comments". */
function commentCount(count: number): string {
  return count === 0 ? 'No comments' : count === 1 ? '1 comment' : `${count} comments`;
}

/** "1 post", "3 posts". */
function postCount(count: number): string {
  return count === 1 ? '1 post' : `${count} posts`;
}

/** "A", "A and B", "A, B and C". */
function listOf(items: HtmlFragment[]): HtmlFragment {
  if (items.length <= 1) return joinHtml(items, '');
  return html`${joinHtml(items.slice(0, -1), ', ')} and ${items.at(-1)}`;
}

function time(date: Date, text: string): HtmlFragment {
  return html`<time datetime="${date.toISOString()}">${text}</time>`;
}

function authorName(author: Author): HtmlFragment {
  const url = httpUrl(author.url);
  return url ? html`<a href="${url}">${author.name}</a>` : html`${author.name}`;
}

/** A post in a list: title, date, comment count and summary; no body. */
function postSummary(site: Site, post: Post): HtmlFragment {
  const { timezone, language } = site.config.site;
  const count = post.comments.length;
  return html`<article class="summary"${post.lang !== language ? html` lang="${post.lang}"` : ''}>
<h2><a href="${post.url}">${post.title}</a></h2>
<p class="meta">${unpublishedMark(post)}${time(post.date, displayDay(post.date, timezone))}${count > 0 ? html` · <a href="${post.url}#comments">${commentCount(count)}</a>` : ''}</p>
${post.summary ? html`<p>${post.summary}</p>\n` : ''}</article>
`;
}

/** The home page and its older pages: `postsPerPage` summaries a page, newest first. */
export function homePage(site: Site, page: Page<Post>): string {
  const title = site.config.site.title;
  const pageUrl = (number: number) => absoluteUrl(site.url, paths.home(number));
  const newer =
    page.number > 1 ? html`<a rel="prev" href="${pageUrl(page.number - 1)}">← Newer posts</a>` : '';
  const older =
    page.number < page.count ? html`<a rel="next" href="${pageUrl(page.number + 1)}">Older posts →</a>` : '';
  const pagination =
    page.count > 1
      ? html`<nav class="pagination" aria-label="Pages">
${newer}${newer ? '\n' : ''}<span>Page ${page.number} of ${page.count}</span>
${older}${older ? '\n' : ''}</nav>
`
      : '';
  const main = html`${page.number > 1 ? html`<h1>Posts, page ${page.number} of ${page.count}</h1>\n` : ''}${
    page.items.length === 0 ? html`<p>No posts yet.</p>\n` : page.items.map((post) => postSummary(site, post))
  }${pagination}`;
  return layout({
    site,
    path: paths.home(page.number),
    title: page.number > 1 ? `Page ${page.number} — ${title}` : title,
    lang: site.config.site.language,
    description: page.number === 1 ? site.config.site.description : undefined,
    siteTitleIsHeading: page.number === 1,
    main,
  });
}

/**
 * The approved comments of a post as nested lists: each comment an `<li id="comment-<id>">`, its
 * replies an `<ol>` inside it, oldest first at every level.
 */
function commentThread(site: Site, comments: readonly Comment[]): HtmlFragment {
  const ids = new Set(comments.map((comment) => comment.id));
  const replies = new Map<string, Comment[]>();
  const roots: Comment[] = [];
  for (const comment of comments) {
    if (comment.parent === undefined || !ids.has(comment.parent)) {
      roots.push(comment);
      continue;
    }
    const siblings = replies.get(comment.parent) ?? [];
    siblings.push(comment);
    replies.set(comment.parent, siblings);
  }
  const shown = new Set<string>();
  const list = (items: readonly Comment[]): HtmlValue => {
    const entries: HtmlFragment[] = [];
    for (const item of items) if (!shown.has(item.id)) entries.push(entry(item));
    return entries.length > 0 ? html`<ol class="comment-list">\n${entries}</ol>\n` : '';
  };
  const entry = (comment: Comment): HtmlFragment => {
    shown.add(comment.id);
    const url = httpUrl(comment.author.url);
    const name = url
      ? html`<a href="${url}" rel="nofollow ugc noopener">${comment.author.name}</a>`
      : comment.author.name;
    return html`<li id="comment-${comment.id}" class="comment">
<p class="meta"><b class="comment-author">${name}</b> · <a href="${comment.url}">${time(comment.date, displayDayTime(comment.date, site.config.site.timezone))}</a></p>
<div class="comment-body">
${trustedHtml(comment.html)}
</div>
${list(replies.get(comment.id) ?? [])}</li>
`;
  };
  const thread = list(roots);
  // Only a hand-made site could hold comments that no root leads to (a cycle of parents); show them too.
  return html`${thread}${list(comments)}`;
}

/** A post page: the post, its tags, its threaded approved comments and its comment feeds. */
export function postPage(site: Site, post: Post): string {
  const { timezone } = site.config.site;
  const commentFeeds: FeedSet = {
    label: 'Post Comments',
    links: postCommentFeedLinks(site, post.slug),
  };
  const meta: HtmlValue[] = [time(post.date, displayDay(post.date, timezone))];
  if (post.updated && post.updated.getTime() !== post.date.getTime()) {
    meta.push(html`Updated ${time(post.updated, displayDay(post.updated, timezone))}`);
  }
  if (post.authors.length > 0) meta.push(html`By ${listOf(post.authors.map(authorName))}`);
  meta.push(`${post.readingTime} min read`);
  const tags = post.tags.map(
    (tag) => html`<a rel="tag" href="${absoluteUrl(site.url, paths.tag(tag.slug))}">${tag.name}</a>`,
  );
  const subscribe = subscribeLinks(commentFeeds);
  const main = html`<article class="post">
<header>
<h1>${post.title}</h1>
${unpublishedNote(post)}<p class="meta">${joinHtml(meta, ' · ')}</p>
</header>
<div class="post-body">
${trustedHtml(post.html)}
</div>
${tags.length > 0 ? html`<footer>\n<p class="meta">Tags: ${joinHtml(tags, ', ')}</p>\n</footer>\n` : ''}</article>
<section class="comments" id="comments">
<h2>Comments</h2>
${post.comments.length > 0 ? commentThread(site, post.comments) : html`<p>No comments</p>\n`}${
  post.commentsOpen ? '' : html`<p>Comments are closed.</p>\n`
}${subscribe.markup === '' ? '' : html`${subscribe}\n`}</section>`;
  return layout({
    site,
    path: paths.post(post.slug),
    canonical: httpUrl(post.canonical),
    title: `${post.title} — ${site.config.site.title}`,
    lang: post.lang,
    description: post.summary || undefined,
    feeds: [commentFeeds],
    main,
  });
}

/** `tags/`: every tag with its number of posts. */
export function tagIndexPage(site: Site): string {
  const items = site.tags.map(
    (tag) =>
      html`<li><a href="${absoluteUrl(site.url, paths.tag(tag.slug))}">${tag.name}</a> (${postCount(tag.posts.length)})</li>\n`,
  );
  const main = html`<h1>Tags</h1>
${items.length > 0 ? html`<ul class="tag-list">\n${items}</ul>` : html`<p>No tags yet.</p>`}`;
  return layout({
    site,
    path: paths.tagIndex(),
    title: `Tags — ${site.config.site.title}`,
    lang: site.config.site.language,
    main,
  });
}

/** `tags/<slug>/`: a tag's posts, newest first, and its feeds. */
export function tagPage(site: Site, tag: Tag): string {
  const feeds: FeedSet = { label: tag.name, links: feedLinks(site.url, paths.feeds.tag(tag.slug)) };
  const main = html`<h1>Posts tagged “${tag.name}”</h1>
<p class="meta">${postCount(tag.posts.length)}</p>
${tag.posts.map((post) => postSummary(site, post))}${subscribeLinks(feeds)}`;
  return layout({
    site,
    path: paths.tag(tag.slug),
    title: `Posts tagged “${tag.name}” — ${site.config.site.title}`,
    lang: site.config.site.language,
    feeds: [feeds],
    main,
  });
}
