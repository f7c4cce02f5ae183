import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Diagnostic, formatDiagnostic, formatGithubAnnotation } from '../../src/index';
import { cli, temporaryFolder } from '../build/helpers';

const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const diagnosticOf = (file: string, message: string): Diagnostic => ({
  code: 'invalid-date',
  severity: 'error',
  file,
  line: 3,
  column: 7,
  message,
});

describe('formatDiagnostic', () => {
  it('writes control and bidirectional formatting characters as escapes, on one line', () => {
    expect(
      formatDiagnostic(diagnosticOf('content/posts/a\u001b[31m.md', 'date "\u202e1202"\r\nis\rbad\u0007')),
    ).toMatchInlineSnapshot(
      `"content/posts/a\\x1b[31m.md:3:7: error invalid-date: date "\\u202e1202" is bad\\x07"`,
    );
  });

  it('gives one printable line for any file name and message', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (file, message) => {
        const line = formatDiagnostic(diagnosticOf(file, message));
        expect(line).not.toMatch(UNPRINTABLE);
        expect(line).toContain(':3:7: error invalid-date: ');
      }),
    );
  });

  it('gives GitHub annotations without control characters but their escaped line breaks', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (file, message) => {
        const annotation = formatGithubAnnotation(diagnosticOf(file, message));
        expect(annotation).not.toMatch(UNPRINTABLE);
        expect(annotation.startsWith('::error file=')).toBe(true);
      }),
    );
    expect(formatGithubAnnotation(diagnosticOf('a.md', 'one\ntwo\u001b'))).toBe(
      '::error file=a.md,line=3,col=7::invalid-date: one%0Atwo\\x1b',
    );
  });
});

describe('broadsheet check, on a terminal', () => {
  it('prints a file name with an escape sequence as text, not as the sequence', async () => {
    const root = await temporaryFolder();
    await mkdir(path.join(root, 'content/posts'), { recursive: true });
    await writeFile(
      path.join(root, 'broadsheet.config.json'),
      JSON.stringify({ site: { title: 'T', url: 'https://example.com/' } }),
    );
    await writeFile(
      path.join(root, 'content/posts/bad\u001b]0;owned\u0007\u001b[2J.md'),
      '---\ntitle: T\ndate: 2024-01-01\n---\nx\n',
    );
    const { code, stderr } = await cli(['check'], { cwd: root, isTTY: true });
    expect(code).toBe(1);
    expect(stderr.replaceAll('\n', '')).not.toMatch(UNPRINTABLE);
    expect(stderr).toContain('content/posts/bad\\x1b]0;owned\\x07\\x1b[2J.md:');
  });
});
