// docs/cli.md and the README show the same usage lines as `broadsheet --help`, every flag included.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main';

async function helpUsage(): Promise<string[]> {
  let stdout = '';
  await runCli(['--help'], {
    stdout: (text) => {
      stdout += text;
    },
    stderr: () => {},
    env: {},
    cwd: process.cwd(),
    isTTY: false,
  });
  const usage = stdout.slice(stdout.indexOf('Usage:'));
  return usage
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('broadsheet '));
}

/** The lines of the first ```text block of `file` that start with `broadsheet `. */
function documentedUsage(file: string, heading: RegExp): string[] {
  const text = readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
  const from = text.search(heading);
  const block = /```text\n([\s\S]*?)```/.exec(text.slice(from))?.[1] ?? '';
  return block.split('\n').filter((line) => line.startsWith('broadsheet '));
}

describe('usage lines in the documentation', () => {
  it('docs/cli.md lists every command and flag that --help lists', async () => {
    const usage = await helpUsage();
    expect(usage.length).toBeGreaterThanOrEqual(5);
    expect(documentedUsage('docs/cli.md', /^# /m)).toEqual(usage);
  });

  it('the README lists every command and flag that --help lists', async () => {
    expect(documentedUsage('README.md', /^## CLI/m)).toEqual(await helpUsage());
  });
});
