import { z } from 'zod';
import { LOCAL } from '../store/workspace.js';
import { readWorkspace } from './workspaceShared.js';
import { workspaceSources } from './workspaceSources.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';
import { routingRulesShape } from '../model/settingsShapes.js';

export interface WorkspaceStoreRow {
  name: string;
  path: string;
  ref: string;
  /** Open tickets; null when the store cannot be read. */
  open: number | null;
  error: string | null;
}

export default defineOp({
  name: 'workspace-list',
  summary: "The stores of this clone's workspace and its routing rules",
  kind: 'read',
  input: z.object({}),
  output: lazyShape(() =>
    z.strictObject({
      stores: z.array(
        z.strictObject({
          name: z.string(),
          path: z.string(),
          ref: z.string(),
          open: z.number().nullable(),
          error: z.string().nullable(),
        }),
      ),
      routing: routingRulesShape(),
    }),
  ),
  async run(ctx) {
    const store = ctx.store();
    const ws = readWorkspace(store);
    const warnings: string[] = [];
    const sources = (await workspaceSources({ ...ctx, warn: (m) => warnings.push(m) })) ?? [
      { name: LOCAL, index: await ctx.index() },
    ];
    const count = (db: (typeof sources)[number]['index']['db']) =>
      db
        .prepare<{ n: number }>(
          "SELECT count(*) AS n FROM tickets WHERE archived = 0 AND coalesce(category, '') NOT IN ('completed', 'canceled')",
        )
        .get()!.n;
    const stores: WorkspaceStoreRow[] = [
      { name: LOCAL, path: store.repo.workTree, ref: store.ref, open: count(sources[0].index.db), error: null },
    ];
    for (const m of ws.members) {
      const s = sources.find((x) => x.name === m.name);
      stores.push({
        name: m.name,
        path: m.path,
        ref: s?.index.store.ref ?? m.ref ?? '(default)',
        open: s ? count(s.index.db) : null,
        error: s
          ? null
          : (warnings.find((w) => w.includes(`"${m.name}"`))?.replace(/^.*cannot be read: /, '') ?? 'cannot be read'),
      });
    }
    return { stores, routing: ws.routing ?? {} };
  },
});
