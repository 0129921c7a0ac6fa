import { describe, expect, it } from 'vitest';
import type { TicketSummary } from '../index/queries.js';
import { ticketLine } from './render.js';
import { fit } from './terminal.js';

describe('fitting lines to the terminal', () => {
  it('fit cuts with an ellipsis and leaves nothing when there is no room', () => {
    expect(fit('abcdef', 6)).toBe('abcdef');
    expect(fit('abcdef', 4)).toBe('abc…');
    expect(fit('abcdef', 1)).toBe('…');
    expect(fit('abcdef', 0)).toBe('');
  });

  it('a ticket line never exceeds the width, however narrow, and keeps its title first', () => {
    const t = {
      id: 'tk-abcdefgh',
      short_id: 'tk-abcd',
      status: 'in-progress',
      category: 'started',
      priority: 'high',
      title: 'A long title that says what the work is about',
      labels: ['frontend', 'urgent-fix'],
      assignee: 'someone-with-a-long-name',
    } as TicketSummary;
    for (const width of [40, 50, 60, 80, 100]) {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: colour escapes are not columns
      const line = ticketLine(t, 7, 11, width).replace(/\x1b\[[0-9;]*m/g, '');
      expect(line.length, `width ${width}: ${line}`).toBeLessThanOrEqual(width);
      expect(line).toContain('A long title');
    }
    expect(ticketLine(t, 7, 11, 0)).toContain('@someone-with-a-long-name');
  });
});
