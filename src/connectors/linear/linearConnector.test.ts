import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LinearConnector, linearUuid } from './linearConnector.js';

const connector = (secret?: string) =>
  new LinearConnector(
    {
      kind: 'linear',
      scope: 'ENG',
      apiUrl: 'http://127.0.0.1:9/graphql',
      ...(secret ? { webhookSecret: secret } : {}),
    },
    { apiKey: 'k' },
  );
const sign = (body: string, secret: string) => createHmac('sha256', secret).update(body).digest('hex');

describe('linearUuid', () => {
  it('derives one valid UUID per Tack id, so a retried create names the same issue', () => {
    expect(linearUuid('tk-abc')).toBe(linearUuid('tk-abc'));
    expect(linearUuid('tk-abc')).not.toBe(linearUuid('tk-abd'));
    expect(linearUuid('tk-abc')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('Linear webhooks', () => {
  const body = (ts: number) =>
    JSON.stringify({
      action: 'update',
      type: 'Issue',
      data: { id: 'i1', updatedAt: '2026-11-21T00:00:00.000Z' },
      webhookTimestamp: ts,
    });

  it('accepts the hex HMAC-SHA256 of the raw body with a fresh timestamp', () => {
    const b = body(Date.now());
    expect(connector('s3cret').verifyWebhook(Buffer.from(b), { 'linear-signature': sign(b, 's3cret') })).toBe(true);
  });

  it('refuses a wrong signature, a stale timestamp, a changed body and a connection without a secret', () => {
    const b = body(Date.now());
    expect(connector('s3cret').verifyWebhook(Buffer.from(b), { 'linear-signature': sign(b, 'other') })).toBe(false);
    const old = body(Date.now() - 61_000);
    expect(connector('s3cret').verifyWebhook(Buffer.from(old), { 'linear-signature': sign(old, 's3cret') })).toBe(
      false,
    );
    expect(connector('s3cret').verifyWebhook(Buffer.from(`${b} `), { 'linear-signature': sign(b, 's3cret') })).toBe(
      false,
    );
    expect(connector().verifyWebhook(Buffer.from(b), { 'linear-signature': sign(b, 's3cret') })).toBe(false);
  });

  it('names the issue of an issue or comment delivery; ignores others', () => {
    const c = connector('s');
    expect(c.parseWebhook(Buffer.from(body(1)), { 'linear-delivery': 'd1' })).toEqual({
      issueIds: ['i1'],
      deliveryId: 'd1',
      at: '2026-11-21T00:00:00.000Z',
    });
    const comment = JSON.stringify({ type: 'Comment', action: 'create', data: { id: 'c1', issueId: 'i2' } });
    expect(c.parseWebhook(Buffer.from(comment), {})?.issueIds).toEqual(['i2']);
    expect(c.parseWebhook(Buffer.from(JSON.stringify({ type: 'Project', data: { id: 'p' } })), {})).toBeNull();
  });
});
