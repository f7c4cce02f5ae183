// The files of a post folder (`content/posts/<name>/index.md` and what is beside it): what the load
// stage knows of them. readFiles lists them (with the same rules as every content file: nothing
// outside the root, no loops); this module reads each image's size from its header, so that the
// render (on worker threads too) reads no file. The build copies them (src/build/plan-output.ts).
// Decisions: docs/decisions/post-assets.md.
import { closeSync, constants, openSync } from 'node:fs';
import path from 'node:path';
import { readFully } from '../common/fs';
import { compareText } from '../common/text';
import { type Diagnostic, diagnostic } from '../diagnostics/diagnostic';
import type { ParsedFile } from '../parse/parse';
import type { AssetFact, AssetProblem, PostAssets } from '../render/rehype-assets';
import type { PostAsset } from '../site/types';

/** A file of a post folder, as readFiles found it. */
export interface AssetSource {
  /** Its path inside the post's folder, `/`-separated (`pic.png`, `files/a.pdf`). */
  path: string;
  /** Its path relative to the site root, `/`-separated. */
  file: string;
}

/** What a published post's files give its render and its `Site` entry. */
export interface LoadedAssets {
  /** For the post's render job. */
  facts: PostAssets;
  /** For `post.assets` (what the build copies). */
  assets: PostAsset[];
}

/** Names a published file cannot have: a backslash (a separator on Windows) or a control character. */
const UNPUBLISHABLE_NAME = /[\\\u0000-\u001f\u007f]/;

/** Image formats whose header gives a size (image-size reads them; no image is decoded). */
const IMAGE_EXTENSION = /\.(?:avif|bmp|gif|ico|jpe?g|png|svg|tiff?|webp)$/i;

/** Bytes of an image read for its size: enough for the header of any of them (a JPEG's EXIF block first). */
const HEADER_BYTES = 512 * 1024;

/**
 * A problem with one file found in a post folder, or `undefined` when it can be published: it must
 * be a regular file (not a FIFO, socket or device) with a name a static host can serve.
 */
export function assetProblem(asset: AssetSource, regular: boolean): Diagnostic | undefined {
  if (!regular) return diagnostic({ code: 'not-a-file', file: asset.file, message: 'not a regular file' });
  if (UNPUBLISHABLE_NAME.test(asset.path)) {
    return diagnostic({
      code: 'invalid-asset-name',
      file: asset.file,
      message:
        'a file of a post folder cannot be published with a backslash or a control character in its name',
    });
  }
  return undefined;
}

/** The files of every folder post, by the post file's path (`content/posts/a/index.md`). */
export function assetsByFile(
  files: readonly { file: string; assets?: AssetSource[] }[],
): Map<string, AssetSource[]> {
  const byFile = new Map<string, AssetSource[]>();
  for (const { file, assets } of files) if (assets) byFile.set(file, assets);
  return byFile;
}

/** Reads an image's size from its first bytes (image-size's `imageSize`). */
type SizeOf = (bytes: Uint8Array) => { width?: number; height?: number; orientation?: number };

/**
 * The facts of each post's files for its render and the build, by the post file's path: each file,
 * and each image's width and height read from its header (none when the header cannot be read: the
 * image is still published). image-size is loaded only when there is an image to size.
 */
export async function loadPostAssets(
  root: string,
  siteUrl: string,
  posts: readonly { file: string; sources: readonly AssetSource[] }[],
): Promise<Map<string, LoadedAssets>> {
  const hasImage = posts.some(({ sources }) => sources.some((source) => IMAGE_EXTENSION.test(source.path)));
  const sizeOf: SizeOf | undefined = hasImage ? (await import('image-size')).imageSize : undefined;
  const loaded = new Map<string, LoadedAssets>();
  for (const { file, sources } of posts) {
    const files: Record<string, AssetFact> = {};
    const assets: PostAsset[] = [];
    for (const source of [...sources].sort((a, b) => compareText(a.path, b.path))) {
      assets.push({ path: source.path, file: source.file });
      const isImage = sizeOf && IMAGE_EXTENSION.test(source.path);
      files[source.path] = isImage ? imageFact(path.join(root, source.file), sizeOf) : {};
    }
    loaded.set(file, { facts: { siteUrl, files }, assets });
  }
  return loaded;
}

function imageFact(file: string, sizeOf: SizeOf): AssetFact {
  let descriptor: number;
  try {
    descriptor = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch {
    return {};
  }
  try {
    const header = new Uint8Array(HEADER_BYTES);
    const filled = readFully(descriptor, header, 0);
    const size = sizeOf(header.subarray(0, filled));
    // EXIF orientations 5 to 8 turn the picture a quarter: browsers show it turned.
    const turned = size.orientation !== undefined && size.orientation >= 5;
    const width = turned ? size.height : size.width;
    const height = turned ? size.width : size.height;
    return isSize(width) && isSize(height) ? { width, height } : {};
  } catch {
    return {};
  } finally {
    closeSync(descriptor);
  }
}

function isSize(value: number | undefined): value is number {
  return Number.isInteger(value) && value! > 0;
}

/**
 * The `missing-asset` errors of one post's render: each relative reference into the post's folder
 * to a file it does not hold, or climbing above the site's root, at its line and column in the file.
 */
export function missingAssetDiagnostics(
  parsed: ParsedFile,
  isFolderPost: boolean,
  problems: readonly AssetProblem[],
): Diagnostic[] {
  const firstLine = parsed.bodyLine ?? 1;
  return problems.map(({ line, column, reference, reason }) =>
    diagnostic({
      code: 'missing-asset',
      file: parsed.file,
      line: firstLine + line - 1,
      column,
      message:
        reason === 'outside'
          ? `"${reference}" leads above the site's root: nothing outside the site is published`
          : missingMessage(reference, parsed.file, isFolderPost),
    }),
  );
}

function missingMessage(reference: string, file: string, isFolderPost: boolean): string {
  if (isFolderPost) {
    return `"${reference}" is not a file of this post: ${file.slice(0, -'index.md'.length)} holds no such file`;
  }
  return `"${reference}" is not a file of this post: a post's files go beside it in a post folder (${file.slice(0, -'.md'.length)}/index.md)`;
}
