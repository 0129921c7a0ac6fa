import { describe, expect, it } from 'vitest';
import { describeTriggers, isTriggerKey, maskTriggers, setTriggerKey, triggerValue } from './triggerSettings.js';

describe('trigger settings keys', () => {
  it('knows its keys', () => {
    for (const k of [
      'on.ticket.created',
      'on.ticket.*',
      'hooks.timeout',
      'hooks.wait',
      'webhook.ci.url',
      'webhook.ci.events',
      'inbound.secret',
    ])
      expect(isTriggerKey(k)).toBe(true);
    for (const k of ['on.', 'hooks.nope', 'webhook.ci', 'webhook.c i.url', 'sign']) expect(isTriggerKey(k)).toBe(false);
  });

  it('sets and removes hooks and webhooks without touching the input', () => {
    const before = { on: { 'ticket.created': 'a' } };
    const t = setTriggerKey(before, 'on.ticket.deleted', 'b');
    expect(before.on).toEqual({ 'ticket.created': 'a' });
    expect(t.on).toEqual({ 'ticket.created': 'a', 'ticket.deleted': 'b' });
    expect(setTriggerKey(t, 'on.ticket.created', '').on).toEqual({ 'ticket.deleted': 'b' });
    let w = setTriggerKey(undefined, 'webhook.ci.url', 'http://127.0.0.1:9/x');
    w = setTriggerKey(w, 'webhook.ci.events', 'ticket.created, ticket.status.*');
    w = setTriggerKey(w, 'webhook.ci.secret', 'env:CI_SECRET');
    w = setTriggerKey(w, 'webhook.ci.attempts', '3');
    expect(w.webhooks).toEqual({
      ci: {
        url: 'http://127.0.0.1:9/x',
        events: ['ticket.created', 'ticket.status.*'],
        secret: 'env:CI_SECRET',
        attempts: 3,
      },
    });
    expect(setTriggerKey(w, 'webhook.ci.url', '').webhooks).toEqual({});
  });

  it('refuses bad values, saying what was expected', () => {
    expect(() => setTriggerKey(undefined, 'webhook.ci.url', 'ftp://x')).toThrow(/http/);
    expect(() => setTriggerKey(undefined, 'webhook.ci.secret', 's')).toThrow(/no url yet/);
    expect(() => setTriggerKey({ webhooks: { ci: { url: 'http://x' } } }, 'webhook.ci.attempts', '99')).toThrow(/1-10/);
    expect(() => setTriggerKey(undefined, 'hooks.timeout', 'later')).toThrow(/duration/);
    expect(() => setTriggerKey(undefined, 'hooks.wait', 'maybe')).toThrow(/true or false/);
  });

  it('never shows a secret', () => {
    const t = { webhooks: { ci: { url: 'http://x', secret: 'hunter2' } }, inbound: { secret: 'also-secret' } };
    const shown = JSON.stringify([
      maskTriggers(t),
      describeTriggers(t),
      triggerValue(t, 'webhook.ci.secret'),
      triggerValue(t, 'inbound.secret'),
    ]);
    expect(shown).not.toContain('hunter2');
    expect(shown).not.toContain('also-secret');
    expect(triggerValue(t, 'webhook.ci.secret')).toBe('(set)');
  });
});
