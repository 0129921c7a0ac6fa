import { z } from 'zod';
import { TackError } from '../model/errors.js';
import { readWorkspace, writeWorkspace } from './workspaceShared.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';
import { workspaceMemberShape } from '../model/settingsShapes.js';

export default defineOp({
  name: 'workspace-remove',
  summary: "Take a store out of this clone's workspace (its repository and tickets are untouched)",
  kind: 'write',
  localOnly: true, // this machine's own set-up
  cli: { args: ['name'] },
  input: z.object({ name: z.string().min(1).describe("the store's name (see `tack workspace list`)") }),
  output: lazyShape(() =>
    z.strictObject({
      removed: workspaceMemberShape(),
      dropped_rules: z.array(z.string()),
      message: z.string(),
    }),
  ),
  async run(ctx, input) {
    const store = ctx.store();
    const ws = readWorkspace(store);
    const member = ws.members.find((m) => m.name === input.name);
    if (!member) {
      throw new TackError(
        'not_found',
        `no store "${input.name}" in the workspace; expected one of: ${ws.members.map((m) => m.name).join(', ') || '(none)'}`,
        { name: input.name },
      );
    }
    ws.members = ws.members.filter((m) => m !== member);
    // Rules that sent tickets to it would now fail every create: drop them with it.
    const r = ws.routing;
    const dropped: string[] = [];
    if (r) {
      if (r.default === input.name) {
        delete r.default;
        dropped.push('default');
      }
      for (const kind of ['types', 'labels'] as const) {
        for (const [k, v] of Object.entries(r[kind] ?? {}))
          if (v === input.name) {
            delete r[kind]![k];
            dropped.push(`${kind === 'types' ? 'type' : 'label'} ${k}`);
          }
        if (r[kind] && !Object.keys(r[kind]!).length) delete r[kind];
      }
    }
    writeWorkspace(store, ws);
    return {
      removed: member,
      dropped_rules: dropped,
      message: `removed ${input.name} from the workspace${dropped.length ? ` (and its routing rules: ${dropped.join(', ')})` : ''}`,
    };
  },
});
