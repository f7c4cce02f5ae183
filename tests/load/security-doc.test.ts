import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES, MAX_FOLDER_DEPTH } from '../../src/load/files';
import { MARKDOWN_LIMITS, type MarkdownLimits } from '../../src/load/markdown-limits';
import { MAX_FRONT_MATTER_CHARACTERS, MAX_FRONT_MATTER_KEYS } from '../../src/parse/parse';
import { THREAD_DOCUMENT_CHARACTERS } from '../../src/render/render-stage';
import { DEFAULT_RENDER_TIMEOUT_MS } from '../../src/schema/config';

/** The rows of the table under "## Limits" in docs/security.md: first cell → the other cells. */
function limitsTable(): Map<string, string[]> {
  const text = readFileSync(new URL('../../docs/security.md', import.meta.url), 'utf8');
  const section = text.slice(
    text.indexOf('\n## Limits\n'),
    text.indexOf('\n## ', text.indexOf('\n## Limits\n') + 1),
  );
  const rows = new Map<string, string[]>();
  for (const line of section.split('\n')) {
    if (!line.startsWith('| ') || line.startsWith('|---')) continue;
    const cells = line
      .slice(2, -2)
      .split(/(?<!\\) \| /)
      .map((cell) => cell.trim());
    rows.set(cells[0]!, cells.slice(1));
  }
  return rows;
}

const number = (value: number) => value.toLocaleString('en');

/** The label of each markdown limit in the doc's table. */
const LABELS: Record<keyof MarkdownLimits, string> = {
  characters: 'Markdown characters',
  nesting: 'Lists and quotes opened on one line (`> - 1. x` opens three)',
  delimiters: 'Emphasis marks `*` `_` `~` in one block (lines between blank lines)',
  setextHeadings: 'Setext heading underlines (`===`, `---` under text) in the document',
  containers: '*Shared budget:* list items and quotes in the document',
  blocks:
    '*Shared budget:* other blocks in the document: lines after a blank line, or starting with `#` `-` `*` `+` `=` `_` `<` `[` a backtick `~` or a digit',
  documentDelimiters: '*Shared budget:* emphasis marks `*` `_` `~` in the document',
  brackets: '*Shared budget:* opening brackets `[` in the document',
  cells: '*Shared budget:* table cell separators `\\|` in the document',
  inline: '*Shared budget:* inline markup in the document: `<`, `&`, backticks, `www.`, `://`, `@`',
};

describe('docs/security.md', () => {
  it('lists the limits the code enforces, with their values', () => {
    const table = limitsTable();
    const expected = new Map<string, string[]>([
      [
        'File size (front matter and body)',
        [`${MAX_FILE_BYTES / 1024 / 1024} MiB`, `${MAX_FILE_BYTES / 1024 / 1024} MiB`, 'none'],
      ],
      ...Object.entries(LABELS).map(([key, label]): [string, string[]] => [
        label,
        [
          number(MARKDOWN_LIMITS.post[key as keyof MarkdownLimits]),
          number(MARKDOWN_LIMITS.comment[key as keyof MarkdownLimits]),
          // The config key that raises it: `markdown.limits` takes the names of MarkdownLimits.
          `\`markdown.limits.${key}\``,
        ],
      ]),
      [
        'Front matter (and author file) characters',
        [number(MAX_FRONT_MATTER_CHARACTERS), number(MAX_FRONT_MATTER_CHARACTERS), 'none'],
      ],
      [
        'Keys in the front matter, at all depths',
        [number(MAX_FRONT_MATTER_KEYS), number(MAX_FRONT_MATTER_KEYS), 'none'],
      ],
      [
        'Folders nested under `posts/` (and in a comment folder)',
        [number(MAX_FOLDER_DEPTH), number(MAX_FOLDER_DEPTH), 'none'],
      ],
      [
        'Render time budget of one document (`markdown.renderTimeoutMs`, on a render thread)',
        [
          `${DEFAULT_RENDER_TIMEOUT_MS / 1000} s`,
          `${DEFAULT_RENDER_TIMEOUT_MS / 1000} s`,
          '`markdown.renderTimeoutMs` (comments too)',
        ],
      ],
      [
        'Markdown rendered on a render thread, where the budget holds, whatever the size of the site',
        [
          `over ${number(THREAD_DOCUMENT_CHARACTERS)} characters, or over the default limits (let through by raised ones)`,
          `none: a comment has at most ${number(MARKDOWN_LIMITS.comment.characters)}`,
          'none',
        ],
      ],
    ]);
    expect(Object.fromEntries([...table].filter(([label]) => label !== 'Limit'))).toEqual(
      Object.fromEntries(expected),
    );
  });
});
