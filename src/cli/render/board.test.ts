import { describe, expect, it } from 'vitest';
import type { TicketSummary } from '../../index/queries.js';
import { renderBoard } from './board.js';

const ticket = (n: number): TicketSummary =>
  ({ id: `tk-${n}`, short_id: `tk-${n}`, title: `A ticket with a long enough title number ${n}` }) as TicketSummary;
const column = (state: string, count: number) => ({
  state,
  category: 'unstarted',
  count,
  tickets: Array.from({ length: count }, (_, i) => ticket(i)),
});

describe('renderBoard', () => {
  const states = ['triage', 'backlog', 'todo', 'needs-context', 'in-progress', 'in-review', 'done', 'canceled'];
  const cols = states.map((s, i) => column(s, i % 3 === 1 ? 0 : 2));

  it('fits 80 columns: no line longer, every state with tickets shown, empty ones named once', () => {
    const text = renderBoard(cols, 80);
    for (const line of text.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
    for (const c of cols.filter((x) => x.count)) expect(text).toContain(`${c.state} (2)`);
    expect(text).toContain('empty: backlog, in-progress, canceled');
    expect(text).not.toContain('backlog (0)');
  });

  it('uses the width it has: one band when everything fits', () => {
    const text = renderBoard(cols.slice(0, 3), 200);
    expect(text.split('\n')[0]).toMatch(/^triage \(2\).*todo \(2\)/);
  });
});
