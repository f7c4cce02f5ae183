import { BroadsheetError } from '../errors';
import type { ResolvedConfig } from '../schema/config';
import { isHttpUrl } from '../schema/urls';
import type { PreviewOptions } from './load-site';

/** The `preview` option as an object. */
export function previewOf(preview: true | PreviewOptions): PreviewOptions {
  return preview === true ? {} : preview;
}

/** The config with `site.url` on another origin, its path kept; refuses an origin that is not http(s). */
export function withOrigin(config: ResolvedConfig, origin: string): ResolvedConfig {
  const local = isHttpUrl(origin) ? new URL(origin) : undefined;
  if (local?.pathname !== '/' || local.search !== '' || local.hash !== '') {
    throw new BroadsheetError(
      'invalid-preview-origin',
      `preview.origin "${origin}" is not an http(s) origin such as http://127.0.0.1:4000`,
    );
  }
  const site = new URL(config.site.url);
  return { ...config, site: { ...config.site, url: `${local.origin}${site.pathname}` } };
}
