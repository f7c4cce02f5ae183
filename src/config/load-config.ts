import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from '../diagnostics/diagnostic';
import { type BroadsheetConfig, configSchema, type ResolvedConfig } from '../schema/config';
import type { CommentSchema, PostSchema } from '../schema/content';
import { commentSchema, postSchema } from '../schema/content';
import { type ParsedFile, parseYamlFile } from '../load/parse';
import { validateData } from '../load/validate';
import type { z } from 'zod';

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
}

/**
 * Finds, loads and validates a site's configuration. A TS config loads through jiti, with no
 * build step. Problems are diagnostics with codes starting `config-`.
 */
export async function loadConfig(options: {
  root: string;
  configFile?: string;
  config?: BroadsheetConfig<z.ZodType, z.ZodType>;
}): Promise<{ ok: true; loaded: LoadedConfig } | { ok: false; diagnostics: Diagnostic[] }> {
  const root = path.resolve(options.root);
  if (options.config) return validateConfig(options.config, undefined, undefined);

  let absolute: string | undefined;
  if (options.configFile) {
    absolute = path.resolve(root, options.configFile);
    if (!(await exists(absolute))) {
      return fail(relative(root, absolute), 'config-missing', `config file "${options.configFile}" does not exist`);
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

  if (absolute.endsWith('.json')) {
    const text = await readFile(absolute, 'utf8');
    const parsed = parseYamlFile(file, text);
    if ('diagnostics' in parsed) {
      return { ok: false, diagnostics: parsed.diagnostics.map((d) => ({ ...d, code: `config-${d.code}` })) };
    }
    return validateConfig(parsed.parsed.data, file, parsed.parsed);
  }

  let exported: unknown;
  try {
    const { createJiti } = await import('jiti');
    const jiti = createJiti(pathToFileURL(`${root}${path.sep}`).href, { moduleCache: false, fsCache: false });
    exported = await jiti.import(absolute, { default: true });
  } catch (error) {
    return fail(file, 'config-load-failed', `the config could not be loaded: ${firstLine(error)}`);
  }
  return validateConfig(exported, file, undefined);
}

function validateConfig(
  value: unknown,
  file: string | undefined,
  parsed: ParsedFile | undefined,
): { ok: true; loaded: LoadedConfig } | { ok: false; diagnostics: Diagnostic[] } {
  const name = file ?? 'broadsheet.config.ts';
  if (value === null || typeof value !== 'object') {
    return fail(name, 'config-invalid', 'the config must export an object (export default defineConfig({...}))');
  }
  const source: ParsedFile = parsed ?? {
    file: name,
    data: value as Record<string, unknown>,
    body: '',
    positionOf: () => ({ line: 1, column: 1 }),
  };
  const { data, diagnostics } = validateData(source, configSchema);
  const named = diagnostics.map((d) => ({ ...d, code: `config-${d.code}` }));
  if (!data) return { ok: false, diagnostics: named };
  const input = value as BroadsheetConfig<z.ZodType, z.ZodType>;
  let extendedPost: z.ZodType = postSchema;
  let extendedComment: z.ZodType = commentSchema;
  try {
    if (data.schema?.post) extendedPost = data.schema.post(postSchema as PostSchema);
    if (data.schema?.comment) extendedComment = data.schema.comment(commentSchema as CommentSchema);
  } catch (error) {
    return fail(name, 'config-invalid', `schema: extending a schema threw: ${firstLine(error)}`);
  }
  const { schema: _schema, markdown, ...rest } = data;
  const config: ResolvedConfig = {
    ...rest,
    site: { ...rest.site, url: withTrailingSlash(rest.site.url) },
    markdown: {
      remarkPlugins: (input.markdown?.remarkPlugins ?? markdown.remarkPlugins) as ResolvedConfig['markdown']['remarkPlugins'],
      rehypePlugins: (input.markdown?.rehypePlugins ?? markdown.rehypePlugins) as ResolvedConfig['markdown']['rehypePlugins'],
    },
  };
  return {
    ok: true,
    loaded: { config, postSchema: extendedPost, commentSchema: extendedComment, file },
  };
}

function withTrailingSlash(url: string): string {
  const parsed = new URL(url);
  if (!parsed.pathname.endsWith('/')) parsed.pathname += '/';
  parsed.search = '';
  parsed.hash = '';
  return parsed.href;
}

function fail(file: string, code: string, message: string): { ok: false; diagnostics: Diagnostic[] } {
  return { ok: false, diagnostics: [{ file, line: 1, column: 1, severity: 'error', code, message }] };
}

function relative(root: string, absolute: string): string {
  return path.relative(root, absolute).split(path.sep).join('/');
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!;
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

