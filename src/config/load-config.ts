import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { z } from 'zod';
import { exists, readRegularFile } from '../common/fs';
import type { DiagnosticCode } from '../diagnostics/codes';
import { compareDiagnostics, type Diagnostic, diagnostic } from '../diagnostics/diagnostic';
import { type ParsedFile, type Position, parseYamlFile } from '../parse/parse';
import { validateData } from '../parse/validate';
import { type BroadsheetConfig, configSchema, type ResolvedConfig } from '../schema/config';
import { commentSchema, postSchema } from '../schema/content';

/** A config file larger than this is refused unread. */
const MAX_CONFIG_BYTES = 2 * 1024 * 1024;

/** The names a config file may have, in the order they are looked for. */
export const CONFIG_FILE_NAMES = [
  'broadsheet.config.ts',
  'broadsheet.config.mts',
  'broadsheet.config.js',
  'broadsheet.config.mjs',
  'broadsheet.config.json',
] as const;

/** A loaded, validated configuration with the schemas it extends. */
export interface LoadedConfig {
  config: ResolvedConfig;
  postSchema: z.ZodType;
  commentSchema: z.ZodType;
  /** The config file relative to the root, or `undefined` when the config was passed in. */
  file: string | undefined;
  /** Problems that do not stop the build, such as an unknown key (codes start `config-`). */
  warnings: Diagnostic[];
}

/** What {@link loadConfig} returns. */
export type LoadConfigResult = { ok: true; loaded: LoadedConfig } | { ok: false; diagnostics: Diagnostic[] };

/**
 * Finds, loads and validates a site's configuration. A TS config loads through jiti, with no
 * build step. Problems are diagnostics with codes starting `config-`, pointing at the key at fault
 * (line and column in a JSON config; in a TS or JS config, where the key is first written).
 *
 * @example
 * ```ts
 * const result = await loadConfig({ root: '.' });
 * if (result.ok) console.log(result.loaded.config.site.url);
 * ```
 */
export async function loadConfig(options: {
  root: string;
  configFile?: string;
  config?: BroadsheetConfig<z.ZodType, z.ZodType>;
}): Promise<LoadConfigResult> {
  const root = path.resolve(options.root);
  if (options.config) return validateConfig(options.config, undefined, undefined);

  let absolute: string | undefined;
  if (options.configFile) {
    absolute = path.resolve(root, options.configFile);
    if (!(await exists(absolute))) {
      return fail(
        relative(root, absolute),
        'config-missing',
        `config file "${options.configFile}" does not exist`,
      );
    }
  } else {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = path.join(root, name);
      if (await exists(candidate)) {
        absolute = candidate;
        break;
      }
    }
    if (!absolute) {
      return fail(
        'broadsheet.config.ts',
        'config-missing',
        `no config file in the site root: create one of ${CONFIG_FILE_NAMES.join(', ')}`,
      );
    }
  }
  const file = relative(root, absolute);

  // A FIFO or device named like the config would make a plain read wait forever.
  const read = readRegularFile(absolute, MAX_CONFIG_BYTES);
  if (!('bytes' in read)) {
    const code = read.problem === 'unreadable' ? 'config-unreadable' : (`config-${read.problem}` as const);
    return fail(file, code, `the config cannot be read: ${read.reason}`);
  }
  const text = new TextDecoder().decode(read.bytes).replace(/^\uFEFF/, '');

  if (absolute.endsWith('.json')) return loadJsonConfig(file, text);

  let exported: unknown;
  try {
    const { createJiti } = await import('jiti');
    const jiti = createJiti(pathToFileURL(`${root}${path.sep}`).href, { moduleCache: false, fsCache: false });
    exported = await jiti.import(absolute, { default: true });
  } catch (error) {
    return fail(file, 'config-load-failed', `the config could not be loaded: ${firstLine(error)}`);
  }
  return validateConfig(exported, file, {
    file,
    data: exported as Record<string, unknown>,
    body: '',
    positionOf: (keyPath) => sourcePositionOf(text, keyPath),
  });
}

function loadJsonConfig(file: string, text: string): LoadConfigResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = firstLine(error);
    const offset = /position (\d+)/.exec(reason)?.[1];
    const message = `invalid JSON: ${reason.replace(/ in JSON at position \d+.*$/, '')}`;
    const { line, column } =
      offset === undefined ? { line: 1, column: 1 } : offsetToPosition(text, Number(offset));
    return {
      ok: false,
      diagnostics: [diagnostic({ code: 'config-invalid-json', file, line, column, message })],
    };
  }
  // JSON is YAML, and the YAML parser keeps positions: use it to point at keys, parsing the file
  // only when a diagnostic needs one (a valid config needs none, and `yaml` is then never loaded).
  let positions: ParsedFile | undefined;
  const source: ParsedFile = {
    ...startOnly(file, value),
    positionOf: (keyPath, options) => {
      if (positions === undefined) {
        const parsed = parseYamlFile(file, text);
        positions = 'parsed' in parsed ? parsed.parsed : startOnly(file, value);
      }
      return positions.positionOf(keyPath, options);
    },
  };
  return validateConfig(value, file, source);
}

