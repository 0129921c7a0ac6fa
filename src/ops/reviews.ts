import { z } from 'zod';
import { parseNoteText, type NoteEntry } from '../model/noteEntry.js';
import { listNotes } from '../git/notes.js';
import { discoverRepo } from '../git/repo.js';
import { requireRev } from '../git/refs.js';
import { resolveId } from '../index/ticketIds.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';
import { noteEntryShape } from '../model/workShapes.js';

export type ReviewRow = NoteEntry & { commit: string };

const SORTS: Record<string, (a: ReviewRow, b: ReviewRow) => number> = {
  time: (a, b) => cmp(a.time, b.time) || cmp(a.commit, b.commit),
  commit: (a, b) => cmp(a.commit, b.commit) || cmp(a.time, b.time),
  ticket: (a, b) => cmp(a.ticket ?? '\uffff', b.ticket ?? '\uffff') || cmp(a.time, b.time),
};

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export default defineOp({
  name: 'reviews',
  summary: 'Reviews (and with --all, every note) attached to commits under refs/notes/tack, filtered and sorted',
  kind: 'read',
  input: z.object({
    ticket: z.string().optional().describe('only entries about this ticket'),
    commit: z.string().optional().describe('only entries on this commit (any revision)'),
    verdict: z.enum(['approve', 'reject']).optional().describe('only this verdict'),
    sort: z.enum(['time', 'commit', 'ticket']).optional().describe('order (default time)'),
    all: z.boolean().optional().describe('include notes that are not reviews (plain text, metadata)'),
  }),
  output: lazyShape(() => z.array(noteEntryShape().extend({ commit: z.string() }))),
  async run(ctx, input): Promise<ReviewRow[]> {
    const repo = discoverRepo(ctx.cwd);
    const commit = input.commit ? requireRev(repo, input.commit) : null;
    const ticket = input.ticket ? resolveId((await ctx.index()).db, input.ticket) : null;
    const rows: ReviewRow[] = [];
    for (const n of listNotes(repo)) {
      if (commit && n.commit !== commit) continue;
      for (const e of parseNoteText(n.text)) rows.push({ commit: n.commit, ...e });
    }
    return rows
      .filter(
        (r) =>
          (input.all || r.review !== null) &&
          (!ticket || r.ticket === ticket) &&
          (!input.verdict || r.review === input.verdict),
      )
      .sort(SORTS[input.sort ?? 'time']);
  },
});
