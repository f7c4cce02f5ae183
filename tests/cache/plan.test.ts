import { describe, expect, it } from 'vitest';
import { loadSite, siteFiles } from '../../src/index';
import { makeGroup, siteFilePlan } from '../../src/outputs/index';
import { GOLDEN_NOW, goldenRoot } from '../build/helpers';

describe('siteFilePlan', () => {
  it('give exactly the files of siteFiles, each group the paths it announced', async () => {
    const result = await loadSite({ root: goldenRoot, now: GOLDEN_NOW, cache: false, workers: 0 });
    if (!result.ok) throw new Error('the golden site does not load');
    const expected = siteFiles(result.site);
    const plan = siteFilePlan(result.site);
    const planned = plan.flatMap((group) => {
      const files = makeGroup(result.site, group);
      expect(files.map((file) => file.path)).toEqual(group.paths);
      return files;
    });
    const byPath = (a: { path: string }, b: { path: string }) =>
      a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
    expect([...planned].sort(byPath)).toEqual(expected);
  });
});
