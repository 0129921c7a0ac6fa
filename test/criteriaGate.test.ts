import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { git, NO_HARNESS, tackRaw, trackCleanups } from './helpers.js';
import { gateStore, refusedAs, setGates, tackAs, errorOf } from './gateHelpers.js';
import { startServe, type ServerProc } from './serverHarness.js';

/*
 * The criteria_before gate: no ticket crosses into the named state (or a state of a later
 * category; canceling is exempt) without an acceptance-criteria section, on every surface,
 * and `tack validate` reports a commit that went around the write path.
 */

const track = trackCleanups();
const servers: ServerProc[] = [];
afterEach(async () => {
  while (servers.length) await servers.pop()!.stop();
});
const HUMAN = { ...NO_HARNESS, TACK_USER: 'alice' };
const CRITERIA = 'Why.\n\n## Acceptance criteria\n- logs in\n';

const store = (gates: string | null, inline = false) => gateStore(track, gates, { inline, env: HUMAN });
const as = (dir: string, ...args: string[]) => tackAs(HUMAN, dir, ...args);
const refused = (dir: string, args: string[], input?: string) => refusedAs(HUMAN, dir, args, input);

const GATE = '{ self_review: refuse, self_answer: refuse, criteria_before: todo }';

describe('gate criteria_before', () => {
  it('is off by default: a ticket without criteria is created in todo and started', () => {
    const dir = store(null);
    const t = as(dir, 'create', 'No criteria');
    expect(as(dir, 'update', t.id, '-s', 'in-progress').status).toBe('in-progress');
  });

  it('refuses entering todo or a later category without criteria, on CLI, SQL, batch and REST; criteria let it through', async () => {
    const dir = store(GATE);
    const e = refused(dir, ['create', 'Vague']);
    expect(e.code).toBe('gate_refused');
    expect(e.message).toContain('criteria_before');
    expect(e.message).toContain('being created in todo');
    expect(e.message).toContain('## Acceptance criteria');
    expect(e.message).toContain('criteria_before: any');
    const idea = as(dir, 'create', 'Vague', '-s', 'backlog').id as string;
    const up = refused(dir, ['update', idea, '-s', 'todo']);
    expect(up.details).toMatchObject({ gate: 'criteria_before', ticket: idea, status: 'todo', expected: 'todo' });
    expect(refused(dir, ['update', idea, '-s', 'in-progress']).message).toContain('moving to in-progress');
    expect(
      refused(dir, ['sql', '--write', `UPDATE tickets SET status = 'todo' WHERE id = '${idea}'`]).details.gate,
    ).toBe('criteria_before');
    expect(
      refused(dir, ['batch', '-'], JSON.stringify([{ op: 'update', id: idea, status: 'todo' }])).details.gate,
    ).toBe('criteria_before');
    const srv = await startServe(dir, [], HUMAN);
    servers.push(srv);
    const res = await fetch(`${srv.url}/api/tickets/${idea}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', ...(srv.token ? { authorization: `Bearer ${srv.token}` } : {}) },
      body: JSON.stringify({ status: 'todo' }),
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as any).error.code).toBe('gate_refused');
    await srv.stop();
    // Canceling needs no criteria; with them, the ticket moves on and later moves are not checked again.
    expect(as(dir, 'create', 'Dropped', '-s', 'canceled').status).toBe('canceled');
    expect(as(dir, 'update', idea, '--description', CRITERIA, '-s', 'todo').status).toBe('todo');
    expect(as(dir, 'create', 'Clear', '-d', CRITERIA).status).toBe('todo');
  });

  it('an answered question sends a parked ticket back to todo without crossing the line again', () => {
    const dir = store(GATE);
    // Work that was going on before the rule was turned on: no criteria, started.
    const t = as(dir, 'create', 'Old work', '-s', 'backlog').id as string;
    const AGENT = { ...NO_HARNESS, TACK_USER: 'agent-1', TACK_AGENT: 'agent-1' };
    setGates(dir, '{ criteria_before: any }', HUMAN);
    as(dir, 'update', t, '-s', 'in-progress', '-a', 'agent-1');
    setGates(dir, GATE, HUMAN);
    const asked = tackRaw(dir, ['ask', t, 'Which endpoint?', '--json'], AGENT);
    expect(asked.status, asked.stderr).toBe(0);
    expect(JSON.parse(asked.stdout).ticket.status).toBe('needs-context');
    const answered = as(dir, 'answer', t, 'The v2 one');
    expect(answered.ticket).toMatchObject({ status: 'todo', assignee: 'agent-1' });
    const valid = tackRaw(dir, ['validate', '--all', '--json'], HUMAN);
    expect(valid.status, valid.stderr).toBe(0);
    // The line still holds for a ticket that never crossed it.
    expect(refused(dir, ['update', as(dir, 'create', 'New', '-s', 'backlog').id, '-s', 'todo']).details.gate).toBe(
      'criteria_before',
    );
  });

  it('validate reports a hand-made commit that moved a ticket to todo without criteria', () => {
    const dir = store(GATE, true);
    const t = as(dir, 'create', 'Idea', '-s', 'backlog').id as string;
    expect(tackRaw(dir, ['validate', '--all', '--json'], HUMAN).status).toBe(0);
    const file = join(dir, '.tack', 'tickets', `${t}.md`);
    writeFileSync(file, readFileSync(file, 'utf8').replace('status: backlog', 'status: todo'));
    git(dir, 'commit', '-qam', `to todo by hand\n\nTack-Op: edit\nTack-Ticket: ${t}`);
    const r = tackRaw(dir, ['validate', '--all', '--json'], HUMAN);
    expect(r.status).not.toBe(0);
    const problems = errorOf(r.stderr).details.problems;
    expect(problems).toEqual([
      expect.objectContaining({
        kind: 'gate',
        subject: 'to todo by hand',
        message: `gate criteria_before: ${t} moved to todo without acceptance criteria (required from todo)`,
      }),
    ]);
  });

  it('the setting must be a state of the schema', () => {
    const dir = store(null);
    const yaml = git(dir, 'show', 'tack:schema.yaml').replace(/^gates: .*$/m, 'gates: { criteria_before: limbo }');
    const bad = tackRaw(dir, ['schema', 'set', '-'], HUMAN, yaml);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('gate "criteria_before" is "limbo"; expected a state (triage, backlog');
  });
});
