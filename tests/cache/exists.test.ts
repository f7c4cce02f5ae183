import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheFolder } from '../../src/cache/location';
import { renderCacheExists } from '../../src/render/render-cache';
import { build, copyGoldenSite, temporaryFolder } from './helpers';

// The CLI tunes V8 for a cold build when this says the site has no render cache (src/cli/heap.ts).
describe('renderCacheExists', () => {
  it('is false before the first cached build and after --no-cache builds, true after a cached build', async () => {
    const root = await copyGoldenSite();
    const out = path.join(await temporaryFolder(), 'public');
    const folder = await cacheFolder(root);
    expect(await renderCacheExists(folder)).toBe(false);
    await build(root, out, { cache: false });
    expect(await renderCacheExists(folder)).toBe(false);
    await build(root, out);
    expect(await renderCacheExists(folder)).toBe(true);
  });
});
