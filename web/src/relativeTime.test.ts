import { describe, expect, it } from 'vitest';
import { exactTime, relativeTime } from './relativeTime';

const now = Date.parse('2026-12-05T12:00:00Z');

describe('relativeTime', () => {
  it('says how long ago, in the largest unit that fits', () => {
    expect(relativeTime('2026-12-05T11:59:40Z', now)).toBe('just now');
    expect(relativeTime('2026-12-05T11:55:00Z', now)).toBe('5 minutes ago');
    expect(relativeTime('2026-12-05T09:00:00Z', now)).toBe('3 hours ago');
    expect(relativeTime('2026-12-04T10:00:00Z', now)).toBe('yesterday');
    expect(relativeTime('2026-12-01T12:00:00Z', now)).toBe('4 days ago');
  });

  it('gives the date for a month or more, and a time it cannot read as it is', () => {
    expect(relativeTime('2026-10-01T12:00:00Z', now)).toBe('2026-10-01');
    expect(relativeTime('not a time', now)).toBe('not a time');
    expect(exactTime('2026-12-01T10:02:11Z')).toBe('2026-12-01 10:02 UTC');
  });

  it('a clock ahead of the writer is not "in the past"', () => {
    expect(relativeTime('2026-12-05T15:00:00Z', now)).toBe('in 3 hours');
  });
});
