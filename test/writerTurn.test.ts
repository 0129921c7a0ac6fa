import { createHmac } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { git, tack, tackJson, tempStore, trackCleanups } from './helpers.js';
import { startServe, type ServerProc } from './serverHarness.js';

/*
 * A write waiting for the store's writer lock (held by another process: a CLI, a sync
 * child) holds up that write alone: the server goes on answering reads (issue 13).
 */

const track = trackCleanups();
const servers: ServerProc[] = [];
afterEach(async () => {
  while (servers.length) await servers.pop()!.stop();
});

function lockOf(dir: string): string {
  return join(resolve(dir, git(dir, 'rev-parse', '--git-common-dir').trim()), 'tack', 'write-refs_heads_tack.lock');
}

describe('a write waiting for the writer lock', () => {
  it('from the inbound webhook (POST /hooks/tack) does not stop reads either: it runs in the write worker', async () => {
    const { dir, cleanup } = tempStore();
    track(cleanup);
    const t = tackJson(dir, 'create', 'Already here');
    tack(dir, 'config', 'inbound.secret', 'in-secret');
    const s = await startServe(dir);
    servers.push(s);
    const lock = lockOf(dir);
    writeFileSync(lock, `${process.pid} 000000000000`);
    const body = JSON.stringify({ op: 'create', input: { title: 'From a webhook' } });
    const ts = Math.floor(Date.now() / 1000);
    let answered = false;
    const hook = fetch(`${s.url}/hooks/tack`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-tack-timestamp': String(ts),
        'x-tack-delivery': 'd-lock',
        'x-tack-signature-256': `sha256=${createHmac('sha256', 'in-secret').update(`${ts}.d-lock.${body}`).digest('hex')}`,
      },
      body,
    }).then(async (r) => {
      answered = true;
      return { status: r.status, body: await r.json() };
    });
    await new Promise((r) => setTimeout(r, 300));
    // Before, the hook's write ran on the event loop and its lock wait held every request.
    const r = await fetch(`${s.url}/api/tickets/${t.id}`);
    expect(r.status).toBe(200);
    expect(answered).toBe(false);
    rmSync(lock);
    const res = await hook;
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(tackJson(dir, 'show', res.body.result.id).title).toBe('From a webhook');
  });

  it('does not stop the server answering reads, and commits once the lock is free', async () => {
    const { dir, cleanup } = tempStore();
    track(cleanup);
    const t = tackJson(dir, 'create', 'Locked out for a while');
    const s = await startServe(dir);
    servers.push(s);
    // Another live process (this test's) holds the lock, as a CLI mid-commit would.
    const lock = join(
      resolve(dir, git(dir, 'rev-parse', '--git-common-dir').trim()),
      'tack',
      'write-refs_heads_tack.lock',
    );
    const commits = () => git(dir, 'rev-list', '--count', 'tack').trim();
    const before = commits();
    writeFileSync(lock, `${process.pid} 000000000000`);
    let patched = false;
    const patch = fetch(`${s.url}/api/tickets/${t.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ priority: 'high' }),
    }).then(async (r) => {
      patched = true;
      return { status: r.status, body: await r.json() };
    });
    // A read is answered while the write waits (before, the wait held the event loop for
    // up to the 5 s after which a branch-mode write goes around the lock).
    const r = await fetch(`${s.url}/api/tickets/${t.id}`);
    expect(r.status).toBe(200);
    expect((await r.json()).priority).not.toBe('high');
    expect(patched).toBe(false);
    rmSync(lock);
    const res = await patch;
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(git(dir, 'show', `tack:tickets/${t.id}.md`)).toMatch(/^priority: high$/m);
    expect(Number(commits())).toBe(Number(before) + 1);
  });

  it('concurrent writes through the server are each one commit, all in git', async () => {
    const { dir, cleanup } = tempStore();
    track(cleanup);
    const ids = Array.from({ length: 4 }, (_, i) => tackJson(dir, 'create', `Ticket ${i}`).id as string);
    const s = await startServe(dir);
    servers.push(s);
    const before = Number(git(dir, 'rev-list', '--count', 'tack').trim());
    const labels = Array.from({ length: 12 }, (_, i) => `l${i}`);
    const answers = await Promise.all(
      labels.map((label, i) =>
        fetch(`${s.url}/api/tickets/${ids[i % ids.length]}/labels`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ labels: [label] }),
        }).then((r) => r.status),
      ),
    );
    expect(answers).toEqual(labels.map(() => 200));
    expect(Number(git(dir, 'rev-list', '--count', 'tack').trim())).toBe(before + labels.length);
    for (const [i, label] of labels.entries())
      expect(git(dir, 'show', `tack:tickets/${ids[i % ids.length]}.md`)).toContain(label);
    // The server's own reads see them.
    const t = await (await fetch(`${s.url}/api/tickets/${ids[0]}`)).json();
    expect(t.labels).toEqual(expect.arrayContaining(['l0', 'l4', 'l8']));
  });
});
