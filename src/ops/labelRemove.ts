import { z } from 'zod';
import { idList } from './ticketInput.js';
import type { Applied, ApplyEnv } from './applyEnv.js';
import type { TicketEditor } from './ticketEditor.js';
import { ticketsWrite } from './bulkEdit.js';
import { defineOp } from './op.js';
import { ticketsWriteShape } from '../model/jsonShapes.js';

export const labelRemoveInput = z.object({
  id: z.string().min(1).describe('ticket id'),
  labels: z.array(z.string().min(1)).min(1).describe('labels to remove'),
  also: idList.optional().describe('more ticket ids (repeatable)'),
});

export function applyLabelRemove(
  ed: TicketEditor,
  input: z.infer<typeof labelRemoveInput>,
  env: ApplyEnv,
): Applied<null> {
  const ids = [input.id, ...(input.also ?? [])].map((i) => env.resolve(i));
  ed.each(ids, (id) =>
    ed.set(
      id,
      'labels',
      ed.ticket(id).labels.filter((l) => !input.labels.includes(l)),
    ),
  );
  return { subject: `label ${ids.join(', ')} -${input.labels.join(' -')}`, ids, value: null };
}

export default defineOp({
  name: 'label-rm',
  summary: 'Remove labels from tickets',
  kind: 'write',
  cli: { args: ['id', '...labels'] },
  input: labelRemoveInput,
  output: ticketsWriteShape,
  run(ctx, input) {
    return ticketsWrite(ctx, 'label', 1 + (input.also?.length ?? 0), (ed, env) => applyLabelRemove(ed, input, env));
  },
});
