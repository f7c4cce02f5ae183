import { readdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { build, cacheEntries, copyGoldenSite, hashTree, packFolder, temporaryFolder } from './helpers';

describe('the render cache layout', () => {
  // render-v2: the HTML inside one JSON payload; render-v3: a JSON line of the fields, then the HTML;
  // render-v4: the fields in binary, each text on its own.
  it.each(['render-v2', 'render-v3', 'render-v4'])(
    'the cache of an earlier layout (%s) is set aside without a warning, not read',
    async (earlier) => {
      const root = await copyGoldenSite();
      const folder = await temporaryFolder();
      const first = await build(root, path.join(folder, 'first'));
      const current = await packFolder('render-v5');
      const entries = await cacheEntries('render-v5');
      expect(entries.length).toBeGreaterThan(0);
      // What an earlier broadsheet left: its pack under its own layout's name, and none of this one.
      await rename(current, path.join(path.dirname(current), earlier));

      const second = await build(root, path.join(folder, 'second'));
      expect(second.warnings).toEqual(first.warnings);
      expect(await hashTree(path.join(folder, 'second'))).toEqual(await hashTree(path.join(folder, 'first')));
      const site = path.dirname(current);
      expect((await readdir(site)).filter((name) => name.startsWith('render-'))).toEqual(['render-v5']);
      expect(await cacheEntries('render-v5')).toEqual(entries);
    },
  );
});
