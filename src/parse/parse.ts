import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import type { Document, Node } from 'yaml';
import { moduleFile } from '../common/module-file';
import type { DiagnosticCode } from '../diagnostics/codes';
import { type Diagnostic, diagnostic } from '../diagnostics/diagnostic';
import { codeIdentity } from '../fingerprint/code';
import { parseSimpleYaml } from './simple-yaml';

let loadedYaml: typeof Yaml | undefined;

/**
 * `yaml`, loaded the first time something is parsed: a warm build whose files all come from the
 * caches parses no YAML, and `yaml` (about 40 CommonJS files) costs 25–60 ms to load
 * (docs/decisions/warm-load.md, "Round four"). Its `node` export is CommonJS, so `require` gives the
 * very module an `import` gives.
 */
function yaml(): typeof Yaml {
  if (loadedYaml === undefined) {
    loadedYaml = createRequire(moduleFile(import.meta.url))('yaml') as typeof Yaml;
  }
  return loadedYaml;
}

/** A 1-based line and column in a file. */
export interface Position {
  line: number;
  column: number;
}

/** A file split into its YAML data and its markdown body, with a way back from YAML paths to positions. */
export interface ParsedFile {
  file: string;
  /** The YAML mapping as plain JavaScript. */
  data: Record<string, unknown>;
  /** Markdown after the front matter (empty for author files). */
  body: string;
  /** The 1-based line of the file on which the body starts (1 for author files). */
  bodyLine?: number;
  /**
   * Where a value (or, with `key: true`, its key) stands. When the path does not exist, the key of
   * its nearest existing ancestor; for a missing top-level key (or `[]`), the start of the front matter.
   */
  positionOf(path: readonly PropertyKey[], options?: { key?: boolean }): Position;
}

/** Front matter (or an author file) longer than this many characters is refused before it is parsed. */
export const MAX_FRONT_MATTER_CHARACTERS = 65_536;

/** Front matter (or an author file) with more keys than this, at all depths together, is refused. */
export const MAX_FRONT_MATTER_KEYS = 2_000;

const FENCE = /^---[ \t]*$/;
const CLOSING_FENCE = /^(?:---|\.\.\.)[ \t]*$/;

/**
 * Decodes a file as UTF-8 (a byte-order mark is dropped, CRLF and CR become LF) and reports the
 * first byte that is not UTF-8 with its line and column.
 */
export function decodeText(file: string, bytes: Uint8Array): { text: string } | { diagnostic: Diagnostic } {
  const text = decodeValidUtf8(bytes);
  if (text !== undefined) return { text };
  const invalidAt = firstInvalidUtf8(bytes);
  if (invalidAt !== -1) {
    let lineStart = 0;
    let line = 1;
    for (let index = 0; index < invalidAt; index++) {
      if (bytes[index] === 0x0a) {
        line++;
        lineStart = index + 1;
      }
    }
    const column = [...new TextDecoder().decode(bytes.subarray(lineStart, invalidAt))].length + 1;
    return {
      diagnostic: diagnostic({
        code: 'invalid-utf8',
        file,
        line,
        column,
        message: `byte 0x${bytes[invalidAt]!.toString(16).padStart(2, '0')} is not valid UTF-8: save the file as UTF-8`,
      }),
    };
  }
  // Not reached: the strict decoder and `firstInvalidUtf8` refuse the same bytes (a property test).
  return { text: decodeUtf8(bytes) };
}

/**
 * The text of `bytes` as {@link decodeUtf8} gives it, or `undefined` when they are not valid UTF-8
 * (where {@link decodeText} gives a diagnostic): the check is the platform's strict decoder, not a
 * loop over every byte in JavaScript.
 */
