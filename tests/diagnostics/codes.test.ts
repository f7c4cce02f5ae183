import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { diagnosticCatalog, severityOf } from '../../src/diagnostics/codes';
import { diagnostic } from '../../src/diagnostics/diagnostic';
import { sourceFiles } from '../architecture/layers';

const repository = path.resolve(import.meta.dirname, '../..');
const cliDoc = path.join(repository, 'docs/cli.md');

/** The table of codes in docs/cli.md, written from the catalog. */
function codesTable(): string {
  const lines = ['| code | what |', '|---|---|'];
  for (const section of diagnosticCatalog) {
    const note = 'note' in section ? ` (${section.note})` : '';
    lines.push(`| **${section.title}**${note} | |`);
    for (const row of section.rows) {
      const names = [...row.codes, ...('families' in row ? row.families : [])].map((code) => `\`${code}\``);
      const severity = row.severity === 'warning' ? ' (*warning*)' : '';
      lines.push(`| ${names.join(', ')}${severity} | ${row.what} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The table as docs/cli.md has it: from its header line to the first line that is not a row. */
const TABLE = /\| code \| what \|\n(?:\|.*\n)+/;

describe('the catalog of diagnostic codes', () => {
  it('is the table of codes in docs/cli.md (UPDATE=1 rewrites the table)', () => {
    const doc = readFileSync(cliDoc, 'utf8');
    expect(doc).toMatch(TABLE);
    if (process.env.UPDATE) writeFileSync(cliDoc, doc.replace(TABLE, codesTable()));
    expect(
      readFileSync(cliDoc, 'utf8').match(TABLE)![0],
      "docs/cli.md's table of codes is written from src/diagnostics/codes.ts: change the catalog, then run this test with UPDATE=1",
    ).toBe(codesTable());
  });

  it('lists each code once', () => {
    const codes = diagnosticCatalog.flatMap((section) => section.rows.flatMap((row) => [...row.codes]));
    expect(codes.filter((code, index) => codes.indexOf(code) !== index)).toEqual([]);
  });

  it('holds every code a schema of src/ reports (`broadsheetCode`), which the compiler cannot check', () => {
    const used = sourceFiles(path.join(repository, 'src')).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/broadsheetCode: '([^']+)'/g)].map((match) => match[1]!),
    );
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((code) => severityOf(code) === undefined)).toEqual([]);
  });

  it('gives each code its severity, config codes that of their field code', () => {
    expect(severityOf('unknown-key')).toBe('warning');
    expect(severityOf('config-unknown-key')).toBe('warning');
    expect(severityOf('config-invalid-url')).toBe('error');
    expect(severityOf('no-such-code')).toBeUndefined();
  });
});

describe('diagnostic', () => {
  it('fills the start of the file and the severity of the catalog, in the order JSON output shows', () => {
    expect(diagnostic({ code: 'cache-corrupt', file: 'a', message: 'm' })).toMatchInlineSnapshot(`
      {
        "code": "cache-corrupt",
        "column": 1,
        "file": "a",
        "line": 1,
        "message": "m",
        "severity": "warning",
      }
    `);
    expect(
      Object.keys(diagnostic({ code: 'invalid-yaml', file: 'a', line: 3, column: 4, message: 'm' })),
    ).toEqual(['file', 'line', 'column', 'severity', 'code', 'message']);
  });
});
