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

  it('refills a windowed bucket over its own window, not an hour (Trello: 10 s)', () => {
    const trello = (token: number, key: number) => ({
      spent: 0,
      requests: { limit: 100, remaining: token, resetAt: 0, periodMs: 10_000 },
      appRequests: { limit: 300, remaining: key, resetAt: 0, periodMs: 10_000 },
    });
    expect(nextPollDelay({ ...base, budget: trello(100, 300) })).toEqual({ delayMs: 60_000 });
    // At a 0.1 s --poll: 2 token requests left of 100 → 8 to refill at 100 per 10 s = 0.8 s; the key's 0 of 300 → 30 = 1 s.
    const fast = { ...base, baseMs: 100 };
    expect(nextPollDelay({ ...fast, budget: trello(2, 300) })).toEqual({ delayMs: 800, reason: 'budget low' });
    expect(nextPollDelay({ ...fast, budget: trello(100, 0) })).toEqual({ delayMs: 1_000, reason: 'budget low' });
  });

  it('stretches to the longest interval while webhooks arrive, and returns when they stop', () => {
    const at = 10 * 60_000;
    const hooks = { ...base, now: at, idlePasses: 1 };
    // A delivery 30 s ago, inside the minute that just ended: polls are only a safety net.
    expect(nextPollDelay({ ...hooks, lastWebhookAt: at - 30_000 })).toEqual({ delayMs: 480_000, reason: 'webhooks' });
    // Deliveries keep coming during the stretched interval: it stays stretched.
    expect(nextPollDelay({ ...hooks, idlePasses: 2, lastWebhookAt: at - 400_000, lastDelayMs: 480_000 })).toEqual({
      delayMs: 480_000,
      reason: 'webhooks',
    });
    // None during the last (stretched) interval: back to the idle schedule.
    expect(nextPollDelay({ ...hooks, lastWebhookAt: at - 500_000, lastDelayMs: 480_000 })).toEqual({
      delayMs: 120_000,
      reason: 'idle',
    });
    // None during the last minute: the delivery two minutes ago does not count.
    expect(nextPollDelay({ ...hooks, lastWebhookAt: at - 120_000 }).reason).toBe('idle');
    // The poll found changes the webhooks missed: they are not keeping up, the interval is the configured one.
    expect(nextPollDelay({ ...hooks, idlePasses: 0, lastWebhookAt: at - 1_000 })).toEqual({ delayMs: 60_000 });
    // A low budget still wins when it asks for longer than the stretch (80 s at a 10 s --poll).
    const low = { ...hooks, baseMs: 10_000, lastWebhookAt: at - 1_000, passCost: 303, budget: linear(1_000) };
    expect(nextPollDelay(low)).toEqual({ delayMs: 345_600, reason: 'budget low' });
  });
});
