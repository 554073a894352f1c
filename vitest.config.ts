import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    reporters: ['default', './test/reporters/summary-line.ts'],
    testTimeout: 30_000,
    // Starts the real test cluster when a selected test file uses it (README, "Test cluster").
    globalSetup: ['./test/cluster/global-setup.ts'],
    // Stopping the cluster at the end of the run takes a few seconds.
    teardownTimeout: 30_000,
  },
});
