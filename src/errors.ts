/**
 * Thrown only for programmer errors (a wrong argument to a library function, an impossible state).
 * Problems in content or configuration are never thrown: they are returned as {@link Diagnostic}s.
 *
 * @example
 * ```ts
 * import { BroadsheetError } from 'broadsheet';
 * try { renderMarkdown(42 as never, { trust: 'post' }); } catch (error) {
 *   if (error instanceof BroadsheetError) console.error(error.code, error.message);
 * }
 * ```
 */
export class BroadsheetError extends Error {
  /** A stable machine-readable code, such as `invalid-argument`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BroadsheetError';
    this.code = code;
  }
}
