import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const repository = path.resolve(import.meta.dirname, '../..');

/** Every name an entry point exports, values and types, as the compiler sees it. */
function exportedNames(entry: string): string[] {
  const file = path.join(repository, entry);
  const program = ts.createProgram([file], {
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
  });
  const checker = program.getTypeChecker();
  const symbol = checker.getSymbolAtLocation(program.getSourceFile(file)!)!;
  return checker
    .getExportsOfModule(symbol)
    .map((exported) => exported.getName())
    .sort();
}

// The public API is what these lists pin: a name added or removed is a change of the package's
// contract (README "API", docs/api.md), made on purpose and reviewed here.
describe('the public API', () => {
  it('of broadsheet (src/index.ts)', async () => {
    const runtime = Object.keys(await import('../../src/index')).sort();
    const all = exportedNames('src/index.ts');
    expect(all).toEqual(expect.arrayContaining(runtime));
    expect({ values: runtime, types: all.filter((name) => !runtime.includes(name)) }).toMatchInlineSnapshot(`
      {
        "types": [
          "ApiAuthor",
          "ApiComment",
          "ApiCommentAuthor",
          "ApiDocumentName",
          "ApiFeedLinks",
          "ApiHeading",
          "ApiPagination",
          "ApiPost",
          "ApiPostList",
          "ApiPostSummary",
          "ApiSite",
          "ApiTag",
          "ApiTagList",
          "ApiTagRef",
          "ApiTagSummary",
          "AssetFact",
          "AssetProblem",
          "Author",
          "AuthorProfile",
          "BroadsheetConfig",
          "BuildProgress",
          "BuildSiteOptions",
          "BuildSiteResult",
          "ClientInfo",
          "Comment",
          "CommentAuthor",
          "CommentFrontMatter",
          "CommentSchema",
          "CommentStatus",
          "CommentsConfig",
          "Diagnostic",
          "FeedFormat",
          "Heading",
          "HomePageData",
          "HtmlValue",
          "JsonFeed",
          "JsonFeedAuthor",
          "JsonFeedItem",
          "LoadConfigResult",
          "LoadProgress",
          "LoadSiteOptions",
          "LoadSiteResult",
          "LoadedConfig",
          "MarkdownLimitsConfig",
          "MarkdownRenderer",
          "MenuItem",
          "NodeListenerOptions",
          "NotFoundData",
          "OutputFile",
          "PageFrontMatter",
          "Post",
          "PostAsset",
          "PostAssets",
          "PostFrontMatter",
          "PostLink",
          "PostNeighbours",
          "PostPageData",
          "PostSchema",
          "PreviewOptions",
          "RenderDocument",
          "RenderOptions",
          "RenderResult",
          "RendererOptions",
          "RequestHandler",
          "ResolvedConfig",
          "Severity",
          "Site",
          "SitePage",
          "SiteUpdate",
          "SiteWatcher",
          "StandalonePageData",
          "Tag",
          "TagIndexData",
          "TagPageData",
          "TagRef",
          "Template",
          "ThemeConfig",
          "ThemeStylesheet",
          "ThemeTemplates",
          "Trust",
          "WatchSiteOptions",
        ],
        "values": [
          "BroadsheetError",
          "CONFIG_FILE_NAMES",
          "HtmlFragment",
          "VERSION",
          "apiAuthorSchema",
          "apiCommentAuthorSchema",
          "apiCommentSchema",
          "apiDocumentSchemas",
          "apiFeedLinksSchema",
          "apiFiles",
          "apiHeadingSchema",
          "apiPaginationSchema",
          "apiPostListSchema",
          "apiPostSchema",
          "apiPostSummarySchema",
          "apiSiteSchema",
          "apiTagListSchema",
          "apiTagRefSchema",
          "apiTagSchema",
          "apiTagSummarySchema",
          "authorSchema",
          "buildSite",
          "commentFeedFiles",
          "commentSchema",
          "commentStatuses",
          "commentsConfigSchema",
          "compareDiagnostics",
          "configSchema",
          "createFileCommentStore",
          "createMarkdownRenderer",
          "defineConfig",
          "escapeHtml",
          "feedFiles",
          "formatDiagnostic",
          "formatDiagnosticsJson",
          "formatGithubAnnotation",
          "hasErrors",
          "html",
          "joinHtml",
          "loadConfig",
          "loadSite",
          "pageFiles",
          "pageSchema",
          "postCommentFeedFiles",
          "postSchema",
          "renderMarkdown",
          "robotsTxt",
          "seoFiles",
          "siteFeedFiles",
          "siteFiles",
          "sitemapFiles",
          "sitemapUrls",
          "tagFeedFiles",
          "toNodeListener",
          "trustedHtml",
          "watchSite",
        ],
      }
    `);
  });

  it('of broadsheet/client (src/client/index.ts)', async () => {
    const runtime = Object.keys(await import('../../src/client/index')).sort();
    const all = exportedNames('src/client/index.ts');
    expect({ values: runtime, types: all.filter((name) => !runtime.includes(name)) }).toMatchInlineSnapshot(`
      {
        "types": [
          "ApiPost",
          "ApiPostList",
          "ApiSite",
          "ApiTag",
          "ApiTagList",
          "BroadsheetClient",
          "ClientError",
          "ClientOptions",
          "ClientResult",
        ],
        "values": [
          "DEFAULT_TIMEOUT_MS",
          "createClient",
        ],
      }
    `);
  });
  it('of broadsheet/astro (src/astro/index.ts)', async () => {
    const runtime = Object.keys(await import('../../src/astro/index')).sort();
    const all = exportedNames('src/astro/index.ts');
    expect({ values: runtime, types: all.filter((name) => !runtime.includes(name)) }).toMatchInlineSnapshot(`
      {
        "types": [
          "AstroLoaderContext",
          "BroadsheetLoader",
        ],
        "values": [
          "broadsheetLoader",
        ],
      }
    `);
  });
});
