import { z } from 'zod';
import { unknownValue } from '../model/errors.js';
import { firstStateOf } from '../model/schema.js';
import { idList } from './ticketInput.js';
import { editorEnv, type Applied, type ApplyEnv } from './applyEnv.js';
import type { TicketEditor } from './ticketEditor.js';
import { releaseFinished } from './claimShared.js';
import { mutate } from './mutate.js';
import { changedTickets, editingMany } from './bulkEdit.js';
import { defineOp } from './op.js';
import { lazyShape, ticketsWriteShape } from '../model/jsonShapes.js';

export const closeInput = z.object({
  ids: idList.min(1).describe('ticket ids'),
  reason: z.string().optional().describe('why: kept in the ticket as its resolution'),
  status: z.string().optional().describe('closing state (default: the first completed state)'),
  cancel: z.boolean().optional().describe('cancel instead of complete'),
});

/** Move tickets to a completed (or canceled) state in the editor. */
export function applyClose(ed: TicketEditor, input: z.infer<typeof closeInput>, env: ApplyEnv): Applied<null> {
  const schema = ed.schema;
  const ids = input.ids.map((i) => env.resolve(i));
  const category = input.cancel ? 'canceled' : 'completed';
  const status = input.status ?? firstStateOf(schema, category);
  const closing = schema.states
    .filter((s) => s.category === 'completed' || s.category === 'canceled')
    .map((s) => s.name);
  if (!status || !closing.includes(status)) throw unknownValue('closing status', status ?? '', closing);
  ed.each(ids, (id) => {
    ed.set(id, 'status', status);
    ed.set(id, 'resolution', input.reason ?? null);
  });
  return { subject: `close ${ids.join(', ')}${input.reason ? `: ${input.reason}` : ''}`, ids, value: null };
}

export default defineOp({
  name: 'close',
  summary: 'Complete (or cancel) tickets, with a reason',
  kind: 'write',
  destructive: true,
  idempotent: true,
  cli: { args: ['...ids'], short: { r: 'reason' } },
  input: closeInput,
  output: lazyShape(() => ticketsWriteShape().extend({ released: z.array(z.string()) })),
  run(ctx, input) {
    return editingMany(ctx, input.ids.length, async () => {
      const { commit, value: ids } = await mutate(ctx, 'close', (ed) => {
        const applied = applyClose(ed, input, editorEnv(ed, ctx));
        return { subject: applied.subject, value: applied.ids };
      });
      const released = releaseFinished(ctx, ids, [ctx.user()], commit);
      return { tickets: await changedTickets(ctx, ids), commit, released };
    });
  },
});
