// The built package finds its own files (the render worker, the code identity of the output keys,
// `yaml`) from `import.meta.url`, not from a global `__filename`: `node -e` defines one of `[eval]`
// that ES modules see too (src/common/module-file.ts).
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

describe('the built package under `node -e`', () => {
  it('starts its render threads and builds, as from a script file', async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'broadsheet-eval-'));
    const root = path.join(folder, 'site');
    await mkdir(path.join(root, 'content/posts'), { recursive: true });
    await writeFile(
      path.join(root, 'broadsheet.config.json'),
      JSON.stringify({ site: { title: 'Eval', url: 'https://eval.example/', author: { name: 'Site' } } }),
    );
    await writeFile(
      path.join(root, 'content/posts/hello.md'),
      '---\ntitle: Hello\ndate: 2024-01-02\n---\n\nHello *world*.\n',
    );
    const library = pathToFileURL(path.join(repositoryRoot, 'dist/index.js')).href;
    const script = `import(${JSON.stringify(library)}).then(async ({ buildSite }) => {
      const result = await buildSite({ root: ${JSON.stringify(root)}, workers: 1 });
      console.log(JSON.stringify(result.ok ? 'ok' : result.diagnostics));
    }).catch((error) => console.log(JSON.stringify(String(error))));`;
    const { stdout } = await run(process.execPath, ['-e', script], {
      env: { ...process.env, BROADSHEET_CACHE_DIR: path.join(folder, 'cache') },
    });
    expect(JSON.parse(stdout.trim())).toBe('ok');
    expect(await readFile(path.join(root, 'public/posts/hello/index.html'), 'utf8')).toContain(
      '<em>world</em>',
    );
  }, 60_000);
});
