import { z } from 'zod';
import { TackError } from '../model/errors.js';
import { idArg } from './ticketInput.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';
import {
  commitIn,
  details,
  follow,
  locateIn,
  marker,
  PROPOSED_FROM,
  PROPOSED_TO,
  sourcesFor,
} from './workspaceMove.js';
import type { Located } from './workspaceSources.js';

export default defineOp({
  name: 'withdraw',
  summary:
    "Take back a proposal made with `tack propose` (the original or the proposal's id); one commit in each store",
  kind: 'write',
  cli: { args: ['id'] },
  input: z.object({ id: idArg }),
  output: lazyShape(() => {
    const side = z.strictObject({ id: z.string(), source: z.string(), commit: z.string().nullable() }).nullable();
    return z.strictObject({ original: side, proposal: side, message: z.string() });
  }),
  async run(ctx, input) {
    const sources = await sourcesFor(ctx, 'tack withdraw');
    const at = locateIn(ctx, sources, input.id);
    const t = details(at);
    let original: Located | null;
    let proposal: Located | null;
    if (marker(t, PROPOSED_FROM)) {
      proposal = at;
      original = follow(ctx, sources, at, marker(t, PROPOSED_FROM)!);
    } else if (marker(t, PROPOSED_TO)) {
      original = at;
      proposal = follow(ctx, sources, at, marker(t, PROPOSED_TO)!);
      if (proposal && !marker(details(proposal), PROPOSED_FROM)) {
        throw new TackError(
          'conflict',
          `the proposal ${proposal.source.name}:${proposal.id} was accepted already; it is a ticket of ${proposal.source.name} now`,
          { id: proposal.id },
        );
      }
    } else {
      throw new TackError(
        'invalid_input',
        `${at.source.name}:${at.id} is not proposed anywhere (no ${PROPOSED_TO} or ${PROPOSED_FROM} field); expected a ticket given to \`tack propose\` or its proposal`,
        { id: at.id },
      );
    }
    const removed = proposal
      ? await commitIn(ctx, proposal.source, 'withdraw', (ed) => {
          ed.remove(proposal!.id);
          return { subject: `withdraw proposal ${proposal!.id}`, ids: [proposal!.id], value: null };
        })
      : null;
    const cleared = original
      ? await commitIn(ctx, original.source, 'withdraw', (ed) => {
          ed.set(original!.id, PROPOSED_TO, null);
          return { subject: `withdraw proposal of ${original!.id}`, ids: [original!.id], value: null };
        })
      : null;
    return {
      original: original ? { id: original.id, source: original.source.name, commit: cleared?.commit ?? null } : null,
      proposal: proposal ? { id: proposal.id, source: proposal.source.name, commit: removed?.commit ?? null } : null,
      message: `withdrew ${proposal ? `${proposal.source.name}:${proposal.id}` : 'the proposal'}${original ? ` (proposed from ${original.source.name}:${original.id})` : ''}`,
    };
  },
});
