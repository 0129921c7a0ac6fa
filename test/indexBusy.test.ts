import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { holdWriteLock } from './indexLock.js';
import { git, revParse, tackAsync, tackJson, tempStore, trackCleanups } from './helpers.js';

const cleanup = trackCleanups();

/*
 * The index is a cache of git: a write whose commit landed is not undone, and not denied,
 * because another process held the index. It answered `internal: database is locked` (exit 1)
 * for a ticket it had created, and a caller that tried again created it twice.
 */
describe('a write while another process holds the index', () => {
  it('waits for the index, then answers the write once', async () => {
    const r = tempStore({ prefix: 'tack-busy-' });
    cleanup(r.cleanup);
    tackJson(r.dir, 'create', 'Before');
    const lock = await holdWriteLock(join(r.dir, '.git', 'tack', 'index.db'));
    const running = tackAsync(r.dir, ['create', 'While held', '--json'], { TACK_INDEX_WAIT_MS: '60000' });
    lock.releaseAfter(1500);
    const res = await running;
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    const created = JSON.parse(res.stdout);
    expect(created.commit).toBe(revParse(r.dir, 'tack'));
    await lock.released;
    expect(
      tackJson(r.dir, 'list')
        .map((t: { title: string }) => t.title)
        .sort(),
    ).toEqual(['Before', 'While held']);
  });

  it('past the wait, says the change was committed and is not to be repeated; the next command catches up', async () => {
    const r = tempStore({ prefix: 'tack-busy-' });
    cleanup(r.cleanup);
    tackJson(r.dir, 'create', 'Before');
    const { stop } = await holdWriteLock(join(r.dir, '.git', 'tack', 'index.db'));
    let res: Awaited<ReturnType<typeof tackAsync>>;
    try {
      res = await tackAsync(r.dir, ['create', 'Landed', '--json'], { TACK_INDEX_WAIT_MS: '300' });
    } finally {
      await stop();
    }
    expect(res.status).not.toBe(0);
    const { error } = JSON.parse(res.stderr);
    expect(error.code).toBe('unavailable');
    expect(error.message).toMatch(/index\.db for more than 300 ms/);
    expect(error.message).toMatch(/The change itself was committed \([0-9a-f]{12}\): do not repeat it/);
    // The commit it names is the store's head, and it is the create.
    expect(error.details.commit).toBe(revParse(r.dir, 'tack'));
    expect(git(r.dir, 'log', '-1', '--format=%s', 'tack')).toMatch(/^create tk-[0-9a-z]+: Landed$/);
    const titles = tackJson(r.dir, 'list').map((t: { title: string }) => t.title);
    expect(titles.sort()).toEqual(['Before', 'Landed']);
  });

  it('a claim whose commit landed keeps its lease', async () => {
    const r = tempStore({ prefix: 'tack-busy-' });
    cleanup(r.cleanup);
    const { id } = tackJson(r.dir, 'create', 'To take');
    const { stop } = await holdWriteLock(join(r.dir, '.git', 'tack', 'index.db'));
    let res: Awaited<ReturnType<typeof tackAsync>>;
    try {
      res = await tackAsync(r.dir, ['claim', id, '--json'], { TACK_INDEX_WAIT_MS: '300', TACK_USER: 'ann' });
    } finally {
      await stop();
    }
    const { error } = JSON.parse(res.stderr);
    expect(error.details).toMatchObject({ committed: true, commit: revParse(r.dir, 'tack') });
    // The ticket is ann's in git, and so is the lease: deleting it would leave a started,
    // assigned ticket that any other agent could claim.
    expect(git(r.dir, 'for-each-ref', '--format=%(refname)', `refs/tack/claims/${id}`)).toBe(`refs/tack/claims/${id}`);
    const claims = tackJson(r.dir, 'claims');
    expect(JSON.stringify(claims)).toContain('"ann"');
    expect(tackJson(r.dir, 'show', id)).toMatchObject({ assignee: 'ann' });
  });
});
