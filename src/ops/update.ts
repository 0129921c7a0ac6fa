import { z } from 'zod';
import { TackError } from '../model/errors.js';
import { getSummary } from '../index/queries.js';
import { clearable, checkTicketEnums, fieldAssignments, idArg, meAs, parseFieldAssignments } from './ticketInput.js';
import { editorEnv, type Applied, type ApplyEnv } from './applyEnv.js';
import type { TicketEditor } from './ticketEditor.js';
import { mutate } from './mutate.js';
import { defineOp } from './op.js';
import { ticketWriteShape } from '../model/jsonShapes.js';

export const updateInput = z.object({
  id: idArg,
  title: z.string().trim().min(1).optional().describe('new title'),
  type: z.string().optional().describe('ticket type'),
  status: z.string().optional().describe('new state'),
  priority: z.string().optional().describe('none, urgent, high, medium, low'),
  assignee: z.string().optional().describe('new owner ("none" to unassign)'),
  owner: z.string().trim().min(1).optional().describe('the person questions go to ("me"; "none" to clear)'),
  parent: z.string().optional().describe('parent ticket id ("none" to clear)'),
  project: z.string().optional().describe('project key ("none" to clear)'),
  description: z.string().optional().describe('replace the markdown body'),
  add_label: z.array(z.string().min(1)).optional().describe('label to add (repeatable)'),
  remove_label: z.array(z.string().min(1)).optional().describe('label to remove (repeatable)'),
  field: fieldAssignments,
  rank: z
    .number()
    .finite()
    .optional()
    .describe('order within its board column, lower first (the web board sets it on drop)'),
  unset: z.array(z.string()).optional().describe('field to remove (repeatable)'),
});

const REQUIRED = ['id', 'title', 'type', 'status', 'priority', 'created', 'updated'];

/** Change the fields of one ticket in the editor; the value is its id. */
export function applyUpdate(ed: TicketEditor, input: z.infer<typeof updateInput>, env: ApplyEnv): Applied<string> {
  const id = env.resolve(input.id);
  checkTicketEnums(ed.schema, { ...input, project: clearable(input.project) });
  const custom = parseFieldAssignments(ed.schema, input.field, () => env.user);
  const parent = clearable(input.parent);
  const parentId = parent ? env.resolve(parent) : parent;
  for (const u of input.unset ?? []) {
    if (REQUIRED.includes(u)) throw new TackError('invalid_input', `cannot unset "${u}": every ticket needs it`);
  }
  const t = ed.ticket(id);
  const changed: string[] = [];
  const set = (k: string, v: unknown) => {
    ed.set(id, k, v);
    changed.push(k);
  };
  if (input.title !== undefined) set('title', input.title);
  if (input.type !== undefined) set('type', input.type);
  if (input.status !== undefined) set('status', input.status);
  if (input.priority !== undefined) set('priority', input.priority);
  if (input.assignee !== undefined)
    set(
      'assignee',
      meAs(clearable(input.assignee), () => env.user),
    );
  if (input.owner !== undefined)
    set(
      'owner',
      meAs(clearable(input.owner), () => env.user),
    );
  if (parentId !== undefined) set('parent', parentId);
  if (input.project !== undefined) set('project', clearable(input.project));
  if (input.add_label || input.remove_label) {
    const labels = new Set(t.labels);
    for (const l of input.add_label ?? []) labels.add(l);
    for (const l of input.remove_label ?? []) labels.delete(l);
    set('labels', [...labels]);
  }
  if (input.rank !== undefined) set('rank', input.rank);
  for (const [k, v] of custom) set(k, v);
  for (const u of input.unset ?? []) set(u, null);
  if (input.description !== undefined) {
    ed.load(id).body = `${input.description.trimEnd()}\n`;
    changed.push('description');
  }
  if (changed.length === 0)
    throw new TackError(
      'invalid_input',
      'nothing to update; expected at least one field option (see `tack update --help`)',
    );
  return { subject: `update ${id}: ${changed.join(', ')}`, ids: [id], value: id };
}

export default defineOp({
  name: 'update',
  summary: 'Change fields of a ticket',
  kind: 'write',
  destructive: true,
  idempotent: true,
  cli: { args: ['id'], short: { t: 'type', p: 'priority', a: 'assignee', s: 'status', d: 'description' } },
  input: updateInput,
  output: ticketWriteShape,
  async run(ctx, input) {
    const { commit, value: id } = await mutate(ctx, 'update', (ed) => applyUpdate(ed, input, editorEnv(ed, ctx)));
    return { ...getSummary((await ctx.index()).db, id)!, commit };
  },
});
