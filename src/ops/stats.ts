import { z } from 'zod';
import { actorStats } from '../index/actorStats.js';
import { statsReport } from '../index/reports.js';
import { atRev, readIndex } from './readInput.js';
import { defineOp } from './op.js';
import { boundInput, boundOf } from './page.js';

/** Projects, assignees, epics (and actors) listed unless asked for more; counts cover all. */
const STATS_LIMIT = 50;
import { lazyShape, ticketHeadFields } from '../model/jsonShapes.js';

export default defineOp({
  name: 'stats',
  summary:
    'Counts by state, status, priority, type, project and assignee, and the progress of epics; --by actor: changes per human or agent',
  kind: 'read',
  cacheable: true,
  input: z.object({
    all: z.boolean().optional().describe('list closed epics too (counts always cover every ticket)'),
    by: z
      .enum(['actor'])
      .optional()
      .describe('actor: commits and tickets changed per human or agent (from provenance trailers) instead'),
    limit: boundInput(
      `at most this many projects, assignees, epics and values the schema does not list (actors with --by actor) listed, the largest first (default ${STATS_LIMIT}; 0: all)`,
    ),
    at: atRev,
  }),
  output: lazyShape(() => {
    const group = { open: z.number(), total: z.number() };
    const byActor = z.strictObject({
      by: z.literal('actor'),
      actors: z.array(
        z.strictObject({
          kind: z.enum(['human', 'agent']).nullable(),
          name: z.string(),
          harnesses: z.array(z.string()),
          commits: z.number(),
          tickets: z.number(),
          last: z.string(),
        }),
      ),
      actors_total: z.number(),
    });
    const counts = z.strictObject({
      total: z.number(),
      open: z.number(),
      closed: z.number(),
      by_category: z.array(z.strictObject({ category: z.string().nullable(), count: z.number() })),
      by_status: z.array(z.strictObject({ status: z.string(), category: z.string().nullable(), count: z.number() })),
      statuses_total: z.number(),
      by_priority: z.array(z.strictObject({ priority: z.string(), ...group })),
      priorities_total: z.number(),
      by_type: z.array(z.strictObject({ type: z.string(), ...group })),
      types_total: z.number(),
      by_project: z.array(z.strictObject({ project: z.string().nullable(), ...group })),
      projects_total: z.number(),
      by_assignee: z.array(z.strictObject({ assignee: z.string().nullable(), ...group })),
      assignees_total: z.number(),
      epics: z.array(
        z.strictObject({
          ...ticketHeadFields(),
          children: z.number(),
          completed: z.number(),
          canceled: z.number(),
          started: z.number(),
          total: z.number(),
          percent: z.number().nullable(),
        }),
      ),
      epics_total: z.number(),
    });
    return z.union([counts, byActor]);
  }),
  async run(ctx, input) {
    const idx = await readIndex(ctx, input.at);
    const limit = boundOf(input.limit, STATS_LIMIT);
    if (input.by === 'actor') {
      const actors = actorStats(idx.db);
      return { by: 'actor' as const, actors: actors.slice(0, limit), actors_total: actors.length };
    }
    return statsReport(idx.db, { allEpics: input.all, limit });
  },
});