function validateConfig(
  value: unknown,
  file: string | undefined,
  parsed: ParsedFile | undefined,
): LoadConfigResult {
  const name = file ?? 'broadsheet.config.ts';
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return fail(
      name,
      'config-invalid',
      'the config must export an object (export default defineConfig({...}))',
    );
  }
  const source = parsed ?? startOnly(name, value);
  const { data, diagnostics } = validateData(source, configSchema);
  const named = diagnostics.map((d) => ({ ...d, code: `config-${d.code}` })).sort(compareDiagnostics);
  if (!data) return { ok: false, diagnostics: named };
  const input = value as BroadsheetConfig<z.ZodType, z.ZodType>;
  let extendedPost: z.ZodType = postSchema;
  let extendedComment: z.ZodType = commentSchema;
  const schemaProblem = (key: string, message: string): LoadConfigResult => {
    const { line, column } = source.positionOf(['schema', key], { key: true });
    return {
      ok: false,
      diagnostics: [diagnostic({ code: 'config-invalid-schema', file: name, line, column, message })],
    };
  };
  for (const key of ['post', 'comment'] as const) {
    if (!data.schema?.[key]) continue;
    let schema: unknown;
    try {
      schema = key === 'post' ? data.schema!.post!(postSchema) : data.schema!.comment!(commentSchema);
    } catch (error) {
      return schemaProblem(key, `schema.${key} threw: ${firstLine(error)}`);
    }
    if (typeof (schema as { safeParse?: unknown } | null)?.safeParse !== 'function') {
      return schemaProblem(key, `schema.${key} must return a zod schema, such as base.extend({...})`);
    }
    if (key === 'post') extendedPost = schema as z.ZodType;
    else extendedComment = schema as z.ZodType;
  }
  const { schema: _schema, markdown, ...rest } = data;
  const config: ResolvedConfig = {
    ...rest,
    site: { ...rest.site, url: withTrailingSlash(rest.site.url) },
    markdown: {
      remarkPlugins: (input.markdown?.remarkPlugins ??
        markdown.remarkPlugins) as ResolvedConfig['markdown']['remarkPlugins'],
      rehypePlugins: (input.markdown?.rehypePlugins ??
        markdown.rehypePlugins) as ResolvedConfig['markdown']['rehypePlugins'],
      renderTimeoutMs: markdown.renderTimeoutMs,
      limits: markdown.limits,
    },
  };
  return {
    ok: true,
    loaded: { config, postSchema: extendedPost, commentSchema: extendedComment, file, warnings: named },
  };
}

function startOnly(file: string, value: unknown): ParsedFile {
  return {
    file,
    data: value as Record<string, unknown>,
    body: '',
    positionOf: () => ({ line: 1, column: 1 }),
  };
}

/**
 * Where a key path is first written in the text of a TS or JS config: each key is looked for after
 * the place its parent was found, as `key:` or `"key":`. A best effort (the config is code, not
 * data); the start of the file when a key is not written out.
 */
function sourcePositionOf(text: string, keyPath: readonly PropertyKey[]): Position {
  let from = 0;
  let found: number | undefined;
  for (const segment of keyPath) {
    if (typeof segment !== 'string') break;
    const escaped = segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const pattern = new RegExp(`(?<![\\w$])(?:${escaped}|'${escaped}'|"${escaped}")\\s*:`, 'g');
    pattern.lastIndex = from;
    const match = pattern.exec(text);
    if (!match) break;
    found = match.index;
    from = match.index + match[0].length;
  }
  return found === undefined ? { line: 1, column: 1 } : offsetToPosition(text, found);
}

function offsetToPosition(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = [...before.slice(before.lastIndexOf('\n') + 1)].length + 1;
  return { line, column };
}

function withTrailingSlash(url: string): string {
  const parsed = new URL(url);
  if (!parsed.pathname.endsWith('/')) parsed.pathname += '/';
  parsed.search = '';
  parsed.hash = '';
  return parsed.href;
}

function fail(file: string, code: DiagnosticCode, message: string): { ok: false; diagnostics: Diagnostic[] } {
  return { ok: false, diagnostics: [diagnostic({ code, file, message })] };
}

function relative(root: string, absolute: string): string {
  return path.relative(root, absolute).split(path.sep).join('/');
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!;
}
