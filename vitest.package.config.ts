import { defineConfig } from 'vitest/config';

/**
 * `npm run test:package`: packs a clean clone of HEAD and installs the tarball and the git URL; runs
 * the README's commands (needs the npm registry or its cache). One file at a time: each installs a lot.
 */
export default defineConfig({
  test: {
    include: ['tests/package/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 600_000,
    fileParallelism: false,
  },
});
