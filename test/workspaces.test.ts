import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { nodeEffects } from '../src/effects/nodeEffects.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, tack, tackFail, tackJson, tackRaw, tempRepo, tempStore, trackCleanups } from './helpers.js';
import { importToStore, ticketText } from './storeFiles.js';

const cleanup = trackCleanups();

/** Three real repositories: `app` (where the user works), `plan` and `lib` as its workspace. */
function workspace() {
  const app = tempStore({ prefix: 'tack-ws-app-' });
  const plan = tempStore({ prefix: 'tack-ws-plan-' });
  const lib = tempStore({ prefix: 'tack-ws-lib-' });
  for (const r of [app, plan, lib]) cleanup(r.cleanup);
  tack(app.dir, 'workspace', 'add', plan.dir, '--name', 'plan');
  tack(app.dir, 'workspace', 'add', lib.dir, '--name', 'lib');
  return { app: app.dir, plan: plan.dir, lib: lib.dir };
}

const create = (dir: string, ...args: string[]) => tackJson<{ id: string; source: string }>(dir, 'create', ...args);
const commits = (dir: string, ref = 'tack') => Number(git(dir, 'rev-list', '--count', ref));
const settings = (dir: string) => readFileSync(join(dir, '.git', 'tack', 'store.json'), 'utf8');

