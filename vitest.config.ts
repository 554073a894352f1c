import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    reporters: process.env.CI ? ['default'] : ['default'],
    testTimeout: 30_000,
  },
});
