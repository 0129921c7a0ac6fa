import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { DurationSequencer } from './test/sequencer.js';

const SLOW_UNITS = ['src/git/treePatch.test.ts', 'src/git/commitWriter.test.ts'];

export default defineConfig({
  test: {
    globalSetup: ['test/storeTemplates.ts'],
    // A test's own time limits (in its assertions) say what it promises; this one only stops a
    // hung test. CI machines run the suite ~15 % slower than this one, with three files at once.
    testTimeout: 120_000,
    // expect.poll waits for what another process or the browser does; vitest's 1 s default
    // is less than a loaded machine needs (a poll passes as soon as its condition holds).
    expect: { poll: { timeout: 10_000 } },
    hookTimeout: 120_000,
    pool: 'forks',
    // Most test time is spent waiting on the tack, git and browser processes a test starts,
    // so two more files than there are cores keep them busy (vitest's default is one fewer:
    // a single file at a time on a two-core machine). On two cores, `npm test` took 6 m 00 s
    // with three files at once and 5 m 44 s with four (2026-12-05, test/durations.json order).
    maxWorkers: availableParallelism() + 2,
    sequence: { sequencer: DurationSequencer },
    projects: [
      // The units share a process between files (no fresh fork and module graph per file:
      // about 14 s of CPU of their 35); each restores what it changes. The end-to-end tests
      // keep a process per file: they start servers, change the CLI's streams and environment.
      {
        extends: true,
        test: {
          name: 'units',
          include: ['src/**/*.test.ts', 'web/src/**/*.test.ts'],
          exclude: SLOW_UNITS,
          isolate: false,
        },
      },
      { extends: true, test: { name: 'e2e', include: ['test/**/*.test.ts'] } },
      // Units that run git hundreds of times (13-20 s each on a loaded machine) go with the
      // isolated files, which start first (test/sequencer.ts): last, they ran alone at the end.
      { extends: true, test: { name: 'git units', include: SLOW_UNITS } },
    ],
  },
});
