/**
 * `broadsheet/comments`: the comment intake, with no Node built-ins, for `node:http`
 * (through broadsheet's `toNodeListener`), serverless and edge platforms alike.
 */

export {
  checkMarkdownLimits,
  MARKDOWN_LIMITS,
  type MarkdownLimitProblem,
  type MarkdownLimits,
} from '../load/markdown-limits';
export type { ClientInfo, RequestHandler } from '../server/handler';
export { type CommentErrorBody, type CommentHandlerOptions, createCommentHandler } from './handler';
export { newCommentId } from './ids';
export { type PostDirectory, type PostEntry, postsFromApi, postsFromList } from './posts';
export { createMemoryRateLimiter, type RateDecision, type RateLimiter } from './rate-limit';
export { type CommentStore, commentFileText, type NewComment } from './store';
