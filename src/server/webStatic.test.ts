import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

  it('never serves a file outside its directory', async () => {
    for (const path of ['/..%2fsecret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt']) {
      const res = await get(path);
      expect(await res.text(), path).not.toContain('not for the web');
    }
  });
});
