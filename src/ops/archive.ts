import { z } from 'zod';
import { isTackError, TackError } from '../model/errors.js';
import { timeBefore } from '../model/duration.js';
import type { DB } from '../index/indexDb.js';
import { layoutOf } from '../model/schema.js';
import { ticketPath } from '../model/ticketPath.js';
import { ARCHIVE_DIR } from '../store/store.js';
import { findTicketText } from '../store/storeReader.js';
import { mutate } from './mutate.js';
import type { TicketEditor } from './ticketEditor.js';
import { idList, resolveIds } from './ticketInput.js';
import { defineOp, type OpContext } from './op.js';
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

/** The named tickets, each live and committed as it is (else nothing is archived). */
function named(db: DB, ids: string[]): Candidate[] {
  const get = db.prepare<Candidate & { archived: number; dirty: number }>(
    'SELECT id, title, status, coalesce(updated, created) AS updated, archived, dirty FROM tickets WHERE id = ?',
  );
  return ids.map((id) => {
    const row = get.get(id);
    if (!row) throw new TackError('not_found', `no ticket has the id ${JSON.stringify(id)}`, { id });
    if (row.archived) throw new TackError('conflict', `${id} is already archived; nothing was archived`, { id });
    if (row.dirty)
      throw new TackError(
        'conflict',
        `${id} has an edit not yet committed; nothing was archived (archive it once the edit is committed)`,
        { id },
      );
    return { id: row.id, title: row.title, status: row.status, updated: row.updated };
  });
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
  summary: 'Move tickets to archive/ in one commit: the named ones, or closed work not updated since --done-before',
  kind: 'write',
  cli: { args: ['...ids'] },
  input: z.object({
    ids: idList.optional().describe('archive these tickets now, whatever their state (instead of --done-before)'),
    done_before: z
      .string()
      .min(1)
      .optional()
      .describe('archive closed work last updated before this: a duration back from now (30d, 2w) or a date'),
    dry_run: z.boolean().optional().describe('list what would be archived; change nothing'),
  }),
  output: lazyShape(() =>
    z.strictObject({
      archived: z.array(
        z.strictObject({ id: z.string(), title: z.string(), status: z.string(), updated: z.string().nullable() }),
      ),
      commit: z.string().nullable(),
      /** Null when tickets were named. */
      cutoff: z.string().nullable(),
      dry_run: z.boolean(),
      message: z.string(),
    }),
  ),
  async run(ctx, input) {
    const ids = input.ids?.length ? input.ids : null;
    if ((ids === null) === (input.done_before === undefined))
      throw new TackError(
        'invalid_input',
        `archive takes ticket ids or --done-before, one of the two; received ${ids ? 'both' : 'neither'}`,
      );
    const idx = await ctx.index();
    if (ids) return archiveNamed(ctx, [...new Set(resolveIds(idx, ids))], input.dry_run === true);
    const cutoff = cutoffOf(ctx.now(), input.done_before!);
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
      return moves(
        ed,
        now,
        `archive ${now.length} ticket${now.length === 1 ? '' : 's'} done before ${cutoff.slice(0, 10)}`,
      );
    });
    return { archived: value, commit, cutoff, dry_run: false, message: describe(value, cutoff, false) };
  },
});

/** Named tickets to archive/ in one commit, checked again on the head it is made from. */
async function archiveNamed(ctx: OpContext, ids: string[], dry: boolean) {
  const idx = await ctx.index();
  const found = named(idx.db, ids);
  const message = (list: Candidate[], verb: string) =>
    [
      `${verb} ${list.length} ticket${list.length === 1 ? '' : 's'}:`,
      ...list.map((t) => `  ${t.id}  ${t.status}  ${t.title}`),
    ].join('\n');
  if (dry)
    return { archived: found, commit: null, cutoff: null, dry_run: true, message: message(found, 'would archive') };
  const { commit, value } = await mutate(ctx, 'archive', (ed) =>
    moves(ed, named(ed.index.db, ids), `archive ${ids.join(', ')}`),
  );
  return { archived: value, commit, cutoff: null, dry_run: false, message: message(value, 'archived') };
}

/** The edit that moves each ticket's file from tickets/ to archive/ (a rename git follows). */
function moves(ed: TicketEditor, list: Candidate[], subject: string) {
  const rev = ed.store.mode === 'inline' ? null : ed.head;
  const layout = layoutOf(ed.schema);
  const extra = list.flatMap((t) => {
    const found = findTicketText(ed.store, rev, t.id, 'tickets', layout);
    return found === null
      ? []
      : [
          { path: found.rel, content: null },
          { path: ticketPath(t.id, layout, ARCHIVE_DIR), content: found.text },
        ];
  });
  return { subject, value: list, extra, extraTickets: list.map((t) => t.id) };
}

function describe(list: Candidate[], cutoff: string, dry: boolean): string {
  if (list.length === 0) return `nothing to archive: no completed or canceled ticket was last updated before ${cutoff}`;
  const head = `${dry ? 'would archive' : 'archived'} ${list.length} ticket${list.length === 1 ? '' : 's'} (closed, last updated before ${cutoff}):`;
  return [head, ...list.map((t) => `  ${t.id}  ${t.status}  ${t.title}`)].join('\n');
}
