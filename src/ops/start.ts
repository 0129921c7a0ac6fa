import { z } from 'zod';
import { TackError } from '../model/errors.js';
import { branchNameFor, DEFAULT_BRANCH_TEMPLATE } from '../model/branchName.js';
import { firstStateOf } from '../model/schema.js';
import { checkBranchName, configured, createBranch, switchBranch, workTreeDirty } from '../git/codeHistory.js';
import { headBranch, readRef } from '../git/refs.js';
import type { Repo } from '../git/repo.js';
import { getSummary, listTickets, type TicketSummary } from '../index/queries.js';
import { resolveId } from '../index/ticketIds.js';
import { idArg } from './ticketInput.js';
import { mutate } from './mutate.js';
import { defineOp } from './op.js';
import { lazyShape, ticketSummaryShape } from '../model/jsonShapes.js';

export interface BranchOutcome {
  name: string;
  created: boolean;
  /** Checked out now (or already was). */
  checked_out: boolean;
  /** Why it was not checked out. */
  reason: string | null;
}

function asList(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : [];
}

function branchFor(repo: Repo, t: TicketSummary, me: string, named: string | undefined): string {
  const name =
    named ??
    branchNameFor(configured(repo, 'tack.branchTemplate') ?? DEFAULT_BRANCH_TEMPLATE, {
      id: t.id,
      short: t.short_id || t.id,
      title: t.title,
      type: t.type,
      user: me,
    });
  checkBranchName(repo, name);
  return name;
}

/** Create the branch at HEAD unless it exists; check it out only when the work tree is clean. */
function makeBranch(repo: Repo, name: string): BranchOutcome {
  const ref = `refs/heads/${name}`;
  const exists = readRef(repo, ref) !== null;
  if (!exists) {
    const head = readRef(repo, 'HEAD');
    if (!head)
      throw new TackError('no_commits', `HEAD has no commit to branch from; expected a repository with a first commit`);
    createBranch(repo, name, head);
  }
  if (headBranch(repo) === ref) return { name, created: !exists, checked_out: true, reason: null };
  if (workTreeDirty(repo)) {
    return {
      name,
      created: !exists,
      checked_out: false,
      reason: `the work tree has uncommitted changes; commit or stash them, then \`git switch ${name}\``,
    };
  }
  switchBranch(repo, name);
  return { name, created: !exists, checked_out: true, reason: null };
}

export default defineOp({
  name: 'start',
  summary:
    'Start a ticket (first started state, assigned to you); with --branch, also create and check out a code branch for it',
  kind: 'write',
  localOnly: true, // creates and checks out code branches in this work tree
  // `tack start ID --branch NAME`: the CLI hands a --branch value over as the second argument.
  cli: { args: ['id', 'name'] },
  input: z.object({
    id: idArg,
    branch: z
      .boolean()
      .optional()
      .describe(
        'create a code branch named from the ticket (git config tack.branchTemplate, default {short}-{slug}; `--branch NAME` names it) and check it out if the work tree is clean',
      ),
    name: z
      .string()
      .min(1)
      .optional()
      .describe('the code branch name (implies --branch; `--branch NAME` says the same)'),
  }),
  output: lazyShape(() =>
    z.strictObject({
      ticket: ticketSummaryShape(),
      commit: z.string().nullable(),
      branch: z
        .strictObject({
          name: z.string(),
          created: z.boolean(),
          checked_out: z.boolean(),
          reason: z.string().nullable(),
        })
        .nullable(),
      message: z.string(),
    }),
  ),
  async run(ctx, input) {
    const idx = await ctx.index();
    const id = resolveId(idx.db, input.id);
    const t = getSummary(idx.db, id)!;
    if (t.category === 'completed' || t.category === 'canceled') {
      throw new TackError(
        'invalid_input',
        `${id} is closed (status ${t.status}); expected an open ticket to start (reopen it first)`,
        { id, status: t.status },
      );
    }
    const repo = ctx.store().repo;
    const me = ctx.user();
    const wantBranch = input.branch === true || input.name !== undefined;
    const name = wantBranch ? branchFor(repo, t, me, input.name) : null;
    // The ticket is written first: in inline mode the new branch then carries the change.
    const fields = JSON.parse(
      idx.db.prepare<{ fields: string }>('SELECT fields FROM tickets WHERE id = ?').get(id)!.fields,
    ) as Record<string, unknown>;
    const needed =
      t.category !== 'started' || t.assignee !== me || (name !== null && !asList(fields.branches).includes(name));
    const { commit } = !needed
      ? { commit: null }
      : await mutate(ctx, 'start', (ed) => {
          const tk = ed.ticket(id);
          if (tk.category !== 'started') ed.set(id, 'status', firstStateOf(ed.schema, 'started') ?? tk.status);
          if (tk.assignee !== me) ed.set(id, 'assignee', me);
          const branches = asList(tk.extra.branches);
          if (name && !branches.includes(name)) ed.set(id, 'branches', [...branches, name]);
          return { subject: `start ${id}${name ? ` on ${name}` : ''}`, value: null };
        });
    const branch = name ? makeBranch(repo, name) : null;
    const ticket = listTickets((await ctx.index()).db, { ids: [id], all: true })[0];
    const where = branch
      ? branch.checked_out
        ? `; on branch ${branch.name}${branch.created ? ' (new)' : ''}`
        : `; created branch ${branch.name} but did not switch to it: ${branch.reason}`
      : '';
    return { ticket, commit, branch, message: `started ${ticket.short_id || id} (${ticket.status}, @${me})${where}` };
  },
});
