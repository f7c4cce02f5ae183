// remark-gfm, without the cost of the two micromark constructs that are tried all the time, in the
// documents where they cannot match, and of its autolink tree transform, in the trees where it cannot
// match. Why, and why not by dropping them: docs/decisions/render-speed.md.
import type { Parent, Root } from 'mdast';
import remarkGfm from 'remark-gfm';
import { type Data, type Processor, unified } from 'unified';
import { BroadsheetError } from '../errors';
import { parseMarkdown } from './parse-markdown';

type MicromarkExtension = NonNullable<Data['micromarkExtensions']>[number];
type MdastExtensionEntry = NonNullable<Data['fromMarkdownExtensions']>[number];
type MdastExtension = Exclude<MdastExtensionEntry, readonly unknown[]>;
type MdastTransform = NonNullable<MdastExtension['transforms']>[number];
type ConstructRecord = NonNullable<MicromarkExtension['text']>;
type ConstructRecordValue = ConstructRecord[keyof ConstructRecord];

/** A construct of remark-gfm's syntax, and what the source of a document must contain for it to match. */
export interface SkippableConstruct {
  /** The construct's `name` in its micromark extension. */
  name: string;
  /** Where the extension registers it. */
  hook: 'flow' | 'text';
  /** Matches every source in which the construct can match somewhere (and, harmlessly, some others). */
  needs: RegExp;
}

/**
 * remark-gfm's constructs that cost the most on documents that do not use them, each with a necessary
 * condition for it to match:
 * - `emailAutolink` (micromark-extension-gfm-autolink-literal) is registered on every ASCII letter and
 *   digit and `+ - . _`, so at the start of every word micromark tries an email, scans the word and
 *   rewinds; that alone triples the time to parse a post. It reads `atext@domain` from consecutive
 *   characters of one line (no escape, reference or line ending inside), so it needs one of
 *   `A-Za-z0-9+-._` right before an `@` and one of `A-Za-z0-9-._` right after: `@alice`, `@media` and
 *   `@types/node` do not count.
 * - `table` (micromark-extension-gfm-table) is tried on every line that could start a block and scans
 *   the whole line as a head row. A table needs a delimiter row with a `|`, or an alignment colon,
 *   which is always next to a dash (`:-` or `-:`).
 */
export const SKIPPABLE_CONSTRUCTS: readonly SkippableConstruct[] = [
  { name: 'emailAutolink', hook: 'text', needs: /[\w+.-]@[\w.-]/ },
  { name: 'table', hook: 'flow', needs: /\||:-|-:/ },
];

function isNamedIn(construct: unknown, names: ReadonlySet<string>): boolean {
  return (
    typeof construct === 'object' &&
    construct !== null &&
    'name' in construct &&
    typeof construct.name === 'string' &&
    names.has(construct.name)
  );
}

function recordWithout(record: ConstructRecord, names: ReadonlySet<string>): ConstructRecord {
  const kept: Record<string, ConstructRecordValue> = {};
  for (const [code, value] of Object.entries(record)) {
    const list = (Array.isArray(value) ? value : [value]).filter((construct) => !isNamedIn(construct, names));
    if (list.length > 0) kept[code] = list as ConstructRecordValue;
  }
  return kept as ConstructRecord;
}

/**
 * A copy of a micromark syntax extension without the constructs of `skipped` (codes left with none
 * are dropped). The constructs are the library's own objects; only the records that list them are new.
 */
function withoutConstructs(
  extension: MicromarkExtension,
  skipped: readonly SkippableConstruct[],
): MicromarkExtension {
  const copy: MicromarkExtension = { ...extension };
  for (const hook of ['flow', 'text'] as const) {
    const record = extension[hook];
    const names = new Set(skipped.filter((construct) => construct.hook === hook).map(({ name }) => name));
    if (record && names.size > 0) copy[hook] = recordWithout(record, names);
  }
  return copy;
}

/** The name of mdast-util-gfm-autolink-literal's tree transform, the only one remark-gfm installs. */
export const AUTOLINK_TRANSFORM_NAME = 'transformGfmAutolinkLiterals';

/**
 * What a text node must contain for one of the autolink transform's patterns to match in it: `www.`,
 * `http://` or `https://` in any case (its URL pattern is case-insensitive), or an `@` (its `xmpp:`,
 * `mailto:` and email patterns all have one).
 */
const AUTOLINK_CANDIDATE = /@|https?:\/\/|www\./i;

/**
 * Whether a text node that the autolink transform looks at could hold a match. It looks, with
 * mdast-util-find-and-replace, at every text node that is not inside a `link` or `linkReference`.
 */
function hasAutolinkCandidate(node: Parent): boolean {
  for (const child of node.children) {
    if (child.type === 'text') {
      if (AUTOLINK_CANDIDATE.test(child.value)) return true;
    } else if (child.type !== 'link' && child.type !== 'linkReference' && 'children' in child) {
      if (hasAutolinkCandidate(child)) return true;
    }
  }
  return false;
}

