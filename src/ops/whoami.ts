import { z } from 'zod';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';

/** Who writes as "me" here: what `ready` calls mine, and the author of this surface's commits. */
export default defineOp({
  name: 'whoami',
  summary: 'The user Tack acts as here (TACK_USER, else git\'s user.name): whose work "mine" is',
  kind: 'read',
  input: z.object({}),
  output: lazyShape(() => z.strictObject({ user: z.string() })),
  async run(ctx) {
    return { user: ctx.user() };
  },
});
