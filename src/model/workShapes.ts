import { z } from 'zod';
import { lazyShape, ticketHeadFields, ticketRefShape, ticketSummaryShape } from './jsonShapes.js';

/** Answer shapes of claims, reservations, docs, the tree, hand edits and commit notes (see jsonShapes.ts). */

/** A claim on a ticket (model/lease.ts). */
export const leaseShape = lazyShape(() =>
  z.strictObject({
    ticket: z.string(),
    owner: z.string(),
    /** ISO time after which the lease is free for anyone. */
    expires: z.string(),
    /** ISO time the lease was first taken (kept across renewals). */
    claimed: z.string(),
    /** Taken with --local: never published, so fetching the remote's claims keeps it. */
    local: z.boolean().optional(),
    /**
     * The work was finished (closed, submitted, approved) at this ISO time, in commit
     * `closed_in`. Such a lease holds nothing, but until it expires a clone that has not yet
     * seen that commit may not claim the ticket: released outright, the lease would let a
     * clone whose copy still shows the ticket open claim finished work again.
     */
    finished: z.string().optional(),
    closed_in: z.string().optional(),
  }),
);

/** What `claim` (and `claim next`, `start`) answer. */
export const claimOutcomeShape = lazyShape(() =>
  z.strictObject({
    ticket: ticketSummaryShape(),
    lease: leaseShape(),
    lease_commit: z.string(),
    commit: z.string().nullable(),
    remote: z.string().nullable(),
    /** Held in this clone only: no remote was asked, so another clone may claim it too. */
    local: z.boolean(),
    renewed: z.boolean(),
    /** The claim this one took over: its holder's lease had expired with the ticket still theirs. */
    expired_claim: z.strictObject({ owner: z.string(), expires: z.string() }).optional(),
    message: z.string(),
  }),
);

/** A path reservation (model/reservation.ts). */
export const reservationShape = lazyShape(() =>
  z.strictObject({
    /** A repository-relative path (a file, or a folder and all below it) or a glob. */
    pattern: z.string(),
    owner: z.string(),
    /** The ticket the work is for, when given. */
    ticket: z.string().nullable(),
    /** ISO time after which the reservation is free for anyone. */
    expires: z.string(),
    /** ISO time it was first taken (kept across renewals). */
    reserved: z.string(),
  }),
);

/** A doc of the store and the tickets that link to it. */
export const docEntryShape = lazyShape(() =>
  z.strictObject({
    path: z.string(),
    /** The first "# heading", else the path; null when the doc does not exist. */
    title: z.string().nullable(),
    /** false: tickets link to this path but no such file is in the store yet. */
    exists: z.boolean(),
    /** The first 50 tickets that link it, by id; backlinks_total counts them all. */
    backlinks: z.array(ticketRefShape()),
    backlinks_total: z.number(),
  }),
);

/** A doc with its text and blob id (`docs show`). */
export const docDetailsShape = lazyShape(() => docEntryShape().extend({ blob: z.string(), body: z.string() }));

/** One node of `tree`, with its children. */
export const treeNodeShape: () => z.ZodType<TreeNode> = lazyShape(() =>
  z.strictObject({
    ...ticketHeadFields(),
    priority: z.string(),
    assignee: z.string().nullable(),
    blocks: z.array(z.string()),
    blocked_by: z.array(z.string()),
    waiting_on: z.array(z.string()),
    /** Ids left out of blocks, blocked_by and waiting_on, which name at most 20 each. */
    hidden_edges: z.number(),
    blocked: z.boolean(),
    repeated: z.boolean(),
    cycle: z.boolean(),
    hidden_children: z.number(),
    get children() {
      return z.array(treeNodeShape());
    },
  }),
);

/** A zod shape that refers to itself needs its type said: this is `treeNodeShape`'s. */
export interface TreeNode {
  id: string;
  short_id: string;
  title: string;
  type: string;
  status: string;
  category: string | null;
  priority: string;
  assignee: string | null;
  blocks: string[];
  blocked_by: string[];
  waiting_on: string[];
  hidden_edges: number;
  blocked: boolean;
  repeated: boolean;
  cycle: boolean;
  hidden_children: number;
  children: TreeNode[];
}

/** Tickets edited in the checked-out files and not yet committed. */
export const handEditCommitShape = lazyShape(() =>
  z.strictObject({
    commit: z.string().nullable(),
    /** Store paths committed (edited, added or deleted). */
    committed: z.array(z.string()),
    /** Edited files that do not validate: left as the user left them, uncommitted (message: `path:line: message`). */
    problems: z.array(z.strictObject({ path: z.string(), ticket: z.string().nullable(), message: z.string() })),
  }),
);

/** A code commit that mentions a ticket (git/mentions.ts). */
export const mentionCommitShape = lazyShape(() =>
  z.strictObject({ sha: z.string(), author: z.string(), time: z.string(), subject: z.string() }),
);

/** One note on a commit (model/noteEntry.ts). */
export const noteEntryShape = lazyShape(() =>
  z.strictObject({
    time: z.string(),
    author: z.string(),
    review: z.enum(['approve', 'reject']).nullable(),
    ticket: z.string().nullable(),
    /** Other key=value metadata. */
    meta: z.record(z.string(), z.string()),
    text: z.string(),
  }),
);
