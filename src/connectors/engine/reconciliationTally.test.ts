import { describe, expect, it } from 'vitest';
import { ReconciliationTally } from './reconciliationTally.js';

describe('ReconciliationTally', () => {
  it('accounts for each remote item once: mirrored, deleted here, skipped or missing', () => {
    const t = new ReconciliationTally();
    for (const id of ['1', '2', '3', '4', '2']) t.read(id, false); // '2' read twice (overlap)
    t.read('9', true); // a deletion notice is no item seen
    t.decline('3');
    t.skip(['5', '6']);
    t.skip(['5']);
    expect(t.count((id) => id === '1' || id === '2')).toEqual({
      seen: 4,
      mirrored: 2,
      deletedHere: 1,
      skipped: 2,
      missing: 1, // '4': neither mirrored nor left out on purpose
    });
  });
});
