import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { git, NO_HARNESS, revParse, TACK_BIN, tackRaw, tempStore, testEnv, trackCleanups } from './helpers.js';

const track = trackCleanups();
const clients: Client[] = [];
afterEach(async () => {
  while (clients.length) await clients.pop()!.close();
});

/** A person at a terminal, and two agents that say so (TACK_AGENT). */
const HUMAN = { ...NO_HARNESS, TACK_USER: 'alice' };
const AGENT = { ...NO_HARNESS, TACK_USER: 'agent-a', TACK_AGENT: 'agent-a' };
const AGENT_B = { ...NO_HARNESS, TACK_USER: 'agent-b', CLAUDECODE: '1' };

function store(gates?: string): string {
  const s = tempStore();
  track(s.cleanup);
  if (gates) {
    const yaml = git(s.dir, 'show', 'tack:schema.yaml').replace(/^gates: .*$/m, `gates: ${gates}`);
    const r = tackRaw(s.dir, ['schema', 'set', '-', '--json'], HUMAN, yaml);
    if (r.status !== 0) throw new Error(`schema set failed: ${r.stderr}`);
  }
  return s.dir;
}

function as(env: Record<string, string>, dir: string, ...args: string[]): any {
  const r = tackRaw(dir, [...args, '--json'], env);
  if (r.status !== 0) throw new Error(`tack ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** A command expected to be refused by a gate: the ref does not move; the error is returned. */
function refused(
  env: Record<string, string>,
  dir: string,
  ...args: string[]
): { code: string; message: string; details: any } {
  const head = revParse(dir, 'tack');
  const r = tackRaw(dir, [...args, '--json'], env);
  expect(r.status, r.stdout).not.toBe(0);
  expect(revParse(dir, 'tack')).toBe(head);
  return JSON.parse(
    r.stderr
      .trim()
      .split('\n')
      .find((l) => l.startsWith('{"error"'))!,
  ).error;
}

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
    const env = Object.fromEntries(
      Object.entries(testEnv({ ...NO_HARNESS, TACK_USER: 'bot' })).filter(
        (x): x is [string, string] => typeof x[1] === 'string',
      ),
    );
    const client = new Client({ name: 'some-agent', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({ command: process.execPath, args: [TACK_BIN, 'mcp'], cwd: dir, env, stderr: 'pipe' }),
    );
    clients.push(client);
    const head = revParse(dir, 'tack');
    const r = (await client.callTool({ name: 'update', arguments: { id: task, status: 'done' } })) as {
      content: Array<{ text: string }>;
      isError?: boolean;
    };
    expect(r.isError).toBe(true);
    const err = JSON.parse(r.content[0].text).error;
    expect(err.code).toBe('gate_refused');
    expect(err.message).toContain('agent bot via some-agent/1.0.0');
    expect(revParse(dir, 'tack')).toBe(head);
  });

  it('validate reports an agent commit that broke complete_by around the write path', () => {
    const s = tempStore({ inline: true });
    track(s.cleanup);
    const dir = s.dir;
    const yaml = readFileSync(join(dir, '.tack', 'schema.yaml'), 'utf8').replace(
      /^gates: .*$/m,
      'gates: { complete_by: human }',
    );
    expect(tackRaw(dir, ['schema', 'set', '-'], HUMAN, yaml).status).toBe(0);
    const task = as(HUMAN, dir, 'create', 'Agent work').id as string;
    expect(tackRaw(dir, ['validate', '--all', '--json'], HUMAN).status).toBe(0);
    const file = join(dir, '.tack', 'tickets', `${task}.md`);
    writeFileSync(file, readFileSync(file, 'utf8').replace('status: todo', 'status: done'));
    git(dir, 'commit', '-qam', `close by hand\n\nTack-Op: edit\nTack-Ticket: ${task}\nTack-Actor: agent`);
    const r = tackRaw(dir, ['validate', '--all', '--json'], HUMAN);
    expect(r.status).not.toBe(0);
    const problems = JSON.parse(
      r.stderr
        .trim()
        .split('\n')
        .find((l) => l.startsWith('{"error"'))!,
    ).error.details.problems;
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
