import { describe, expect, it } from 'vitest';
import { nextPollDelay } from './pollSchedule.js';

const base = { baseMs: 60_000, idlePasses: 0, passCost: 0, now: 0 };
const linear = (remaining: number, requests = 5_000) => ({
  spent: 0,
  complexity: { limit: 250_000, remaining, resetAt: 0 },
  requests: { limit: 5_000, remaining: requests, resetAt: 0 },
});

describe('nextPollDelay', () => {
  it('polls at the configured interval after a change, and less often while nothing changes', () => {
    expect(nextPollDelay(base)).toEqual({ delayMs: 60_000 });
    expect(nextPollDelay({ ...base, idlePasses: 1 })).toEqual({ delayMs: 120_000, reason: 'idle' });
    expect(nextPollDelay({ ...base, idlePasses: 2 }).delayMs).toBe(240_000);
    expect(nextPollDelay({ ...base, idlePasses: 9 }).delayMs).toBe(480_000);
  });

  it('keeps idle polls to half the hourly points budget at the cost of the last one', () => {
    // 24,693 points an idle poll (the old pull page) allows one poll every ~12 minutes.
    const old = nextPollDelay({ ...base, idlePasses: 1, passCost: 24_693, budget: linear(250_000) });
    expect(old).toEqual({ delayMs: 711_159, reason: 'budget share' });
    // An idle poll of ~303 points needs only the idle doubling.
    expect(nextPollDelay({ ...base, idlePasses: 1, passCost: 303, budget: linear(250_000) })).toEqual({
      delayMs: 120_000,
      reason: 'idle',
    });
    // A pass that brought changes is followed at the interval, whatever it cost.
    expect(nextPollDelay({ ...base, passCost: 24_693, budget: linear(250_000) })).toEqual({ delayMs: 60_000 });
  });

  it('waits for a low bucket to refill to a tenth of it', () => {
    // 5,000 points left of 250,000: 20,000 to refill at 250,000/hour = 288 s.
    expect(nextPollDelay({ ...base, passCost: 303, budget: linear(5_000) })).toEqual({
      delayMs: 288_000,
      reason: 'budget low',
    });
    // Requests too: 100 left of 5,000 → 400 to refill at 5,000/hour = 288 s.
    expect(nextPollDelay({ ...base, passCost: 303, budget: linear(250_000, 100) }).delayMs).toBe(288_000);
  });
});
