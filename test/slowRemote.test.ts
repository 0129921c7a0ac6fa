import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { git, tack, tackJson, trackCleanups } from './helpers.js';
import { firstRead, startServe, type ServerProc } from './serverHarness.js';
import { remoteWithStore } from './syncHelpers.js';

/* A slow remote holds only the operation that talks to it (issue 13): the server answers the others. */

const track = trackCleanups();
const servers: ServerProc[] = [];
afterEach(async () => {
  while (servers.length) await servers.pop()!.stop();
});

describe('a slow remote', () => {
  it('POST /api/sync against a remote whose upload-pack sleeps does not delay GET /api/tickets', async () => {
    const { first, clone } = remoteWithStore(track);
    const dir = clone();
    tackJson(first, 'create', 'From elsewhere');
    tackJson(first, 'sync');
    tackJson(dir, 'create', 'Local');
    // The remote answers fetches only after 4 s (set by the test; git runs it through sh).
    git(dir, 'config', 'remote.origin.uploadpack', 'sleep 4; git-upload-pack');
    const s = await startServe(dir);
    servers.push(s);
    await firstRead(s);
    const t0 = Date.now();
    let synced = false;
    const sync = fetch(`${s.url}/api/sync`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    }).then((r) => {
      synced = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 300));
    const list = await fetch(`${s.url}/api/tickets`);
    expect(list.status).toBe(200);
    // The read did not wait for the sync: it answered first, however slow the machine.
    expect(synced, 'the read waited for the sync').toBe(false);
    const res = await sync;
    const syncMs = Date.now() - t0;
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.pulled).toBeGreaterThan(0);
    expect(syncMs).toBeGreaterThan(4000); // the remote really was slow
    // The sync's merge is in git and the server sees it.
    const titles = ((await (await fetch(`${s.url}/api/tickets`)).json()) as Array<{ title: string }>)
      .map((t) => t.title)
      .sort();
    expect(titles).toEqual(['From elsewhere', 'Local']);
  });

  it('past its deadline an operation on the remote answers a whole 504 (gzip or not), after 6 request deadlines', async () => {
    const { clone } = remoteWithStore(track);
    const dir = clone();
    // One fetch outlasts the deadline (a sync fetches once, see below).
    git(dir, 'config', 'remote.origin.uploadpack', 'sleep 9; git-upload-pack');
    git(dir, 'config', 'tack.serve.requestTimeout', '1s');
    const s = await startServe(dir);
    servers.push(s);
    const t0 = Date.now();
    // fetch asks for gzip: the answer must be what its Content-Encoding says.
    const res = await fetch(`${s.url}/api/sync`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const body = await res.json();
    expect(res.status).toBe(504);
    expect(body.error).toMatchObject({ code: 'timeout', details: { timeout_ms: 6000 } });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(5900);
    // A read past its own (1 s) deadline is not extended.
    expect((await fetch(`${s.url}/api/tickets`)).status).toBe(200);
  });

  it('a sync connects once to fetch (branch, notes, claims, reservations) and once to push (branch, notes)', () => {
    const { first, clone, remote } = remoteWithStore(track);
    const a = tackJson(first, 'create', 'From elsewhere');
    tack(first, 'note', git(first, 'rev-parse', 'refs/heads/tack').trim(), 'from first');
    tack(first, 'claim', a.id);
    tack(first, 'reserve', 'src/**');
    tackJson(first, 'sync');
    const dir = clone();
    tackJson(dir, 'sync');
    tackJson(first, 'create', 'Later');
    tackJson(first, 'sync');
    tackJson(dir, 'create', 'Local');
    tack(dir, 'note', git(dir, 'rev-parse', 'refs/heads/tack').trim(), 'from the clone');
    const log = join(dir, '..', 'connections.log');
    // git runs these through sh; each connection to the remote appends one line.
    git(dir, 'config', 'remote.origin.uploadpack', `echo fetch >> '${log}'; git-upload-pack`);
    git(dir, 'config', 'remote.origin.receivepack', `echo push >> '${log}'; git-receive-pack`);
    const r = tackJson(dir, 'sync');
    expect(readFileSync(log, 'utf8').split('\n').filter(Boolean)).toEqual(['fetch', 'push']);
    expect(r).toMatchObject({ pulled: 1, pushed: 2, notes: { pushed: true }, claims: { fetched: true } });
    expect(r.notes.error).toBeUndefined();
    // What came in one fetch: the claim and the reservation are mirrored here.
    expect(git(dir, 'for-each-ref', '--format=%(refname)', 'refs/tack/').split('\n')).toEqual(
      expect.arrayContaining([`refs/tack/claims/${a.id}`, 'refs/tack/reservations']),
    );
    // What went in one push: the branch and both notes are on the remote.
    expect(git(remote, 'rev-parse', 'refs/heads/tack').trim()).toBe(git(dir, 'rev-parse', 'refs/heads/tack').trim());
    const notes = git(remote, 'log', '-p', 'refs/notes/tack');
    expect(notes).toContain('from first');
    expect(notes).toContain('from the clone');
  });
});
