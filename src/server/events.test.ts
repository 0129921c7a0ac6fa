import { describe, expect, it } from 'vitest';
import { EventLog } from './events.js';

const ev = (ticket: string) => ({ type: 'updated' as const, ticket, commit: null, fields: [] });

describe('EventLog', () => {
  it('numbers events from the start id, replays after an id, and refuses what it no longer holds', () => {
    const log = new EventLog(3, 1000);
    const seen: number[] = [];
    const stop = log.subscribe((e) => seen.push(e.id));
    for (const t of ['a', 'b', 'c', 'd']) log.emit(ev(t));
    stop();
    log.emit(ev('e'));
    expect(seen).toEqual([1000, 1001, 1002, 1003]);
    expect(log.lastId()).toBe(1004);
    expect(log.since(1002)!.map((e) => e.ticket)).toEqual(['d', 'e']);
    expect(log.since(1004)).toEqual([]);
    expect(log.since(1001)!.map((e) => e.ticket)).toEqual(['c', 'd', 'e']);
    expect(log.since(1000)).toBeNull(); // 'b' fell out of the buffer
    expect(log.since(12)).toBeNull(); // an id from an earlier run
    expect(log.since(5000)).toBeNull(); // from the future: another server
    expect(log.since(Number('junk'))).toBeNull();
  });

  it('a fresh log replays nothing after its own last id', () => {
    const log = new EventLog(10, 50);
    expect(log.since(log.lastId())).toEqual([]);
  });
});
