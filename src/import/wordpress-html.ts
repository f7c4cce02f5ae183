/** Shortcodes WordPress and its common plugins print as media or embeds; other `[words]` stay text. */
const KNOWN_SHORTCODES = [
  'audio',
  'caption',
  'code',
  'contact-form',
  'contact-form-7',
  'embed',
  'gallery',
  'gist',
  'googlemaps',
  'instagram',
  'playlist',
  'soundcloud',
  'sourcecode',
  'spotify',
  'tweet',
  'video',
  'vimeo',
  'wp_caption',
  'youtube',
];

const SHORTCODE = new RegExp(
  `\\[(${KNOWN_SHORTCODES.join('|')})\\b([^\\]]*)\\](?:([\\s\\S]*?)\\[\\/\\1\\])?`,
  'gi',
);

function attribute(attributes: string, name: string): string | undefined {
  const match = new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s\\]]+))`, 'i').exec(attributes);
  return match ? (match[1] ?? match[2] ?? match[3]) : undefined;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function link(url: string): string {
  return /^https?:\/\//i.test(url) ? `<p><a href="${escapeHtml(url)}">${escapeHtml(url)}</a></p>` : '';
}

/**
 * Replaces WordPress shortcodes with the HTML they stand for, so that none leaks into a post as
 * text: `[caption]` becomes `<figure>` with a `<figcaption>`, `[code]`/`[sourcecode]` a code block,
 * `[embed]`, `[youtube]`, `[vimeo]`… a link to the media. Shortcodes that need the old site's PHP to
 * mean anything (`[gallery]`, `[contact-form]`, `[playlist]`…) are removed and returned by name.
 *
 * @example
 * ```ts
 * expandShortcodes('[caption id="a" width="300"]<img src="a.jpg"> A cat[/caption]').html;
 * // '<figure><img src="a.jpg"><figcaption>A cat</figcaption></figure>'
 * ```
 */
export function expandShortcodes(html: string): { html: string; dropped: string[] } {
  const dropped: string[] = [];
  const out = html.replace(
    SHORTCODE,
    (_all, rawName: string, attributes: string, inner: string | undefined) => {
      const name = rawName.toLowerCase();
      const content = inner ?? '';
      switch (name) {
        case 'caption':
        case 'wp_caption': {
          const media = /^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*<\/a>)?)([\s\S]*)$/i.exec(content);
          const caption = (attribute(attributes, 'caption') ?? media?.[2] ?? '').trim();
          const image = media?.[1] ?? content;
          return `<figure>${image}${caption ? `<figcaption>${caption}</figcaption>` : ''}</figure>`;
        }
        case 'code':
        case 'sourcecode': {
          const language = attribute(attributes, 'lang') ?? attribute(attributes, 'language');
          const className = language && /^[\w+#-]+$/.test(language) ? ` class="language-${language}"` : '';
          return `<pre><code${className}>${escapeHtml(content.replace(/^\n/, ''))}</code></pre>`;
        }
        case 'embed':
          return link(content.trim() || (attribute(attributes, 'src') ?? ''));
        case 'youtube':
        case 'vimeo':
        case 'soundcloud':
        case 'spotify':
        case 'gist':
        case 'tweet':
        case 'instagram': {
          const url = content.trim() || attribute(attributes, 'url') || attributes.trim().replace(/^=/, '');
          const made = link(url);
          if (made === '') dropped.push(name);
          return made;
        }
        default:
          dropped.push(name);
          return '';
      }
    },
  );
  return { html: out, dropped };
}

const BLOCK_NAMES =
  'address|article|aside|blockquote|div|dl|figure|footer|form|h[1-6]|header|hr|nav|ol|pre|section|table|ul';
const BLOCK_OPEN = new RegExp(`(<(?:${BLOCK_NAMES})\\b[^>]*>)`, 'gi');
const BLOCK_CLOSE = new RegExp(`(<\\/(?:${BLOCK_NAMES})>)`, 'gi');

const BLOCK =
  /^<\/?(?:address|article|aside|blockquote|caption|col|colgroup|dd|details|div|dl|dt|fieldset|figcaption|figure|footer|form|h[1-6]|header|hgroup|hr|iframe|legend|li|map|math|menu|nav|ol|p|pre|script|section|style|summary|table|tbody|td|tfoot|th|thead|tr|ul|!--)\b/i;

/**
 * WordPress's `wpautop` in short: a classic-editor post is stored without `<p>` (the theme adds them
 * when it shows the post), blank lines between paragraphs and single newlines as line breaks.
 * Text runs separated by a blank line become paragraphs, a newline inside one a `<br>`; blocks
 * (lists, tables, `<pre>`…) are left as they are. Block-editor content (with `<!-- wp:` comments)
 * already has its paragraphs and is returned unchanged, as WordPress does.
 *
 * @example
 * ```ts
 * wpautop('One\ntwo\n\nThree'); // '<p>One<br>\ntwo</p>\n<p>Three</p>'
 * ```
 */
export function wpautop(text: string): string {
  if (text.trim() === '' || text.includes('<!-- wp:')) return text;
  const kept: string[] = [];
  const protectedText = text
    .replace(/\r\n?/g, '\n')
    .replace(/<(pre|script|style)\b[\s\S]*?<\/\1>/gi, (block) => `\u0000${kept.push(block) - 1}\u0000`);
  // A block tag starts and ends a chunk of its own, as in WordPress.
  const separated = protectedText.replace(BLOCK_OPEN, '\n\n$1').replace(BLOCK_CLOSE, '$1\n\n');
  const chunks = separated.split(/\n[ \t]*\n+/);
  const html = chunks
    .map((chunk) => chunk.trim())
    .filter((chunk) => chunk !== '')
    .map((chunk) =>
      BLOCK.test(chunk) || /^\u0000\d+\u0000$/.test(chunk)
        ? chunk
        : `<p>${chunk.replace(/\n/g, '<br>\n')}</p>`,
    )
    .join('\n');
  return html.replace(/\u0000(\d+)\u0000/g, (_all, index: string) => kept[Number(index)] as string);
}
