import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, revParse, tack, tackAsync, tackJson, tackRaw, tempStore, trackCleanups, waitFor } from './helpers.js';

const cleanup = trackCleanups();

function setup(): { dir: string; out: string } {
  const repo = tempStore({ prefix: 'tack-trig-' });
  const out = mkdtempSync(join(tmpdir(), 'tack-trig-out-'));
  cleanup(repo.cleanup);
  cleanup(() => rmSync(out, { recursive: true, force: true }));
  return { dir: repo.dir, out };
}

/** The JSON a hook wrote, or null while it is missing or half written (`cat >` truncates first). */
function readJson(file: string) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}
const hooksLog = (dir: string) =>
  tackJson<{ deliveries: any[]; pending: boolean }>(dir, 'hooks', 'log', '--limit', '100').deliveries;

describe('event hooks', () => {
  it('runs the hook of an event with the event JSON on stdin, in a detached process', async () => {
    const { dir, out } = setup();
    tack(dir, 'config', 'on.ticket.created', `cat > ${out}/created.json`);
    tack(dir, 'config', 'on.ticket.status.*', `cat > ${out}/status-$TACK_TICKET.json`);
    const t = tackJson(dir, 'create', 'Hooked', '--label', 'a');
    const created = await waitFor('the created hook', () => readJson(join(out, 'created.json')));
    expect(created).toMatchObject({
      event: 'ticket.created',
      ticket: { id: t.id, title: 'Hooked', status: 'todo', category: 'unstarted', labels: ['a'] },
      commit: { sha: revParse(dir, 'tack'), op: 'create' },
      actor: { name: 'Test User', email: 'test@example.com' },
      store: { ref: 'refs/heads/tack' },
    });
    expect(created.names).toEqual(['ticket.created', 'ticket.status.todo', 'ticket.category.unstarted']);
    expect(created.id).toMatch(/^evt_[0-9a-f]{24}$/);

    tack(dir, 'update', t.id, '--status', 'done', '--assignee', 'ann');
    const done = await waitFor('the status hook', () => {
      const e = readJson(join(out, `status-${t.id}.json`));
      return e?.event === 'ticket.updated' ? e : null;
    });
    expect(done.names).toEqual(['ticket.updated', 'ticket.status.done', 'ticket.category.completed']);
    expect(done.change.from).toMatchObject({ status: 'todo', assignee: null });
    expect(done.change.to).toMatchObject({ status: 'done', assignee: 'ann' });
    expect(done.commit.sha).toBe(revParse(dir, 'tack'));
    expect(done.id).not.toBe(created.id);
    const log = await waitFor('two log records', () => (hooksLog(dir).length >= 3 ? hooksLog(dir) : null));
    expect(log.every((d) => d.ok && d.kind === 'command')).toBe(true);
  });

  it('concurrent writers: every event delivered once, in commit order', async () => {
    const { dir, out } = setup();
    tack(dir, 'config', 'on.ticket.created', `cat >> ${out}/events.jsonl; echo >> ${out}/events.jsonl`);
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => tackAsync(dir, ['create', `Racer ${i}`, '--json'])),
    );
    // A failure says what tack said, not only that one of six exited 1.
    expect(results.filter((r) => r.status !== 0).map((r) => `exit ${r.status}: ${r.stderr}`)).toEqual([]);
    const lines = () =>
      existsSync(join(out, 'events.jsonl'))
        ? readFileSync(join(out, 'events.jsonl'), 'utf8').split('\n').filter(Boolean)
        : [];
    await waitFor('six events', () => lines().length >= 6, 30_000);
    // Let a late duplicate show itself, if there were one.
    await waitFor('no delivery pending', () => !tackJson(dir, 'hooks', 'log').pending);
    const events = lines().map((l) => JSON.parse(l));
    expect(events).toHaveLength(6);
    const commits = git(dir, 'log', '--format=%H', '--reverse', 'tack').split('\n').slice(-6);
    expect(events.map((e) => e.commit.sha)).toEqual(commits);
  });

  it('kills a hook at the time limit, logs it, and the write neither waits nor fails', async () => {
    const { dir, out } = setup();
    tack(dir, 'config', 'hooks.timeout', '300ms');
    tack(dir, 'config', 'on.ticket.*', `sleep 3; touch ${out}/late`);
    const started = Date.now();
    const r = tackRaw(dir, ['create', 'Slow receiver', '--json']);
    expect(r.status).toBe(0);
    expect(Date.now() - started).toBeLessThan(2500);
    const rec = await waitFor('the timed-out record', () => hooksLog(dir).find((d) => d.timed_out));
    expect(rec).toMatchObject({ ok: false, status: null, event: 'ticket.created', ticket: JSON.parse(r.stdout).id });
    expect(rec.error).toMatch(/time limit of 300 ms/);
    expect(rec.duration_ms).toBeLessThan(2500);
    // The whole process group went: `touch` after the sleep never runs.
    await new Promise((res) => setTimeout(res, 3500));
    expect(existsSync(join(out, 'late'))).toBe(false);
  });

  it('logs a failing hook with its status and output; the write succeeds', async () => {
    const { dir } = setup();
    tack(dir, 'config', 'hooks.wait', 'true');
    tack(dir, 'config', 'on.ticket.commented', 'echo "receiver said no" >&2; exit 7');
    const t = tackJson(dir, 'create', 'Will be commented');
    const r = tackRaw(dir, ['comment', t.id, 'hello', '--json']);
    expect(r.status).toBe(0);
    expect(tackJson(dir, 'show', t.id).comments.map((c: { body: string }) => c.body)).toEqual(['hello']);
    // hooks.wait: delivered before the command returned.
    const [rec] = hooksLog(dir);
    expect(rec).toMatchObject({ ok: false, status: 7, kind: 'command', event: 'ticket.commented', ticket: t.id });
    expect(rec.output).toContain('receiver said no');
    expect(tack(dir, 'hooks', 'log')).toMatch(/FAILED ticket.commented/);
    expect(tackJson(dir, 'hooks', 'log', '--failed').deliveries).toHaveLength(1);
  });

  it('comment, delete and archive events carry what changed', async () => {
    const { dir, out } = setup();
    tack(dir, 'config', 'hooks.wait', 'true');
    tack(dir, 'config', 'on.ticket.*', `cat >> ${out}/all.jsonl; echo >> ${out}/all.jsonl`);
    const a = tackJson(dir, 'create', 'A');
    const b = tackJson(dir, 'create', 'B');
    tack(dir, 'comment', a.id, 'first words');
    tack(dir, 'delete', b.id);
    tack(dir, 'close', a.id);
    tack(dir, 'archive', '--done-before', '2099-01-01');
    const events = readFileSync(join(out, 'all.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    expect(events.map((e) => `${e.event} ${e.ticket.id}`)).toEqual([
      `ticket.created ${a.id}`,
      `ticket.created ${b.id}`,
      `ticket.commented ${a.id}`,
      `ticket.deleted ${b.id}`,
      `ticket.updated ${a.id}`,
      `ticket.archived ${a.id}`,
    ]);
    expect(events[2].change.comments).toMatchObject([{ text: 'first words', author: 'tester' }]);
    expect(events[3].ticket.title).toBe('B');
    expect(events[4].names).toContain('ticket.category.completed');
    expect(events[5].ticket.archived).toBe(true);
    // One id per (commit, ticket): no two events share one.
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  });

  it('without triggers a write leaves no trace of them', () => {
    const { dir } = setup();
    tackJson(dir, 'create', 'Plain');
    expect(existsSync(join(dir, '.git', 'tack', 'triggers'))).toBe(false);
    expect(tackJson(dir, 'hooks', 'log')).toEqual({ deliveries: [], pending: false });
    expect(tack(dir, 'hooks', 'list')).toMatch(/no triggers/);
  });

  it('`tack config` sets, shows and removes trigger settings and refuses unknown keys', () => {
    const { dir } = setup();
    tack(dir, 'config', 'on.ticket.created', 'true');
    expect(tack(dir, 'config', 'on.ticket.created').trim()).toBe('on.ticket.created true');
    expect(tackJson(dir, 'hooks', 'list').triggers.on).toEqual({ 'ticket.created': 'true' });
    tack(dir, 'config', 'on.ticket.created', '');
    expect(tackJson(dir, 'hooks', 'list').triggers.on).toEqual({});
    const bad = tackRaw(dir, ['config', 'hooks.colour', 'red', '--json']);
    expect(bad.status).toBe(2);
    expect(JSON.parse(bad.stderr).error.message).toMatch(/unknown setting "hooks.colour"/);
    // Local only: nothing of it reaches the store branch.
    expect(tack(dir, 'log', '--json')).not.toContain('on.ticket');
  });
});

