import { z } from 'zod';

/** Whether `value` is an absolute URL whose scheme is http or https. */
export function isHttpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const { protocol } = new URL(value);
  return protocol === 'http:' || protocol === 'https:';
}

/**
 * An absolute http(s) URL. Other schemes (`javascript:`, `data:`) are refused, since these URLs are
 * published as links.
 */
export const httpUrl = z.string().refine(isHttpUrl, {
  message: 'must be an absolute http(s) URL such as https://example.com/',
  params: { broadsheetCode: 'invalid-url' },
});
