import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { compareText } from '../common/text';
import type { DiagnosticCode } from '../diagnostics/codes';
import { type Diagnostic, diagnostic } from '../diagnostics/diagnostic';
import { decodeText, parseFrontMatterFile } from '../parse/parse';
import { validateData } from '../parse/validate';
import { type RenderJob, type RenderStageOptions, renderDocuments } from '../render/render-stage';
import type { ResolvedConfig } from '../schema/config';
import { SLUG_PATTERN } from '../schema/content';
import { datePartsToInstant, parseDateParts } from '../schema/dates';
import { type PageFrontMatter, pageSchema } from '../schema/page';
import { absoluteUrl } from '../site/paths';
import type { SitePage } from '../site/types';
import { markdownLimitDiagnostic, postMarkdownLimits } from './markdown-limits';

/** First path segments the generated outputs use: a page there would collide with them. */
const RESERVED = new Set(['api', 'comments', 'page', 'posts', 'tags']);

/** A page file found under `content/pages/`, before it is parsed. */
interface PageSource {
  /** Relative to the site root, `/`-separated. */
  file: string;
  absolute: string;
  /** `about`, `docs/setup`; `docs` for `docs/index.md`; '' for `index.md`. */
  slug: string;
}

function findPageFiles(root: string, contentDir: string): PageSource[] {
  const folder = path.join(root, contentDir, 'pages');
  let entries: string[];
  try {
    entries = readdirSync(folder, { recursive: true, encoding: 'utf8' });
  } catch {
    return [];
  }
  const found: PageSource[] = [];
  for (const entry of entries) {
    const relative = entry.split(path.sep).join('/');
    if (!relative.endsWith('.md') || relative.split('/').some((part) => part.startsWith('.'))) continue;
    const slug = relative.slice(0, -3).replace(/(^|\/)index$/, '');
    found.push({
      file: `${[contentDir, 'pages', relative].join('/').replace(/^\.\//, '')}`,
      absolute: path.join(folder, entry),
      slug,
    });
  }
  return found.sort((a, b) => compareText(a.file, b.file));
}

/**
 * Reads, validates and renders the pages of a site (`content/pages/**\/*.md` → `<path>/index.html`):
 * `about.md` and `about/index.md` are the page `about/`. Drafts are left out. A page whose path is
 * not lower-case words joined by hyphens, that would take a path the site generates (`posts/`,
 * `tags/`, `page/`, `api/`, `comments/`, the home page), or that another page already takes is an
 * error. Pages are held to the markdown limits of posts and rendered like posts (trusted, with the
 * config's plugins, by the render stage: its cache, threads and time budget), links absolute.
 */
export async function loadPages(
  root: string,
  config: ResolvedConfig,
  stage: RenderStageOptions,
): Promise<{ pages: SitePage[]; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  const error = (file: string, code: DiagnosticCode, message: string) =>
    diagnostics.push(diagnostic({ code, file, message }));
  const sources = findPageFiles(root, config.content);
  if (sources.length === 0) return { pages: [], diagnostics };
  const bySlug = new Map<string, string>();
  const found: { source: PageSource; front: PageFrontMatter; job: RenderJob }[] = [];
  for (const source of sources) {
    if (source.slug === '' || RESERVED.has(source.slug.split('/')[0]!)) {
      error(
        source.file,
        'reserved-page-path',
        `the page would be at "${source.slug}/", a path the site's own pages use (the home page, posts/, tags/, page/, api/, comments/): move it`,
      );
      continue;
    }
    if (!source.slug.split('/').every((segment) => SLUG_PATTERN.test(segment))) {
      error(
        source.file,
        'invalid-page-path',
        `the page's path "${source.slug}" must be lower-case letters and digits joined by hyphens, in folders named the same way: rename the file`,
      );
      continue;
    }
    const taken = bySlug.get(source.slug);
    if (taken !== undefined) {
      error(
        source.file,
        'duplicate-page-path',
        `${taken} and ${source.file} are both the page "${source.slug}/"`,
      );
      continue;
    }
    bySlug.set(source.slug, source.file);
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(source.absolute);
    } catch (cause) {
      error(source.file, 'unreadable-file', `the file cannot be read: ${(cause as Error).message}`);
      continue;
    }
    const decoded = decodeText(source.file, bytes);
    if ('diagnostic' in decoded) {
      diagnostics.push(decoded.diagnostic);
      continue;
    }
    const parsedResult = parseFrontMatterFile(source.file, decoded.text);
    if ('diagnostics' in parsedResult) {
      diagnostics.push(...parsedResult.diagnostics);
      continue;
    }
    const { parsed } = parsedResult;
    const { data, diagnostics: problems } = validateData(parsed, pageSchema);
    diagnostics.push(...problems);
    if (!data || data.draft) continue;
    const tooComplex = markdownLimitDiagnostic(parsed, 'post', postMarkdownLimits(config));
    if (tooComplex) {
      diagnostics.push(tooComplex);
      continue;
    }
    const url = absoluteUrl(config.site.url, `${source.slug}/`);
    found.push({
      source,
      front: data as PageFrontMatter,
      job: { trust: 'post', url, markdown: parsed.body, file: source.file },
    });
  }
  const { results, warnings, errors } = await renderDocuments(
    found.map(({ job }) => job),
    stage,
  );
  diagnostics.push(...warnings, ...errors);
  const pages = found.map(({ source, front, job }, index): SitePage => {
    const rendered = results[index]!;
    const lastChanged = front.updated ?? front.date;
    return {
      slug: source.slug,
      path: `${source.slug}/`,
      url: job.url,
      file: source.file,
      title: front.title,
      summary: front.summary ?? rendered.summary,
      menu: front.menu,
      lang: front.lang ?? config.site.language,
      image: front.image,
      // The sitemap's lastmod: when it last changed, else when it was published.
      updated:
        lastChanged === undefined
          ? undefined
          : datePartsToInstant(parseDateParts(lastChanged)!, config.site.timezone),
      html: rendered.html,
      headings: rendered.headings,
      data: front,
    };
  });
  return { pages: pages.sort((a, b) => compareText(a.slug, b.slug)), diagnostics };
}
