import { absoluteUrl, paths } from '../../site/paths';
import type { Author, Comment, Post, Site, SitePage, Tag } from '../../site/types';
import { feedLinks, httpUrl, type Page, postCommentFeedLinks } from '../api/links';
import { COMMENT_FORM_STYLESHEET, commentFormSection, hasCommentForm, replyForm } from './comment-form';
import { displayDay, displayDayTime } from './dates';
import { blogPosting, jsonLdScript, postImage } from './head';
import { type HtmlFragment, type HtmlValue, html, joinHtml, trustedHtml } from './html';
import { type FeedSet, layout, subscribeLinks } from './layout';
import { unpublishedMark, unpublishedNote } from './preview';
import { themedMain } from './theme';

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

/** Newer and older links between the pages of a list, and where this page is; nothing for one page. */
function pagination(page: Page<unknown>, pageUrl: (number: number) => string): HtmlValue {
  if (page.count <= 1) return '';
  const newer =
    page.number > 1 ? html`<a rel="prev" href="${pageUrl(page.number - 1)}">← Newer posts</a>` : '';
  const older =
    page.number < page.count ? html`<a rel="next" href="${pageUrl(page.number + 1)}">Older posts →</a>` : '';
  return html`<nav class="pagination" aria-label="Pages">
${newer}${newer ? '\n' : ''}<span>Page ${page.number} of ${page.count}</span>
${older}${older ? '\n' : ''}</nav>
`;
}

/** The home page and its older pages: `postsPerPage` summaries a page, newest first. */
export function homePage(site: Site, page: Page<Post>): string {
  const title = site.config.site.title;
  const main = (): HtmlFragment =>
    html`${page.number > 1 ? html`<h1>Posts, page ${page.number} of ${page.count}</h1>\n` : ''}${
      page.items.length === 0
        ? html`<p>No posts yet.</p>\n`
        : page.items.map((post) => postSummary(site, post))
    }${pagination(page, (number) => absoluteUrl(site.url, paths.home(number)))}`;
  return layout({
    site,
    path: paths.home(page.number),
    title: page.number > 1 ? `Page ${page.number} — ${title}` : title,
    lang: site.config.site.language,
    description: page.number === 1 ? site.config.site.description : undefined,
    siteTitleIsHeading: page.number === 1,
    main: themedMain(site, 'home', { site, page }, main),
  });
}

/**
 * The approved comments of a post as nested lists: each comment an `<li id="comment-<id>">`, its
 * replies an `<ol>` inside it, oldest first at every level.
 */
