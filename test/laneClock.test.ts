import { describe, expect, it, vi } from 'vitest';
import { Lane } from '../src/server/lane.js';
import { git, tackJson, tempStore, testEnv, trackCleanups } from './helpers.js';
import { slowGit } from './slowGit.js';

/*
 * A stop's grace is measured on a clock that only goes forward. The wall clock can be set
 * back while the server stops (NTP stepping a VM's clock); a grace measured on it would last
 * as long as the step, and the server would answer "stopping" all that time.
 */

const track = trackCleanups();

describe("the write lane's stop", () => {
  it('ends within its grace when the wall clock is set back meanwhile', async () => {
    const repo = tempStore();
    track(repo.cleanup);
    const { id } = tackJson(repo.dir, 'create', 'Slow write');
    const before = git(repo.dir, 'rev-parse', 'tack').trim();
    const g = slowGit(track, 30);
    g.slow('update-ref');
    // The lane's child starts with this process's environment: the tests' own, with the slow git.
    const env = process.env;
    process.env = testEnv(g.env);
    const lane = new Lane(false);
    let answer: Promise<unknown>;
    try {
      answer = lane.run({ cwd: repo.dir, name: 'update', input: { id, priority: 'urgent' } }).catch((e) => e);
    } finally {
      process.env = env;
    }
    for (let waited = 0; !g.started(); waited += 50) {
      if (waited > 30_000)
        throw new Error(
          `the write never reached update-ref: ${JSON.stringify(await Promise.race([answer, 'no answer']))}`,
        );
      await new Promise((r) => setTimeout(r, 50));
    }
    const real = Date.now.bind(Date);
    let readings = 0;
    const clock = vi.spyOn(Date, 'now').mockImplementation(() => real() - (readings++ > 0 ? 600_000 : 0));
    try {
      const t0 = performance.now();
      await lane.close(300);
      // The grace (0.3 s) and the kill; waiting for the write would take its git's 30 s.
      expect(performance.now() - t0).toBeLessThan(10_000);
    } finally {
      clock.mockRestore();
    }
    expect(await answer).toMatchObject({ code: 'unavailable' });
    // Killed before its ref moved: nothing landed, and git finds nothing to refuse.
    expect(git(repo.dir, 'rev-parse', 'tack').trim()).toBe(before);
    git(repo.dir, 'fsck', '--strict', '--no-progress');
  }, 60_000);
});
