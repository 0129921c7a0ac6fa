import { describe, expect, it } from 'vitest';
import {
  formatLeaseMessage,
  isGuarding,
  isLive,
  leaseExpiry,
  leaseRef,
  parseLeaseMessage,
  ticketOfLeaseRef,
} from './lease.js';

describe('lease', () => {
  const lease = {
    ticket: 'tk-3fa9x2kq',
    owner: 'alice',
    expires: '2026-11-21T12:00:00Z',
    claimed: '2026-11-21T10:00:00Z',
  };

  it('round-trips through the lease commit message', () => {
    const msg = formatLeaseMessage(lease);
    expect(msg.split('\n')[0]).toBe('claim tk-3fa9x2kq by alice until 2026-11-21T12:00:00Z');
    expect(parseLeaseMessage(msg)).toEqual(lease);
    expect(parseLeaseMessage('just a commit\n\nno lease here\n')).toBeNull();
    expect(parseLeaseMessage('x\n\n{"ticket": 1}\n')).toBeNull();
  });

  it('keeps the local mark of an unpublished claim, and only a true one', () => {
    expect(parseLeaseMessage(formatLeaseMessage({ ...lease, local: true }))).toEqual({ ...lease, local: true });
    const odd = formatLeaseMessage(lease).replace('"claimed"', '"local":"yes","claimed"');
    expect(parseLeaseMessage(odd)).toEqual(lease);
  });

  it('is live until it expires', () => {
    expect(isLive(lease, '2026-11-21T11:59:59Z')).toBe(true);
    expect(isLive(lease, '2026-11-21T12:00:00Z')).toBe(false);
  });

  it('a finished lease holds nothing but guards its ticket until it expires; only with a real commit id', () => {
    const done = { ...lease, finished: '2026-11-21T10:30:00Z', closed_in: 'a'.repeat(40) };
    const msg = formatLeaseMessage(done);
    expect(msg.split('\n')[0]).toBe('claim tk-3fa9x2kq by alice finished at 2026-11-21T10:30:00Z');
    expect(parseLeaseMessage(msg)).toEqual(done);
    expect(isLive(done, '2026-11-21T11:00:00Z')).toBe(false);
    expect(isGuarding(done, '2026-11-21T11:00:00Z')).toBe(true);
    expect(isGuarding(done, '2026-11-21T12:00:00Z')).toBe(false);
    expect(isGuarding(lease, '2026-11-21T11:00:00Z')).toBe(false);
    for (const closed_in of ['HEAD', '--all', 'a'.repeat(39), 'A'.repeat(40), 7])
      expect(
        parseLeaseMessage(msg.replace(`"closed_in":"${'a'.repeat(40)}"`, `"closed_in":${JSON.stringify(closed_in)}`)),
      ).toEqual(lease);
  });

  it('expiry is now plus a duration; nonsense durations are refused', () => {
    expect(leaseExpiry('2026-11-21T10:00:00Z', '30m')).toBe('2026-11-21T10:30:00Z');
    expect(leaseExpiry('2026-11-21T10:00:00Z', '2h')).toBe('2026-11-21T12:00:00Z');
    expect(() => leaseExpiry('2026-11-21T10:00:00Z', 'soon')).toThrow(/30m, 2h or 1d/);
    expect(() => leaseExpiry('2026-11-21T10:00:00Z', '0m')).toThrow();
  });

  it('names refs by ticket', () => {
    expect(leaseRef('tk-1')).toBe('refs/tack/claims/tk-1');
    expect(ticketOfLeaseRef('refs/tack/claims/tk-1')).toBe('tk-1');
    expect(ticketOfLeaseRef('refs/heads/tack')).toBeNull();
  });
});
