import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/e2e/**', 'tests/package/**', 'node_modules/**', 'examples/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
