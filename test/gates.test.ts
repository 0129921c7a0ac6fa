import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { git, revParse, tackRaw, trackCleanups } from './helpers.js';
import { gateStore, refusedAs as refused, setGates, tackAs, errorOf } from './gateHelpers.js';
import { callError, closeClients, connect } from './mcpClient.js';
import { startServe } from './serverHarness.js';

const track = trackCleanups();
const A = 'agent-a';
const B = 'agent-b';

const store = () => gateStore(track);
const as = (user: string, dir: string, ...args: string[]) => tackAs({ TACK_USER: user }, dir, ...args);
/** Runs a command expected to be refused; checks that the store's ref did not move. */
const refusedAs = (user: string, dir: string, ...args: string[]) => refused({ TACK_USER: user }, dir, args);

/** A ticket A has claimed and submitted for review. */
function submitted(dir: string): { task: string; review: string } {
  const task = as(B, dir, 'create', 'Add login').id as string;
  as(A, dir, 'claim', task, '--local');
  const sub = as(A, dir, 'submit', task, '-c', 'it logs in', '-i', 'npm test');
  return { task, review: sub.review.id };
}

const setGate = (dir: string, gate: string, mode: string) => setGates(dir, `{ ${gate}: ${mode} }`);

describe('gates in schema.yaml, enforced on every write path', () => {
  it('self_review: the submitter cannot approve, reject, close or finish their own work; another user can', () => {
    const dir = store();
    const { task, review } = submitted(dir);
    const e = refusedAs(A, dir, 'review', task, 'approve', 'lgtm');
    expect(e.code).toBe('gate_refused');
    expect(e.message).toContain('self_review');
    expect(e.message).toContain(`made by ${A}, and ${A} is acting`);
    expect(e.message).toContain('another user must review it');
    expect(e.message).toContain('self_review: allow');
    expect(e.details).toMatchObject({ gate: 'self_review', ticket: task, owner: A, actor: A });
    expect(refusedAs(A, dir, 'review', review, 'reject', 'redo').code).toBe('gate_refused');
    expect(refusedAs(A, dir, 'close', task).code).toBe('gate_refused');
    expect(refusedAs(A, dir, 'close', review).code).toBe('gate_refused');
    expect(refusedAs(A, dir, 'update', task, '--status', 'done').code).toBe('gate_refused');
    expect(refusedAs(A, dir, 'sql', `UPDATE tickets SET status = 'done' WHERE id = '${task}'`, '--write').code).toBe(
      'gate_refused',
    );
    const batch = JSON.stringify([{ op: 'close', ids: [task] }]);
    const head = revParse(dir, 'tack');
    const r = tackRaw(dir, ['batch', '-', '--json'], { TACK_USER: A }, batch);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('gate_refused');
    expect(revParse(dir, 'tack')).toBe(head);
    expect(as(B, dir, 'show', task).status).toBe('in-review');
    // `submit` handed the work back: the submitter's claim went with it.
    expect(git(dir, 'for-each-ref', 'refs/tack/claims')).toBe('');

    const ok = as(B, dir, 'review', task, 'approve', 'works');
    expect(ok.verdict).toBe('approved');
    expect(ok.released).toEqual([]);
    expect(as(B, dir, 'show', task)).toMatchObject({ status: 'done', verdict: 'approved' });
    expect(git(dir, 'for-each-ref', 'refs/tack/claims')).toBe('');
  });

  it('self_answer: the asker cannot answer or unpark their own question; another user can', () => {
    const dir = store();
    const task = as(B, dir, 'create', 'Add login').id as string;
    as(A, dir, 'ask', task, 'Which cookie?');
    const e = refusedAs(A, dir, 'answer', task, 'sid, I guess');
    expect(e.code).toBe('gate_refused');
    expect(e.message).toContain('self_answer');
    expect(e.message).toContain('another user must answer it');
    expect(refusedAs(A, dir, 'update', task, '--status', 'todo').code).toBe('gate_refused');
    expect(as(A, dir, 'comment', task, 'still stuck').comment.author).toBe(A); // comments stay open
    expect(as(B, dir, 'answer', task, 'sid').ticket.status).toBe('todo');
  });

  it('gates: allow in schema.yaml lets the submitter approve and the asker answer', () => {
    const dir = store();
    setGate(dir, 'self_review', 'allow');
    const { task } = submitted(dir);
    expect(as(A, dir, 'review', task, 'approve', 'mine').verdict).toBe('approved');
    // self_answer still refuses: absent from the map means refuse.
    const t2 = as(B, dir, 'create', 'Other').id as string;
    as(A, dir, 'ask', t2, 'q?');
    expect(refusedAs(A, dir, 'answer', t2, 'a').code).toBe('gate_refused');
    setGate(dir, 'self_answer', 'allow');
    expect(as(A, dir, 'answer', t2, 'a').ticket.status).toBe('todo');
  });

  it('a bad gates section is refused with what was expected', () => {
    const dir = store();
    const yaml = git(dir, 'show', 'tack:schema.yaml').replace(/^gates: .*$/m, 'gates: { self_review: maybe }');
    const r = tackRaw(dir, ['schema', 'set', '-', '--json'], {}, yaml);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('expected refuse or allow');
  });

  it('close releases the closer’s claim', () => {
    const dir = store();
    const task = as(A, dir, 'create', 'Small fix').id as string;
    as(A, dir, 'claim', task, '--local');
    expect(git(dir, 'for-each-ref', 'refs/tack/claims')).not.toBe('');
    expect(as(A, dir, 'close', task).released).toEqual([task]);
    expect(git(dir, 'for-each-ref', 'refs/tack/claims')).toBe('');
  });

  it('validate reports a self-approval made around the write path (a hand edit), once', () => {
    const dir = gateStore(track, null, { inline: true });
    const task = as(B, dir, 'create', 'Add login').id as string;
    as(A, dir, 'submit', task, '-c', 'c', '-i', 'i');
    expect(tackRaw(dir, ['validate', '--all', '--json']).status).toBe(0);
    const file = join(dir, '.tack', 'tickets', `${task}.md`);
    const text = readFileSync(file, 'utf8').replace('status: in-review', 'status: done');
    writeFileSync(
      file,
      `${text}\n<!-- comment id="c-zzzzzz" author="${A}" created="2026-12-04T04:40:00Z" -->\n**${A}** · 2026-12-04 04:40 UTC\n\n**Review approved:** mine\n`,
    );
    git(dir, 'commit', '-qam', 'approve by hand');
    as(B, dir, 'comment', task, 'later'); // a later version still holds the comment: not reported twice
    const r = tackRaw(dir, ['validate', '--all', '--json']);
    expect(r.status).not.toBe(0);
    const problems = errorOf(r.stderr).details.problems;
    expect(problems).toEqual([
      expect.objectContaining({
        kind: 'gate',
        subject: 'approve by hand',
        message: expect.stringContaining(`self_review: comment c-zzzzzz by ${A}`),
      }),
    ]);
  });

  it('REST refuses a self-approval with 403 gate_refused and writes nothing', async () => {
    const dir = store();
    const { task } = submitted(dir);
    const server = await startServe(dir, [], { TACK_USER: A });
    try {
      const head = revParse(dir, 'tack');
      const res = await fetch(`${server.url}/api/review`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(server.token ? { authorization: `Bearer ${server.token}` } : {}),
        },
        body: JSON.stringify({ id: task, verdict: 'approve', reason: 'lgtm' }),
      });
      expect(res.status).toBe(403);
      expect((await res.json()).error.code).toBe('gate_refused');
      expect(revParse(dir, 'tack')).toBe(head);
    } finally {
      await server.stop();
    }
  });

  it('MCP refuses a self-approval with gate_refused', async () => {
    const dir = store();
    const { task } = submitted(dir);
    const client = await connect(dir, A);
    const head = revParse(dir, 'tack');
    expect((await callError(client, 'review', { id: task, verdict: 'approve' })).code).toBe('gate_refused');
    expect(revParse(dir, 'tack')).toBe(head);
  });
});

afterEach(closeClients);
