import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts'],
    globalSetup: ['test/storeTemplates.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Most test time is spent waiting on the tack, git and browser processes a test starts,
    // so one more file than there are cores keeps them busy (vitest's default is one fewer:
    // a single file at a time on a two-core machine).
    maxWorkers: availableParallelism() + 1,
  },
});