/**
 * The autolink transform, run only on trees where one of its patterns can match. It walks the whole
 * tree once per pattern (four times) with unist-util-visit-parents, which allocates a closure and an
 * array of parents per node: 9% of a post's render. When no text node it looks at has a candidate,
 * it finds nothing and changes nothing, so not running it gives the same tree.
 */
function skipWithoutCandidates(transform: MdastTransform): MdastTransform {
  return (tree) => (hasAutolinkCandidate(tree) ? transform(tree) : undefined);
}

/** `extension` with the autolink transform, if it has it, wrapped by {@link skipWithoutCandidates}. */
function withAutolinkTransformSkipped(extension: MdastExtension): MdastExtension {
  const transforms = extension.transforms;
  if (!transforms?.some((transform) => transform.name === AUTOLINK_TRANSFORM_NAME)) return extension;
  return {
    ...extension,
    transforms: transforms.map((transform) =>
      transform.name === AUTOLINK_TRANSFORM_NAME ? skipWithoutCandidates(transform) : transform,
    ),
  };
}

/**
 * Remark plugin, used instead of remark-gfm right after parseMarkdown (src/render/parse-markdown.ts): GitHub Flavored Markdown exactly
 * as remark-gfm adds it (its micromark syntax, and its mdast-util-from-markdown and
 * mdast-util-to-markdown extensions), except that each document is parsed without the constructs of
 * {@link SKIPPABLE_CONSTRUCTS} that cannot match in its source, and the autolink literal transform
 * (four walks of the tree) runs only when a text node it looks at has `@`, `www.` or `http(s)://`
 * ({@link skipWithoutCandidates}). The tree is the same as remark-gfm's, positions included;
 * a post without emails or tables parses in about half the time. The processor's own parser has
 * them all left out; a document that needs some is parsed by a second parser, set up like this
 * processor's (its settings and every extension, read once it is frozen) when first needed.
 *
 * @example
 * ```ts
 * const processor = unified().use(parseMarkdown).use(remarkGfmFast).use(remarkRehype).use(rehypeStringify);
 * String(await processor.process('Mail a@example.com or see www.example.com.'));
 * // '<p>Mail <a href="mailto:a@example.com">a@example.com</a> or see <a href="http://www.example.com">www.example.com</a>.</p>'
 * ```
 */
export function remarkGfmFast(this: Processor): undefined {
  const parseWithoutAll = this.parser;
  if (!parseWithoutAll) throw new BroadsheetError('internal', 'remarkGfmFast must come after parseMarkdown');
  const data = this.data();
  const before = data.micromarkExtensions?.length ?? 0;
  const mdastBefore = data.fromMarkdownExtensions?.length ?? 0;
  remarkGfm.call(this);
  const mdastExtensions = data.fromMarkdownExtensions ?? [];
  for (let index = mdastBefore; index < mdastExtensions.length; index++) {
    const entry = mdastExtensions[index] as MdastExtensionEntry;
    mdastExtensions[index] = Array.isArray(entry)
      ? entry.map(withAutolinkTransformSkipped)
      : withAutolinkTransformSkipped(entry as MdastExtension);
  }
  const extensions = data.micromarkExtensions ?? [];
  const stockOf = new Map<MicromarkExtension, MicromarkExtension>();
  for (let index = before; index < extensions.length; index++) {
    const stock = extensions[index] as MicromarkExtension;
    const fast = withoutConstructs(stock, SKIPPABLE_CONSTRUCTS);
    stockOf.set(fast, stock);
    extensions[index] = fast;
  }

  /** A parser like this processor's, whose GFM syntax leaves out only `skipped`. */
  const parserWithout = (skipped: readonly SkippableConstruct[]): Processor<Root> => {
    const all = this.data();
    const micromarkExtensions = (all.micromarkExtensions ?? []).map((extension) => {
      const stock = stockOf.get(extension);
      return stock ? withoutConstructs(stock, skipped) : extension;
    });
    return unified()
      .use(parseMarkdown)
      .data('settings', all.settings)
      .data('micromarkExtensions', micromarkExtensions)
      .data('fromMarkdownExtensions', all.fromMarkdownExtensions)
      .freeze();
  };
  /** Parsers by which constructs are needed (bit `i` for `SKIPPABLE_CONSTRUCTS[i]`), made when first used. */
  const parsers = new Map<number, Processor<Root>>();
  this.parser = (document, file) => {
    let needed = 0;
    for (const [index, construct] of SKIPPABLE_CONSTRUCTS.entries()) {
      if (construct.needs.test(document)) needed |= 1 << index;
    }
    if (needed === 0) return parseWithoutAll(document, file);
    let parser = parsers.get(needed);
    if (!parser) {
      parser = parserWithout(SKIPPABLE_CONSTRUCTS.filter((_, index) => (needed & (1 << index)) === 0));
      parsers.set(needed, parser);
    }
    return parser.parse(file);
  };
}
