import { z } from 'zod';
import { idList } from './ticketInput.js';
import type { Applied, ApplyEnv } from './applyEnv.js';
import type { TicketEditor } from './ticketEditor.js';
import { ticketsWrite } from './bulkEdit.js';
import { defineOp } from './op.js';
import { ticketsWriteShape } from '../model/jsonShapes.js';

export const labelAddInput = z.object({
  id: z.string().min(1).describe('ticket id'),
  labels: z.array(z.string().min(1)).min(1).describe('labels to add'),
  also: idList.optional().describe('more ticket ids (repeatable)'),
});

export function applyLabelAdd(ed: TicketEditor, input: z.infer<typeof labelAddInput>, env: ApplyEnv): Applied<null> {
  const ids = [input.id, ...(input.also ?? [])].map((i) => env.resolve(i));
  ed.each(ids, (id) => ed.set(id, 'labels', [...new Set([...ed.ticket(id).labels, ...input.labels])]));
  return { subject: `label ${ids.join(', ')} +${input.labels.join(' +')}`, ids, value: null };
}

export default defineOp({
  name: 'label-add',
  summary: 'Add labels to tickets',
  kind: 'write',
  cli: { args: ['id', '...labels'] },
  input: labelAddInput,
  output: ticketsWriteShape,
  run(ctx, input) {
    return ticketsWrite(ctx, 'label', 1 + (input.also?.length ?? 0), (ed, env) => applyLabelAdd(ed, input, env));
  },
});
