import { describe, expect, it } from 'vitest';
import { tackAwait, tempStore, trackCleanups } from '../helpers.js';
import { GithubStandin } from '../standins/githubStandin.js';
import { startLinearStandin } from '../standins/linearStandin.js';

const connections = async (dir: string) =>
  JSON.parse((await tackAwait(dir, ['connect', 'status', '--json'])).stdout).connections[0];

describe('tack connections: the budget left, as the service last reported it', () => {
  const track = trackCleanups();

  it('GitHub: requests left of the hourly limit, with when it was measured', async () => {
    const { dir, cleanup } = tempStore();
    track(cleanup);
    const gh = await new GithubStandin({ token: 'ghp_budget', users: [], rateLimit: 800 }).start();
    track(() => void gh.close());
    await tackAwait(dir, [
      'connect',
      'github',
      '--repo',
      'acme/widgets',
      '--api-url',
      gh.url,
      '--api-key',
      'ghp_budget',
    ]);
    expect((await connections(dir)).budget).toBeNull();
    gh.remoteCreate({ title: 'One' });
    const started = Date.now();
    expect((await tackAwait(dir, ['sync', 'github'])).status).toBe(0);
    const used = gh.requests.length;
    const b = (await connections(dir)).budget;
    expect(b.complexity).toBeUndefined();
    expect(b.requests).toMatchObject({ limit: 800, remaining: 800 - used });
    expect(Date.parse(b.requests.resetAt)).toBeGreaterThan(started);
    expect(Date.parse(b.measuredAt)).toBeGreaterThanOrEqual(started - 1000);
    const text = (await tackAwait(dir, ['connections'])).stdout;
    expect(text).toContain(`budget: ${800 - used} of 800 requests left (full again ${b.requests.resetAt})`);
    expect(text).toContain(`measured ${b.measuredAt}`);
  });

  it('Linear: complexity points and requests left', async () => {
    const { dir, cleanup } = tempStore();
    track(cleanup);
    const linear = await startLinearStandin();
    track(() => void linear.stop());
    await tackAwait(dir, ['connect', 'linear', '--team', 'ENG', '--api-url', linear.url, '--api-key', 'k']);
    expect((await tackAwait(dir, ['sync', 'linear'])).status).toBe(0);
    const b = (await connections(dir)).budget;
    expect(b.complexity.limit).toBeGreaterThan(b.complexity.remaining);
    expect(b.requests.limit).toBeGreaterThan(b.requests.remaining);
    expect((await tackAwait(dir, ['connections'])).stdout).toMatch(
      /budget: \d+ of \d+ complexity points left \(full again [^)]+\), \d+ of \d+ requests left/,
    );
  });
});
