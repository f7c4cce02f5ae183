import type { Post, Site } from '../../site/types';
import { httpUrl } from '../api/links';
import { escapeHtml, HtmlFragment, htmlSafeText } from './html';

/** What a page tells link previews (Open Graph and Twitter cards). */
export interface SocialCard {
  /** `article` for a post, `website` for any other page. */
  type: 'website' | 'article';
  /** The page's own title, without the site's. */
  title: string;
  /** Plain text. */
  description?: string;
  /** Absolute http(s) URL of an image. */
  image?: string;
  /** A post's dates and tags (`article:*` properties). */
  article?: { published: Date; modified?: Date; tags: string[] };
}

/**
 * Open Graph (`og:*`, `article:*`) and Twitter card (`twitter:*`) `<meta>` tags for a page at
 * `url`: a large-image card when there is an image, else a summary card. Every value is escaped.
 */
export function socialMeta(site: Site, url: string, card: SocialCard): HtmlFragment {
  // One string built as it goes: a page has up to a dozen of these tags. Names are constants of this
  // function; every content is escaped.
  let markup = '';
  const meta = (attribute: 'property' | 'name', name: string, content: string | undefined): void => {
    if (content !== undefined && content !== '') {
      markup += `<meta ${attribute}="${name}" content="${escapeHtml(content)}">\n`;
    }
  };
  const { article } = card;
  meta('property', 'og:site_name', site.config.site.title);
  meta('property', 'og:type', card.type);
  meta('property', 'og:title', card.title);
  meta('property', 'og:url', url);
  meta('property', 'og:description', card.description);
  meta('property', 'og:image', card.image);
  if (article) {
    meta('property', 'article:published_time', article.published.toISOString());
    meta('property', 'article:modified_time', article.modified?.toISOString());
    for (const tag of article.tags) meta('property', 'article:tag', tag);
  }
  meta('name', 'twitter:card', card.image ? 'summary_large_image' : 'summary');
  meta('name', 'twitter:title', card.title);
  meta('name', 'twitter:description', card.description);
  meta('name', 'twitter:image', card.image);
  return new HtmlFragment(markup);
}

/** A post's image as an absolute http(s) URL (a path is resolved against the post's URL). */
export function postImage(post: Post): string | undefined {
  return httpUrl(post.image, post.url);
}

/** Characters a `<script>` element's JSON is written with as `\uXXXX`, besides what JSON escapes. */
const SCRIPT_UNSAFE =
  /[<>&\u007F-\u009F\u2028\u2029\uFDD0-\uFDEF\uFFFE\uFFFF]|[\uD83F\uD87F\uD8BF\uD8FF\uD93F\uD97F\uD9BF\uD9FF\uDA3F\uDA7F\uDABF\uDAFF\uDB3F\uDB7F\uDBBF\uDBFF][\uDFFE\uDFFF]/g;

/**
 * JSON for a `<script type="application/ld+json">` element: `<`, `>` and `&` are written as
 * `\u003c`…, so no text can close the element (`</script>`) or open a comment (`<!--`), and the
 * characters a page cannot carry (controls, noncharacters) as escapes too. It parses back to `value`.
 *
 * @example
 * ```ts
 * scriptJson({ headline: '</script><script>alert(1)</script>' }); // '{"headline":"\\u003c/script\\u003e…"}'
 * ```
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(SCRIPT_UNSAFE, (characters) => {
    // Code unit by code unit: a supplementary noncharacter is written as its two surrogates.
    let escaped = '';
    for (let index = 0; index < characters.length; index++) {
      escaped += `\\u${characters.charCodeAt(index).toString(16).padStart(4, '0')}`;
    }
    return escaped;
  });
}

/** A `<script type="application/ld+json">` element holding `value` (see {@link scriptJson}). */
export function jsonLdScript(value: unknown): HtmlFragment {
  return new HtmlFragment(`<script type="application/ld+json">${scriptJson(value)}</script>\n`);
}

/**
 * schema.org `BlogPosting` of a post, for search engines: headline, description, dates, authors,
 * image, keywords, language, URL, and the site as publisher.
 */
export function blogPosting(site: Site, post: Post): Record<string, unknown> {
  const image = postImage(post);
  const url = httpUrl(post.canonical) ?? post.url;
  const text = (value: string) => htmlSafeText(value);
  return {
    '@context': 'https://schema.org',
    '@type': 'BlogPosting',
    headline: text(post.title),
    ...(post.summary ? { description: text(post.summary) } : {}),
    datePublished: post.date.toISOString(),
    dateModified: (post.updated ?? post.date).toISOString(),
    author: post.authors.map((author) => {
      const authorUrl = httpUrl(author.url);
      return { '@type': 'Person', name: text(author.name), ...(authorUrl ? { url: authorUrl } : {}) };
    }),
    ...(image ? { image } : {}),
    ...(post.tags.length > 0 ? { keywords: post.tags.map((tag) => text(tag.name)) } : {}),
    inLanguage: post.lang,
    wordCount: post.wordCount,
    url,
    mainEntityOfPage: { '@type': 'WebPage', '@id': url },
    publisher: { '@type': 'Organization', name: text(site.config.site.title), url: site.url },
  };
}
