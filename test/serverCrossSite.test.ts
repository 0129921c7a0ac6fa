import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { REGISTRY } from '../src/ops/registry.js';
import type { OpDef } from '../src/ops/op.js';
import { buildRoutes } from '../src/server/routes.js';
import { startServer } from '../src/server/serve.js';
import { revParse, tackJson, tempStore, trackCleanups } from './helpers.js';

const cleanup = trackCleanups();

/** node:http, so Host, Origin and Sec-Fetch-Site are exactly what a browser would send. */
function send(
  url: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; text: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: u.hostname, port: u.port, method, path, headers: { host: u.host, ...headers } },
      (res) => {
        let text = '';
        res
          .setEncoding('utf8')
          .on('data', (d: string) => (text += d))
          .on('end', () => resolve({ status: res.statusCode!, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function allRoutes() {
  const all = await Promise.all(REGISTRY.map(async (e) => (await e.load()).default as OpDef));
  const ops = all.filter((op) => !op.localOnly);
  // Path parameters filled in: the refusal comes before any routing detail matters.
  return buildRoutes(ops).map((r) => ({ ...r, url: r.path.replace(/:(\w+)(\{[^}]*\})?/g, 'x') }));
}

const FOREIGN: Array<[string, Record<string, string>]> = [
  ['a foreign Origin', { origin: 'http://attacker.example' }],
  ['Origin: null (sandboxed frame, file://)', { origin: 'null' }],
  ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
  ['Sec-Fetch-Site: same-site (another port of this host)', { 'sec-fetch-site': 'same-site' }],
];

describe('tack serve: what a web page may not do', () => {
  it('refuses cross-site requests on every /api route, reads included, and changes nothing', async () => {
    const { dir, cleanup: done } = tempStore({ prefix: 'tack-xsite-' });
    cleanup(done);
    tackJson(dir, 'create', 'Existing');
    const head = revParse(dir, 'tack');
    const srv = await startServer({ cwd: dir, port: 0 });
    cleanup(() => void srv.close());
    const routes = await allRoutes();
    expect(routes.length).toBeGreaterThan(100);
    const let_through: string[] = [];
    for (const r of routes) {
      for (const [what, headers] of FOREIGN) {
        const body = r.method === 'get' || r.method === 'delete' ? undefined : '{"title":"forged","fetch":true}';
        const res = await send(
          srv.url,
          r.method.toUpperCase(),
          r.url,
          { 'content-type': 'application/json', ...headers },
          body,
        );
        if (res.status !== 403 || !/cross-site .* refused/.test(res.text))
          let_through.push(`${r.method} ${r.url} with ${what}: ${res.status}`);
      }
    }
    // The event stream and the API description are /api too.
    for (const path of ['/api/events', '/api/openapi.json']) {
      expect((await send(srv.url, 'GET', path, { origin: 'http://attacker.example' })).status).toBe(403);
    }
    expect(let_through).toEqual([]);
    expect(revParse(dir, 'tack')).toBe(head);
    expect(tackJson(dir, 'list').map((t: { title: string }) => t.title)).toEqual(['Existing']);
  }, 120_000);

  it('allows the same origin, clients without browser headers, and requests carrying the token', async () => {
    const { dir, cleanup: done } = tempStore({ prefix: 'tack-xsite-ok-' });
    cleanup(done);
    const srv = await startServer({ cwd: dir, port: 0 });
    cleanup(() => void srv.close());
    const own = `http://${new URL(srv.url).host}`;
    const json = { 'content-type': 'application/json' };
    expect(
      (
        await send(
          srv.url,
          'POST',
          '/api/create',
          { ...json, origin: own, 'sec-fetch-site': 'same-origin' },
          '{"title":"from the web UI"}',
        )
      ).status,
    ).toBe(200);
    expect((await send(srv.url, 'GET', '/api/list', { 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    // A typed-in address or a bookmark: Sec-Fetch-Site none.
    expect((await send(srv.url, 'GET', '/api/list', { 'sec-fetch-site': 'none' })).status).toBe(200);
    expect((await send(srv.url, 'POST', '/api/create', json, '{"title":"from curl"}')).status).toBe(200);
    // The web UI's files hold no data: another site may link to them.
    expect((await send(srv.url, 'GET', '/', { 'sec-fetch-site': 'cross-site' })).status).not.toBe(403);

    const tokened = await startServer({ cwd: dir, port: 0, token: 'tok-123456' });
    cleanup(() => void tokened.close());
    const withToken = await send(
      tokened.url,
      'POST',
      '/api/create',
      {
        ...json,
        origin: 'http://other-app.example',
        'sec-fetch-site': 'cross-site',
        authorization: 'Bearer tok-123456',
      },
      '{"title":"with the token"}',
    );
    expect(withToken.status).toBe(200);
    const wrong = await send(
      tokened.url,
      'POST',
      '/api/create',
      { ...json, origin: 'http://other-app.example', authorization: 'Bearer nope' },
      '{"title":"x"}',
    );
    expect(wrong.status).toBe(403);
    expect(
      tackJson(dir, 'list')
        .map((t: { title: string }) => t.title)
        .sort(),
    ).toEqual(['from curl', 'from the web UI', 'with the token']);
  }, 60_000);

  it('a GET never reaches the remote: claims and status with fetch need POST', async () => {
    const { dir, cleanup: done } = tempStore({ prefix: 'tack-xsite-get-' });
    cleanup(done);
    const srv = await startServer({ cwd: dir, port: 0 });
    cleanup(() => void srv.close());
    for (const op of ['claims', 'status']) {
      const res = await send(srv.url, 'GET', `/api/${op}?fetch=true&remote=origin`, {});
      expect(res.status).toBe(400);
      expect(res.text).toMatch(new RegExp(`GET /api/${op} with fetch=true refused: .*expected POST /api/${op}`));
      expect((await send(srv.url, 'GET', `/api/${op}`, {})).status).toBe(200);
    }
    // The same input by POST is allowed through to the op (no remote here: nothing to fetch).
    expect(
      (await send(srv.url, 'POST', '/api/claims', { 'content-type': 'application/json' }, '{"fetch":true}')).status,
    ).toBe(200);
    const bad = await send(
      srv.url,
      'POST',
      '/api/claims',
      { 'content-type': 'application/json' },
      '{"fetch":true,"remote":"--upload-pack=touch /tmp/x"}',
    );
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text).error.message).toMatch(/starts with "-"/);
  }, 60_000);
});
