import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Tests start real servers and browsers; two at a time suits the 2-core machines.
    maxWorkers: 2,
    fileParallelism: true,
  },
});
