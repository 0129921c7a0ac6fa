import { z } from 'zod';
import { TackError } from '../model/errors.js';
import type { Index } from '../index/indexDb.js';
import { valueList } from '../index/rowQuery.js';
import { idList, resolveIds } from './ticketInput.js';
import { mutate } from './mutate.js';
import { editingMany } from './bulkEdit.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';

/** Tickets (other than those being deleted) whose fields point at any of `ids`. */
function referrers(idx: Index, ids: string[]): Array<{ id: string; field: string; target: string }> {
  const params: unknown[] = [];
  const marks = () => valueList(ids, params);
  const sql = `
    SELECT src AS id, kind AS field, dst AS target FROM relations WHERE dst IN ${marks()} AND src NOT IN ${marks()}
    UNION SELECT src, 'links', target FROM links WHERE origin = 'field' AND target IN ${marks()} AND src NOT IN ${marks()}
    ORDER BY 1, 2`;
  return idx.db.prepare<{ id: string; field: string; target: string }>(sql).all(...params);
}

/**
 * Delete tickets: the files go in one commit; git keeps every version (`tack log`,
 * `git show`), so nothing is lost. Tickets that still point at them are a reason to
 * refuse, unless --force, which removes those references in the same commit.
 */
export default defineOp({
  name: 'delete',
  summary: 'Delete tickets (one commit; history keeps them); --force also drops references to them',
  kind: 'write',
  cli: { args: ['...ids'] },
  input: z.object({
    ids: idList.min(1).describe('ticket ids'),
    force: z.boolean().optional().describe('also remove the references other tickets hold to them'),
  }),
  output: lazyShape(() =>
    z.strictObject({ deleted: z.array(z.string()), updated: z.array(z.string()), commit: z.string().nullable() }),
  ),
  run(ctx, input) {
    return editingMany(ctx, input.ids.length, async () => {
      const idx = await ctx.index();
      const ids = [...new Set(resolveIds(idx, input.ids))];
      const refs = referrers(idx, ids);
      if (refs.length && !input.force) {
        const shown = refs
          .slice(0, 10)
          .map((r) => `${r.id} (${r.field} ${r.target})`)
          .join(', ');
        throw new TackError(
          'conflict',
          `other tickets point at ${ids.join(', ')}: ${shown}${refs.length > 10 ? ', …' : ''}; expected none (remove the links, or use --force to drop them in the same commit)`,
          { referrers: refs },
        );
      }
      const gone = new Set(ids);
      const { commit } = await mutate(ctx, 'delete', (ed) => {
        for (const r of refs) {
          const t = ed.ticket(r.id);
          if (r.field === 'parent') ed.set(r.id, 'parent', null);
          else if (r.field === 'links')
            ed.set(
              r.id,
              'links',
              t.links.filter((l) => !gone.has(l)),
            );
          else
            ed.set(
              r.id,
              r.field,
              (t.relations[r.field] ?? []).filter((x) => !gone.has(x)),
            );
        }
        ed.each(ids, (id) => ed.remove(id));
        return { subject: `delete ${ids.join(', ')}`, value: null };
      });
      return { deleted: ids, updated: [...new Set(refs.map((r) => r.id))], commit };
    });
  },
});
