import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * `npm run test:stress`: the comment intake under load and fuzzing, through `broadsheet serve` (the
 * built CLI in dist/) on loopback. Longer than `npm test`; `.ci/run` runs it after.
 */
export default defineConfig({
  test: {
    include: ['tests/stress/**/*.test.ts'],
    env: { BROADSHEET_CACHE_DIR: path.join(tmpdir(), 'broadsheet-test-cache') },
    testTimeout: 600_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
