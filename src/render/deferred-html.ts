// Performance machinery beside the simple render (docs/decisions/render-speed.md, "Round five:
// render results decoded when read"): the HTML of a render read from the render cache stays the
// UTF-8 bytes it was stored as until something reads it. A warm or CI build reads every cached render
// but makes few output groups; the HTML of the others was decoded (and then collected) for nothing.
// The simple path is a plain `html` string, and every reader gets exactly the string it would have got.
import type { Heading } from '../site/types';
import type { AssetProblem } from './rehype-assets';
import type { RenderResult } from './render-markdown';

/** The HTML of one cached render, as its bytes until read. */
export interface DeferredHtml {
  /**
   * The UTF-8 bytes: a view of a buffer the render cache read for this build alone (never reused,
   * never written to, see `Pack.getMany`), so what it decodes to cannot change; dropped once decoded.
   */
  bytes: Buffer | undefined;
  /** The text, once decoded. */
  text: string | undefined;
}

/** The text of a deferred HTML, decoded now if it was not yet. */
function textOf(deferred: DeferredHtml): string {
  if (deferred.text === undefined) {
    deferred.text = deferred.bytes!.toString('utf8');
    deferred.bytes = undefined;
  }
  return deferred.text;
}

/**
 * A render read from the render cache: its fields as stored, its HTML decoded when first read (a
 * getter of the class: `html` is not an own field, which nothing that handles renders needs; what
 * it is decoded from is private, so that a spread of the render is its other fields).
 */
export class CachedRender implements RenderResult {
  readonly summary: string;
  readonly headings: Heading[];
  readonly wordCount: number;
  readonly readingTime: number;
  declare readonly assetProblems?: AssetProblem[];
  /** The HTML, decoded or not. */
  readonly #deferred: DeferredHtml;

  /** The render of `fields` (checked by the cache) whose HTML is the UTF-8 `bytes` (see {@link DeferredHtml}). */
  constructor(fields: Omit<RenderResult, 'html'>, bytes: Buffer) {
    this.summary = fields.summary;
    this.headings = fields.headings;
    this.wordCount = fields.wordCount;
    this.readingTime = fields.readingTime;
    if (fields.assetProblems !== undefined) this.assetProblems = fields.assetProblems;
    this.#deferred = { bytes, text: undefined };
  }