export function decodeValidUtf8(bytes: Uint8Array): string | undefined {
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

/** Throws on the first sequence that is not UTF-8 (WHATWG's decoder: the same rules as `firstInvalidUtf8`). */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * The text of bytes known to be UTF-8 (because they decoded without a diagnostic before): a
 * byte-order mark is dropped, CRLF and CR become LF, as {@link decodeText} does, without checking.
 */
export function decodeUtf8(bytes: Uint8Array): string {
  const text = utf8.decode(bytes);
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

/** One decoder for every file: `decode` without `stream` keeps no state between calls. */
const utf8 = new TextDecoder('utf-8', { ignoreBOM: false });

/**
 * What identifies the parser for the front matter cache: the source text of the functions whose
 * output it stores, so that a change to them (or a new broadsheet version) is never answered from
 * entries made by the old code.
 */
export function parserIdentity(): string {
  return codeIdentity([decodeUtf8, parseFrontMatterFile, parseYaml, parseSimpleYaml]);
}

/**
 * Where the body of a markdown file's text starts when it has front matter: after the line of the
 * first closing fence that follows an opening fence on the first line (the text's end when nothing
 * follows that line), as {@link parseFrontMatterFile} splits it; `undefined` without both fences.
 * What {@link parseFrontMatterFile} gives, diagnostics aside, depends only on the text before it,
 * so the front matter cache keys a parse by that text.
 */
export function frontMatterLength(text: string): number | undefined {
  return splitFrontMatter(text)?.bodyStart;
}

/**
 * What {@link parseFrontMatterFile} gives for `text` when its front matter is one the fast path reads
 * (src/parse/simple-yaml.ts): the data and where the body starts (no diagnostic, no `yaml`); else
 * `undefined`. The load caches answer such files with it: reading one costs less than looking it up.
 *
 * @example
 * ```ts
 * parseSimpleFrontMatter('---\ntitle: A\n---\nBody'); // { data: { title: 'A' }, bodyStart: 17 }
 * ```
 */
export function parseSimpleFrontMatter(
  text: string,
): { data: Record<string, unknown>; bodyStart: number } | undefined {
  const split = splitFrontMatter(text);
  if (split === undefined || split.yamlEnd - split.yamlStart > MAX_FRONT_MATTER_CHARACTERS) return undefined;
  const data = parseSimpleYaml(text.slice(split.yamlStart, split.yamlEnd));
  return data === undefined ? undefined : { data, bodyStart: split.bodyStart };
}

/**
 * Where the parts of a markdown file's text are when it has front matter (an opening fence on the
 * first line, a closing fence on a later one): the YAML between the fences, the body (from the line
 * after the closing fence, or the text's end) and the closing fence's 0-based line; `undefined`
 * without both fences. Only the lines up to the closing fence are looked at.
 */
function splitFrontMatter(
  text: string,
): { yamlStart: number; yamlEnd: number; bodyStart: number; closingLine: number } | undefined {
  let end = text.indexOf('\n');
  if (end === -1 || !FENCE.test(text.slice(0, end))) return undefined;
  const yamlStart = end + 1;
  for (let line = 1; end !== -1; line++) {
    const start = end + 1;
    end = text.indexOf('\n', start);
    if (CLOSING_FENCE.test(text.slice(start, end === -1 ? text.length : end))) {
      // Without a line between the fences, the YAML is empty (not the line feed before the fence).
      return {
        yamlStart,
        yamlEnd: Math.max(yamlStart, start - 1),
        bodyStart: end === -1 ? text.length : end + 1,
        closingLine: line,
      };
    }
  }
  return undefined;
}

/** Splits a markdown file into front matter and body and parses the front matter as YAML. */
export function parseFrontMatterFile(
  file: string,
  text: string,
): { parsed: ParsedFile } | { diagnostics: Diagnostic[] } {
  const at = (
    line: number,
    column: number,
    code: DiagnosticCode,
    message: string,
  ): { diagnostics: Diagnostic[] } => ({
    diagnostics: [diagnostic({ code, file, line, column, message })],
  });
  // `\S` is what `trim` keeps: a file of white space alone is empty (without a copy of the text).
  if (!/\S/.test(text))
    return at(1, 1, 'empty-file', 'the file is empty: a post needs front matter and a body');
  const split = splitFrontMatter(text);
  if (split === undefined) {
    const firstLine = text.slice(0, text.indexOf('\n') === -1 ? text.length : text.indexOf('\n'));
    return FENCE.test(firstLine)
      ? at(1, 1, 'unclosed-front-matter', 'the front matter opened here has no closing "---" line')
      : at(1, 1, 'missing-front-matter', 'the file must start with front matter between two "---" lines');
  }
  const result = parseYaml(file, text.slice(split.yamlStart, split.yamlEnd), 1, { line: 1, column: 1 });
  if ('diagnostics' in result) return result;
  return { parsed: { ...result.parsed, body: text.slice(split.bodyStart), bodyLine: split.closingLine + 2 } };
}

/** Parses a whole YAML file (an author profile). */
export function parseYamlFile(
  file: string,
  text: string,
): { parsed: ParsedFile } | { diagnostics: Diagnostic[] } {
  if (text.trim() === '') {
    return {
      diagnostics: [diagnostic({ code: 'empty-file', file, message: 'the file is empty' })],
    };
  }
  return parseYaml(file, text, 0, { line: 1, column: 1 });
}

type YamlResult = { parsed: Omit<ParsedFile, 'body'> & { body: string } } | { diagnostics: Diagnostic[] };

function parseYaml(file: string, yamlText: string, lineOffset: number, start: Position): YamlResult {
  if (yamlText.length > MAX_FRONT_MATTER_CHARACTERS) {
    return {
      diagnostics: [
        diagnostic({
          code: 'front-matter-too-large',
          file,
          ...start,
          message: `the YAML is ${yamlText.length} characters long; the limit is ${MAX_FRONT_MATTER_CHARACTERS}`,
        }),
      ],
    };
  }
  // The usual front matter (`key: value` lines) is read without `yaml`, which gives the same data
  // (a property test); positions, needed only by a diagnostic, come from `yaml` when first asked for.
  const data = parseSimpleYaml(yamlText);
  if (data === undefined) return parseYamlDocument(file, yamlText, lineOffset, start);
  let document: YamlResult | undefined;
  const positionOf = (path: readonly PropertyKey[], options?: { key?: boolean }): Position => {
    document ??= parseYamlDocument(file, yamlText, lineOffset, start);
    return 'parsed' in document ? document.parsed.positionOf(path, options) : start;
  };
  return { parsed: { file, data, body: '', positionOf } };
}

/**
 * YAML text (front matter from its line `lineOffset + 1`, or a whole file) parsed by `yaml` alone,
 * the parser of record: what `parseFrontMatterFile` and `parseYamlFile` give for text outside the
 * fast path's subset (src/parse/simple-yaml.ts), and what the fast path is tested against. The text
 * is within {@link MAX_FRONT_MATTER_CHARACTERS}.
 */
export function parseYamlDocument(
  file: string,
  yamlText: string,
  lineOffset: number,
  start: Position,
): YamlResult {
  const problem = (position: Position, code: DiagnosticCode, message: string) => ({
    diagnostics: [diagnostic({ code, file, ...position, message })],
  });
  const { LineCounter, parseDocument, isMap } = yaml();
  const lineCounter = new LineCounter();
  // `uniqueKeys` is off: yaml checks it by comparing each key with every other key of its mapping
  // (quadratic: 32,000 keys took 14 s); duplicates are found below in one pass.
  const document = parseDocument(yamlText, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: false,
    strict: true,
  });
  const toPosition = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line: line + lineOffset, column: col };
  };
  if (document.errors.length > 0) {
    return {
      diagnostics: document.errors.map((error) =>
        diagnostic({
          code: 'invalid-yaml',
          file,
          ...toPosition(error.pos[0]),
          message: firstLine(error.message),
        }),
      ),
    };
  }
  const keys = checkKeys(document);
  if (keys.count > MAX_FRONT_MATTER_KEYS) {
    return problem(
      toPosition(keys.overLimitAt ?? 0),
      'too-many-keys',
      `the YAML has ${keys.count} keys; the limit is ${MAX_FRONT_MATTER_KEYS}`,
    );
  }
  if (keys.duplicates.length > 0) {
    return {
      diagnostics: keys.duplicates.map(({ offset, name }) =>
        diagnostic({
          code: 'duplicate-key',
          file,
          ...toPosition(offset),
          message: `key "${name}" appears more than once: keep one`,
        }),
      ),
    };
  }
  if (document.contents !== null && !isMap(document.contents)) {
    const offset = document.contents.range?.[0] ?? 0;
    const { line, column } = toPosition(offset);
    return {
      diagnostics: [
        diagnostic({
          code: 'invalid-front-matter',
          file,
          line,
          column,
          message: 'front matter must be a mapping of keys to values',
        }),
      ],
    };
  }
  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (error) {
    return {
      diagnostics: [
        diagnostic({
          code: 'invalid-yaml',
          file,
          line: start.line,
          column: start.column,
          message: firstLine(String((error as Error).message)),
        }),
      ],
    };
  }
  const positionOf = (path: readonly PropertyKey[], options?: { key?: boolean }): Position => {
    const node = findNode(document, path, options?.key ?? false);
    const offset = node?.range?.[0];
    return offset === undefined ? start : toPosition(offset);
  };
  return { parsed: { file, data: data as Record<string, unknown>, body: '', positionOf } };
}

