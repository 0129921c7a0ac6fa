import { describe, expect, it } from 'vitest';
import { ReconciliationTally } from './reconciliationTally.js';

describe('ReconciliationTally', () => {
  it('accounts for each remote item once: mirrored, deleted here, out of scope, skipped or missing', () => {
    const t = new ReconciliationTally();
    for (const id of ['1', '2', '3', '4', '2', '7']) t.read(id, false); // '2' read twice (overlap)
    t.read('9', true); // a deletion notice is no item seen
    t.decline('3');
    t.leaveOut('7'); // outside --pull-filter
    t.leaveOut('1'); // left out once, mirrored since (a label added): mirrored wins
    t.skip(['5', '6']);
    t.skip(['5']);
    expect(t.count((id) => id === '1' || id === '2')).toEqual({
      seen: 5,
      mirrored: 2,
      deletedHere: 1,
      skipped: 2,
      outOfScope: 1,
      missing: 1, // '4': neither mirrored nor left out on purpose
    });
  });
});
