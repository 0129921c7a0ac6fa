import { describe, expect, it } from 'vitest';
import { readsInLane } from './remoteOps.js';

describe('readsInLane', () => {
  it('sends reads that run git or read the whole store to the read lane, the others to the index here', () => {
    // An export of 100,000 tickets took ~2 s of the event loop and its whole text in the server.
    expect(readsInLane('export', { format: 'jsonl' })).toBe(true);
    expect(readsInLane('branch-list', {})).toBe(true);
    expect(readsInLane('list', { at: 'tack~2' })).toBe(true);
    expect(readsInLane('list', {})).toBe(false);
    expect(readsInLane('show', { id: 'tk-1', at: '' })).toBe(false);
  });
});
