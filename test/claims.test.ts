import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, revParse, sh, tackAsync, tempStore, trackCleanups } from './helpers.js';
import { tackEnv, tackEnvJson } from './storeFiles.js';

/*
 * Claims are leases: one holder at a time, in one clone (an atomic ref creation) and
 * across clones (a non-forced push of the lease ref: the first push wins).
 */

const track = trackCleanups();
const T0 = '2026-11-21T10:00:00Z';
const as = (user: string, now = T0) => ({ TACK_USER: user, TACK_NOW: now });

function failJson(dir: string, env: Record<string, string>, ...args: string[]): { code: string; message: string } {
  let err: { code: string; message: string } | null = null;
  try {
    tackEnv(dir, env, ...args, '--json');
  } catch (e) {
    const line = String((e as Error).message)
      .split('\n')
      .find((l) => l.includes('{"error"'));
    err = JSON.parse(line!.slice(line!.indexOf('{"error"'))).error;
  }
  if (!err) throw new Error(`tack ${args.join(' ')} was expected to fail`);
  return err;
}

function leaseOwner(dir: string, id: string): string | null {
  const sha = revParse(dir, `refs/tack/claims/${id}`);
  if (!sha) return null;
  return JSON.parse(git(dir, 'log', '-1', '--format=%b', sha).trim()).owner;
}

function store(): string {
  const r = tempStore();
  track(r.cleanup);
  return r.dir;
}

describe('claims in one clone', () => {
  it('claim assigns and starts in one commit, holds a lease, and refuses a second claimer', () => {
    const dir = store();
    const x = tackEnvJson(dir, as('alice'), 'create', 'X').id;
    const claimed = tackEnvJson(dir, as('bob'), 'claim', x);
    expect(claimed.ticket).toMatchObject({ id: x, assignee: 'bob', status: 'in-progress' });
    expect(claimed.lease).toMatchObject({ ticket: x, owner: 'bob', expires: '2026-11-21T12:00:00Z' });
    expect(git(dir, 'log', '-1', '--format=%(trailers:key=Tack-Op,valueonly)', 'tack').trim()).toBe('claim');
    expect(leaseOwner(dir, x)).toBe('bob');

    const head = revParse(dir, 'tack');
    const e = failJson(dir, as('carol'), 'claim', x);
    expect(e.code).toBe('conflict');
    expect(e.message).toContain('bob');
    expect(revParse(dir, 'tack')).toBe(head);
    expect(leaseOwner(dir, x)).toBe('bob');
    expect(tackEnvJson(dir, as('carol'), 'claims').map((c: any) => [c.ticket, c.owner, c.live])).toEqual([
      [x, 'bob', true],
    ]);
  });

  it("ready hides a ticket under someone else's live lease; an expired lease is free", () => {
    const dir = store();
    const x = tackEnvJson(dir, as('alice'), 'create', 'X', '--priority', 'high').id;
    const y = tackEnvJson(dir, as('alice'), 'create', 'Y').id;
    tackEnv(dir, as('bob'), 'claim', x, '--for', '30m');
    // put it back in the ready pile by hand: only the lease keeps others off it now
    tackEnv(dir, as('alice'), 'update', x, '--status', 'todo', '--assignee', 'none');
    expect(tackEnvJson(dir, as('carol'), 'ready').map((t: any) => t.id)).toEqual([y]);
    expect(tackEnvJson(dir, as('bob'), 'ready').map((t: any) => t.id)).toEqual([x, y]);
    // 31 minutes later the lease has expired: everybody sees it, and carol can take it over
    const later = as('carol', '2026-11-21T10:31:00Z');
    expect(tackEnvJson(dir, later, 'ready').map((t: any) => t.id)).toEqual([x, y]);
    expect(tackEnvJson(dir, later, 'claim', x).ticket.assignee).toBe('carol');
    expect(leaseOwner(dir, x)).toBe('carol');
  });

  it('renew extends only your own lease; release deletes it and can unassign', () => {
    const dir = store();
    const x = tackEnvJson(dir, as('alice'), 'create', 'X').id;
    tackEnv(dir, as('bob'), 'claim', x);
    const head = revParse(dir, 'tack');
    const renewed = tackEnvJson(dir, as('bob', '2026-11-21T11:00:00Z'), 'claim', x, '--renew', '--for', '1h');
    expect(renewed.lease).toMatchObject({ owner: 'bob', expires: '2026-11-21T12:00:00Z', claimed: T0 });
    expect(revParse(dir, 'tack')).toBe(head); // a renewal is no ticket change
    expect(failJson(dir, as('carol'), 'claim', x, '--renew').code).toBe('conflict');
    expect(failJson(dir, as('carol'), 'release', x).code).toBe('conflict');

    const released = tackEnvJson(dir, as('bob'), 'release', x, '--unassign');
    expect(released.ticket).toMatchObject({ assignee: null, status: 'todo' });
    expect(revParse(dir, `refs/tack/claims/${x}`)).toBeNull();
    expect(failJson(dir, as('bob'), 'release', x).code).toBe('not_found');
    expect(tackEnvJson(dir, as('carol'), 'claim', x).ticket.assignee).toBe('carol');
  });

  it('ready --claim: parallel claimers each get a different ticket; the one left over is told so', async () => {
    const dir = store();
    const ids = ['A', 'B', 'C'].map((t) => tackEnvJson(dir, as('alice'), 'create', t).id);
    const runs = await Promise.all(
      ['u1', 'u2', 'u3', 'u4'].map((u) => tackAsync(dir, ['ready', '--claim', '--json'], as(u))),
    );
    const won = runs.filter((r) => r.status === 0).map((r) => JSON.parse(r.stdout));
    const lost = runs.filter((r) => r.status !== 0);
    expect(won).toHaveLength(3);
    expect(new Set(won.map((w) => w.ticket.id))).toEqual(new Set(ids));
    for (const w of won) expect(leaseOwner(dir, w.ticket.id)).toBe(w.lease.owner);
    expect(lost).toHaveLength(1);
    expect(lost[0].stderr).toContain('not_found');
    expect(
      git(dir, 'log', '--format=%(trailers:key=Tack-Op,valueonly)', 'tack')
        .split('\n')
        .filter((o) => o === 'claim'),
    ).toHaveLength(3);
  });
});

