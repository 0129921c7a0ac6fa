import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Store, StoreSettings } from './store.js';
import { claimBatches, finishBatch, pendingDelivery, readBatch, spoolCommit, triggersDir } from './triggerSpool.js';

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

function fakeStore(): Store {
  const commonDir = mkdtempSync(join(tmpdir(), 'tack-spool-'));
  dirs.push(commonDir);
  return { repo: { commonDir }, ref: 'refs/heads/tack', plan: null } as unknown as Store;
}
const settings = { triggers: { on: { 'ticket.created': 'true' } } } as unknown as StoreSettings;

describe('trigger spool', () => {
  it('keeps one whole file per commit, claimed in commit order, after what an older version left', () => {
    const store = fakeStore();
    const commits = Array.from({ length: 5 }, (_, i) => String(i).repeat(40));
    // What a version with the single spool file left behind is drained first.
    spoolCommit(store, settings, commits[0]!);
    const legacy = join(triggersDir(store), 'spool.jsonl');
    writeFileSync(legacy, `${JSON.stringify({ commit: 'f'.repeat(40), ref: store.ref, spooled: '' })}\n`);
    for (const c of commits.slice(1)) spoolCommit(store, settings, c);
    expect(pendingDelivery(store)).toBe(true);
    const claimed = claimBatches(store);
    const order = claimed.flatMap((f) => readBatch(f).map((e) => e.commit));
    expect(order).toEqual(['f'.repeat(40), ...commits]);
    // No temporary file is ever listed: an entry appears whole or not at all.
    expect(readdirSync(join(triggersDir(store), 'spool')).filter((n) => n.startsWith('.'))).toEqual([]);
    // An entry spooled while the deliverer works is a new file, never lost with a claimed one.
    spoolCommit(store, settings, 'a'.repeat(40));
    for (const f of claimed) finishBatch(f);
    expect(claimBatches(store).flatMap((f) => readBatch(f).map((e) => e.commit))).toEqual(['a'.repeat(40)]);
  });

  it('spools nothing without triggers or on a plan branch', () => {
    const store = fakeStore();
    spoolCommit(store, null, 'b'.repeat(40));
    spoolCommit({ ...store, plan: 'p' } as unknown as Store, settings, 'c'.repeat(40));
    expect(pendingDelivery(store)).toBe(false);
  });
});
