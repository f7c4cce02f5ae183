import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type Diagnostic, diagnostic } from '../diagnostics/diagnostic';
import type { ResolvedConfig } from '../schema/config';
import type { ThemeStylesheet } from '../site/types';

/**
 * The CSS of the config's `theme.stylesheet.file`, to append to the default stylesheet (`mode:
 * 'extend'`, the default) or to use instead (`mode: 'replace'`); `undefined` without one. A file
 * that cannot be read is an error at the config file.
 */
export function loadStylesheet(
  root: string,
  config: ResolvedConfig,
  configFile: string | undefined,
): { stylesheet?: ThemeStylesheet; diagnostics: Diagnostic[] } {
  const wanted = config.theme?.stylesheet;
  if (!wanted) return { diagnostics: [] };
  let css: string;
  try {
    css = readFileSync(path.join(root, wanted.file), 'utf8')
      .replace(/^\uFEFF/, '')
      .trim();
  } catch (cause) {
    return {
      diagnostics: [
        diagnostic({
          code: 'missing-theme-file',
          file: configFile ?? wanted.file,
          message: `theme.stylesheet.file "${wanted.file}" cannot be read: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`,
        }),
      ],
    };
  }
  // `</style` in the file would end the element early: it cannot be part of valid CSS anyway.
  const safe = css.replace(/<\/style/gi, '<\\/style');
  return { stylesheet: { css: safe, mode: wanted.mode }, diagnostics: [] };
}
