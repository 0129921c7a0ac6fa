import { z } from 'zod';
import { actorStats } from '../index/actorStats.js';
import { statsReport } from '../index/reports.js';
import { atRev, readIndex } from './readInput.js';
import { defineOp } from './op.js';

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
    at: atRev,
  }),
  async run(ctx, input) {
    const idx = await readIndex(ctx, input.at);
    if (input.by === 'actor') return { by: 'actor' as const, actors: actorStats(idx.db) };
    return statsReport(idx.db, { allEpics: input.all });
  },
});
