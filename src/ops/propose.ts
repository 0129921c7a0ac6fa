import { z } from 'zod';
import { TackError } from '../model/errors.js';
import { idArg } from './ticketInput.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';
import { refFrom } from './workspaceRouting.js';
import { checkStoreName } from './workspaceSources.js';
import {
  commitIn,
  details,
  locateIn,
  marker,
  PROPOSED_FROM,
  PROPOSED_TO,
  schemaOfSource,
  sourcesFor,
  triageState,
} from './workspaceMove.js';

export default defineOp({
  name: 'propose',
  summary: 'Copy a ticket into another workspace store as a proposal (triage there); one commit in each store',
  kind: 'write',
  cli: { args: ['id'] },
  input: z.object({
    id: idArg,
    to: z.string().min(1).describe('the store to propose it to (local or a member name)'),
  }),
  output: lazyShape(() =>
    z.strictObject({
      id: z.string(),
      source: z.string(),
      proposal: z.strictObject({ id: z.string(), source: z.string(), commit: z.string().nullable() }),
      commit: z.string().nullable(),
      message: z.string(),
    }),
  ),
  async run(ctx, input) {
    const sources = await sourcesFor(ctx, 'tack propose');
    const from = locateIn(ctx, sources, input.id);
    const targetName = checkStoreName(ctx, input.to);
    const target = sources.find((s) => s.name === targetName);
    if (!target)
      throw new TackError('not_found', `store "${targetName}" cannot be read now (see \`tack workspace list\`)`, {
        store: targetName,
      });
    if (target === from.source)
      throw new TackError(
        'invalid_input',
        `${from.id} is already in ${targetName}; expected another store to propose it to`,
        { id: from.id, store: targetName },
      );
    const t = details(from);
    const pending = marker(t, PROPOSED_TO);
    if (pending)
      throw new TackError(
        'conflict',
        `${from.id} is already proposed (${pending}); withdraw that first with \`tack withdraw ${from.id}\``,
        { id: from.id, proposed_to: pending },
      );
    const schema = schemaOfSource(target);
    const back = refFrom(ctx, from.source, from.id, target);
    // The copy: what a reader of the target needs; relations stay with the original.
    const made = await commitIn(ctx, target, 'propose', (ed) => {
      const id = ed.create(
        [
          ['title', t.title],
          ['type', schema.types.includes(t.type) ? t.type : schema.defaultType],
          ['status', triageState(schema)],
          ['priority', schema.priorities.includes(t.priority) ? t.priority : schema.defaultPriority],
          ['labels', t.labels],
          [PROPOSED_FROM, back],
          ['created', ed.now],
          ['updated', ed.now],
        ],
        t.description,
      );
      return { subject: `propose ${id}: ${t.title} (from ${back})`, ids: [id], value: id };
    });
    const forward = refFrom(ctx, target, made.value, from.source);
    const marked = await commitIn(ctx, from.source, 'propose', (ed) => {
      ed.set(from.id, PROPOSED_TO, forward);
      return { subject: `propose ${from.id} to ${forward}`, ids: [from.id], value: null };
    });
    return {
      id: from.id,
      source: from.source.name,
      proposal: { id: made.value, source: target.name, commit: made.commit },
      commit: marked.commit,
      message: `proposed ${from.source.name}:${from.id} to ${target.name} as ${made.value} (triage); \`tack accept ${target.name}:${made.value}\` takes it in, \`tack withdraw ${from.id}\` takes it back`,
    };
  },
});
