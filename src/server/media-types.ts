/**
 * Media types by file name. The three feed file names broadsheet writes get their registered
 * types (`application/atom+xml`, `application/rss+xml`, `application/feed+json`); other
 * files go by extension. Text types carry `charset=utf-8`, the encoding of every output.
 */
const byExtension: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  htm: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  json: 'application/json; charset=utf-8',
  map: 'application/json; charset=utf-8',
  webmanifest: 'application/manifest+json; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
  xsl: 'application/xslt+xml; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  ico: 'image/x-icon',
  bmp: 'image/bmp',
  woff: 'font/woff',
  woff2: 'font/woff2',
  ttf: 'font/ttf',
  otf: 'font/otf',
  pdf: 'application/pdf',
  zip: 'application/zip',
  gz: 'application/gzip',
  wasm: 'application/wasm',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  wav: 'audio/wav',
  mp4: 'video/mp4',
  webm: 'video/webm',
  vtt: 'text/vtt; charset=utf-8',
};

const byName: Record<string, string> = {
  'atom.xml': 'application/atom+xml; charset=utf-8',
  'rss.xml': 'application/rss+xml; charset=utf-8',
  'feed.json': 'application/feed+json; charset=utf-8',
};

/** The fallback for a file whose type is unknown: browsers download it rather than guess. */
export const UNKNOWN_MEDIA_TYPE = 'application/octet-stream';

/**
 * The `Content-Type` for a file, from its name (the last path segment is enough).
 *
 * @example
 * ```ts
 * mediaTypeOf('tags/news/atom.xml'); // 'application/atom+xml; charset=utf-8'
 * mediaTypeOf('a/b.png'); // 'image/png'
 * ```
 */
export function mediaTypeOf(fileName: string): string {
  const name = fileName.slice(fileName.lastIndexOf('/') + 1).toLowerCase();
  const named = Object.hasOwn(byName, name) ? byName[name] : undefined;
  if (named) return named;
  const dot = name.lastIndexOf('.');
  const extension = dot === -1 ? '' : name.slice(dot + 1);
  return (Object.hasOwn(byExtension, extension) ? byExtension[extension] : undefined) ?? UNKNOWN_MEDIA_TYPE;
}
