import { z } from 'zod';
import { isTackError, TackError } from '../model/errors.js';
import { timeBefore } from '../model/duration.js';
import type { DB } from '../index/indexDb.js';
import { layoutOf } from '../model/schema.js';
import { ticketPath } from '../model/ticketPath.js';
import { ARCHIVE_DIR } from '../store/store.js';
import { findTicketText } from '../store/storeReader.js';
import { mutate } from './mutate.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';

interface Candidate {
  id: string;
  title: string;
  status: string;
  updated: string | null;
}

/** Completed or canceled tickets in tickets/ untouched since `cutoff` (committed state only). */
function candidates(db: DB, cutoff: string): Candidate[] {
  return db
    .prepare<Candidate>(`SELECT id, title, status, coalesce(updated, created) AS updated FROM tickets
    WHERE archived = 0 AND dirty = 0 AND category IN ('completed', 'canceled') AND coalesce(updated, created) < ?
    ORDER BY id`)
    .all(cutoff);
}

function cutoffOf(now: string, doneBefore: string): string {
  try {
    return timeBefore(now, doneBefore);
  } catch (e) {
    if (!isTackError(e)) throw e;
    throw new TackError(
      'invalid_input',
      `--done-before ${JSON.stringify(doneBefore)} is neither a duration nor a date; expected e.g. 30d, 2w or 2026-11-01`,
      { field: 'done_before', received: doneBefore },
    );
  }
}

/**
 * Prune the frontier: completed work moves from tickets/ to archive/ in one commit (a
 * rename git can follow). Archived tickets stay in the index, hidden from list, ready and
 * search unless asked for (`--archived`); references to them keep resolving.
 */
export default defineOp({
  name: 'archive',
  summary: 'Move completed and canceled tickets not updated since a time to archive/ (one commit)',
  kind: 'write',
  input: z.object({
    done_before: z
      .string()
      .min(1)
      .describe('archive closed work last updated before this: a duration back from now (30d, 2w) or a date'),
    dry_run: z.boolean().optional().describe('list what would be archived; change nothing'),
  }),
  output: lazyShape(() =>
    z.strictObject({
      archived: z.array(
        z.strictObject({ id: z.string(), title: z.string(), status: z.string(), updated: z.string().nullable() }),
      ),
      commit: z.string().nullable(),
      cutoff: z.string(),
      dry_run: z.boolean(),
      message: z.string(),
    }),
  ),
  async run(ctx, input) {
    const cutoff = cutoffOf(ctx.now(), input.done_before);
    const idx = await ctx.index();
    const found = candidates(idx.db, cutoff);
    if (input.dry_run || found.length === 0) {
      return {
        archived: found,
        commit: null,
        cutoff,
        dry_run: input.dry_run === true,
        message: describe(found, cutoff, input.dry_run === true),
      };
    }
    const { commit, value } = await mutate(ctx, 'archive', (ed) => {
      // Recomputed on the head the commit is made from: another writer may have reopened one.
      const now = candidates(ed.index.db, cutoff);
      if (now.length === 0)
        throw new TackError('conflict', 'the tickets to archive changed meanwhile; nothing is left to archive');
      const rev = ed.store.mode === 'inline' ? null : ed.head;
      const layout = layoutOf(ed.schema);
      const extra = now.flatMap((t) => {
        const found = findTicketText(ed.store, rev, t.id, 'tickets', layout);
        return found === null
          ? []
          : [
              { path: found.rel, content: null },
              { path: ticketPath(t.id, layout, ARCHIVE_DIR), content: found.text },
            ];
      });
      return {
        subject: `archive ${now.length} ticket${now.length === 1 ? '' : 's'} done before ${cutoff.slice(0, 10)}`,
        value: now,
        extra,
        extraTickets: now.map((t) => t.id),
      };
    });
    return { archived: value, commit, cutoff, dry_run: false, message: describe(value, cutoff, false) };
  },
});

function describe(list: Candidate[], cutoff: string, dry: boolean): string {
  if (list.length === 0) return `nothing to archive: no completed or canceled ticket was last updated before ${cutoff}`;
  const head = `${dry ? 'would archive' : 'archived'} ${list.length} ticket${list.length === 1 ? '' : 's'} (closed, last updated before ${cutoff}):`;
  return [head, ...list.map((t) => `  ${t.id}  ${t.status}  ${t.title}`)].join('\n');
}