  get html(): string {
    return textOf(this.#deferred);
  }

  /** The deferred HTML of `render`, when it is a cached render's and not read yet. */
  static unread(render: RenderResult): DeferredHtml | undefined {
    if (!(render instanceof CachedRender)) return undefined;
    const deferred = render.#deferred;
    return deferred.text === undefined ? deferred : undefined;
  }
}

/** Where a post or comment with deferred HTML keeps it: not enumerable, so JSON, keys and spreads never see it. */
const DEFERRED: unique symbol = Symbol('deferred html');

/** A document whose `html` is {@link HTML_ACCESSOR}: its deferred HTML. */
interface Holder {
  [DEFERRED]: DeferredHtml;
}

/** Makes `html` a plain field of `target` holding `value`, where it was the accessor (its place stays). */
function settle(target: object, value: string): void {
  Object.defineProperty(target, 'html', { value, writable: true, enumerable: true, configurable: true });
}

/**
 * The `html` of every post and comment whose HTML is deferred (one pair of functions for all, so that
 * such documents share their shape): the first read decodes it and makes `html` a plain field holding
 * the text (a frozen document keeps the accessor, its text decoded once); an assignment replaces it as
 * any field's would.
 */
const HTML_ACCESSOR: PropertyDescriptor = {
  get(this: Holder): string {
    const text = textOf(this[DEFERRED]);
    try {
      settle(this, text);
    } catch {
      // A sealed or frozen document keeps the accessor.
    }
    return text;
  },
  set(this: object, value: string): void {
    settle(this, value);
  },
  enumerable: true,
  configurable: true,
};

/**
 * `fields` (a post or comment as the load makes it, with an `html` field) with the HTML of `source`
 * (its render): when that is a {@link CachedRender}'s not read yet, a copy of `fields`, field for field
 * in the same order, whose `html` stays the cached bytes until read; otherwise `fields` itself, its
 * `html` set to the render's.
 *
 * @example
 * ```ts
 * const post = withHtmlOf({ slug, title, html: '', headings }, rendered); // nothing decoded
 * post.html; // decoded now: the render's HTML
 * ```
 */
export function withHtmlOf<T extends { html: string }>(fields: T, source: RenderResult): T {
  const deferred = CachedRender.unread(source);
  if (deferred === undefined) {
    fields.html = source.html;
    return fields;
  }
  const copy: Record<string, unknown> = {};
  for (const name in fields) {
    if (name === 'html') Object.defineProperty(copy, 'html', HTML_ACCESSOR);
    else copy[name] = fields[name];
  }
  Object.defineProperty(copy, DEFERRED, { value: deferred });
  return copy as T;
}

/**
 * What stands for `document.html` as it is now, without decoding it: the deferred HTML it still
 * holds, else the string itself. {@link sameHtml} later says whether it still holds it.
 */
export type HeldHtml = string | DeferredHtml;

/** See {@link HeldHtml}. */
export function heldHtml(document: { html: string }): HeldHtml {
  const deferred = (document as unknown as Partial<Holder>)[DEFERRED];
  if (deferred !== undefined && deferred.text === undefined && holdsAccessor(document)) return deferred;
  return document.html;
}

/** Whether `document.html` is the accessor of deferred HTML. */
function holdsAccessor(document: object): boolean {
  return Object.getOwnPropertyDescriptor(document, 'html')?.get === HTML_ACCESSOR.get;
}

/**
 * Whether `document.html` is still what {@link heldHtml} gave: the same text (strings compare by
 * their characters), or the same deferred HTML, not decoded by this check unless the document's
 * `html` was replaced (the new text is then compared with the render's).
 *
 * @example
 * ```ts
 * const held = heldHtml(post);
 * sameHtml(post, held); // true, and nothing decoded
 * post.html = '<p>other</p>';
 * sameHtml(post, held); // false
 * ```
 */
export function sameHtml(document: { html: string }, held: HeldHtml): boolean {
  if (typeof held === 'string') return held === document.html;
  if ((document as unknown as Partial<Holder>)[DEFERRED] === held && holdsAccessor(document)) return true;
  // Read since (a plain field holding the decoded text) or replaced: compared as text.
  return document.html === textOf(held);
}

/**
 * Adds `html` to `target`, a post or comment being made that has no `html` field yet (so that the
 * field takes its place among those added after it, as in an object literal, and documents made
 * alike share their shape): the HTML of `source` (its render); with `deferred`, when that is a
 * {@link CachedRender}'s not read yet, the accessor over its bytes ({@link withHtmlOf} without the
 * copy), otherwise the string.
 *
 * @example
 * ```ts
 * const post = { slug, title } as Post;
 * addHtmlOf(post, rendered, true); // nothing decoded
 * post.headings = rendered.headings; // the fields after `html`
 * ```
 */
export function addHtmlOf(target: { html?: string }, source: RenderResult, deferred: boolean): void {
  const unread = deferred ? CachedRender.unread(source) : undefined;
  if (unread === undefined) {
    target.html = source.html;
    return;
  }
  Object.defineProperty(target, 'html', HTML_ACCESSOR);
  Object.defineProperty(target, DEFERRED, { value: unread });
}

/**
 * {@link withHtmlOf} for the comments of a post (their `html` fields still to be set) from their
 * renders, `results[at + 1]` onwards in `comments` order (how `renderSite` lays out its jobs: each
 * post's render, then its comments'). Each comment is replaced in `comments`, which is returned.
 */
export function withRenderedComments<C extends { html: string }>(
  comments: C[],
  results: readonly RenderResult[],
  at: number,
): C[] {
  for (let index = 0; index < comments.length; index++) {
    comments[index] = withHtmlOf(comments[index]!, results[at + 1 + index]!);
  }
  return comments;
}
