/**
 * The one escaping function of the HTML pages, and the `html` template tag that applies it to
 * every interpolated string, so that no template can forget it.
 */

/**
 * Characters an HTML document cannot carry without a parse error: controls other than tab, line
 * feed, form feed and carriage return, and noncharacters. They are dropped, as XML outputs drop
 * the characters XML cannot carry.
 */
const UNCARRIABLE =
  /[\u0000-\u0008\u000B\u000E-\u001F\u007F-\u009F\uFDD0-\uFDEF\uFFFE\uFFFF]|[\uD83F\uD87F\uD8BF\uD8FF\uD93F\uD97F\uD9BF\uD9FF\uDA3F\uDA7F\uDABF\uDAFF\uDB3F\uDB7F\uDBBF\uDBFF][\uDFFE\uDFFF]/g;
/** Any character {@link htmlSafeText} may change: most text has none and is returned as it is. */
const MAY_CHANGE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\uD800-\uDFFF\uFDD0-\uFDEF\uFFFE\uFFFF]/;
/** A surrogate that is not half of a pair. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const ESCAPED: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Any character {@link escapeHtml} may change: the five it escapes and those of `MAY_CHANGE`. */
const MAY_ESCAPE = /[&<>"'\u0000-\u0008\u000B-\u001F\u007F-\u009F\uD800-\uDFFF\uFDD0-\uFDEF\uFFFE\uFFFF]/;
/** Text up to this long is scanned by a loop in `mayEscape`, longer text by `MAY_ESCAPE`. */
const LOOP_LENGTH = 48;
/** For each code unit from U+0020 to U+003E: 1 for `"`, `&`, `'`, `<` and `>`. */
const ESCAPES_BELOW_3F = Uint8Array.from({ length: 0x1f }, (_, at) =>
  '"&\'<>'.includes(String.fromCharCode(at + 0x20)) ? 1 : 0,
);

/**
 * Marks fragments across copies of this module: a site's config may import `html` from another copy
 * of broadsheet than the one building (a config loaded on its own), and its fragments still count.
 */
const FRAGMENT = Symbol.for('broadsheet.HtmlFragment');

/** A piece of markup that is already safe to put in a page: made by {@link html} or {@link trustedHtml}. */
export class HtmlFragment {
  /** The markup. */
  readonly markup: string;
  readonly [FRAGMENT] = true;
  constructor(markup: string) {
    this.markup = markup;
  }
  toString(): string {
    return this.markup;
  }
}

/** What a template may interpolate: text is escaped, fragments go in as they are, nothing renders nothing. */
export type HtmlValue = string | number | HtmlFragment | null | undefined | false | readonly HtmlValue[];

/** Whether a value is an {@link HtmlFragment}, from this copy of broadsheet or another. */
export function isHtmlFragment(value: unknown): value is HtmlFragment {
  return (
    value instanceof HtmlFragment ||
    (typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[FRAGMENT] === true &&
      typeof (value as { markup?: unknown }).markup === 'string')
  );
}

function render(value: HtmlValue): string {
  if (typeof value === 'string') return escapeHtml(value);
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof HtmlFragment) return value.markup;
  if (typeof value === 'number') return String(value);
  if (isHtmlFragment(value)) return value.markup;
  let markup = '';
  for (const item of value as readonly HtmlValue[]) markup += render(item);
  return markup;
}

/**
 * The template tag of the pages: every interpolated string is escaped with {@link escapeHtml};
 * fragments (and arrays of them) are inserted as they are. Attribute values must be quoted.
 *
 * @example
 * ```ts
 * html`<a href="${post.url}">${post.title}</a>`.markup;
 * ```
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): HtmlFragment {
  let markup = strings[0] ?? '';
  for (let index = 0; index < values.length; index++) {
    markup += render(values[index]);
    markup += strings[index + 1] ?? '';
  }
  return new HtmlFragment(markup);
}

/**
 * Marks HTML that the renderer has already sanitised (a post's or a comment's body) as safe to
 * insert. Only {@link htmlSafeText} is applied to it: characters a page cannot carry are dropped.
 */
export function trustedHtml(markup: string): HtmlFragment {
  return new HtmlFragment(htmlSafeText(markup));
}

/** Fragments joined by a separator (itself escaped when it is text). */
export function joinHtml(parts: readonly HtmlValue[], separator: HtmlValue): HtmlFragment {
  const between = render(separator);
  let markup = '';
  for (let index = 0; index < parts.length; index++) {
    if (index > 0) markup += between;
    markup += render(parts[index]);
  }
  return new HtmlFragment(markup);
}

/**
 * Text as an HTML page carries it: a lone surrogate becomes U+FFFD (as UTF-8 encoding would make
 * it), a carriage return (with the line feed after it) becomes a line feed (as the HTML parser
 * would read it), and controls and noncharacters are dropped. Nothing else changes.
 *
 * @example
 * ```ts
 * htmlSafeText('a\u0000b\r\nc'); // 'ab\nc'
 * ```
 */
export function htmlSafeText(text: string): string {
  if (!MAY_CHANGE.test(text)) return text;
  return text.replace(LONE_SURROGATE, '\uFFFD').replace(/\r\n?/g, '\n').replace(UNCARRIABLE, '');
}

/**
 * Escapes text for an HTML text node or a double- or single-quoted attribute value: `&`, `<`,
 * `>`, `"` and `'` become character references, after {@link htmlSafeText}.
 *
 * @example
 * ```ts
 * escapeHtml('<a href="x">Tom & Jerry\'s</a>'); // '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;'
 * ```
 */
export function escapeHtml(text: string): string {
  // Most text (a URL, a title, a class) has nothing to change: one scan finds that, with no regular expression.
  if (!mayEscape(text)) return text;
  return htmlSafeText(text).replace(/[&<>"']/g, (character) => ESCAPED[character]!);
}

/**
 * Whether {@link escapeHtml} may change `text`: it holds `&`, `<`, `>`, `"` or `'`, or a character
 * {@link htmlSafeText} may change (`MAY_CHANGE`). A loop over the code units, cheaper than a regular
 * expression on the short strings a page interpolates by the hundred.
 */
function mayEscape(text: string): boolean {
  // Past a few dozen characters the regular expression scans faster than the loop (measured).
  if (text.length > LOOP_LENGTH) return MAY_ESCAPE.test(text);
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    if (unit < 0x3f) {
      if (unit < 0x20 ? unit !== 0x09 && unit !== 0x0a : ESCAPES_BELOW_3F[unit - 0x20] === 1) return true;
    } else if (
      unit >= 0x7f &&
      (unit <= 0x9f ||
        (unit >= 0xd800 && (unit <= 0xdfff || (unit >= 0xfdd0 && (unit <= 0xfdef || unit >= 0xfffe)))))
    ) {
      return true;
    }
  }
  return false;
}
