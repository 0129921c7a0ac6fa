import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tackRaw, tempStore } from './helpers.js';
import { type ServerProc, startServe } from './serverHarness.js';

// Raw HTTP (not fetch, which decompresses by itself), to see what goes over the wire.
function get(
  url: string,
  headers: Record<string, string>,
): Promise<{ headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      // The event stream never ends: its headers are the answer.
      if (String(res.headers['content-type']).startsWith('text/event-stream')) {
        resolve({ headers: res.headers, body: Buffer.alloc(0) });
        req.destroy();
        return;
      }
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('tack serve compresses its answers', () => {
  const s = tempStore();
  let server: ServerProc;
  beforeAll(async () => {
    const items = Array.from({ length: 300 }, (_, i) =>
      JSON.stringify({ op: 'create', title: `Ticket number ${i} about the parser`, label: ['web'] }),
    ).join('\n');
    expect(tackRaw(s.dir, ['batch', '--json'], {}, items).status).toBe(0);
    server = await startServe(s.dir);
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    s.cleanup();
  });

  it('gzips a list for a client that accepts it, to the same JSON', async () => {
    const plain = await get(`${server.url}/api/tickets?limit=0`, {});
    const zipped = await get(`${server.url}/api/tickets?limit=0`, { 'accept-encoding': 'gzip' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(zipped.body).toString('utf8'))).toEqual(JSON.parse(plain.body.toString('utf8')));
    expect(zipped.body.length).toBeLessThan(plain.body.length / 4);
  });

  it("gives every ticket of a long list its version, the one its own answer's ETag names", async () => {
    const list = JSON.parse((await get(`${server.url}/api/tickets?limit=0`, {})).body.toString('utf8'));
    expect(list.length).toBeGreaterThan(16); // past the one-statement threshold
    expect(list.every((t: { version?: string }) => /^[0-9a-f]{40}$/.test(t.version ?? ''))).toBe(true);
    for (const t of [list[0], list[list.length - 1]]) {
      const one = await get(`${server.url}/api/tickets/${t.id}`, {});
      expect(one.headers.etag).toBe(`"${t.version}"`);
    }
  });

  it('keeps a ticket ETag strong, so If-Match still matches', async () => {
    const list = JSON.parse((await get(`${server.url}/api/tickets?limit=1`, {})).body.toString('utf8'));
    const id = list[0].id;
    const plain = await get(`${server.url}/api/tickets/${id}`, {});
    const zipped = await get(`${server.url}/api/tickets/${id}`, { 'accept-encoding': 'gzip' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.etag).toBe(plain.headers.etag);
    expect(String(zipped.headers.etag)).toMatch(/^"/);
  });

  it('sends a cached answer gzipped as it was made, refuses gzip when q=0, and follows a write', async () => {
    const url = `${server.url}/api/tickets?limit=0&label=web`;
    const first = await get(url, { 'accept-encoding': 'gzip' });
    const again = await get(url, { 'accept-encoding': 'gzip, deflate' });
    expect(again.headers['content-encoding']).toBe('gzip');
    expect(again.headers.vary).toMatch(/accept-encoding/i);
    expect(again.body.equals(first.body)).toBe(true); // the same bytes for the same answer
    const refused = await get(url, { 'accept-encoding': 'gzip;q=0' });
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(refused.body.toString('utf8'))).toEqual(JSON.parse(gunzipSync(first.body).toString('utf8')));
    expect(tackRaw(s.dir, ['create', 'One more about the parser', '-l', 'web', '--json']).status).toBe(0);
    // The change feed notices the commit; the next answer is made anew and gzipped anew.
    await expect
      .poll(async () => JSON.parse(gunzipSync((await get(url, { 'accept-encoding': 'gzip' })).body).toString()).length)
      .toBe(301);
  });

  it('leaves the event stream uncompressed, so events leave at once', async () => {
    const events = await get(`${server.url}/api/events`, { 'accept-encoding': 'gzip' });
    expect(events.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(events.headers['content-encoding']).toBeUndefined();
  });
});
