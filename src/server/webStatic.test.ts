import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, describe, expect, it } from 'vitest';
import { webHandler } from './webStatic.js';

describe('webHandler', () => {
  const base = mkdtempSync(join(tmpdir(), 'tack-web-static-'));
  const dir = join(base, 'web');
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(dir, 'assets', 'Board-abc123.js'), 'export const x = 1;');
  writeFileSync(join(base, 'secret.txt'), 'not for the web');
  const app = new Hono().get('*', webHandler(dir));
  const get = (path: string) => app.request(`http://127.0.0.1${path}`);
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('serves a chunk under its hashed name for a year, and the app page never cached', async () => {
    const chunk = await get('/assets/Board-abc123.js');
    expect(chunk.status).toBe(200);
    expect(chunk.headers.get('cache-control')).toContain('immutable');
    expect(chunk.headers.get('content-type')).toContain('javascript');
    const page = await get('/t/tk-1');
    expect(await page.text()).toContain('<title>app</title>');
    expect(page.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers a malformed link with the app (which says what it cannot find), a missing chunk with 404', async () => {
    const bad = await get('/t/%E0%A4');
    expect(bad.status).toBe(200);
    expect(await bad.text()).toContain('<title>app</title>');
    expect((await get('/assets/Gone-000.js')).status).toBe(404);
    expect((await get('/assets/%E0.js')).status).toBe(404);
  });

  it('sends a gzip made once to every client that accepts it, and a file rewritten on disk anew', async () => {
    const big = `export const rows = ${JSON.stringify(Array.from({ length: 500 }, (_, i) => `row ${i}`))};`;
    writeFileSync(join(dir, 'assets', 'index-big.js'), big);
    const gz = { 'accept-encoding': 'gzip' };
    const one = await app.request('http://127.0.0.1/assets/index-big.js', { headers: gz });
    expect(one.headers.get('content-encoding')).toBe('gzip');
    const bytes = new Uint8Array(await one.arrayBuffer());
    expect(gunzipSync(bytes).toString()).toBe(big);
    const two = await app.request('http://127.0.0.1/assets/index-big.js', { headers: gz });
    expect(new Uint8Array(await two.arrayBuffer())).toEqual(bytes);
    const plain = await get('/assets/index-big.js');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toBe(big);
    // A rebuild while the server runs writes index.html again: the new one is sent.
    writeFileSync(join(dir, 'index.html'), `<!doctype html><title>rebuilt</title>${' '.repeat(2000)}`);
    utimesSync(join(dir, 'index.html'), new Date(), new Date(Date.now() + 5000));
    const page = await app.request('http://127.0.0.1/', { headers: gz });
    expect(gunzipSync(new Uint8Array(await page.arrayBuffer())).toString()).toContain('<title>rebuilt</title>');
  });

  it('never serves a file outside its directory', async () => {
    for (const path of ['/..%2fsecret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt']) {
      const res = await get(path);
      expect(await res.text(), path).not.toContain('not for the web');
    }
  });
});
