import { createHmac } from 'node:crypto';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { revParse, tack, tackAwait, tackJson, tackJsonAsync, tempStore, trackCleanups } from './helpers.js';
import { startServe } from './serverHarness.js';
import { startReceiver, type Receiver } from './webhookReceiver.js';

const cleanup = trackCleanups();

function store(): string {
  const repo = tempStore({ prefix: 'tack-webhook-' });
  cleanup(repo.cleanup);
  return repo.dir;
}

async function receiver(secret: string | null, statuses?: number[]): Promise<Receiver> {
  const r = await startReceiver(secret, statuses);
  cleanup(() => void r.close());
  return r;
}

/** A port nothing listens on: taken, then released. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/**
 * The CLI without blocking this process: the receivers live in it, and a command that
 * delivers before it returns (hooks.wait, hooks test) needs them to answer meanwhile.
 */
async function tackLive(dir: string, args: string[], env: Record<string, string> = {}) {
  return tackAwait(dir, args, env);
}

const tackLiveJson = tackJsonAsync;

const deliveries = (dir: string) =>
  tackJson<{ deliveries: any[] }>(dir, 'hooks', 'log', '--limit', '100').deliveries.filter((d) => d.kind === 'webhook');

describe('outbound webhooks', () => {
  it('POSTs the event signed with the secret, only for the events it asked for', async () => {
    const dir = store();
    const rcv = await receiver('s3cret');
    tack(dir, 'config', 'webhook.ci.url', rcv.url);
    tack(dir, 'config', 'webhook.ci.secret', 's3cret');
    tack(dir, 'config', 'webhook.ci.events', 'ticket.created,ticket.status.done');
    const t = tackJson(dir, 'create', 'Ship it');
    const [first] = await rcv.waitFor(1);
    expect(first.signed).toBe(true);
    expect(first.headers['x-tack-event']).toBe('ticket.created');
    expect(first.headers['x-tack-delivery']).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.headers['content-type']).toBe('application/json');
    expect(first.json).toMatchObject({
      event: 'ticket.created',
      ticket: { id: t.id, title: 'Ship it' },
      commit: { sha: revParse(dir, 'tack') },
    });

    tack(dir, 'update', t.id, '--priority', 'high'); // not asked for
    tack(dir, 'close', t.id); // ticket.status.done
    const [, second] = await rcv.waitFor(2);
    expect(second.headers['x-tack-event']).toBe('ticket.updated');
    expect(second.json.names).toContain('ticket.status.done');
    expect(second.json.change.to.status).toBe('done');
    expect(second.signed).toBe(true);
    // Nothing else came: the priority change was filtered out.
    await tackLive(dir, ['hooks', 'run']);
    expect(rcv.requests).toHaveLength(2);
    // The receiver has the request before the deliverer logs its answer (and `hooks run`
    // leaves a running deliverer be): the log catches up.
    await expect
      .poll(() => deliveries(dir).map((d) => [d.ok, d.status, d.target]))
      .toEqual([
        [true, 200, 'ci'],
        [true, 200, 'ci'],
      ]);
  });

  it('retries after a 500 with the same delivery id, then succeeds', async () => {
    const dir = store();
    const rcv = await receiver('k', [500, 200]);
    tack(dir, 'config', 'hooks.wait', 'true');
    tack(dir, 'config', 'hooks.backoff', '50ms');
    tack(dir, 'config', 'webhook.r.url', rcv.url);
    tack(dir, 'config', 'webhook.r.secret', 'env:RECEIVER_SECRET');
    const r = await tackLive(dir, ['create', 'Flaky receiver', '--json'], { RECEIVER_SECRET: 'k' });
    expect(r.status).toBe(0);
    expect(rcv.requests).toHaveLength(2);
    expect(rcv.requests.every((q) => q.signed)).toBe(true);
    expect(rcv.requests[0].headers['x-tack-delivery']).toBe(rcv.requests[1].headers['x-tack-delivery']);
    expect(rcv.requests[0].body).toBe(rcv.requests[1].body);
    const [d] = deliveries(dir);
    expect(d).toMatchObject({ ok: true, status: 200, delivery: rcv.requests[0].headers['x-tack-delivery'] });
    expect(d.attempts.map((a: { status: number }) => a.status)).toEqual([500, 200]);
  });

  it('gives up after the configured attempts and logs each; the write still succeeds', async () => {
    const dir = store();
    const rcv = await receiver(null, [503]);
    tack(dir, 'config', 'hooks.wait', 'true');
    tack(dir, 'config', 'hooks.backoff', '20ms');
    tack(dir, 'config', 'webhook.down.url', rcv.url);
    tack(dir, 'config', 'webhook.down.attempts', '3');
    const port = await closedPort();
    tack(dir, 'config', 'webhook.gone.url', `http://127.0.0.1:${port}/x`);
    tack(dir, 'config', 'webhook.gone.attempts', '2');
    const r = await tackLive(dir, ['create', 'Nobody listens', '--json']);
    expect(r.status).toBe(0);
    expect(tackJson(dir, 'show', JSON.parse(r.stdout).id).title).toBe('Nobody listens');
    expect(rcv.requests).toHaveLength(3);
    // Unsigned when no secret is configured.
    expect(rcv.requests[0].headers['x-tack-signature-256']).toBeUndefined();
    const byName = Object.fromEntries(deliveries(dir).map((d) => [d.target, d]));
    expect(byName.down).toMatchObject({ ok: false, status: 503 });
    expect(byName.down.attempts.map((a: { status: number }) => a.status)).toEqual([503, 503, 503]);
    expect(byName.down.error).toMatch(/gave up after 3 attempts/);
    expect(byName.gone).toMatchObject({ ok: false, status: null });
    expect(byName.gone.attempts).toHaveLength(2);
    expect(byName.gone.attempts[0].error).toMatch(/ECONNREFUSED/);
    expect(tack(dir, 'hooks', 'log')).toMatch(/FAILED ticket.created .* webhook down .*503.*3 attempts/);
  });

  it('does not retry a 4xx answer', async () => {
    const dir = store();
    const rcv = await receiver(null, [410]);
    tack(dir, 'config', 'hooks.wait', 'true');
    tack(dir, 'config', 'webhook.r.url', rcv.url);
    await tackLiveJson(dir, 'create', 'Refused');
    expect(rcv.requests).toHaveLength(1);
    expect(deliveries(dir)[0]).toMatchObject({ ok: false, status: 410 });
  });

  it('`tack hooks test` pings each webhook and fails when one does not answer 2xx', async () => {
    const dir = store();
    const good = await receiver('p');
    const bad = await receiver(null, [500]);
    tack(dir, 'config', 'webhook.good.url', good.url);
    tack(dir, 'config', 'webhook.good.secret', 'p');
    const ok = await tackLiveJson(dir, 'hooks', 'test');
    expect(ok.ok).toBe(true);
    expect(good.requests[0].headers['x-tack-event']).toBe('ping');
    expect(good.requests[0].signed).toBe(true);
    expect(good.requests[0].json).toMatchObject({ event: 'ping', names: ['ping'], store: { ref: 'refs/heads/tack' } });
    tack(dir, 'config', 'webhook.bad.url', bad.url);
    const r = await tackLive(dir, ['hooks', 'test', 'bad']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/1 of 1 webhook\(s\) failed the ping/);
    expect(bad.requests).toHaveLength(1);
    expect((await tackLive(dir, ['hooks', 'test', 'nope'])).stderr).toMatch(/no webhook "nope"; configured: good, bad/);
    // The secret is stored locally and never shown.
    expect(tack(dir, 'config')).not.toContain('secret: p');
    expect(JSON.stringify(tackJson(dir, 'hooks', 'list'))).not.toMatch(/"secret":"p"/);
  });

  it('a write through `tack serve` is delivered by the server', async () => {
    const dir = store();
    const rcv = await receiver('srv');
    tack(dir, 'config', 'webhook.r.url', rcv.url);
    tack(dir, 'config', 'webhook.r.secret', 'srv');
    const srv = await startServe(dir);
    cleanup(() => void srv.stop());
    const res = await fetch(`${srv.url}/api/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Via REST' }),
    });
    expect(res.status).toBe(200);
    const t = (await res.json()) as { id: string };
    const [got] = await rcv.waitFor(1);
    expect(got.signed).toBe(true);
    expect(got.json).toMatchObject({ event: 'ticket.created', ticket: { id: t.id, title: 'Via REST' } });
    // The trigger commands are this clone's own business, not the API's.
    expect((await fetch(`${srv.url}/api/hooks-log`)).status).toBe(404);
    await srv.stop();
  });
});

/** Signed as docs/triggers.md says: HMAC-SHA256 of "<timestamp>.<delivery>.<body>". */
let signedCount = 0;
const signHeaders = (
  secret: string,
  body: string,
  delivery = `d-${++signedCount}-${process.pid}`,
  ts = Math.floor(Date.now() / 1000),
) => ({
  'x-tack-timestamp': String(ts),
  'x-tack-delivery': delivery,
  'x-tack-signature-256': `sha256=${createHmac('sha256', secret).update(`${ts}.${delivery}.${body}`).digest('hex')}`,
});

describe('inbound webhook POST /hooks/tack', () => {
  async function serveWithSecret() {
    const dir = store();
    tack(dir, 'config', 'inbound.secret', 'in-secret');
    const srv = await startServe(dir);
    cleanup(() => void srv.stop());
    const post = (body: string, headers: Record<string, string> = {}) =>
      fetch(`${srv.url}/hooks/tack`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
    const signed = (payload: unknown, extra: Record<string, string> = {}) => {
      const body = JSON.stringify(payload);
      return post(body, signHeaders('in-secret', body, extra['x-tack-delivery']));
    };
    return { dir, srv, post, signed };
  }

  it('runs a signed create, update and comment through the operations', async () => {
    const { dir, signed, srv } = await serveWithSecret();
    const res = await signed({ op: 'create', input: { title: 'From a webhook', label: ['inbound'] } });
    expect(res.status).toBe(200);
    const created = (await res.json()) as { op: string; result: { id: string } };
    expect(created.op).toBe('create');
    expect(tackJson(dir, 'show', created.result.id)).toMatchObject({ title: 'From a webhook', labels: ['inbound'] });
    expect((await signed({ op: 'update', input: { id: created.result.id, status: 'in-progress' } })).status).toBe(200);
    const c = await signed(
      { op: 'comment', input: { id: created.result.id, text: 'said the webhook' } },
      { 'x-tack-delivery': 'd-1' },
    );
    expect(c.status).toBe(200);
    // The same delivery again (freshly signed even): a replay, refused, not applied twice.
    const again = await signed(
      { op: 'comment', input: { id: created.result.id, text: 'said the webhook' } },
      { 'x-tack-delivery': 'd-1' },
    );
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { message: string } }).error.message).toMatch(
      /received already; a replay is refused/,
    );
    const shown = tackJson(dir, 'show', created.result.id);
    expect(shown.status).toBe('in-progress');
    expect(shown.comments.map((x: { body: string }) => x.body)).toEqual(['said the webhook']);
    expect((await signed({ op: 'close', input: { ids: [created.result.id] } })).status).toBe(200);
    expect(tackJson(dir, 'show', created.result.id).status).toBe('done');
    await srv.stop();
  });

  it('refuses unsigned and badly signed requests with 401 and changes nothing', async () => {
    const { dir, post, srv } = await serveWithSecret();
    const head = revParse(dir, 'tack');
    const body = JSON.stringify({ op: 'create', input: { title: 'Forged' } });
    expect((await post(body)).status).toBe(401);
    expect((await post(body, signHeaders('wrong-secret', body))).status).toBe(401);
    // Correctly signed, but older than 5 minutes (or as far ahead): refused, with why.
    const stale = await post(body, signHeaders('in-secret', body, 'd-stale', Math.floor(Date.now() / 1000) - 6 * 60));
    expect(stale.status).toBe(401);
    expect(((await stale.json()) as { error: { message: string } }).error.message).toMatch(/more than 5 minutes/);
    expect(
      (await post(body, signHeaders('in-secret', body, 'd-future', Math.floor(Date.now() / 1000) + 6 * 60))).status,
    ).toBe(401);
    // The old body-only signature (no timestamp, no delivery id) is not enough.
    expect(
      (
        await post(body, {
          'x-tack-signature-256': `sha256=${createHmac('sha256', 'in-secret').update(body).digest('hex')}`,
        })
      ).status,
    ).toBe(401);
    // Signed, then tampered with.
    const tampered = JSON.stringify({ op: 'create', input: { title: 'Forged!' } });
    const r = await post(tampered, { ...signHeaders('in-secret', body, 'd-tampered') });
    expect(r.status).toBe(401);
    expect(((await r.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    expect(revParse(dir, 'tack')).toBe(head);
    expect(tackJson(dir, 'list')).toEqual([]);
    await srv.stop();
  });

  it("answers bad input with a 4xx and the operation's error, changing nothing", async () => {
    const { dir, signed, srv } = await serveWithSecret();
    const head = revParse(dir, 'tack');
    const del = await signed({ op: 'delete', input: { ids: ['tk-x'] } });
    expect(del.status).toBe(400);
    expect(((await del.json()) as { error: { message: string } }).error.message).toMatch(
      /"op" must be one of create, update, comment, close, reopen/,
    );
    const noTitle = await signed({ op: 'create', input: {} });
    expect(noTitle.status).toBe(400);
    expect(((await noTitle.json()) as { error: { code: string } }).error.code).toBe('invalid_input');
    const missing = await signed({ op: 'comment', input: { id: 'tk-nope', text: 'x' } });
    expect(missing.status).toBe(404);
    expect((await signed('not an object')).status).toBe(400);
    expect(revParse(dir, 'tack')).toBe(head);
    await srv.stop();
  });

  it('is not there without a configured secret', async () => {
    const dir = store();
    const srv = await startServe(dir);
    cleanup(() => void srv.stop());
    const res = await fetch(`${srv.url}/hooks/tack`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(404);
    await srv.stop();
  });
});
