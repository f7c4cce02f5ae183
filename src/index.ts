export {
  type BuildProgress,
  type BuildSiteOptions,
  type BuildSiteResult,
  buildSite,
} from './build/build-site';
export {
  CONFIG_FILE_NAMES,
  type LoadConfigResult,
  type LoadedConfig,
  loadConfig,
} from './config/load-config';
export { compareDiagnostics, type Diagnostic, hasErrors, type Severity } from './diagnostics/diagnostic';
export { formatDiagnostic, formatDiagnosticsJson, formatGithubAnnotation } from './diagnostics/format';
export { BroadsheetError } from './errors';
export {
  type LoadProgress,
  type LoadSiteOptions,
  type LoadSiteResult,
  loadSite,
  type PreviewOptions,
} from './load/load-site';
export { apiFiles } from './outputs/api/index';
export {
  type ApiAuthor,
  type ApiComment,
  type ApiCommentAuthor,
  type ApiDocumentName,
  type ApiFeedLinks,
  type ApiHeading,
  type ApiPagination,
  type ApiPost,
  type ApiPostList,
  type ApiPostSummary,
  type ApiSite,
  type ApiTag,
  type ApiTagList,
  type ApiTagRef,
  type ApiTagSummary,
  apiAuthorSchema,
  apiCommentAuthorSchema,
  apiCommentSchema,
  apiDocumentSchemas,
  apiFeedLinksSchema,
  apiHeadingSchema,
  apiPaginationSchema,
  apiPostListSchema,
  apiPostSchema,
  apiPostSummarySchema,
  apiSiteSchema,
  apiTagListSchema,
  apiTagRefSchema,
  apiTagSchema,
  apiTagSummarySchema,
} from './outputs/api/schema';
export {
  commentFeedFiles,
  feedFiles,
  type JsonFeed,
  type JsonFeedAuthor,
  type JsonFeedItem,
  postCommentFeedFiles,
  siteFeedFiles,
  tagFeedFiles,
} from './outputs/feeds/index';
export { siteFiles } from './outputs/index';
export { escapeHtml, HtmlFragment, type HtmlValue, html, joinHtml, trustedHtml } from './outputs/pages/html';
export { pageFiles } from './outputs/pages/index';
export type { PostLink, PostNeighbours } from './outputs/pages/templates';
export {
  type BroadsheetConfig,
  defineConfig,
  type HomePageData,
  type NotFoundData,
  type PostPageData,
  type StandalonePageData,
  type TagIndexData,
  type TagPageData,
  type Template,
  type ThemeTemplates,
} from './outputs/pages/theme';
export { robotsTxt, seoFiles, sitemapFiles, sitemapUrls } from './outputs/seo/index';
export type { AssetFact, AssetProblem, PostAssets } from './render/rehype-assets';
export {
  createMarkdownRenderer,
  type MarkdownRenderer,
  type RenderDocument,
  type RendererOptions,
  type RenderOptions,
  type RenderResult,
  renderMarkdown,
  type Trust,
} from './render/render-markdown';
export { type CommentsConfig, commentsConfigSchema } from './schema/comments-config';
export {
  configSchema,
  type FeedFormat,
  type MarkdownLimitsConfig,
  type ResolvedConfig,
  type ThemeConfig,
} from './schema/config';
export {
  type AuthorProfile,
  authorSchema,
  type CommentFrontMatter,
  type CommentSchema,
  type CommentStatus,
  commentSchema,
  commentStatuses,
  type PostFrontMatter,
  type PostSchema,
  postSchema,
} from './schema/content';
export { type PageFrontMatter, pageSchema } from './schema/page';
export { createFileCommentStore } from './server/comment-file-store';
export type { ClientInfo, RequestHandler } from './server/handler';
export { type NodeListenerOptions, toNodeListener } from './server/node';
export type {
  Author,
  Comment,
  CommentAuthor,
  Heading,
  MenuItem,
  OutputFile,
  Post,
  PostAsset,
  Site,
  SitePage,
  Tag,
  TagRef,
  ThemeStylesheet,
} from './site/types';
export { VERSION } from './version';
export {
  type SiteUpdate,
  type SiteWatcher,
  type WatchSiteOptions,
  watchSite,
} from './watch/watch-site';
