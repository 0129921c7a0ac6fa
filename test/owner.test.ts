import { describe, expect, it } from 'vitest';
import { git, NO_HARNESS, tackRaw, tempStore, trackCleanups } from './helpers.js';
import { commitToStore } from './storeFiles.js';

/*
 * A ticket's explicit owner (`owner` in front matter): questions go to it first, then to
 * its creator; a question never lands on an agent, nor silently on nobody.
 */

const track = trackCleanups();
const ALICE = { ...NO_HARNESS, TACK_USER: 'alice' };
const AGENT_A = { ...NO_HARNESS, TACK_USER: 'agent-a', TACK_AGENT: 'agent-a' };
const AGENT_B = { ...NO_HARNESS, TACK_USER: 'agent-b', TACK_AGENT: 'agent-b' };

function store(): string {
  const s = tempStore();
  track(s.cleanup);
  return s.dir;
}

function as(env: Record<string, string>, dir: string, ...args: string[]): any {
  const r = tackRaw(dir, [...args, '--json'], env);
  if (r.status !== 0) throw new Error(`tack ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe('ticket owner', () => {
  it('create --owner and update --owner write the field; a question goes to the owner, not the creator', () => {
    const dir = store();
    const x = as(ALICE, dir, 'create', 'X', '--owner', 'bob').id as string;
    expect(git(dir, 'show', `tack:tickets/${x}.md`)).toMatch(/^owner: bob$/m);
    const asked = as(AGENT_A, dir, 'ask', x, 'Which API?');
    expect(asked.assignee).toBe('bob');
    expect(asked.owner_note).toBeNull();
    const y = as(ALICE, dir, 'create', 'Y').id as string;
    expect(git(dir, 'show', `tack:tickets/${y}.md`)).toMatch(/^owner: alice$/m); // a person's ticket: theirs
    as(ALICE, dir, 'update', y, '--owner', 'carol');
    expect(as(AGENT_A, dir, 'ask', y, 'Which DB?').assignee).toBe('carol');
    expect(as(AGENT_A, dir, 'ask', as(ALICE, dir, 'create', 'Z').id, 'Why?').assignee).toBe('alice');
    // A ticket from before the field: its creator (the git author of its first commit) owns it.
    const old = as(ALICE, dir, 'create', 'Old', '--owner', 'none').id as string;
    expect(git(dir, 'show', `tack:tickets/${old}.md`)).not.toMatch(/^owner:/m);
    expect(as(AGENT_A, dir, 'ask', old, 'Who?').assignee).toBe('Test User');
  });

  it('an owner that is an agent or a bot is passed over for the owner of the epic, said so; with none, unassigned, said so', () => {
    const dir = store();
    const epic = as(ALICE, dir, 'create', 'Epic', '-t', 'epic').id as string;
    as(AGENT_A, dir, 'comment', epic, 'seen'); // agent-a is known as an agent from its commits' provenance
    const child = as(ALICE, dir, 'create', 'Delegated', '--parent', epic, '--owner', 'agent-a').id as string;
    const asked = as(AGENT_B, dir, 'ask', child, 'Is this in scope?');
    expect(asked.assignee).toBe('alice');
    expect(asked.owner_note).toContain(`${child} is owned by agent-a, an agent`);
    expect(asked.message).toContain(`asked alice, owner of ${epic}`);
    // An agent's own ticket has no owner field; its creator is the git author running the agent.
    const found = as(AGENT_A, dir, 'create', 'Found while working').id as string;
    expect(git(dir, 'show', `tack:tickets/${found}.md`)).not.toMatch(/^owner:/m);
    expect(as(AGENT_B, dir, 'ask', found, 'Real?').assignee).toBe('Test User');
    // A bot identity that created a ticket with no parent: nobody to ask, and the answer says so.
    const BOT = { ...ALICE, GIT_AUTHOR_NAME: 'release-bot[bot]', TACK_USER: 'release-bot[bot]' };
    const lone = as(BOT, dir, 'create', 'Bump deps', '--owner', 'none').id as string;
    const nobody = as(AGENT_B, dir, 'ask', lone, 'Anyone?');
    expect(nobody.assignee).toBeNull();
    expect(nobody.owner_note).toContain('release-bot[bot], an agent');
    expect(nobody.message).toContain('left unassigned, no person to ask');
    expect(nobody.message).toContain(`tack update ${lone} --owner USER`);
  });
});

describe('owner in the index', () => {
  it('is a column: queryable in sql, writable by sql --write, a list filter, shown by show', () => {
    const dir = store();
    const x = as(ALICE, dir, 'create', 'X', '--owner', 'bob').id as string;
    const y = as(ALICE, dir, 'create', 'Y').id as string;
    const z = as(AGENT_A, dir, 'create', 'Z').id as string; // an agent's ticket has no owner field
    const rows = as(ALICE, dir, 'sql', 'SELECT id, owner FROM tickets ORDER BY id');
    expect(Object.fromEntries(rows.map((r: any) => [r.id, r.owner]))).toEqual({ [x]: 'bob', [y]: 'alice', [z]: null });
    const ids = (...args: string[]) =>
      as(ALICE, dir, 'list', ...args)
        .map((t: any) => t.id)
        .sort();
    expect(ids('--owner', 'bob')).toEqual([x]);
    expect(ids('--owner', 'me')).toEqual([y]);
    expect(ids('--owner', 'none')).toEqual([z]);
    expect(ids('--owner', 'bob', '--owner', 'none')).toEqual([x, z].sort());
    expect(as(ALICE, dir, 'show', x).owner).toBe('bob');
    expect(as(ALICE, dir, 'show', x).extra).not.toHaveProperty('owner');
    expect(tackRaw(dir, ['show', x], ALICE).stdout).toMatch(/ · owner bob/);
    as(ALICE, dir, 'sql', '--write', `UPDATE tickets SET owner = 'carol' WHERE id = '${z}'`);
    expect(git(dir, 'show', `tack:tickets/${z}.md`)).toMatch(/^owner: carol$/m);
    as(ALICE, dir, 'sql', '--write', `UPDATE tickets SET owner = NULL WHERE id = '${x}'`);
    expect(git(dir, 'show', `tack:tickets/${x}.md`)).not.toMatch(/^owner:/m);
    expect(ids('--owner', 'carol')).toEqual([z]);
  });

  it('a schema that declares owner as a user field gets one column, not two', () => {
    const dir = store();
    const schema = git(dir, 'show', 'tack:schema.yaml').replace(/^fields:.*\n/m, 'fields:\n  owner: { type: user }\n');
    commitToStore(dir, { 'schema.yaml': schema }, 'owner as a user field');
    const x = as(ALICE, dir, 'create', 'X', '--owner', 'bob').id as string;
    const cols = as(ALICE, dir, 'sql', "SELECT name FROM pragma_table_info('tickets') WHERE name = 'owner'");
    expect(cols).toHaveLength(1);
    expect(as(ALICE, dir, 'list', '--owner', 'bob').map((t: any) => t.id)).toEqual([x]);
    expect(as(ALICE, dir, 'show', x).owner).toBe('bob');
  });
});
