import { describe, expect, it } from 'vitest';
import { parseDuration, timeBefore } from './duration.js';

describe('parseDuration', () => {
  it('reads seconds to weeks', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('30m')).toBe(1_800_000);
    expect(parseDuration('12h')).toBe(43_200_000);
    expect(parseDuration('7d')).toBe(7 * 86_400_000);
    expect(parseDuration('2W')).toBe(14 * 86_400_000);
    expect(parseDuration('1.5h')).toBe(5_400_000);
  });
  it('returns null for anything else', () => {
    for (const s of ['', '7', 'd', '7x', '-1d', '7 days']) expect(parseDuration(s)).toBeNull();
  });
});

describe('timeBefore', () => {
  const now = '2026-03-15T12:00:00Z';
  it('counts durations back from now', () => {
    expect(timeBefore(now, '7d')).toBe('2026-03-08T12:00:00Z');
    expect(timeBefore(now, '12h')).toBe('2026-03-15T00:00:00Z');
    expect(timeBefore(now, '2w')).toBe('2026-03-01T12:00:00Z');
  });
  it('takes dates and times as they are', () => {
    expect(timeBefore(now, '2026-03-01')).toBe('2026-03-01T00:00:00Z');
    expect(timeBefore(now, '2026-03-01T09:30:00+01:00')).toBe('2026-03-01T08:30:00Z');
  });
  it('says what it expected', () => {
    expect(() => timeBefore(now, 'yesterday')).toThrow(/expected a duration like 30m, 12h, 7d, 2w or a date/);
  });
});
