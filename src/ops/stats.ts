import { z } from 'zod';
import { statsReport } from '../index/reports.js';
import { atRev, readIndex } from './readInput.js';
import { defineOp } from './op.js';

export default defineOp({
  name: 'stats',
  summary: 'Counts by state, status, priority, type, project and assignee, and the progress of epics',
  kind: 'read',
  cacheable: true,
  input: z.object({
    all: z.boolean().optional().describe('list closed epics too (counts always cover every ticket)'),
    at: atRev,
  }),
  async run(ctx, input) {
    return statsReport((await readIndex(ctx, input.at)).db, { allEpics: input.all });
  },
});
