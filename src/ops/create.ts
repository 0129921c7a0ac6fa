import { z } from 'zod';
import { indexedSchema } from '../index/indexDb.js';
import { getSummary } from '../index/queries.js';
import { clearable, checkTicketEnums, fieldAssignments, parseFieldAssignments, resolveIds } from './ticketInput.js';
import { mutate } from './mutate.js';
import { defineOp } from './op.js';

export default defineOp({
  name: 'create',
  summary: 'Create a ticket',
  kind: 'write',
  cli: { args: ['title'], short: { t: 'type', p: 'priority', l: 'label', a: 'assignee', d: 'description', s: 'status' } },
  input: z.object({
    title: z.string().trim().min(1).describe('one-line title'),
    type: z.string().optional().describe('ticket type (see `tack schema`)'),
    status: z.string().optional().describe('initial state (default from the schema)'),
    priority: z.string().optional().describe('none, urgent, high, medium, low'),
    label: z.array(z.string().min(1)).optional().describe('label (repeatable)'),
    assignee: z.string().optional().describe('who owns it'),
    parent: z.string().optional().describe('parent ticket id'),
    project: z.string().optional().describe('project key'),
    description: z.string().optional().describe('markdown body'),
    blocks: z.array(z.string()).optional().describe('ids this ticket blocks (repeatable)'),
    link: z.array(z.string()).optional().describe('doc path or ticket id to link (repeatable)'),
    field: fieldAssignments,
  }),
  async run(ctx, input) {
    const idx = await ctx.index();
    const schema = indexedSchema(idx.db)!;
    checkTicketEnums(schema, input);
    const custom = parseFieldAssignments(schema, input.field);
    const parent = input.parent ? resolveIds(idx, [input.parent])[0] : null;
    const blocks = resolveIds(idx, input.blocks ?? []);
    const now = ctx.now();
    const { commit, value: id } = await mutate(ctx, 'create', (ed) => {
      const newId = ed.create([
        ['title', input.title],
        ['type', input.type ?? schema.defaultType],
        ['status', input.status ?? schema.defaultStatus],
        ['priority', input.priority ?? schema.defaultPriority],
        ['labels', [...new Set(input.label ?? [])]],
        ['assignee', clearable(input.assignee) ?? null],
        ['parent', parent],
        ['blocks', blocks],
        ['links', input.link ?? []],
        ['project', input.project ?? null],
        ...custom,
        ['created', now],
        ['updated', now],
      ], input.description ? input.description.trimEnd() + '\n' : '');
      return { subject: `create ${newId}: ${input.title}`, value: newId };
    });
    return { ...getSummary((await ctx.index()).db, id)!, commit };
  },
});
