import { defineConfig } from 'vitest/config';

/** `npm run test:e2e`: tests that need Java (the Nu HTML Checker) or a browser (Debian's chromium). */
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
