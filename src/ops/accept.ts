import { z } from 'zod';
import { TackError } from '../model/errors.js';
import { idArg } from './ticketInput.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';
import { refFrom } from './workspaceRouting.js';
import {
  ACCEPTED_FROM,
  acceptedState,
  commitIn,
  details,
  follow,
  locateIn,
  marker,
  movedState,
  MOVED_TO,
  PROPOSED_FROM,
  PROPOSED_TO,
  schemaOfSource,
  sourcesFor,
} from './workspaceMove.js';

export default defineOp({
  name: 'accept',
  summary:
    'Accept a proposal: it becomes a normal ticket of its store, the original is recorded as moved; one commit in each store',
  kind: 'write',
  cli: { args: ['id'] },
  input: z.object({ id: idArg }),
  output: lazyShape(() =>
    z.strictObject({
      id: z.string(),
      source: z.string(),
      status: z.string(),
      commit: z.string().nullable(),
      original: z.strictObject({ id: z.string(), source: z.string(), commit: z.string().nullable() }).nullable(),
      message: z.string(),
    }),
  ),
  async run(ctx, input) {
    const sources = await sourcesFor(ctx, 'tack accept');
    const at = locateIn(ctx, sources, input.id);
    const from = marker(details(at), PROPOSED_FROM);
    if (!from)
      throw new TackError(
        'invalid_input',
        `${at.source.name}:${at.id} is not a proposal (no ${PROPOSED_FROM} field); expected the id \`tack propose\` printed`,
        { id: at.id },
      );
    const original = follow(ctx, sources, at, from);
    const state = acceptedState(schemaOfSource(at.source));
    const accepted = await commitIn(ctx, at.source, 'accept', (ed) => {
      ed.set(at.id, PROPOSED_FROM, null);
      ed.set(at.id, ACCEPTED_FROM, from);
      ed.set(at.id, 'status', state);
      return { subject: `accept ${at.id} (from ${from})`, ids: [at.id], value: null };
    });
    let moved: string | null = null;
    if (original) {
      const to = refFrom(ctx, at.source, at.id, original.source);
      const closed = movedState(schemaOfSource(original.source));
      moved = (
        await commitIn(ctx, original.source, 'accept', (ed) => {
          ed.set(original.id, PROPOSED_TO, null);
          ed.set(original.id, MOVED_TO, to);
          ed.set(original.id, 'status', closed);
          ed.set(original.id, 'resolution', `moved to ${to}`);
          return { subject: `${original.id} moved to ${to}`, ids: [original.id], value: null };
        })
      ).commit;
    }
    return {
      id: at.id,
      source: at.source.name,
      status: state,
      commit: accepted.commit,
      original: original ? { id: original.id, source: original.source.name, commit: moved } : null,
      message: `accepted ${at.source.name}:${at.id} (${state})${original ? `; ${original.source.name}:${original.id} is recorded as moved` : ''}`,
    };
  },
});