function commentThread(site: Site, post: Post, comments: readonly Comment[]): HtmlFragment {
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
${replyForm(site, post, comment)}${list(replies.get(comment.id) ?? [])}</li>
`;
  };
  const thread = list(roots);
  // Only a hand-made site could hold comments that no root leads to (a cycle of parents); show them too.
  return html`${thread}${list(comments)}`;
}

/** A post next to another in the site's order, as a post page links to it. */
export interface PostLink {
  title: string;
  url: string;
}

/** The posts before and after a post, as its page links them (`rel="prev"`: older, `rel="next"`: newer). */
export interface PostNeighbours {
  older?: PostLink;
  newer?: PostLink;
}

/** The older and newer neighbours of each post of a list that is newest first. */
export function postNeighbours(posts: readonly Post[], index: number): PostNeighbours {
  const link = (post: Post | undefined): PostLink | undefined =>
    post === undefined ? undefined : { title: post.title, url: post.url };
  return { older: link(posts[index + 1]), newer: link(posts[index - 1]) };
}

function neighbourNav({ older, newer }: PostNeighbours): HtmlValue {
  if (!older && !newer) return '';
  return html`<nav class="post-nav pagination" aria-label="More posts">
${older ? html`<a rel="prev" href="${older.url}">← ${older.title}</a>\n` : ''}${newer ? html`<a rel="next" href="${newer.url}">${newer.title} →</a>\n` : ''}</nav>
`;
}

/**
 * A post page: the post, its tags, links to the older and newer posts, its threaded approved
 * comments and its comment feeds; Open Graph, Twitter card and JSON-LD `BlogPosting` in its head.
 */
export function postPage(site: Site, post: Post, neighbours: PostNeighbours = {}): string {
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
  const main = (): HtmlFragment => html`<article class="post">
<header>
<h1>${post.title}</h1>
${unpublishedNote(post)}<p class="meta">${joinHtml(meta, ' · ')}</p>
</header>
<div class="post-body">
${trustedHtml(post.html)}
</div>
${tags.length > 0 ? html`<footer>\n<p class="meta">Tags: ${joinHtml(tags, ', ')}</p>\n</footer>\n` : ''}</article>
${neighbourNav(neighbours)}<section class="comments" id="comments">
<h2>Comments</h2>
${post.comments.length > 0 ? commentThread(site, post, post.comments) : html`<p>No comments</p>\n`}${commentFormSection(site, post)}${subscribe.markup === '' ? '' : html`${subscribe}\n`}</section>`;
  return layout({
    site,
    path: paths.post(post.slug),
    canonical: httpUrl(post.canonical),
    title: `${post.title} — ${site.config.site.title}`,
    lang: post.lang,
    description: post.summary || undefined,
    feeds: [commentFeeds],
    style: hasCommentForm(site, post) ? COMMENT_FORM_STYLESHEET : undefined,
    social: {
      type: 'article',
      title: post.title,
      description: post.summary || undefined,
      image: postImage(post),
      article: { published: post.date, modified: post.updated, tags: post.tags.map((tag) => tag.name) },
    },
    head: html`${jsonLdScript(blogPosting(site, post))}${neighbours.older ? html`<link rel="prev" href="${neighbours.older.url}">\n` : ''}${neighbours.newer ? html`<link rel="next" href="${neighbours.newer.url}">\n` : ''}`,
    main: themedMain(site, 'post', { site, post, neighbours }, main),
  });
}

/** `tags/`: every tag with its number of posts. */
export function tagIndexPage(site: Site): string {
  const items = site.tags.map(
    (tag) =>
      html`<li><a href="${absoluteUrl(site.url, paths.tag(tag.slug))}">${tag.name}</a> (${postCount(tag.posts.length)})</li>\n`,
  );
  const main = (): HtmlFragment => html`<h1>Tags</h1>
${items.length > 0 ? html`<ul class="tag-list">\n${items}</ul>` : html`<p>No tags yet.</p>`}`;
  return layout({
    site,
    path: paths.tagIndex(),
    title: `Tags — ${site.config.site.title}`,
    lang: site.config.site.language,
    main: themedMain(site, 'tagIndex', { site }, main),
  });
}

/** `tags/<slug>/` and `tags/<slug>/page/<n>/`: a page of a tag's posts, newest first, and its feeds. */
export function tagPage(
  site: Site,
  tag: Tag,
  page: Page<Post> = { number: 1, count: 1, items: tag.posts },
): string {
  const feeds: FeedSet = { label: tag.name, links: feedLinks(site.url, paths.feeds.tag(tag.slug)) };
  const heading =
    page.number > 1
      ? `Posts tagged “${tag.name}”, page ${page.number} of ${page.count}`
      : `Posts tagged “${tag.name}”`;
  const main = (): HtmlFragment => html`<h1>${heading}</h1>
<p class="meta">${postCount(tag.posts.length)}</p>
${page.items.map((post) => postSummary(site, post))}${pagination(page, (number) => absoluteUrl(site.url, paths.tag(tag.slug, number)))}${subscribeLinks(feeds)}`;
  return layout({
    site,
    path: paths.tag(tag.slug, page.number),
    title: `${heading} — ${site.config.site.title}`,
    lang: site.config.site.language,
    feeds: [feeds],
    main: themedMain(site, 'tag', { site, tag, page }, main),
  });
}

/** A page of `content/pages/`: its title and body, in the site's layout. */
export function standalonePage(site: Site, page: SitePage): string {
  const description = page.summary || undefined;
  const main = (): HtmlFragment => html`<article class="page">
<h1>${page.title}</h1>
<div class="post-body">
${trustedHtml(page.html)}
</div>
</article>`;
  return layout({
    site,
    path: page.path,
    title: `${page.title} — ${site.config.site.title}`,
    lang: page.lang,
    description,
    social: { type: 'website', title: page.title, description, image: httpUrl(page.image, page.url) },
    main: themedMain(site, 'page', { site, page }, main),
  });
}

/** `404.html`: what a host shows for a missing page; every link absolute, so it works at any path. */
export function notFoundPage(site: Site): string {
  const main = (): HtmlFragment => html`<h1>Page not found</h1>
<p>There is no page at this address. It may have moved, or the link may be mistyped.</p>
<p><a href="${site.url}">Go to the home page</a> or <a href="${absoluteUrl(site.url, paths.tagIndex())}">browse the tags</a>.</p>`;
  return layout({
    site,
    path: paths.notFound(),
    title: `Page not found — ${site.config.site.title}`,
    lang: site.config.site.language,
    noindex: true,
    main: themedMain(site, 'notFound', { site }, main),
  });
}
