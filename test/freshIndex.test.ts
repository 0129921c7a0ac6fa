import { afterEach, describe, expect, it } from 'vitest';
import { nodeEffects } from '../src/effects/nodeEffects.js';
import { createContext } from '../src/ops/context.js';
import { offLoopIndex } from '../src/server/freshIndex.js';
import { git, tack, tackJson, tempStore, trackCleanups } from './helpers.js';

/*
 * The server checks its index's freshness once per turn of the event loop, not once per
 * question a request asks of it: a commit by another process is seen from the next turn on,
 * never later.
 */

const track = trackCleanups();
const closers: Array<() => void> = [];
afterEach(() => {
  while (closers.length) closers.pop()!();
});

const nextTurn = () => new Promise((r) => setImmediate(r));

describe('the server index', () => {
  it('sees a commit made by another process at the next turn of the event loop', async () => {
    const store = tempStore();
    track(store.cleanup);
    const first = tackJson(store.dir, 'create', 'First').id as string;
    const base = createContext({ effects: nodeEffects(), cwd: store.dir });
    closers.push(() => base.close());
    let refreshes = 0;
    const ctx = offLoopIndex(base, async () => {
      refreshes++;
      await base.index();
    });
    const titles = async () =>
      (await ctx.index()).db
        .prepare<{ title: string }>('SELECT title FROM tickets ORDER BY title')
        .all()
        .map((t) => t.title);
    expect(await titles()).toEqual(['First']);
    // A CLI write indexes its own commit in the shared index: nothing to refresh.
    tack(store.dir, 'create', 'Second');
    await nextTurn();
    expect(await titles()).toEqual(['First', 'Second']);
    expect(refreshes).toBe(0);

    // Plain git moves the ref while a turn runs: that turn's later questions are answered
    // from the state it found fresh, and the next turn refreshes.
    expect(await titles()).toEqual(['First', 'Second']);
    const head = git(store.dir, 'rev-parse', 'tack');
    git(store.dir, 'update-ref', 'refs/heads/tack', `${head}~1`, head);
    expect(await titles()).toEqual(['First', 'Second']);
    expect(refreshes).toBe(0);
    await nextTurn();
    expect(await titles()).toEqual(['First']);
    expect(refreshes).toBe(1);
    await nextTurn();
    expect(await titles()).toEqual(['First']);
    expect(refreshes).toBe(1);
    expect(tackJson(store.dir, 'show', first).title).toBe('First');
  });
});
