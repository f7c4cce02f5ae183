import { defineConfig } from 'vitest/config';

/** `npm run test:package`: packs the package and installs the tarball (needs the npm registry or its cache). */
export default defineConfig({
  test: {
    include: ['tests/package/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 600_000,
  },
});
