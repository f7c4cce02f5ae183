// A fast path beside `yaml` for the usual shape of front matter (docs/decisions/warm-load.md,
// "Round five"): `key: value` lines, one level of nested mapping or list, quoted and plain scalars
// on one line. `yaml` stays the parser of record: any text outside the strict subset recognised
// here (comments, blank lines, multi-line scalars, anchors, tags, escapes other than `\"` and `\\`,
// numbers other than plain digits, duplicate keys, …) is handed to it, and a property test
// (tests/parse/simple-yaml.test.ts) checks that what this gives is what `yaml` gives.

/** Keys of the subset: an ASCII letter, then letters, digits, `_` and `-` (far below YAML's 1,024 for an implicit key). */
const KEY = /^[A-Za-z][A-Za-z0-9_-]{0,127}$/;

/** Plain scalars the core schema reads as null or a boolean (yaml's `nullTag` and `boolTag` tests). */
const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOLEAN = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
/** Plain scalars the core schema reads as a number: only plain digits are taken here. */
const DIGITS = /^[0-9]+$/;
const NUMBER =
  /^(?:0o[0-7]+|0x[0-9a-fA-F]+|[-+]?[0-9]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;

/** Most keys, at all depths together, that the subset takes (the parser's `MAX_FRONT_MATTER_KEYS`). */
const MAX_KEYS = 2_000;

/** A value the subset could not read: the text goes to `yaml`. */
const OUTSIDE = Symbol('outside the subset');
type Read = unknown | typeof OUTSIDE;

/**
 * The data `yaml` gives for `text` (as `parseDocument(text).toJS()` of a mapping without duplicate
 * keys, or `{}` for an empty text) when `text` is in the subset this reads, else `undefined`: then
 * `yaml` must parse it (it may have errors). The subset, line by line (no blank or comment lines):
 *
 * - `key: value` or `key:` at the start of a line (a key as {@link KEY}, not a word the core schema
 *   reads as null or a boolean); a `key:` without a value is null, or holds the lines after it that
 *   are indented (all by the same spaces) `key: value` (a mapping), or `- value` (a list, indented
 *   or not);
 * - a value on one line: `"text"` with no escape but `\"` and `\\`, `'text'` with `''`, a flow list
 *   `[a, "b", 'c']` of such scalars, or a plain scalar: a string (starting with a letter, a digit,
 *   `(` or a non-ASCII character, without `#` after a space, without `:` before a space or at its
 *   end, with single spaces between words), plain digits (a number, as `parseInt` reads them), or a null or boolean word.
 *
 * Only characters that YAML prints as they are appear: ASCII from space to `~` and non-ASCII other
 * than C1 controls, U+2028, U+2029, U+FEFF, U+FFFE, U+FFFF and lone surrogates.
 *
 * @example
 * ```ts
 * parseSimpleYaml('title: "Hello"\ntags: [a, b]'); // { title: 'Hello', tags: ['a', 'b'] }
 * parseSimpleYaml('title: a # note'); // undefined: yaml reads it
 * ```
 */
export function parseSimpleYaml(text: string): Record<string, unknown> | undefined {
  const result: Record<string, unknown> = {};
  if (text === '') return result;
  let keys = 0;
  let start = 0;
  // The line after the one just read, and where the one after it starts.
  let line = '';
  const nextLine = (): boolean => {
    if (start > text.length) return false;
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    line = text.slice(start, end);
    start = end + 1;
    return true;
  };
  let pending = nextLine();
  while (pending) {
    const colon = line.indexOf(':');
    if (colon <= 0) return undefined;
    const key = line.slice(0, colon);
    if (!isKey(key) || Object.hasOwn(result, key) || ++keys > MAX_KEYS) return undefined;
    if (colon === line.length - 1) {
      // `key:` alone: null, or the indented block after it.
      pending = nextLine();
      if (!pending || (line.charCodeAt(0) !== 32 && !line.startsWith('- '))) {
        result[key] = null;
        continue;
      }
      const indent = indentOf(line);
      if (line.startsWith('- ', indent)) {
        const items: unknown[] = [];
        const marker = `${line.slice(0, indent)}- `;
        do {
          if (!line.startsWith(marker)) break;
          const item = readValue(line, marker.length, false);
          if (item === OUTSIDE) return undefined;
          items.push(item);
          pending = nextLine();
        } while (pending);
        result[key] = items;
      } else {
        if (indent === 0) return undefined;
        const mapping: Record<string, unknown> = {};
        do {
          if (line.charCodeAt(0) !== 32) break;
          if (indentOf(line) !== indent) return undefined;
          const innerColon = line.indexOf(':', indent);
          if (innerColon === -1 || line.charCodeAt(innerColon + 1) !== 32) return undefined;
          const innerKey = line.slice(indent, innerColon);
          if (!isKey(innerKey) || Object.hasOwn(mapping, innerKey) || ++keys > MAX_KEYS) return undefined;
          const value = readValue(line, innerColon + 2, true);
          if (value === OUTSIDE) return undefined;
          mapping[innerKey] = value;
          pending = nextLine();
        } while (pending);
        result[key] = mapping;
      }
      continue;
    }
    if (line.charCodeAt(colon + 1) !== 32) return undefined;
    const value = readValue(line, colon + 2, true);
    if (value === OUTSIDE) return undefined;
    result[key] = value;
    pending = nextLine();
  }
  return result;
}

function isKey(key: string): boolean {
  return KEY.test(key) && !NULL.test(key) && !BOOLEAN.test(key);
}

function indentOf(line: string): number {
  let index = 0;
  while (line.charCodeAt(index) === 32) index++;
  return index;
}

/** The value that is the rest of `line` from `at` (a flow list only where `list` allows it). */
function readValue(line: string, at: number, list: boolean): Read {
  const first = line.charCodeAt(at);
  if (first === 34 || first === 39) {
    const scalar = readQuoted(line, at);
    return scalar !== undefined && scalar.end === line.length ? scalar.value : OUTSIDE;
  }
  if (first === 91) return list ? readFlowList(line, at) : OUTSIDE;
  return readPlain(line.slice(at), false);
}

/** A quoted scalar at `at` and the index after its closing quote, or `undefined`. */
function readQuoted(line: string, at: number): { value: string; end: number } | undefined {
  const quote = line.charCodeAt(at);
  let value = '';
  let from = at + 1;
  for (let index = from; index < line.length; index++) {
    const code = line.charCodeAt(index);
    if (code === quote) {
      if (quote === 39 && line.charCodeAt(index + 1) === 39) {
        value += line.slice(from, index + 1);
        index++;
        from = index + 1;
        continue;
      }
      return { value: value + line.slice(from, index), end: index + 1 };
    }
    if (code === 92 && quote === 34) {
      const next = line.charCodeAt(index + 1);
      if (next !== 34 && next !== 92) return undefined;
      value += line.slice(from, index);
      index++;
      from = index;
      continue;
    }
    if (!printable(line, index, code)) return undefined;
    if (code >= 0xd800 && code <= 0xdbff) index++;
  }
  return undefined;
}

/** `[a, "b", 'c']` (`,` or `, ` between items; `[]`), when it is all of the rest of `line`. */
function readFlowList(line: string, at: number): Read {
  const items: unknown[] = [];
  if (line.charCodeAt(at + 1) === 93) return at + 2 === line.length ? items : OUTSIDE;
  let index = at + 1;
  for (;;) {
    const first = line.charCodeAt(index);
    let end: number;
    if (first === 34 || first === 39) {
      const scalar = readQuoted(line, index);
      if (scalar === undefined) return OUTSIDE;
      items.push(scalar.value);
      end = scalar.end;
    } else {
      end = index;
      while (end < line.length && line.charCodeAt(end) !== 44 && line.charCodeAt(end) !== 93) end++;
      const value = readPlain(line.slice(index, end), true);
      if (value === OUTSIDE) return OUTSIDE;
      items.push(value);
    }
    const separator = line.charCodeAt(end);
    if (separator === 93) return end + 1 === line.length ? items : OUTSIDE;
    if (separator !== 44) return OUTSIDE;
    index = line.charCodeAt(end + 1) === 32 ? end + 2 : end + 1;
  }
}

/** A plain scalar's value as the core schema reads it, for the plain scalars of the subset. */
function readPlain(text: string, flow: boolean): Read {
  if (text === '') return OUTSIDE;
  const first = text.charCodeAt(0);
  if (!(isAsciiLetterOrDigit(first) || first === 40 || first >= 0xa0)) return OUTSIDE; // 40: `(`
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 32) {
      // One space between words: not at the end, not two in a row.
      if (index === text.length - 1 || text.charCodeAt(index + 1) === 32) return OUTSIDE;
      continue;
    }
    // `#` after a space starts a comment; after anything else (`C#`) it is text.
    if (code === 35 && (index === 0 || text.charCodeAt(index - 1) === 32)) return OUTSIDE;
    if (code === 58) {
      // `:` before a space or at the end is a mapping's; anywhere in a flow list, kept out.
      if (flow || index === text.length - 1 || text.charCodeAt(index + 1) === 32) return OUTSIDE;
      continue;
    }
    if (flow && (code === 44 || code === 91 || code === 93 || code === 123 || code === 125)) return OUTSIDE;
    if (!printable(text, index, code)) return OUTSIDE;
    if (code >= 0xd800 && code <= 0xdbff) index++;
  }
  if (NULL.test(text)) return null;
  if (BOOLEAN.test(text)) return first === 116 || first === 84; // t or T
  if (DIGITS.test(text)) return Number.parseInt(text, 10);
  if (NUMBER.test(text)) return OUTSIDE;
  return text;
}

function isAsciiLetterOrDigit(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/**
 * Whether the character at `index` (code unit `code`) is one the subset takes: ASCII from space to
 * `~`, or non-ASCII other than C1 controls, U+2028, U+2029, U+FEFF, U+FFFE, U+FFFF and lone
 * surrogates (a high surrogate is checked with the low one after it).
 */
function printable(text: string, index: number, code: number): boolean {
  if (code < 0x80) return code >= 0x20 && code !== 0x7f;
  if (code < 0xa0) return false;
  if (code === 0x2028 || code === 0x2029 || code === 0xfeff || code === 0xfffe || code === 0xffff)
    return false;
  if (code >= 0xdc00 && code <= 0xdfff) return false;
  if (code >= 0xd800 && code <= 0xdbff) {
    const low = text.charCodeAt(index + 1);
    return low >= 0xdc00 && low <= 0xdfff;
  }
  return true;
}
