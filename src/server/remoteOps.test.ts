import { describe, expect, it } from 'vitest';
import { readsInLane } from './remoteOps.js';

describe('readsInLane', () => {
  it('sends reads that run git or read the whole store to the read lane, the others to the index here', () => {
    // An export of 100,000 tickets took ~2 s of the event loop and its whole text in the server.
    expect(readsInLane('export', { format: 'jsonl' })).toBe(true);
    expect(readsInLane('branch-list', {})).toBe(true);
    expect(readsInLane('list', { at: 'tack~2' })).toBe(true);
    // Asked for all of it: a search for a common word at 100,000 tickets held the loop 3.5 s.
    expect(readsInLane('search', { words: 'the', limit: 0 })).toBe(true);
    expect(readsInLane('list', { limit: 0 })).toBe(true);
    expect(readsInLane('list', { limit: 50 })).toBe(false);
    expect(readsInLane('list', {})).toBe(false);
    expect(readsInLane('show', { id: 'tk-1', at: '' })).toBe(false);
  });
});
