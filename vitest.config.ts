import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    reporters: ['default', './test/reporters/summary-line.ts'],
    testTimeout: 30_000,
  },
});
