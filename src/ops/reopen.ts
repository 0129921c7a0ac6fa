import { z } from 'zod';
import { unknownValue } from '../model/errors.js';
import { firstStateOf } from '../model/schema.js';
import { idList } from './ticketInput.js';
import { editorEnv, type Applied, type ApplyEnv } from './applyEnv.js';
import type { TicketEditor } from './ticketEditor.js';
import { mutate } from './mutate.js';
import { changedTickets, editingMany } from './bulkEdit.js';
import { defineOp } from './op.js';
import { ticketsWriteShape } from '../model/jsonShapes.js';

export const reopenInput = z.object({
  ids: idList.min(1).describe('ticket ids'),
  status: z.string().optional().describe('state to reopen into (default: the first unstarted state)'),
});

/** Move tickets back to an open state in the editor, clearing their resolution. */
export function applyReopen(ed: TicketEditor, input: z.infer<typeof reopenInput>, env: ApplyEnv): Applied<null> {
  const schema = ed.schema;
  const ids = input.ids.map((i) => env.resolve(i));
  const status = input.status ?? firstStateOf(schema, 'unstarted') ?? firstStateOf(schema, 'backlog');
  const open = schema.states.filter((s) => s.category !== 'completed' && s.category !== 'canceled').map((s) => s.name);
  if (!status || !open.includes(status)) throw unknownValue('open status', status ?? '', open);
  ed.each(ids, (id) => {
    ed.set(id, 'status', status);
    ed.set(id, 'resolution', null);
  });
  return { subject: `reopen ${ids.join(', ')}`, ids, value: null };
}

export default defineOp({
  name: 'reopen',
  summary: 'Reopen closed tickets',
  kind: 'write',
  cli: { args: ['...ids'] },
  input: reopenInput,
  output: ticketsWriteShape,
  run(ctx, input) {
    return editingMany(ctx, input.ids.length, async () => {
      const { commit, value: ids } = await mutate(ctx, 'reopen', (ed) => {
        const applied = applyReopen(ed, input, editorEnv(ed, ctx));
        return { subject: applied.subject, value: applied.ids };
      });
      return { tickets: await changedTickets(ctx, ids), commit };
    });
  },
});
