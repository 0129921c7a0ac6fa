import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  commandsFor,
  durationMs,
  hasOutboundTriggers,
  maskSecret,
  matchesPattern,
  resolveSecret,
  retryable,
  wanted,
} from './triggers.js';
import { checkTackSignature, hmacDigest, tackSignature, tackSignatureHeaders } from './webhookSignature.js';

describe('trigger patterns', () => {
  it('matches exact names and * over any run of characters', () => {
    expect(matchesPattern('ticket.created', 'ticket.created')).toBe(true);
    expect(matchesPattern('ticket.created', 'ticket.updated')).toBe(false);
    expect(matchesPattern('ticket.*', 'ticket.status.done')).toBe(true);
    expect(matchesPattern('ticket.status.*', 'ticket.status.in-progress')).toBe(true);
    expect(matchesPattern('ticket.status.*', 'ticket.category.completed')).toBe(false);
    expect(matchesPattern('*', 'ping')).toBe(true);
    // A dot is literal, not "any character".
    expect(matchesPattern('ticket.created', 'ticketXcreated')).toBe(false);
    expect(matchesPattern('ticket.(a|b)', 'ticket.a')).toBe(false);
  });

  it('collects each matching command once, in config order', () => {
    const on = { 'ticket.*': 'a', 'ticket.status.done': ['b', 'a'], 'ticket.deleted': 'c' };
    expect(commandsFor(on, ['ticket.updated', 'ticket.status.done'])).toEqual(['a', 'b']);
    expect(commandsFor(on, ['ping'])).toEqual([]);
    expect(commandsFor(undefined, ['ticket.created'])).toEqual([]);
  });

  it('a webhook without an events filter wants everything', () => {
    expect(wanted(undefined, ['ticket.created'])).toBe(true);
    expect(wanted([], ['ping'])).toBe(true);
    expect(wanted(['ticket.status.done'], ['ticket.updated', 'ticket.status.done'])).toBe(true);
    expect(wanted(['ticket.created'], ['ticket.updated'])).toBe(false);
  });

  it('counts only hooks and webhooks as outbound triggers', () => {
    expect(hasOutboundTriggers(undefined)).toBe(false);
    expect(hasOutboundTriggers({ timeout: '1s', inbound: { secret: 'x' } })).toBe(false);
    expect(hasOutboundTriggers({ on: {} })).toBe(false);
    expect(hasOutboundTriggers({ on: { '*': 'true' } })).toBe(true);
    expect(hasOutboundTriggers({ webhooks: { a: { url: 'http://x' } } })).toBe(true);
  });
});

describe('durations, backoff, retries', () => {
  it('reads ms, s and m', () => {
    expect(durationMs('500ms', 1)).toBe(500);
    expect(durationMs('10s', 1)).toBe(10_000);
    expect(durationMs('2m', 1)).toBe(120_000);
    expect(durationMs('250', 1)).toBe(250);
    expect(durationMs(undefined, 7)).toBe(7);
    expect(() => durationMs('soon', 1)).toThrow(/not a duration/);
  });

  it('doubles the delay per attempt, capped', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, 100))).toEqual([100, 200, 400, 800]);
    expect(backoffDelay(30, 1000)).toBe(300_000);
  });

  it('retries network errors, 5xx and 429 only', () => {
    expect(retryable(null)).toBe(true);
    expect(retryable(500)).toBe(true);
    expect(retryable(503)).toBe(true);
    expect(retryable(429)).toBe(true);
    expect(retryable(400)).toBe(false);
    expect(retryable(404)).toBe(false);
  });
});

describe('signatures and secrets', () => {
  it('signs with hex HMAC-SHA256 (RFC 4231 test case 2) over timestamp, delivery id and body', () => {
    expect(hmacDigest('Jefe', ['what do ya want for nothing?'])).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
    const body = Buffer.from('{"event":"ticket.created"}');
    expect(tackSignature('s', '1700000000', 'd-1', body)).toBe(
      `sha256=${createHmac('sha256', 's').update(`1700000000.d-1.${body}`).digest('hex')}`,
    );
  });

  it('accepts a fresh delivery and refuses a stale, future, tampered or re-labelled one', () => {
    const body = Buffer.from('{"op":"create"}');
    const now = 1_700_000_000_000;
    const h = tackSignatureHeaders('s', 'd-1', body, now);
    expect(checkTackSignature('s', h, body, now + 60_000)).toMatchObject({ ok: true, delivery: 'd-1' });
    expect(checkTackSignature('s', h, body, now + 6 * 60_000)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/more than 5 minutes/),
    });
    expect(checkTackSignature('s', h, body, now - 6 * 60_000).ok).toBe(false);
    expect(checkTackSignature('s', h, Buffer.from('{"op":"close"}'), now).ok).toBe(false);
    // Another delivery id or time under the same signature: the signature covers both.
    expect(checkTackSignature('s', { ...h, 'x-tack-delivery': 'd-2' }, body, now).ok).toBe(false);
    expect(checkTackSignature('s', { ...h, 'x-tack-timestamp': String(now / 1000 + 1) }, body, now).ok).toBe(false);
    expect(checkTackSignature('other', h, body, now).ok).toBe(false);
    expect(checkTackSignature('s', { 'x-tack-signature-256': h['x-tack-signature-256'] }, body, now)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/missing X-Tack-Timestamp, X-Tack-Delivery/),
    });
  });

  it('reads env:NAME secrets from the environment and never shows values', () => {
    expect(resolveSecret('env:HOOK_SECRET', { HOOK_SECRET: 'abc' })).toBe('abc');
    expect(resolveSecret('env:MISSING', {})).toBeUndefined();
    expect(resolveSecret('plain', {})).toBe('plain');
    expect(maskSecret('plain')).toBe('(set)');
    expect(maskSecret('env:HOOK_SECRET')).toBe('env:HOOK_SECRET');
    expect(maskSecret(undefined)).toBeNull();
  });
});
