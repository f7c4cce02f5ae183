import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/e2e/**', 'tests/package/**', 'tests/stress/**', 'node_modules/**', 'examples/**'],
    // Temporary test sites must not leave render caches in the user's ~/.cache.
    env: { BROADSHEET_CACHE_DIR: path.join(tmpdir(), 'broadsheet-test-cache') },
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
