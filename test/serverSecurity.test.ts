import { createHmac } from 'node:crypto';
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createContext } from '../src/ops/context.js';
import { nodeEffects } from '../src/effects/nodeEffects.js';
import { runOp } from '../src/ops/runOp.js';
import { HookRegistry, hmacVerifier } from '../src/server/hooks.js';
import { startServer } from '../src/server/serve.js';
import { tackJson, tempStore, trackCleanups } from './helpers.js';
import { openEvents, startServe } from './serverHarness.js';

const cleanup = trackCleanups();

/** node:http, so the Host header is exactly what the test says (fetch would set its own). */
function raw(
  url: string,
  opts: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer; chunked?: boolean },
): Promise<{ status: number; body: any }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      // A connection of its own: one the server reset (a body refused mid-way) is never reused.
      {
        host: u.hostname,
        port: u.port,
        method: opts.method ?? 'GET',
        path: opts.path,
        headers: opts.headers,
        agent: false,
      },
      (res) => {
        let text = '';
        res
          .setEncoding('utf8')
          .on('data', (d: string) => (text += d))
          .on('end', () => resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : null }));
      },
    );
    req.on('error', reject);
    // Chunked: no Content-Length, so the server counts what comes (sent in two writes).
    if (opts.chunked && opts.body !== undefined) {
      req.write(opts.body.slice(0, 10));
      req.end(opts.body.slice(10));
    } else req.end(opts.body);
  });
}

function store() {
  const repo = tempStore({ prefix: 'tack-serve-sec-' });
  cleanup(repo.cleanup);
  return repo.dir;
}

