import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { holdWriteLock } from './indexLock.js';
import { git, revParse, TACK_BIN, tackAsync, tackJson, tempStore, testEnv, trackCleanups } from './helpers.js';

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

  it('on a terminal, a write that waits says so and how long, then answers', async () => {
    const r = tempStore({ prefix: 'tack-busy-' });
    cleanup(r.cleanup);
    tackJson(r.dir, 'create', 'Before');
    const lock = await holdWriteLock(join(r.dir, '.git', 'tack', 'index.db'));
    // util-linux's `script` runs the command on a terminal of its own and copies what it shows.
    const quote = (a: string) => `'${a.replace(/'/g, "'\\''")}'`;
    const command = [process.execPath, TACK_BIN, 'create', 'On a terminal'].map(quote).join(' ');
    // Without the line, the write gives up after 30 s and the test fails on its status.
    const waiting = /waiting for another tack process writing the index, s \d+\/30 \(\d+%\)/;
    const { status, text } = await new Promise<{ status: number | null; text: string }>((resolve, reject) => {
      const env = testEnv({ TACK_INDEX_WAIT_MS: '30000' });
      const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: r.dir, env });
      let text = '';
      child.stdout.on('data', (d) => {
        text += d;
        // Let go once the wait shows: however slow the machine, the write has met the lock.
        if (waiting.test(text)) lock.releaseAfter(0);
      });
      child.on('error', reject);
      child.on('close', (status) => resolve({ status, text }));
    });
    await lock.stop();
    expect(status).toBe(0);
    expect(text).toMatch(/On a terminal/);
  });
});
