import { describe, expect, it } from 'vitest';
import { git, tack, tackJson, tackRaw, tempStore, trackCleanups } from './helpers.js';
import { commitToStore, ticketText } from './storeFiles.js';

/* `tack migrate layout --dry-run` lists its moves a page at a time, as list and ready do. */

const track = trackCleanups();

interface DryRun {
  moved: number;
  moves: Array<{ from: string; to: string }>;
  next_offset: number | null;
  message: string;
}

describe('tack migrate layout --dry-run', () => {
  it('pages its moves: 50 by default, --limit/--offset, --all or --limit 0 for every one, and says how many more', () => {
    const s = tempStore();
    track(s.cleanup);
    const ids = Array.from({ length: 120 }, (_, i) => `tk-pg${String(i).padStart(6, '0')}`);
    const files = Object.fromEntries(
      ids.map((id) => [`tickets/${id}.md`, ticketText({ id, title: `Ticket ${id}`, status: 'todo' })]),
    );
    commitToStore(s.dir, files, 'hand-made: 120 tickets');
    const head = git(s.dir, 'rev-parse', 'tack');

    const first = tackJson<DryRun>(s.dir, 'migrate', 'layout', 'fanout', '--dry-run');
    expect(first.moved).toBe(120);
    expect(first.moves).toHaveLength(50);
    expect(first.moves[0]).toEqual({ from: `tickets/${ids[0]}.md`, to: `tickets/pg/${ids[0]}.md` });
    expect(first.next_offset).toBe(50);
    expect(first.message).toContain('showing 1–50 of 120 moves (70 more): next page --offset 50');

    const last = tackJson<DryRun>(s.dir, 'migrate', 'layout', 'fanout', '--dry-run', '--offset', '100', '-n', '30');
    expect(last.moves.map((m) => m.from)).toEqual(ids.slice(100).map((id) => `tickets/${id}.md`));
    expect(last.next_offset).toBeNull();
    expect(last.message).not.toContain('more');

    for (const every of [['--all'], ['--limit', '0']]) {
      const all = tackJson<DryRun>(s.dir, 'migrate', 'layout', 'fanout', '--dry-run', ...every);
      expect(all.moves.map((m) => m.from)).toEqual(ids.map((id) => `tickets/${id}.md`));
      expect(all.next_offset).toBeNull();
    }

    // The human answer shows the same page and the way to the rest.
    const human = tack(s.dir, 'migrate', 'layout', 'fanout', '--dry-run', '--limit', '5');
    expect(human.split('\n').filter((l) => l.includes(' → '))).toHaveLength(5);
    expect(human).toContain(
      'showing 1–5 of 120 moves (115 more): next page --offset 5, a bigger page --limit N, all --limit 0',
    );
    // What that note offers works: every move.
    expect(tackJson<DryRun>(s.dir, 'migrate', 'layout', 'fanout', '--dry-run', '--limit', '0').moves).toHaveLength(120);

    // A bad page is refused as input; a dry run changes nothing.
    expect(tackRaw(s.dir, ['migrate', 'layout', 'fanout', '--dry-run', '--limit', '-1']).status).toBe(2);
    expect(git(s.dir, 'rev-parse', 'tack')).toBe(head);
  });
});
