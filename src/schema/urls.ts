import { z } from 'zod';

/**
 * White space, control characters and backslashes. The URL parser drops tabs and newlines anywhere
 * (`java\tscript:` is `javascript:`), trims spaces and controls at either end, and reads `\` as `/`:
 * a URL holding any of them is refused rather than published as written.
 */
const UNSAFE_CHARACTER = /[\s\u0000-\u001f\u007f-\u009f\\]/;

/**
 * Whether `value` is an absolute URL whose scheme is http or https, written without white space,
 * control characters or backslashes, and without a user name or password.
 *
 * @example
 * ```ts
 * isHttpUrl('https://example.com/'); // true
 * isHttpUrl('java\tscript:alert(1)'); // false
 * isHttpUrl('https://user:pass@example.com/'); // false
 * ```
 */
export function isHttpUrl(value: string): boolean {
  if (typeof value !== 'string' || UNSAFE_CHARACTER.test(value)) return false;
  // One parse (`URL.canParse` and then `new URL` parsed it twice): a build checks every comment's URL.
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  const { protocol, username, password } = url;
  return (protocol === 'http:' || protocol === 'https:') && username === '' && password === '';
}

/**
 * Whether `value` is a relative URL path (`images/cover.jpg`, `/media/a.png`, `../a.png`): no
 * scheme, not protocol-relative (`//host/…`), no white space, control characters or backslashes.
 */
export function isRelativePath(value: string): boolean {
  return (
    typeof value === 'string' &&
    value !== '' &&
    !UNSAFE_CHARACTER.test(value) &&
    !value.startsWith('//') &&
    !/^[a-z][a-z0-9+.-]*:/i.test(value)
  );
}

/**
 * An absolute http(s) URL. Other schemes (`javascript:`, `data:`) are refused, since these URLs are
 * published as links.
 */
export const httpUrl = z.string().refine(isHttpUrl, {
  message: 'must be an absolute http(s) URL such as https://example.com/',
  params: { broadsheetCode: 'invalid-url' },
});

/** An absolute http(s) URL or a relative path, resolved against the page it is published on. */
export const linkUrl = z.string().refine((value) => isHttpUrl(value) || isRelativePath(value), {
  message:
    'must be an http(s) URL or a path such as images/cover.jpg (no other scheme, spaces or control characters)',
  params: { broadsheetCode: 'invalid-url' },
});