describe('triggers on pull (hooks.pull)', () => {
  it('fires for the commits `tack sync` brings in only when asked, never for the merge commit', async () => {
    const { remoteWithStore } = await import('./syncHelpers.js');
    const { remote, clone } = remoteWithStore(cleanup);
    expect(remote).toBeTruthy();
    const a = clone();
    const b = clone();
    const out = mkdtempSync(join(tmpdir(), 'tack-trig-pull-'));
    cleanup(() => rmSync(out, { recursive: true, force: true }));
    tack(a, 'config', 'hooks.wait', 'true'); // deliver before the command returns
    tack(a, 'config', 'on.ticket.*', `(cat; echo) >> ${out}/events.jsonl`);
    const events = () =>
      existsSync(join(out, 'events.jsonl'))
        ? readFileSync(join(out, 'events.jsonl'), 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l))
        : [];

    const before = tackJson(b, 'create', 'Made in b before');
    tack(b, 'sync');
    tack(a, 'sync');
    expect(tackJson(a, 'show', before.id).title).toBe('Made in b before');
    expect(events()).toEqual([]); // default: they fired where they were made

    tack(a, 'config', 'hooks.pull', 'true');
    expect(tack(a, 'hooks', 'list')).toContain('hooks.pull  true');
    const t = tackJson(b, 'create', 'Made in b');
    tack(b, 'update', t.id, '--status', 'done');
    tack(b, 'sync');
    const mine = tackJson(a, 'create', 'Made in a'); // diverged: the sync makes a merge commit
    tack(a, 'sync');
    expect(git(a, 'log', '-1', '--format=%P', 'tack').split(' ')).toHaveLength(2);
    const got = events().map((e) => [e.event, e.ticket.id, e.commit.op]);
    expect(got).toEqual([
      ['ticket.created', mine.id, 'create'],
      ['ticket.created', t.id, 'create'],
      ['ticket.updated', t.id, 'update'],
    ]);
    expect(events()[2].names).toContain('ticket.status.done');
    expect(events()[1].commit.sha).toBe(git(b, 'log', '-1', '--skip', '1', '--format=%H', 'tack'));
  });
});
