import { z } from 'zod';
import { getSummary } from '../index/queries.js';
import { storeProvenance } from '../store/storeProvenance.js';
import { clearable, checkTicketEnums, fieldAssignments, meAs, parseFieldAssignments } from './ticketInput.js';
import { editorEnv, resolveTarget, type Applied, type ApplyEnv } from './applyEnv.js';
import type { TicketEditor } from './ticketEditor.js';
import { mutate } from './mutate.js';
import { requireAgentSchema } from './agentShared.js';
import { defineOp } from './op.js';
import { ticketWriteShape } from '../model/jsonShapes.js';

export const createInput = z.object({
  title: z.string().trim().min(1).describe('one-line title'),
  type: z.string().optional().describe('ticket type (see `tack schema`)'),
  status: z.string().optional().describe('initial state (default from the schema)'),
  priority: z.string().optional().describe('none, urgent, high, medium, low'),
  label: z.array(z.string().min(1)).optional().describe('label (repeatable)'),
  assignee: z.string().optional().describe('who owns it'),
  owner: z.string().trim().min(1).optional().describe('the person questions go to (default: its creator)'),
  parent: z.string().optional().describe('parent ticket id'),
  project: z.string().optional().describe('project key'),
  description: z.string().optional().describe('markdown body'),
  blocks: z.array(z.string()).optional().describe('ids this ticket blocks (repeatable)'),
  link: z.array(z.string()).optional().describe('doc path or ticket id (repeatable)'),
  field: fieldAssignments,
  discovered_from: z.string().optional().describe('id of the ticket it was found while doing'),
  audience: z.enum(['agent', 'human']).optional().describe('who the work is for (`ready --for`)'),
  store: z
    .string()
    .min(1)
    .optional()
    .describe('workspace store to create it in (default: the routing rules, see `tack workspace route`)'),
});

/** Create the ticket in the editor; the value is its new id. */
export function applyCreate(ed: TicketEditor, input: z.infer<typeof createInput>, env: ApplyEnv): Applied<string> {
  const schema = ed.schema;
  checkTicketEnums(schema, input);
  const custom = parseFieldAssignments(schema, input.field, () => env.user);
  const parent = input.parent ? env.resolve(input.parent) : null;
  if (input.discovered_from) requireAgentSchema(schema, 'create --discovered-from', ['discovered_from']);
  if (input.audience) requireAgentSchema(schema, 'create --audience', ['audience']);
  const agentFields: Array<[string, unknown]> = [];
  if (input.discovered_from) agentFields.push(['discovered_from', [env.resolve(input.discovered_from)]]);
  if (input.audience) agentFields.push(['audience', input.audience]);
  // A person owns what they create (questions go there); an agent's ticket is owned by whoever owns its parent.
  const human = storeProvenance(ed.store).actor !== 'agent';
  const owner = input.owner === undefined ? (human ? env.user : null) : meAs(clearable(input.owner), () => env.user);
  if (owner) agentFields.push(['owner', owner]);
  const blocks = (input.blocks ?? []).map((b) => resolveTarget(env, b));
  const id = ed.create(
    [
      ['title', input.title],
      ['type', input.type ?? schema.defaultType],
      ['status', input.status ?? schema.defaultStatus],
      ['priority', input.priority ?? schema.defaultPriority],
      ['labels', [...new Set(input.label ?? [])]],
      ['assignee', meAs(clearable(input.assignee), () => env.user) ?? null],
      ['parent', parent],
      ['blocks', blocks],
      ['links', input.link ?? []],
      ['project', input.project ?? null],
      ...agentFields,
      ...custom,
      ['created', ed.now],
      ['updated', ed.now],
    ],
    input.description ? `${input.description.trimEnd()}\n` : '',
  );
  return { subject: `create ${id}: ${input.title}`, ids: [id], value: id };
}

export default defineOp({
  name: 'create',
  summary: 'Create a ticket',
  kind: 'write',
  destructive: false,
  idempotent: false,
  cli: {
    args: ['title'],
    short: { t: 'type', p: 'priority', l: 'label', a: 'assignee', d: 'description', s: 'status' },
  },
  input: createInput,
  output: ticketWriteShape,
  async run(ctx, input) {
    if (input.store || ctx.store().workspace) {
      const routed = await (await import('./workspaceCreate.js')).routeCreate(ctx, input);
      if ('result' in routed) return routed.result as ReturnType<typeof getSummary> & { commit: string | null };
      input = routed.local;
    }
    const { commit, value: id } = await mutate(ctx, 'create', (ed) => applyCreate(ed, input, editorEnv(ed, ctx)));
    return { ...getSummary((await ctx.index()).db, id)!, commit };
  },
});
