import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { runCli } from '../../src/cli/main';
import { fixturesDir } from '../load/helpers';

/** Runs the CLI in-process in `cwd` and collects what it prints. */
export async function cli(args: string[], cwd = fixturesDir) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    env: {},
    cwd,
    isTTY: false,
  });
  return { code, stdout, stderr };
}

/** Every file under `dir`, `/`-separated and sorted. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

/** `broadsheet import <format> tests/fixtures/<fixture> --root <root> ...extra`, in-process. */
export function importFixture(format: string, fixture: string, root: string, ...extra: string[]) {
  return cli(['import', format, path.join(fixturesDir, ...fixture.split('/')), '--root', root, ...extra]);
}
