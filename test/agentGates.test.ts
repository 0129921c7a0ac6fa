import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { git, NO_HARNESS, revParse, tackRaw, trackCleanups } from './helpers.js';
import { gateStore, refusedAs, tackAs, errorOf } from './gateHelpers.js';
import { callError, closeClients, connect } from './mcpClient.js';

const track = trackCleanups();
afterEach(closeClients);

/** A person at a terminal, and two agents that say so (TACK_AGENT). */
const HUMAN = { ...NO_HARNESS, TACK_USER: 'alice' };
const AGENT = { ...NO_HARNESS, TACK_USER: 'agent-a', TACK_AGENT: 'agent-a' };
const AGENT_B = { ...NO_HARNESS, TACK_USER: 'agent-b', CLAUDECODE: '1' };

const store = (gates?: string) => gateStore(track, gates, { env: HUMAN });
const as = tackAs;
/** A command expected to be refused by a gate: the ref does not move; the error is returned. */
const refused = (env: Record<string, string>, dir: string, ...args: string[]) => refusedAs(env, dir, args);

describe('gates on agents (complete_by, agent_tickets_start_in), from provenance', () => {
  it('both are off by default: an agent creates in the default state and closes', () => {
    const dir = store();
    const t = as(AGENT, dir, 'create', 'Agent work');
    expect(t.status).toBe('todo');
    expect(as(AGENT, dir, 'close', t.id).tickets[0].status).toBe('done');
  });

  it('complete_by: human — no agent moves work to a completed state, by close, update, review or SQL; a person does', () => {
    const dir = store('{ self_review: refuse, self_answer: refuse, complete_by: human }');
    const task = as(HUMAN, dir, 'create', 'Fix the login').id as string;
    const e = refused(AGENT, dir, 'close', task);
    expect(e.code).toBe('gate_refused');
    expect(e.message).toContain('complete_by');
    expect(e.message).toContain('agent agent-a');
    expect(e.message).toContain('tack submit');
    expect(e.details).toMatchObject({ gate: 'complete_by', ticket: task, status: 'done' });
    expect(refused(AGENT_B, dir, 'update', task, '-s', 'done').message).toContain('agent agent-b via claude-code');
    expect(refused(AGENT, dir, 'sql', '--write', `UPDATE tickets SET status = 'done' WHERE id = '${task}'`).code).toBe(
      'gate_refused',
    );
    // The pipeline still works for agents: claim, submit; another agent may not approve, a person may.
    as(AGENT, dir, 'claim', task, '--local');
    as(AGENT, dir, 'submit', task, '-c', 'logs in', '-i', 'npm test');
    expect(refused(AGENT_B, dir, 'review', task, 'approve', 'fine').message).toContain('complete_by');
    as(HUMAN, dir, 'review', task, 'approve', 'fine');
    expect(as(HUMAN, dir, 'show', task).status).toBe('done');
    // Canceling is not completing; the rule guards completed states only.
    const other = as(HUMAN, dir, 'create', 'Maybe').id as string;
    expect(as(AGENT, dir, 'update', other, '-s', 'canceled').category).toBe('canceled');
  });

  it('agent_tickets_start_in: an agent’s new ticket starts in triage and only a person moves it out', () => {
    const dir = store('{ agent_tickets_start_in: triage }');
    const e = refused(AGENT, dir, 'create', 'Refactor everything');
    expect(e.code).toBe('gate_refused');
    expect(e.message).toContain('agent_tickets_start_in');
    expect(e.message).toContain('create it with status triage');
    expect(e.details).toMatchObject({ gate: 'agent_tickets_start_in', status: 'todo', expected: 'triage' });
    const t = as(AGENT, dir, 'create', 'Refactor everything', '-s', 'triage').id as string;
    const moved = refused(AGENT, dir, 'update', t, '-s', 'todo');
    expect(moved.message).toContain(`${t} is in triage, which only a person moves a ticket out of`);
    expect(as(AGENT, dir, 'comment', t, 'more detail').comment.id).toBeTruthy(); // other edits stay open
    expect(as(HUMAN, dir, 'update', t, '-s', 'todo').status).toBe('todo');
    // A person's ticket starts wherever they say; an agent's submit still opens its review ticket.
    const work = as(HUMAN, dir, 'create', 'Human work').id as string;
    as(AGENT, dir, 'claim', work, '--local');
    expect(as(AGENT, dir, 'submit', work, '-c', 'c', '-i', 'i').review.id).toBeTruthy();
  });

  it('an MCP session is an agent: its close is refused under complete_by: human', async () => {
    const dir = store('{ complete_by: human }');
    const task = as(HUMAN, dir, 'create', 'Via MCP').id as string;
    const client = await connect(dir, 'bot', {}, { name: 'some-agent', version: '1.0.0' });
    const head = revParse(dir, 'tack');
    const err = await callError(client, 'update', { id: task, status: 'done' });
    expect(err.code).toBe('gate_refused');
    expect(err.message).toContain('agent bot via some-agent/1.0.0');
    expect(revParse(dir, 'tack')).toBe(head);
  });

  it('validate reports an agent commit that broke complete_by around the write path', () => {
    const dir = gateStore(track, '{ complete_by: human }', { inline: true, env: HUMAN });
    const task = as(HUMAN, dir, 'create', 'Agent work').id as string;
    expect(tackRaw(dir, ['validate', '--all', '--json'], HUMAN).status).toBe(0);
    const file = join(dir, '.tack', 'tickets', `${task}.md`);
    writeFileSync(file, readFileSync(file, 'utf8').replace('status: todo', 'status: done'));
    git(dir, 'commit', '-qam', `close by hand\n\nTack-Op: edit\nTack-Ticket: ${task}\nTack-Actor: agent`);
    const r = tackRaw(dir, ['validate', '--all', '--json'], HUMAN);
    expect(r.status).not.toBe(0);
    const problems = errorOf(r.stderr).details.problems;
    expect(problems).toEqual([
      expect.objectContaining({
        kind: 'gate',
        subject: 'close by hand',
        message: `gate complete_by: an agent moved ${task} to done`,
      }),
    ]);
  });

  it('schema.yaml values are checked: what was wrong and what is expected', () => {
    const dir = store();
    const yaml = (v: string) => git(dir, 'show', 'tack:schema.yaml').replace(/^gates: .*$/m, `gates: ${v}`);
    const bad = tackRaw(dir, ['schema', 'set', '-'], HUMAN, yaml('{ complete_by: robots }'));
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('gate "complete_by" is "robots"; expected anyone or human');
    const state = tackRaw(dir, ['schema', 'set', '-'], HUMAN, yaml('{ agent_tickets_start_in: limbo }'));
    expect(state.status).not.toBe(0);
    expect(state.stderr).toContain('expected a state (triage, backlog');
  });
});