describe('claims across clones', () => {
  function clones(): { a: string; b: string; bare: string } {
    const a = store();
    const root = mkdtempSync(join(tmpdir(), 'tack-remote-'));
    track(() => rmSync(root, { recursive: true, force: true }));
    const bare = join(root, 'origin.git');
    sh(root, 'git', ['init', '-q', '--bare', bare]);
    git(a, 'remote', 'add', 'origin', bare);
    git(a, 'push', '-q', 'origin', 'main', 'tack');
    const b = join(root, 'b');
    sh(root, 'git', ['clone', '-q', '-b', 'main', bare, b]);
    return { a, b, bare };
  }

  it('the first push wins; the loser writes nothing and is told who holds it', async () => {
    const { a, b, bare } = clones();
    const x = tackEnvJson(a, as('alice'), 'create', 'X').id;
    const y = tackEnvJson(a, as('alice'), 'create', 'Y').id;
    const z = tackEnvJson(a, as('alice'), 'create', 'Z').id;
    git(a, 'push', '-q', 'origin', 'tack');
    tackEnvJson(b, as('bob'), 'list'); // adopt origin/tack
    git(b, 'fetch', '-q', 'origin', '+tack:tack');

    expect(tackEnvJson(a, as('alice'), 'claim', x).remote).toBe('origin');
    expect(leaseOwner(bare, x)).toBe('alice');
    const bHead = revParse(b, 'tack');
    const e = failJson(b, as('bob'), 'claim', x);
    expect(e.code).toBe('conflict');
    expect(e.message).toContain('alice');
    expect(revParse(b, 'tack')).toBe(bHead);
    expect(leaseOwner(b, x)).toBe('alice'); // b now knows the holder

    // a real race from two clones: exactly one wins, and the remote agrees
    const [ra, rb] = await Promise.all([
      tackAsync(a, ['claim', y, '--json'], as('alice')),
      tackAsync(b, ['claim', y, '--json'], as('bob')),
    ]);
    expect([ra.status, rb.status].filter((s) => s === 0)).toHaveLength(1);
    const winner = ra.status === 0 ? 'alice' : 'bob';
    expect(leaseOwner(bare, y)).toBe(winner);
    expect((ra.status === 0 ? rb : ra).stderr).toContain(winner);

    // ready --claim in b skips what alice holds (fetched first) and claims z
    expect(tackEnvJson(b, as('bob'), 'ready', '--claim').ticket.id).toBe(z);
    expect(leaseOwner(bare, z)).toBe('bob');
  });

  it('renew and release go to the remote; an expired lease can be taken over from another clone', () => {
    const { a, b, bare } = clones();
    const x = tackEnvJson(a, as('alice'), 'create', 'X').id;
    git(a, 'push', '-q', 'origin', 'tack');
    git(b, 'fetch', '-q', 'origin', '+tack:tack');

    tackEnv(a, as('alice'), 'claim', x, '--for', '1h');
    const first = revParse(bare, `refs/tack/claims/${x}`);
    tackEnv(a, as('alice', '2026-11-21T10:30:00Z'), 'claim', x, '--renew', '--for', '1h');
    const renewed = revParse(bare, `refs/tack/claims/${x}`);
    expect(renewed).not.toBe(first);
    expect(JSON.parse(git(bare, 'log', '-1', '--format=%b', renewed!).trim()).expires).toBe('2026-11-21T11:30:00Z');

    // two hours later bob takes over the expired lease from his clone
    const taken = tackEnvJson(b, as('bob', '2026-11-21T12:30:00Z'), 'claim', x);
    expect(taken.lease.owner).toBe('bob');
    expect(leaseOwner(bare, x)).toBe('bob');
    // alice's stale view cannot release bob's lease
    expect(failJson(a, as('alice', '2026-11-21T12:31:00Z'), 'release', x).code).toBe('conflict');
    tackEnv(b, as('bob', '2026-11-21T12:32:00Z'), 'release', x);
    expect(revParse(bare, `refs/tack/claims/${x}`)).toBeNull();
    expect(revParse(b, `refs/tack/claims/${x}`)).toBeNull();
  });
});
