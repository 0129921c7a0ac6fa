import { z } from 'zod';
import { TackError } from '../model/errors.js';
import { discoverRepo } from '../git/repo.js';
import { stagedPaths } from '../git/reservations.js';
import { readSettings } from '../store/store.js';
import { liveReservations, othersCovering, whoHolds } from './reservationsShared.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';
import { reservationShape } from '../model/workShapes.js';

/** Staged paths checked per commit: past this many the rest are let through (said in the answer). */
const MAX_STAGED = 100_000;
const SHOWN = 20;
/** How long a commit may wait for the check; the paths past it are let through (and said so). */
const BUDGET_MS = 2000;

/**
 * What the pre-commit hook runs: the staged paths against the reservations of others, from
 * local state only (no fetch: a commit never waits for the network). `warn` (the default)
 * reports and lets the commit through; `refuse` (tack config agents.reservations refuse)
 * fails with code `reserved`, which the hook turns into a refused commit.
 */
export default defineOp({
  name: 'reservations-check',
  summary: "Check staged paths against others' reservations (what the pre-commit hook runs)",
  kind: 'read',
  localOnly: true, // the pre-commit hook's check of this work tree's staged paths
  input: z.object({
    paths: z.array(z.string()).max(100_000).optional().describe('check these paths instead of the staged ones'),
    hook: z.boolean().optional().describe('as the pre-commit hook: stop checking after 2 s'),
  }),
  cli: { args: ['...paths'] },
  output: lazyShape(() =>
    z.strictObject({
      mode: z.string(),
      conflicts: z.array(z.strictObject({ path: z.string(), reservation: reservationShape() })),
      checked: z.number(),
      message: z.string(),
    }),
  ),
  async run(ctx, input) {
    const repo = discoverRepo(ctx.cwd);
    const mode = readSettings(repo)?.reservations ?? 'warn';
    const now = ctx.now();
    const live = mode === 'off' ? [] : liveReservations(repo, now);
    if (live.length === 0) return { mode, conflicts: [], checked: 0, message: '' };
    const me = ctx.user();
    if (live.every((r) => r.owner === me)) return { mode, conflicts: [], checked: 0, message: '' };
    const paths = input.paths?.length ? input.paths : stagedPaths(repo, MAX_STAGED);
    const { conflicts, checked } = othersCovering(live, paths, me, input.hook ? BUDGET_MS : undefined);
    const partial =
      checked < paths.length
        ? `note: only ${checked} of ${paths.length} staged paths were checked against reservations (time limit); run \`tack reservations check\` to see the rest`
        : '';
    if (conflicts.length === 0) return { mode, conflicts, checked, message: partial };
    const lines = conflicts.slice(0, SHOWN).map((c) => `  ${c.path}: reserved by ${whoHolds(c.reservation)}`);
    if (conflicts.length > SHOWN) lines.push(`  … and ${conflicts.length - SHOWN} more`);
    const head = `${conflicts.length} staged path(s) reserved by someone else:`;
    if (mode === 'refuse') {
      throw new TackError(
        'reserved',
        `${head}\n${lines.join('\n')}\ncommit refused (tack config agents.reservations refuse); expected paths nobody else reserved: ask the holder, wait for the expiry, or commit with --no-verify`,
        { conflicts: conflicts.slice(0, SHOWN) },
      );
    }
    const message = `warning: ${head}\n${lines.join('\n')}${partial ? `\n${partial}` : ''}`;
    return { mode, conflicts, checked, message };
  },
});