describe('tack serve: safe by default', () => {
  it('refuses foreign Host headers (DNS rebinding), foreign Origins on writes (CSRF) and oversized bodies', async () => {
    const srv = await startServe(store());
    cleanup(() => void srv.stop());
    const port = new URL(srv.url).port;
    expect(srv.url).toBe(`http://127.0.0.1:${port}`);
    expect((await raw(srv.url, { path: '/api/tickets', headers: { host: `localhost:${port}` } })).status).toBe(200);
    const rebound = await raw(srv.url, { path: '/api/tickets', headers: { host: `attacker.example:${port}` } });
    expect(rebound.status).toBe(403);
    expect(rebound.body.error.code).toBe('forbidden');

    const json = { 'content-type': 'application/json' };
    const body = JSON.stringify({ title: 'x' });
    const csrf = await raw(srv.url, {
      method: 'POST',
      path: '/api/tickets',
      headers: { ...json, host: `127.0.0.1:${port}`, origin: 'http://attacker.example' },
      body,
    });
    expect(csrf.status).toBe(403);
    expect(
      (
        await raw(srv.url, {
          method: 'POST',
          path: '/api/tickets',
          headers: { ...json, host: `127.0.0.1:${port}`, origin: 'null' },
          body,
        })
      ).status,
    ).toBe(403);
    const same = await raw(srv.url, {
      method: 'POST',
      path: '/api/tickets',
      headers: { ...json, host: `127.0.0.1:${port}`, origin: `http://127.0.0.1:${port}` },
      body,
    });
    expect(same.status).toBe(200);
    // Reads from a foreign page are refused too: some reads run git (test/serverCrossSite.test.ts walks them all).
    expect(
      (
        await raw(srv.url, {
          path: '/api/tickets',
          headers: { host: `127.0.0.1:${port}`, origin: 'http://attacker.example' },
        })
      ).status,
    ).toBe(403);

    const big = JSON.stringify({ title: 'x', description: 'y'.repeat(2 * 1024 * 1024) });
    const tooBig = await raw(srv.url, {
      method: 'POST',
      path: '/api/tickets',
      headers: { ...json, host: `127.0.0.1:${port}` },
      body: big,
    });
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error.code).toBe('payload_too_large');
    // The same without a Content-Length is counted as it comes, and refused too: a 413, or the
    // connection reset under the rest of the body; never a ticket.
    const chunked = { ...json, host: `127.0.0.1:${port}`, 'transfer-encoding': 'chunked' };
    const tooBigChunked = await raw(srv.url, {
      method: 'POST',
      path: '/api/tickets',
      headers: chunked,
      body: JSON.stringify({ title: 'too big', description: 'y'.repeat(2 * 1024 * 1024) }),
      chunked: true,
    }).catch((e: NodeJS.ErrnoException) => ({ status: 0, body: { error: { code: e.code ?? e.message } } }));
    expect([413, 0]).toContain(tooBigChunked.status);
    if (tooBigChunked.status === 413) expect(tooBigChunked.body.error.code).toBe('payload_too_large');
    const small = await raw(srv.url, { method: 'POST', path: '/api/tickets', headers: chunked, body, chunked: true });
    expect([small.status, small.body.title]).toEqual([200, 'x']);
    const titles = (await raw(srv.url, { path: '/api/tickets', headers: { host: `127.0.0.1:${port}` } })).body.map(
      (t: { title: string }) => t.title,
    );
    expect(titles).not.toContain('too big');
  });

  it('requires a bearer token when bound to anything but loopback, generating and printing one', async () => {
    const srv = await startServe(store(), ['--host', '0.0.0.0']);
    cleanup(() => void srv.stop());
    expect(srv.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const url = srv.url.replace('0.0.0.0', '127.0.0.1');
    const none = await fetch(`${url}/api/tickets`);
    expect(none.status).toBe(401);
    expect(((await none.json()) as any).error.code).toBe('unauthorized');
    expect((await fetch(`${url}/api/tickets`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetch(`${url}/api/tickets`, { headers: { authorization: `Bearer ${srv.token}` } })).status).toBe(200);
    await expect(openEvents(url)).rejects.toThrow(/401/);
    const sse = await openEvents(url, { authorization: `Bearer ${srv.token}` });
    sse.close();
  });
});

describe('webhooks and version checks (in-process)', () => {
  it('verifies HMAC signatures over the raw body before a hook handler runs', async () => {
    const dir = store();
    const hooks = new HookRegistry();
    const handled: string[] = [];
    hooks.register('test', {
      verify: hmacVerifier({ secret: 's3cret', header: 'X-Hub-Signature-256', prefix: 'sha256=' }),
      async handle(ctx, rawBody) {
        const { title } = JSON.parse(rawBody.toString('utf8')) as { title: string };
        handled.push(title);
        return runOp(ctx, 'create', { title });
      },
    });
    const srv = await startServer({ cwd: dir, port: 0, hooks });
    cleanup(() => void srv.close());
    const sse = await openEvents(srv.url);
    cleanup(() => sse.close());
    const body = '{"title": "From a webhook"}';
    const sig = `sha256=${createHmac('sha256', 's3cret').update(body).digest('hex')}`;
    // A foreign Origin does not matter to webhooks: the signature is the authentication.
    const ok = await fetch(`${srv.url}/hooks/test`, {
      method: 'POST',
      body,
      headers: { 'x-hub-signature-256': sig, origin: 'https://github.com' },
    });
    expect(ok.status).toBe(200);
    const created = (await ok.json()) as any;
    expect(created.title).toBe('From a webhook');
    await sse.waitFor((e) => e.event === 'created' && e.data.ticket === created.id);
    const tampered = await fetch(`${srv.url}/hooks/test`, {
      method: 'POST',
      body: body.replace('webhook', 'attacker'),
      headers: { 'x-hub-signature-256': sig },
    });
    expect(tampered.status).toBe(401);
    expect((await fetch(`${srv.url}/hooks/test`, { method: 'POST', body })).status).toBe(401);
    expect((await fetch(`${srv.url}/hooks/nope`, { method: 'POST', body })).status).toBe(404);
    expect(handled).toEqual(['From a webhook']);
  });

  it('hmacVerifier speaks GitHub, Linear and Trello signatures', () => {
    const body = Buffer.from('{"action":"update"}');
    const hex = createHmac('sha256', 'k').update(body).digest('hex');
    expect(hmacVerifier({ secret: 'k', header: 'linear-signature' })(body, { 'linear-signature': hex })).toBe(true);
    expect(
      hmacVerifier({ secret: 'k', header: 'linear-signature' })(body, {
        'linear-signature': hex.replace(/^./, hex[0] === 'a' ? 'b' : 'a'),
      }),
    ).toBe(false);
    expect(hmacVerifier({ secret: 'other', header: 'linear-signature' })(body, { 'linear-signature': hex })).toBe(
      false,
    );
    const cb = 'https://example.test/hooks/trello';
    const b64 = createHmac('sha1', 'k')
      .update(Buffer.concat([body, Buffer.from(cb)]))
      .digest('base64');
    const trello = hmacVerifier({
      secret: 'k',
      header: 'x-trello-webhook',
      algorithm: 'sha1',
      encoding: 'base64',
      suffix: cb,
    });
    expect(trello(body, { 'x-trello-webhook': b64 })).toBe(true);
    expect(trello(Buffer.from('{}'), { 'x-trello-webhook': b64 })).toBe(false);
  });

  it('a write carrying a stale version is refused inside the commit attempt', async () => {
    const dir = store();
    const id = tackJson(dir, 'create', 'Raced').id as string;
    const ctx = createContext({ effects: nodeEffects(), cwd: dir });
    cleanup(() => ctx.close());
    const version = (
      (await ctx.index()).db.prepare('SELECT blob FROM tickets WHERE id = ?').get(id) as { blob: string }
    ).blob;
    await runOp({ ...ctx, ifVersion: { ticket: id, version } }, 'update', { id, priority: 'high' });
    await expect(
      runOp({ ...ctx, ifVersion: { ticket: id, version } }, 'update', { id, priority: 'low' }),
    ).rejects.toMatchObject({ code: 'conflict' });
    expect(tackJson(dir, 'show', id).priority).toBe('high');
  });
});
