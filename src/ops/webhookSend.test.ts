import { describe, expect, it } from 'vitest';
import type { OpEffects } from './effects.js';
import { sendWebhook } from './webhookSend.js';

// The op layer reaches the network only through the fetch the surface hands it, so the
// retry policy is checked here without a socket (test/webhooks.test.ts uses real receivers).
function recorder(statuses: number[]) {
  const calls: { url: string; headers: Record<string, string> }[] = [];
  const fetch: OpEffects['fetch'] = async (url, init) => {
    calls.push({ url, headers: { ...(init.headers as Record<string, string>) } });
    return new Response(null, { status: statuses[calls.length - 1] ?? 500 });
  };
  return { calls, fetch };
}

const request = { url: 'http://receiver.invalid/hook', body: '{}', event: 'ticket.created', delivery: 'd-1' };

describe('sendWebhook through the given fetch', () => {
  it('retries a 503, signs each attempt, and keeps the delivery id', async () => {
    const r = recorder([503, 204]);
    const out = await sendWebhook(r.fetch, {
      ...request,
      secret: 's3cret',
      attempts: 3,
      timeoutMs: 1000,
      backoffMs: 1,
    });
    expect(out.ok).toBe(true);
    expect(out.attempts.map((a) => a.status)).toEqual([503, 204]);
    expect(r.calls.map((c) => c.headers['x-tack-delivery'])).toEqual(['d-1', 'd-1']);
    expect(r.calls.every((c) => c.headers['x-tack-signature-256']?.startsWith('sha256='))).toBe(true);
  });

  it('takes a 400 as final', async () => {
    const r = recorder([400, 204]);
    const out = await sendWebhook(r.fetch, { ...request, attempts: 3, timeoutMs: 1000, backoffMs: 1 });
    expect(out).toMatchObject({ ok: false, status: 400, error: 'HTTP 400' });
    expect(r.calls).toHaveLength(1);
  });
});
