import { describe, expect, it } from 'vitest';
import { git, tackRaw, trackCleanups } from './helpers.js';
import { tackEnv, tackEnvJson } from './storeFiles.js';
import { remoteWithStore } from './syncHelpers.js';

/*
 * Finished work is not claimed again by a clone that has not yet seen it finished. Closing
 * used to delete the published lease at once, while the close itself reached the remote
 * only with the next sync: in between (and after, for any clone that had not synced), the
 * ticket looked open and unclaimed elsewhere, and a second agent claimed the finished work
 * (found by bench/fleetHttp.mjs: 2 of 6 claims in a 3-agent run).
 */

const track = trackCleanups();
const as = (user: string) => ({ TACK_USER: user });

function claimError(dir: string, user: string, ...args: string[]): { code: string; message: string } {
  const r = tackRaw(dir, ['claim', ...args, '--json'], as(user));
  expect(r.status).not.toBe(0);
  return JSON.parse(r.stderr.split('\n').find((l) => l.startsWith('{"error"'))!).error;
}

describe('a finished claim guards its ticket until every clone has seen it finished', () => {
  it('refuses a clone that has not seen the close, before and after the closer syncs; allows a reopened ticket', () => {
    const r = remoteWithStore(track);
    const [a, b] = [r.clone(), r.clone()];
    const id = tackEnvJson(a, as('ann'), 'create', 'Parser', '--json').id as string;
    tackEnv(a, as('ann'), 'sync');
    tackEnv(b, as('bob'), 'sync');

    tackEnv(a, as('agent-1'), 'claim', id);
    const closed = tackEnvJson(a, as('agent-1'), 'close', id, '--json');
    expect(closed.released).toEqual([id]);
    // The lease on the remote now says the work is finished, and in which commit.
    const lease = git(a, 'ls-remote', 'origin', `refs/tack/claims/${id}`).split('\t')[0]!;
    git(a, 'fetch', '-q', 'origin', `refs/tack/claims/${id}`);
    expect(git(a, 'log', '-1', '--format=%B', lease)).toContain(`"closed_in":"${closed.commit}"`);

    // b still sees the ticket open: neither `claim` nor `claim next` takes it.
    const e = claimError(b, 'agent-2', id);
    expect(e.code).toBe('conflict');
    expect(e.message).toMatch(/finished by agent-1 .* has not seen yet.*tack sync/);
    expect(claimError(b, 'agent-2', 'next').code).toBe('not_found');

    // Still refused after agent-1 published the close, until b syncs; then the ticket is closed.
    tackEnv(a, as('agent-1'), 'sync');
    expect(claimError(b, 'agent-2', id).code).toBe('conflict');
    tackEnv(b, as('bob'), 'sync');
    expect(tackEnvJson(b, as('bob'), 'show', id, '--json').status).toBe('done');
    expect(claimError(b, 'agent-2', id).code).toBe('invalid_input');

    // Reopened where the close is known: claimable again, and the finished lease held nothing
    // meanwhile (not listed as a claim, and doctor finds nothing wrong with it).
    expect(tackEnvJson(b, as('bob'), 'claims', '--json')).toEqual([]);
    expect(tackRaw(b, ['doctor', '--json'], as('bob')).status).toBe(0);
    tackEnv(b, as('bob'), 'reopen', id);
    const again = tackEnvJson(b, as('agent-2'), 'claim', id, '--json');
    expect(again.ticket).toMatchObject({ id, assignee: 'agent-2', category: 'started' });
  });

  it('a lease with a forged finishing commit is no tombstone', () => {
    const r = remoteWithStore(track);
    const a = r.clone();
    const id = tackEnvJson(a, as('ann'), 'create', 'Lexer', '--json').id as string;
    // A hand-made lease naming a "commit" that is not an object id holds nothing.
    const forged = JSON.stringify({
      ticket: id,
      owner: 'mallory',
      expires: '2999-01-01T00:00:00Z',
      finished: '2026-01-01T00:00:00Z',
      closed_in: '--upload-pack=touch /tmp/pwned',
    });
    const tree = git(a, 'hash-object', '-t', 'tree', '-w', '/dev/null').trim();
    const sha = git(a, 'commit-tree', tree, '-m', `claim ${id}\n\n${forged}`).trim();
    git(a, 'update-ref', `refs/tack/claims/${id}`, sha);
    git(a, 'push', '-q', 'origin', `refs/tack/claims/${id}`);
    // Parsed without its finished part it is an ordinary live lease of mallory's: refused as held, not run.
    expect(claimError(a, 'agent-1', id).message).toMatch(/claimed by mallory/);
  });
});