describe('workspaces', () => {
  it('reads span every store and mark each ticket with its source', () => {
    const w = workspace();
    const a = create(w.app, 'Parser drops comments', '-p', 'high');
    const p = create(w.plan, 'Parser rewrite plan', '-p', 'urgent');
    const l = create(w.lib, 'Lib parser bug', '-p', 'low');
    const list = tackJson<Array<{ id: string; source: string }>>(w.app, 'list');
    expect(list.map((t) => [t.source, t.id])).toEqual([
      ['plan', p.id],
      ['local', a.id],
      ['lib', l.id],
    ]);
    expect(tackJson<Array<{ source: string }>>(w.app, 'ready').map((t) => t.source)).toEqual(['plan', 'local', 'lib']);
    const hits = tackJson<Array<{ id: string; source: string }>>(w.app, 'search', 'parser');
    expect(hits.map((h) => h.source).sort()).toEqual(['lib', 'local', 'plan']);
    expect(tackJson<Array<{ id: string }>>(w.app, 'list', '--store', 'lib').map((t) => t.id)).toEqual([l.id]);
    // Another store's ticket by its id, by NAME:ID, and shown with its store's name.
    expect(tackJson(w.app, 'show', p.id)).toMatchObject({ id: p.id, source: 'plan', title: 'Parser rewrite plan' });
    expect(tackJson(w.app, 'show', `lib:${l.id.slice(0, 7)}`)).toMatchObject({ id: l.id, source: 'lib' });
    expect(tack(w.app, 'list')).toContain(`plan:${p.id.slice(0, 7)}`);
    // Each member keeps its own index: nothing of it lands in app's.
    expect(tackJson<Array<{ n: number }>>(w.app, 'sql', 'SELECT count(*) AS n FROM tickets')[0].n).toBe(1);
    const ws = tackJson<{ stores: Array<{ name: string; open: number }> }>(w.app, 'workspace', 'list');
    expect(ws.stores.map((s) => [s.name, s.open])).toEqual([
      ['local', 1],
      ['plan', 1],
      ['lib', 1],
    ]);
    // The web's order across stores: triage first, then priority, then the latest update.
    const t = create(w.lib, 'Needs a look', '--status', 'triage', '-p', 'low');
    expect(tackJson<Array<{ id: string }>>(w.app, 'list', '--sort', 'workflow').map((x) => x.id)).toEqual([
      t.id,
      p.id,
      a.id,
      l.id,
    ]);
    // Without a workspace the same commands read one store, and source is local.
    expect(tackJson<Array<{ source: string }>>(w.plan, 'list').map((t) => t.source)).toEqual(['local']);
  });

  it('a blocker in another repository hides a ticket from ready until it is done there', () => {
    const w = workspace();
    const mine = create(w.app, 'Ship the feature');
    // plan does not know app's name for it: the store name is a hint, the id is global.
    const blocker = create(w.plan, 'Decide the design', '--blocks', `app:${mine.id}`);
    expect(git(w.plan, 'show', `tack:tickets/${blocker.id}.md`)).toContain(`blocks: [app:${mine.id}]`);
    const ready = () => tackJson<Array<{ id: string }>>(w.app, 'ready').map((t) => t.id);
    expect(ready()).toEqual([blocker.id]);
    const blocked = tackJson<Array<{ id: string; blocked_by: string[] }>>(w.app, 'blocked');
    expect(blocked).toEqual([expect.objectContaining({ id: mine.id, blocked_by: [`plan:${blocker.id}`] })]);
    expect(tackJson(w.app, 'show', mine.id)).toMatchObject({ blocked_by: [`plan:${blocker.id}`] });
    // A local ticket blocking one of lib's, written from app: qualified in the file.
    const libTask = create(w.lib, 'Lib task');
    const gate = create(w.app, 'Gate', '--blocks', libTask.id);
    expect(git(w.app, 'show', `tack:tickets/${gate.id}.md`)).toContain(`lib:${libTask.id}`);
    expect(ready()).not.toContain(libTask.id);
    // `tack link` takes the qualified form as written; unlink takes it away again.
    const other = create(w.lib, 'Other lib task');
    tack(w.app, 'link', gate.id, 'blocks', `lib:${other.id}`);
    expect(ready()).not.toContain(other.id);
    tack(w.app, 'unlink', gate.id, 'blocks', `lib:${other.id}`);
    expect(ready()).toContain(other.id);
    // Done in the other repository, by its own CLI: the ticket is ready here.
    tack(w.plan, 'close', blocker.id);
    expect(ready()).toContain(mine.id);
    // plan's own checks do not call the cross-store reference dangling.
    expect(tack(w.plan, 'doctor')).not.toContain('dangling');
    tack(w.plan, 'validate');
  });

  it('an unresolvable cross-store reference is a warning, not an error', () => {
    const w = workspace();
    create(w.app, 'Something');
    create(w.plan, 'Waits on a ghost', '--blocks', 'ghost:tk-zzzzzzzz');
    const r = tackRaw(w.app, ['ready']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Waits on a ghost');
    expect(r.stderr).toContain('warning: plan:');
    expect(r.stderr).toContain('ghost:tk-zzzzzzzz');
  });

  it('names 20 blockers from another store and counts them all; says 20 warnings and counts the rest', () => {
    const w = workspace();
    const mine = create(w.app, 'Waits on everyone');
    const other = create(w.app, 'Waits on a few');
    const files: Record<string, string> = {};
    const ticket = (id: string, blocks: string) =>
      ticketText({ id, title: `Blocker ${id}`, status: 'todo', created: '2026-11-21T10:00:00Z', blocks: [blocks] });
    for (let i = 0; i < 3000; i++) {
      const id = `tk-many${String(i).padStart(5, '0')}`;
      files[`tickets/${id}.md`] = ticket(id, `app:${mine.id}`);
    }
    for (let i = 0; i < 25; i++) {
      const id = `tk-gost${String(i).padStart(5, '0')}`;
      files[`tickets/${id}.md`] = ticket(id, `ghost:tk-nowhere${i}`);
    }
    importToStore(w.plan, files, 'blockers by hand');
    create(w.plan, 'One more', '--blocks', `app:${other.id}`);
    const r = tackRaw(w.app, ['blocked', '--json']);
    expect(r.status).toBe(0);
    const blocked = JSON.parse(r.stdout) as Array<{ id: string; blocked_by: string[]; blocked_by_count: number }>;
    const all = blocked.find((b) => b.id === mine.id)!;
    expect([all.blocked_by.length, all.blocked_by_count]).toEqual([20, 3000]);
    expect(all.blocked_by[0]).toBe('plan:tk-many00000');
    expect(blocked.find((b) => b.id === other.id)).toMatchObject({ blocked_by_count: 1 });
    const warned = r.stderr.split('\n').filter((l) => l.includes('which is in no store of the workspace'));
    expect(warned).toHaveLength(20);
    expect(r.stderr).toContain('5 more warnings like these');
  });

  it('routes new tickets by label, type, default and --store, through the target repository', () => {
    const w = workspace();
    tack(w.app, 'workspace', 'route', '--type', 'bug=lib', '--label', 'personal=plan');
    const before = { app: commits(w.app), plan: commits(w.plan), lib: commits(w.lib) };
    const bug = create(w.app, 'Crash on start', '-t', 'bug');
    const personal = create(w.app, 'Read the paper', '-l', 'personal', '-t', 'bug');
    const plain = create(w.app, 'Plain task');
    const forced = create(w.app, 'Forced', '-t', 'bug', '--store', 'local');
    expect([bug.source, personal.source, plain.source, forced.source]).toEqual(['lib', 'plan', 'local', 'local']);
    expect({ app: commits(w.app), plan: commits(w.plan), lib: commits(w.lib) }).toEqual({
      app: before.app + 2,
      plan: before.plan + 1,
      lib: before.lib + 1,
    });
    expect(git(w.lib, 'log', '-1', '--format=%s', 'tack')).toBe(`create ${bug.id}: Crash on start`);
    tack(w.app, 'workspace', 'route', '--default', 'plan');
    expect(create(w.app, 'Anything else').source).toBe('plan');
    expect(tackJson(w.app, 'workspace', 'route')).toEqual({
      routing: { default: 'plan', types: { bug: 'lib' }, labels: { personal: 'plan' } },
    });
    // Removing a store drops the rules that named it.
    tack(w.app, 'workspace', 'remove', 'lib');
    expect(tackJson(w.app, 'workspace', 'route')).toEqual({
      routing: { default: 'plan', labels: { personal: 'plan' } },
    });
    expect(tackJson<Array<{ source: string }>>(w.app, 'list').every((t) => t.source !== 'lib')).toBe(true);
  });

  it('a member can be another ref of a store', () => {
    const w = workspace();
    tack(w.plan, 'branch', 'create', 'personal');
    tack(w.app, 'workspace', 'add', w.plan, '--ref', 'tack-personal', '--name', 'mine');
    const t = create(w.app, 'Private idea', '--store', 'mine');
    expect(git(w.plan, 'log', '-1', '--format=%s', 'tack-personal')).toBe(`create ${t.id}: Private idea`);
    expect(git(w.plan, 'ls-tree', '--name-only', 'tack', 'tickets/')).not.toContain(t.id);
    expect(tackJson(w.app, 'show', `mine:${t.id}`)).toMatchObject({ source: 'mine', title: 'Private idea' });
  });

  it('propose, withdraw and accept make exactly one commit on each side', () => {
    const w = workspace();
    const idea = create(w.plan, 'Dark mode', '-t', 'feature', '-l', 'ui', '-d', 'Make it dark.');
    let n = { app: commits(w.app), plan: commits(w.plan) };
    const proposed = tackJson<{ proposal: { id: string; source: string } }>(w.app, 'propose', idea.id, '--to', 'local');
    const pid = proposed.proposal.id;
    expect({ app: commits(w.app), plan: commits(w.plan) }).toEqual({ app: n.app + 1, plan: n.plan + 1 });
    expect(tackJson(w.app, 'show', pid)).toMatchObject({
      source: 'local',
      status: 'triage',
      title: 'Dark mode',
      labels: ['ui'],
      description: 'Make it dark.\n',
      extra: { proposed_from: `plan:${idea.id}` },
    });
    expect(tackJson<{ extra: Record<string, string> }>(w.app, 'show', idea.id).extra.proposed_to).toMatch(
      new RegExp(`:${pid}$`),
    );
    expect(git(w.app, 'log', '-1', '--format=%(trailers:key=Tack-Op,valueonly)', 'tack').trim()).toBe('propose');
    expect(tackFail(w.app, 'propose', idea.id, '--to', 'local').error.code).toBe('conflict');

    n = { app: commits(w.app), plan: commits(w.plan) };
    tack(w.app, 'withdraw', idea.id);
    expect({ app: commits(w.app), plan: commits(w.plan) }).toEqual({ app: n.app + 1, plan: n.plan + 1 });
    expect(tackFail(w.app, 'show', `local:${pid}`).error.code).toBe('not_found');
    expect(tackJson<{ extra: Record<string, string> }>(w.app, 'show', idea.id).extra.proposed_to).toBeUndefined();

    const again = tackJson<{ proposal: { id: string } }>(w.app, 'propose', idea.id, '--to', 'local').proposal.id;
    n = { app: commits(w.app), plan: commits(w.plan) };
    tack(w.app, 'accept', again);
    expect({ app: commits(w.app), plan: commits(w.plan) }).toEqual({ app: n.app + 1, plan: n.plan + 1 });
    expect(tackJson(w.app, 'show', again)).toMatchObject({
      status: 'todo',
      category: 'unstarted',
      extra: { accepted_from: `plan:${idea.id}` },
    });
    const original = tackJson<{ category: string; extra: Record<string, string> }>(w.plan, 'show', idea.id);
    expect(original.category).toBe('canceled');
    expect(original.extra.moved_to).toMatch(new RegExp(`:${again}$`));
    expect(tackFail(w.app, 'accept', again).error.code).toBe('invalid_input');
  });

  it('bad input gives clear errors and changes nothing', () => {
    const w = workspace();
    const notRepo = mkdtempSync(join(tmpdir(), 'tack-ws-none-'));
    cleanup(() => rmSync(notRepo, { recursive: true, force: true }));
    const bare = tempRepo('tack-ws-noinit-');
    cleanup(bare.cleanup);
    const before = settings(w.app);
    const cases: Array<[string[], string]> = [
      [['workspace', 'add', join(notRepo, 'missing')], 'not_found'],
      [['workspace', 'add', notRepo], 'not_a_repo'],
      [['workspace', 'add', bare.dir], 'no_store'],
      [['workspace', 'add', w.plan, '--ref', 'no-such-branch'], 'not_found'],
      [['workspace', 'add', w.app], 'invalid_input'],
      [['workspace', 'add', w.plan], 'already_exists'],
      [['workspace', 'add', w.lib, '--name', 'local'], 'invalid_input'],
      [['workspace', 'remove', 'nope'], 'not_found'],
      [['workspace', 'route', '--type', 'bug=nope'], 'not_found'],
      [['workspace', 'route', '--type', 'bgu=plan'], 'invalid_input'],
    ];
    for (const [args, code] of cases) {
      const f = tackFail(w.app, ...args);
      expect([args.join(' '), f.error.code]).toEqual([args.join(' '), code]);
      expect(f.error.message.length).toBeGreaterThan(20);
    }
    expect(settings(w.app)).toBe(before);

    const a = create(w.app, 'One');
    create(w.plan, 'Two');
    const n = { app: commits(w.app), plan: commits(w.plan), lib: commits(w.lib) };
    const amb = tackFail(w.app, 'show', 'tk-');
    expect(amb.error.code).toBe('ambiguous_id');
    expect(amb.error.message).toContain(`local:${a.id}`);
    expect(tackFail(w.app, 'create', 'X', '--store', 'nope').error.code).toBe('not_found');
    expect(tackFail(w.app, 'show', 'nope:tk-1234').error.code).toBe('not_found');
    expect(tackFail(w.app, 'list', '--store', 'nope').error.code).toBe('not_found');
    expect(tackFail(w.app, 'propose', a.id, '--to', 'nope').error.code).toBe('not_found');
    expect(tackFail(w.app, 'propose', a.id, '--to', 'local').error.code).toBe('invalid_input');
    expect(tackFail(w.app, 'withdraw', a.id).error.code).toBe('invalid_input');
    // Writes change this clone's store: another store's ticket is changed there.
    const elsewhere = tackFail(w.app, 'close', `plan:${tackJson<Array<{ id: string }>>(w.plan, 'list')[0].id}`);
    expect(elsewhere.error.code).toBe('not_found');
    expect(elsewhere.error.message).toContain('workspace store "plan"');
    expect(tackFail(w.app, 'create', 'Y', '--blocks', 'tk-').error.code).toBe('ambiguous_id');
    // batch is one commit in this store: an item for another store is refused, not written here.
    const batch = tackRaw(
      w.app,
      ['batch', '--json'],
      {},
      JSON.stringify([
        { op: 'create', title: 'Here' },
        { op: 'create', title: 'There', store: 'plan' },
      ]),
    );
    expect(batch.status).not.toBe(0);
    expect(JSON.parse(batch.stderr).error).toMatchObject({
      code: 'invalid_input',
      details: { item: 2, store: 'plan' },
    });
    expect(JSON.parse(batch.stderr).error.message).toContain('received "plan"');
    const local = tackRaw(
      w.app,
      ['batch', '--json'],
      {},
      JSON.stringify([{ op: 'create', title: 'Local', store: 'local' }]),
    );
    expect(JSON.parse(local.stdout).created).toHaveLength(1);
    n.app += 1;
    expect({ app: commits(w.app), plan: commits(w.plan), lib: commits(w.lib) }).toEqual(n);
    // Without a workspace, moving tickets between stores says what is missing.
    expect(tackFail(w.lib, 'propose', 'tk-1', '--to', 'plan').error.message).toContain('workspace');
  });
});

describe('routeStore', () => {
  it('a ticket discovered from another inherits its store, over every rule', async () => {
    const { createContext } = await import('../src/ops/context.js');
    const { routeStore } = await import('../src/ops/workspaceRouting.js');
    const w = workspace();
    tack(w.app, 'workspace', 'route', '--default', 'lib', '--type', 'bug=lib');
    const origin = create(w.plan, 'Where it was found');
    const ctx = createContext({ effects: nodeEffects(), cwd: w.app });
    try {
      expect(await routeStore(ctx, { type: 'bug', discoveredFrom: origin.id })).toBe('plan');
      expect(await routeStore(ctx, { type: 'bug', discoveredFrom: origin.id, store: 'local' })).toBe('local');
      expect(await routeStore(ctx, { type: 'bug' })).toBe('lib');
      await expect(routeStore(ctx, { discoveredFrom: 'tk-nosuch' })).rejects.toMatchObject({ code: 'not_found' });
    } finally {
      ctx.close();
    }
  });
});

describe('workspaces over HTTP', () => {
  it('tack serve reads span the workspace and see changes made in another store', async () => {
    const { startServe } = await import('./serverHarness.js');
    const w = workspace();
    const p = create(w.plan, 'Planned');
    const srv = await startServe(w.app);
    try {
      const get = async (path: string) =>
        (await (await fetch(`${srv.url}${path}`)).json()) as Array<{ id: string; source: string }>;
      expect((await get('/api/tickets')).map((t) => [t.source, t.id])).toEqual([['plan', p.id]]);
      tack(w.plan, 'close', p.id);
      const q = create(w.plan, 'Next');
      // No stale cached answer: the change was made in the other repository.
      expect((await get('/api/tickets')).map((t) => t.id)).toEqual([q.id]);
      // workspace add/remove take effect without restarting the server.
      const extra = tempStore({ prefix: 'tack-ws-extra-' });
      cleanup(extra.cleanup);
      const e = create(extra.dir, 'Extra work');
      tack(w.app, 'workspace', 'add', extra.dir, '--name', 'extra');
      tack(w.app, 'workspace', 'remove', 'plan');
      expect((await get('/api/tickets')).map((t) => [t.source, t.id])).toEqual([['extra', e.id]]);
      const hidden = await fetch(`${srv.url}/api/workspace-add`, {
        method: 'POST',
        body: JSON.stringify({ path: w.lib }),
        headers: { 'content-type': 'application/json' },
      });
      expect(hidden.status).toBe(404);
    } finally {
      await srv.stop();
    }
  });
});
