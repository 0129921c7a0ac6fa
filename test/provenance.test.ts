import { afterEach, describe, expect, it } from 'vitest';
import { remoteWithStore } from './syncHelpers.js';
import { closeClients, connect as connectAs } from './mcpClient.js';
import { git, NO_HARNESS, tackRaw, tempStore, trackCleanups } from './helpers.js';

const track = trackCleanups();
afterEach(closeClients);

function store(): string {
  const s = tempStore();
  track(s.cleanup);
  return s.dir;
}

function run(dir: string, env: Record<string, string>, ...args: string[]): string {
  const r = tackRaw(dir, args, { ...NO_HARNESS, ...env });
  if (r.status !== 0) throw new Error(`tack ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

function json(dir: string, env: Record<string, string>, ...args: string[]): any {
  return JSON.parse(run(dir, env, ...args, '--json'));
}

/** The trailers of the store's head commit as git itself parses them. */
function headTrailers(dir: string, key?: string): string[] {
  const fmt = key ? `%(trailers:key=${key},valueonly)` : '%(trailers:only)';
  return git(dir, 'log', '-1', `--format=${fmt}`, 'tack')
    .split('\n')
    .filter((l) => l.trim() !== '');
}

const AGENT = { TACK_AGENT: 'fixer-1', TACK_HARNESS: 'my-harness', TACK_MODEL: 'model-x', TACK_SESSION: 'sess-42' };

describe('provenance trailers on every commit', () => {
  it('a person gets Tack-Actor: human; an agent its name, harness, model and session', () => {
    const dir = store();
    const human = json(dir, {}, 'create', 'By a person').id as string;
    expect(headTrailers(dir)).toEqual(['Tack-Op: create', `Tack-Ticket: ${human}`, 'Tack-Actor: human']);
    json(dir, AGENT, 'update', human, '-s', 'in-progress');
    expect(headTrailers(dir)).toEqual([
      'Tack-Op: update',
      `Tack-Ticket: ${human}`,
      'Tack-Actor: agent',
      'Tack-Agent: fixer-1',
      'Tack-Harness: my-harness',
      'Tack-Model: model-x',
      'Tack-Session: sess-42',
    ]);
  });

  it("a harness's own variables make the actor an agent, and TACK_ACTOR overrides", () => {
    const dir = store();
    json(dir, { CLAUDECODE: '1', CLAUDE_CODE_SESSION_ID: 'abc-123' }, 'create', 'From Claude Code');
    expect(headTrailers(dir)).toContain('Tack-Harness: claude-code');
    expect(headTrailers(dir)).toContain('Tack-Session: abc-123');
    expect(headTrailers(dir, 'Tack-Actor')).toEqual(['agent']);
    json(dir, { CODEX_THREAD_ID: 't-9' }, 'create', 'From Codex');
    expect(headTrailers(dir, 'Tack-Harness')).toEqual(['codex']);
    json(dir, { GEMINI_CLI: '1', TACK_ACTOR: 'human' }, 'create', 'Declared human');
    expect(headTrailers(dir, 'Tack-Actor')).toEqual(['human']);
    const odd = tackRaw(dir, ['create', 'Odd actor'], { ...NO_HARNESS, TACK_ACTOR: 'robot', TACK_AGENT: 'a' });
    expect(odd.status).toBe(0);
    expect(odd.stderr).toContain('TACK_ACTOR="robot" is ignored; expected human or agent');
    expect(headTrailers(dir, 'Tack-Actor')).toEqual(['agent']);
  });

  it('commits outside ops/mutate carry it too: docs writes and reverts', () => {
    const dir = store();
    const id = json(dir, {}, 'create', 'T').id as string;
    run(dir, AGENT, 'docs', 'write', 'notes.md', '--text', '# Notes');
    expect(headTrailers(dir, 'Tack-Agent')).toEqual(['fixer-1']);
    json(dir, {}, 'update', id, '-s', 'in-progress');
    run(dir, AGENT, 'revert', 'tack');
    expect(headTrailers(dir, 'Tack-Op')).toEqual(['revert']);
    expect(headTrailers(dir, 'Tack-Actor')).toEqual(['agent']);
  });

  it("a sync's merge commit records who synced, and the merged agent work keeps its own provenance", () => {
    const { first: a, clone } = remoteWithStore(track);
    const id = json(a, {}, 'create', 'Shared').id as string;
    run(a, {}, 'sync');
    const b = clone();
    json(a, {}, 'label', 'add', id, 'from-a');
    run(a, {}, 'sync');
    json(b, AGENT, 'comment', id, 'from the agent');
    run(b, AGENT, 'sync');
    expect(git(b, 'log', '-1', '--format=%P', 'tack').split(' ')).toHaveLength(2);
    expect(headTrailers(b, 'Tack-Op')).toEqual(['sync']);
    expect(headTrailers(b, 'Tack-Agent')).toEqual(['fixer-1']);
    run(a, {}, 'sync');
    const stats = json(a, {}, 'stats', '--by', 'actor').actors;
    expect(stats.find((x: any) => x.name === 'fixer-1')).toMatchObject({ kind: 'agent', commits: 2 });
  });

  it('hostile values cannot forge a trailer: line breaks and controls become spaces, length is capped', () => {
    const dir = store();
    const forged = 'tk-forged1';
    const id = json(
      dir,
      {
        TACK_AGENT: `evil\nTack-Ticket: ${forged}\n\nTack-Actor: human`,
        TACK_HARNESS: `h\r\nTack-Op: init\u2028x\u001b[31m`,
        TACK_MODEL: 'm'.repeat(5000),
      },
      'create',
      'Hostile',
    ).id as string;
    expect(headTrailers(dir, 'Tack-Ticket')).toEqual([id]);
    expect(headTrailers(dir, 'Tack-Actor')).toEqual(['agent']);
    expect(headTrailers(dir, 'Tack-Op')).toEqual(['create']);
    expect(headTrailers(dir, 'Tack-Agent')).toEqual([`evil Tack-Ticket: ${forged} Tack-Actor: human`]);
    expect(headTrailers(dir, 'Tack-Harness')[0]).not.toMatch(/[\r\n\u2028\u001b]/);
    expect(headTrailers(dir, 'Tack-Model')[0]).toHaveLength(200);
    // The index agrees with git: the forged id names no commit.
    const rows = json(dir, {}, 'sql', `SELECT count(*) AS n FROM commit_tickets WHERE ticket = '${forged}'`);
    expect(JSON.stringify(rows)).toContain('"n":0');
  });

  it('an MCP client names the harness in initialize (hostile names cleaned)', async () => {
    const dir = store();
    const connect = (name: string, version: string) =>
      connectAs(dir, 'agent-1', { ...NO_HARNESS, TACK_AGENT: 'agent-1' }, { name, version });
    const c = await connect('claude-code', '2.1.0');
    const r = (await c.callTool({ name: 'create', arguments: { title: 'Via MCP' } })) as {
      content: Array<{ text: string }>;
    };
    const id = JSON.parse(r.content[0].text).id as string;
    expect(headTrailers(dir, 'Tack-Harness')).toEqual(['claude-code/2.1.0']);
    expect(headTrailers(dir, 'Tack-Actor')).toEqual(['agent']);
    expect(headTrailers(dir, 'Tack-Agent')).toEqual(['agent-1']);
    // A claim runs in a child process (it may reach the remote): it commits as the client too.
    const claimed = (await c.callTool({ name: 'claim', arguments: { id } })) as { isError?: boolean };
    expect(claimed.isError).toBeFalsy();
    expect(headTrailers(dir, 'Tack-Op')).toEqual(['claim']);
    expect(headTrailers(dir, 'Tack-Harness')).toEqual(['claude-code/2.1.0']);
    const bad = await connect('x\nTack-Ticket: tk-nope', '1');
    await bad.callTool({ name: 'comment', arguments: { id, text: 'hi' } });
    expect(headTrailers(dir, 'Tack-Ticket')).toEqual([id]);
    expect(headTrailers(dir, 'Tack-Harness')).toEqual(['x Tack-Ticket: tk-nope/1']);
  });
});

describe('provenance in log, show, recent and stats', () => {
  it('shows who made each change, for people and in --json', () => {
    const dir = store();
    const id = json(dir, {}, 'create', 'Shared').id as string;
    json(dir, AGENT, 'update', id, '-s', 'in-progress');
    json(dir, { TACK_AGENT: 'fixer-2', CODEX_SANDBOX: 'seatbelt' }, 'comment', id, 'done here');

    const log = json(dir, {}, 'log');
    expect(log.commits[0].provenance).toEqual({ actor: 'agent', agent: 'fixer-2', harness: 'codex' });
    expect(log.commits[1].provenance).toEqual({
      actor: 'agent',
      agent: 'fixer-1',
      harness: 'my-harness',
      model: 'model-x',
      session: 'sess-42',
    });
    expect(log.commits[2].provenance).toEqual({ actor: 'human' });
    const logText = run(dir, {}, 'log');
    expect(logText).toContain('[agent fixer-1 via my-harness, model-x]');
    expect(logText.split('\n')[2]).not.toContain('[agent');

    const ticketLog = json(dir, {}, 'log', id);
    expect(ticketLog.changes.find((c: any) => c.field === 'status' && c.new === 'in-progress').provenance.agent).toBe(
      'fixer-1',
    );
    expect(run(dir, {}, 'log', id)).toContain('[agent fixer-2 via codex]');

    const show = run(dir, {}, 'show', id, '--history');
    expect(show).toMatch(/\[agent fixer-1 via my-harness, model-x\]: status: \S+ → in-progress/);
    const showJson = json(dir, {}, 'show', id, '--history');
    expect(showJson.history.at(-1).provenance).toMatchObject({ actor: 'agent', agent: 'fixer-2' });

    const recent = json(dir, {}, 'recent');
    expect(recent.commits.map((c: any) => c.provenance?.actor)).toEqual(['agent', 'agent', 'human', 'human']);
    expect(run(dir, {}, 'recent')).toContain('[agent fixer-2 via codex]');
    expect(json(dir, {}, 'recent', '--actor', 'human').commits).toHaveLength(2);
    expect(json(dir, {}, 'recent', '--actor', 'FIXER-1').commits.map((c: any) => c.provenance.agent)).toEqual([
      'fixer-1',
    ]);
    expect(json(dir, {}, 'recent', '--actor', 'codex').commits).toHaveLength(1);
    expect(run(dir, {}, 'recent', '--actor', 'nobody%')).toContain('no changes by actor nobody%');

    const stats = json(dir, {}, 'stats', '--by', 'actor');
    expect(stats.by).toBe('actor');
    expect(stats.actors).toEqual([
      { kind: 'human', name: 'Test User', harnesses: [], commits: 2, tickets: 1, last: expect.any(String) },
      { kind: 'agent', name: 'fixer-1', harnesses: ['my-harness'], commits: 1, tickets: 1, last: expect.any(String) },
      { kind: 'agent', name: 'fixer-2', harnesses: ['codex'], commits: 1, tickets: 1, last: expect.any(String) },
    ]);
    const statsText = run(dir, {}, 'stats', '--by', 'actor');
    expect(statsText).toContain('4 commits by 3 actors');
    expect(statsText).toMatch(/fixer-1\s+agent\s+1\s+1\s+my-harness/);

    const sql = json(
      dir,
      {},
      'sql',
      "SELECT agent, count(*) AS n FROM commit_provenance WHERE actor = 'agent' GROUP BY agent ORDER BY agent",
    );
    expect(JSON.stringify(sql)).toContain('"agent":"fixer-1","n":1');
  });
});
