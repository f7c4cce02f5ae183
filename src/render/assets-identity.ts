// Kept apart from rehype-assets.ts, whose imports load the sanitizer's schema: the render cache and
// the memo need only this, and a warm build loads no part of the markdown pipeline.
import { compareText } from '../common/text';
import type { PostAssets } from './rehype-assets';

/** The identity of the last site URL's posts without files. */
let noFiles: { siteUrl: string; identity: string } | undefined;

/**
 * The facts of a post's files as one text, the same whatever order the object's keys were made in:
 * part of a render's identity (the render cache's key, a watch loop's memo), since an image's size
 * is in the HTML and a file added or removed changes which references are missing.
 */
export function assetsIdentity(assets: PostAssets | undefined): string {
  if (assets === undefined) return '';
  const names = Object.keys(assets.files);
  // A post without files (every post file): the same text for every post of a site, made once.
  if (names.length === 0) {
    if (noFiles?.siteUrl !== assets.siteUrl) {
      noFiles = { siteUrl: assets.siteUrl, identity: JSON.stringify([assets.siteUrl, []]) };
    }
    return noFiles.identity;
  }
  const files = names
    .sort(compareText)
    .map((name) => [name, assets.files[name]!.width ?? null, assets.files[name]!.height ?? null]);
  return JSON.stringify([assets.siteUrl, files]);
}