function findNode(document: Document, path: readonly PropertyKey[], key: boolean): Node | undefined {
  const { isMap, isScalar, isSeq } = yaml();
  let node: unknown = document.contents;
  let keyNode: Node | undefined;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isScalar(item.key) && String(item.key.value) === String(segment),
      );
      // A missing key: point at the key of the mapping that lacks it (undefined at the top level).
      if (!pair) return keyNode;
      keyNode = pair.key as Node;
      node = pair.value ?? pair.key;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (!item) return keyNode ?? (node as Node);
      keyNode = undefined;
      node = item;
    } else {
      return keyNode ?? (node as Node | undefined);
    }
  }
  if (path.length === 0) return undefined;
  // An empty value (`title:`) has no text of its own: point at its key.
  const value = node as Node | undefined;
  if (key || (isScalar(value) && value.value === null && keyNode)) return keyNode ?? value;
  return value;
}

/**
 * Counts the keys of every mapping in a document and finds the keys repeated within a mapping (as
 * yaml's `uniqueKeys` does: scalar keys with the same value), in one pass.
 */
function checkKeys(document: Document): {
  count: number;
  overLimitAt: number | undefined;
  duplicates: { offset: number; name: string }[];
} {
  let count = 0;
  let overLimitAt: number | undefined;
  const duplicates: { offset: number; name: string }[] = [];
  const { visit, isNode, isScalar } = yaml();
  visit(document, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        count++;
        const key = pair.key;
        if (count === MAX_FRONT_MATTER_KEYS + 1) overLimitAt = isNode(key) ? key.range?.[0] : undefined;
        if (!isScalar(key)) continue;
        if (seen.has(key.value)) duplicates.push({ offset: key.range?.[0] ?? 0, name: String(key.value) });
        else seen.add(key.value);
      }
      return undefined;
    },
  });
  return { count, overLimitAt, duplicates };
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}

/** The offset of the first byte that does not belong to a well-formed UTF-8 sequence, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let index = 0;
  while (index < bytes.length) {
    const byte = bytes[index]!;
    if (byte < 0x80) {
      index++;
      continue;
    }
    let length: number;
    let min: number;
    if (byte >= 0xc2 && byte <= 0xdf) {
      length = 2;
      min = 0x80;
    } else if (byte >= 0xe0 && byte <= 0xef) {
      length = 3;
      min = 0x800;
    } else if (byte >= 0xf0 && byte <= 0xf4) {
      length = 4;
      min = 0x10000;
    } else {
      return index;
    }
    if (index + length > bytes.length) return index;
    let codePoint = byte & (0xff >> (length + 1));
    for (let offset = 1; offset < length; offset++) {
      const next = bytes[index + offset]!;
      if ((next & 0xc0) !== 0x80) return index;
      codePoint = (codePoint << 6) | (next & 0x3f);
    }
    if (codePoint < min || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return index;
    index += length;
  }
  return -1;
}
