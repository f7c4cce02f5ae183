// The two allow-lists the sanitizer applies. The reasons for every difference from GitHub's schema
// (hast-util-sanitize's `defaultSchema`) are in docs/decisions/rendering.md.
import { defaultSchema, type Options as Schema } from 'rehype-sanitize';

/** Attributes of `defaultSchema['*']` that only mean something on forms, which are not allowed. */
const FORM_ATTRIBUTES = new Set(['accept', 'acceptCharset', 'action', 'encType', 'method']);

/** Elements whose text is code or data rather than prose: dropped with their content, not unwrapped. */
const STRIP = ['script', 'style'];

/**
 * The schema for posts: GitHub's, with these changes.
 *
 * - `id` is not prefixed with `user-content-` (heading anchors and footnote links must work on the
 *   page without script); `name` still is, because `<img name="cookie">` shadows `document.cookie`.
 * - Comments are kept so that `<!-- more -->` survives until the summary is taken; every comment
 *   is removed before the HTML is written.
 * - `style` is stripped with its content; `picture`, `source` and `srcset` and the form attributes
 *   (`action`, `method`, …) are not allowed.
 */
export const postSchema: Schema = {
  ...defaultSchema,
  allowComments: true,
  allowDoctypes: false,
  clobber: ['name'],
  clobberPrefix: 'user-content-',
  strip: STRIP,
  tagNames: (defaultSchema.tagNames ?? []).filter((name) => name !== 'picture' && name !== 'source'),
  attributes: Object.fromEntries(
    Object.entries(defaultSchema.attributes ?? {})
      .filter(([tagName]) => tagName !== 'source')
      .map(([tagName, allowed]) => [
        tagName,
        tagName === '*'
          ? allowed.filter((name) => typeof name !== 'string' || !FORM_ATTRIBUTES.has(name))
          : allowed,
      ]),
  ),
};

/**
 * The schema for comments, the strictest: prose, lists, quotes, code, tables and http(s)/mailto
 * links. No headings, images, ids, names, classes other than the ones markdown itself adds, raw
 * HTML or comments.
 */
export const commentSchema: Schema = {
  allowComments: false,
  allowDoctypes: false,
  ancestors: defaultSchema.ancestors,
  attributes: {
    a: ['href'],
    code: [['className', /^language-./]],
    input: [['disabled', true], ['type', 'checkbox'], 'checked'],
    li: [['className', 'task-list-item']],
    ol: ['start', ['className', 'contains-task-list']],
    td: ['align'],
    th: ['align'],
    ul: [['className', 'contains-task-list']],
  },
  clobber: [],
  clobberPrefix: '',
  protocols: { href: ['http', 'https', 'mailto'] },
  required: { input: { disabled: true, type: 'checkbox' } },
  strip: STRIP,
  tagNames: [
    'a',
    'blockquote',
    'br',
    'code',
    'del',
    'em',
    'hr',
    'input',
    'li',
    'ol',
    'p',
    'pre',
    'strong',
    'table',
    'tbody',
    'td',
    'th',
    'thead',
    'tr',
    'ul',
  ],
};

/** The properties holding a URL that the sanitizer lets through, in either schema. */
export const URL_PROPERTIES = ['href', 'src', 'cite', 'longDesc'] as const;
