import { z } from 'zod';
import { ERROR_CODES } from './errors.js';

/**
 * The shapes of the answers (`--json`, REST bodies, MCP results) that many operations share,
 * declared once; each operation's `output` (ops/op.ts) is built from them. Objects are strict:
 * the end-to-end test (test/jsonShapes.test.ts) parses real CLI output with them, so a key
 * added to an answer without being declared here fails it.
 *
 * Each shape is built on first use, never when the module loads: no command needs them at
 * run time, and building a few hundred zod schemas would cost every command milliseconds.
 */
export function lazyShape<T extends z.ZodType>(build: () => T): () => T {
  let built: T | undefined;
  return () => {
    built ??= build();
    return built;
  };
}

/** Who made a change (model/provenanceShape.ts). */
export const provenanceShape = lazyShape(() =>
  z.strictObject({
    actor: z.enum(['human', 'agent']),
    /** The agent's name (TACK_AGENT). */
    agent: z.string().optional(),
    /** The program driving Tack: a harness found in the environment, or an MCP client's name/version. */
    harness: z.string().optional(),
    model: z.string().optional(),
    session: z.string().optional(),
  }),
);

/** A ticket as every list-like answer shows it; custom schema fields ride beside the fixed keys. */
export const ticketSummaryShape = lazyShape(() =>
  z
    .strictObject({
      id: z.string(),
      short_id: z.string(),
      title: z.string(),
      type: z.string(),
      status: z.string(),
      category: z.string().nullable(),
      priority: z.string(),
      labels: z.array(z.string()),
      assignee: z.string().nullable(),
      parent: z.string().nullable(),
      project: z.string().nullable(),
      created: z.string(),
      updated: z.string(),
      resolution: z.string().nullable(),
      source: z.string(),
      rank: z.number().optional(),
    })
    // Custom schema fields (any name the schema declares): test/jsonShapes.test.ts checks the names.
    .catchall(z.unknown()),
);

export const ticketSummariesShape = lazyShape(() => z.array(ticketSummaryShape()));

/** A commentShape as `show` lists it. */
export const commentRowShape = lazyShape(() =>
  z.strictObject({
    id: z.string(),
    author: z.string(),
    created: z.string(),
    body: z.string(),
    /** When the text was last edited (absent: never). */
    edited: z.string().optional(),
  }),
);

/** A commentShape as a write returns it (model/comments.ts). */
export const commentShape = lazyShape(() =>
  z.strictObject({
    id: z.string(),
    author: z.string(),
    created: z.string(),
    text: z.string(),
    /** When `comment-edit` last changed the text. */
    edited: z.string().optional(),
    /** When `comment-delete` removed it (the text is then empty). */
    deleted: z.string().optional(),
  }),
);

/** One field change in a ticket's history. */
export const historyRowShape = lazyShape(() =>
  z.strictObject({
    commit: z.string(),
    time: z.string(),
    author: z.string(),
    field: z.string(),
    old: z.string().nullable(),
    new: z.string().nullable(),
    provenance: provenanceShape().nullable(),
  }),
);

/** Title and state of a ticket another one names. */
export const ticketRefInfoShape = lazyShape(() =>
  z.strictObject({ short_id: z.string(), title: z.string(), status: z.string(), category: z.string().nullable() }),
);

/** A ticket with its description, comments, relations in both directions, links and history (`show`). */
export const ticketDetailsShape = lazyShape(() =>
  ticketSummaryShape().extend({
    owner: z.string().nullable(),
    description: z.string(),
    comments: z.array(commentRowShape()),
    blocks: z.array(z.string()),
    blocked_by: z.array(z.string()),
    children: z.array(z.string()),
    related: z.array(z.string()),
    duplicates: z.array(z.string()),
    duplicated_by: z.array(z.string()),
    links: z.array(z.string()),
    backlinks: z.array(z.string()),
    tags: z.array(z.string()),
    relations: z.record(z.string(), z.array(z.string())),
    extra: z.record(z.string(), z.unknown()),
    dirty: z.boolean(),
    archived: z.boolean(),
    problems: z.array(z.string()),
    commits: z.array(z.string()),
    branches: z.array(z.string()),
    done_at: z.strictObject({ commit: z.string(), branch: z.string().nullable() }).nullable(),
    refs: z.record(z.string(), ticketRefInfoShape()),
  }),
);

/** A commit of the store, as `log` lists it. */
export const commitRowShape = lazyShape(() =>
  z.strictObject({
    sha: z.string(),
    parents: z.array(z.string()),
    time: z.string(),
    author: z.string(),
    email: z.string(),
    subject: z.string(),
    op: z.string().nullable(),
    tickets: z.array(z.string()),
    provenance: provenanceShape().nullable(),
  }),
);

/** A ticket's id, title and state, where an answer names it. */
export const ticketRefShape = lazyShape(() =>
  z.strictObject({
    id: z.string(),
    short_id: z.string(),
    title: z.string(),
    /** null when the ticket no longer exists (deleted, or a dangling reference). */
    status: z.string().nullable(),
    category: z.string().nullable(),
  }),
);

/** The error every surface prints for a failed command: `{"error":{…}}` (stderr with `--json`). */
export const errorAnswerShape = lazyShape(() =>
  z.strictObject({
    error: z.strictObject({
      code: z.enum(ERROR_CODES),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  }),
);

/** A write's own commit (null: nothing to commit) and the one-line summary surfaces print. */
export const commitShaShape = lazyShape(() => z.string().nullable());

/** What `agents.auto_sync` did after a write (ops/autoSync.ts). */
export const autoSyncReportShape = lazyShape(() =>
  z.strictObject({
    ok: z.boolean(),
    message: z.string(),
    pulled: z.number().optional(),
    pushed: z.number().optional(),
  }),
);

/** A write that answers with the ticket it made or changed, and its commit. */
export const ticketWriteShape = lazyShape(() => ticketSummaryShape().extend({ commit: z.string().nullable() }));

/** A write that answers with the tickets it changed, and its commit. */
export const ticketsWriteShape = lazyShape(() =>
  z.strictObject({ tickets: ticketSummariesShape(), commit: z.string().nullable() }),
);

/** A relation between two tickets, said in its forward direction. */
export const edgeShape = lazyShape(() => z.strictObject({ src: z.string(), kind: z.string(), dst: z.string() }));

/** What `link` and `unlink` answer. */
export const linkWriteShape = lazyShape(() =>
  z.strictObject({ link: edgeShape(), tickets: ticketSummariesShape(), commit: z.string().nullable() }),
);

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
    backlinks: z.array(ticketRefShape()),
  }),
);

/** A doc with its text and blob id (`docs show`). */
export const docDetailsShape = lazyShape(() => docEntryShape().extend({ blob: z.string(), body: z.string() }));

/** One node of `tree`, with its children. */
export const treeNodeShape: () => z.ZodType<TreeNode> = lazyShape(() =>
  z.strictObject({
    id: z.string(),
    short_id: z.string(),
    title: z.string(),
    type: z.string(),
    status: z.string(),
    category: z.string().nullable(),
    priority: z.string(),
    assignee: z.string().nullable(),
    blocks: z.array(z.string()),
    blocked_by: z.array(z.string()),
    waiting_on: z.array(z.string()),
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

/** One outbound webhook of the local trigger settings (model/triggers.ts). */
export const webhookConfigShape = lazyShape(() =>
  z.strictObject({
    url: z.string(),
    /** The HMAC key, or `env:NAME` to read it from the environment at delivery time. */
    secret: z.string().optional(),
    /** Event name patterns it receives (default: every event). */
    events: z.array(z.string()).optional(),
    /** Delivery attempts before giving up (default 5). */
    attempts: z.number().optional(),
  }),
);

/**
 * The `triggers` section of the local settings (.git/tack/store.json): never committed,
 * because a command in a shared file would run on every teammate's machine after a sync.
 * Secrets are masked wherever an answer shows them.
 */
export const triggerConfigShape = lazyShape(() =>
  z.strictObject({
    /** Event name pattern → shell command(s) run with the event JSON on stdin. */
    on: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
    webhooks: z.record(z.string(), webhookConfigShape()).optional(),
    /** Time limit of one hook command and of one webhook attempt ("10s", "500ms"). */
    timeout: z.string().optional(),
    /** First retry delay of a webhook; doubles per attempt ("1s"). */
    backoff: z.string().optional(),
    /** Deliver before the CLI exits instead of in a detached process. */
    wait: z.boolean().optional(),
    /** Also fire for the commits `tack sync` brings in from other clones (their merge commit never). */
    pull: z.boolean().optional(),
    /** Inbound webhook (POST /hooks/tack of `tack serve`). */
    inbound: z.strictObject({ secret: z.string().optional() }).optional(),
  }),
);

/** The routing rules of a workspace (store/workspace.ts): which store a new ticket goes to. */
export const routingRulesShape = lazyShape(() =>
  z.strictObject({
    /** Store for new tickets no other rule places (default: local). */
    default: z.string().optional(),
    /** Ticket type → store. */
    types: z.record(z.string(), z.string()).optional(),
    /** Label → store (checked before types: a label is the more specific choice). */
    labels: z.record(z.string(), z.string()).optional(),
  }),
);

/** A store of the workspace. */
export const workspaceMemberShape = lazyShape(() =>
  z.strictObject({
    /** How tickets of this store are shown and addressed (`NAME:tk-abcd`). */
    name: z.string(),
    /** Absolute path of a directory inside the member's repository. */
    path: z.string(),
    /** Full ref of the store when not the repository's own store ref (`--ref`). */
    ref: z.string().optional(),
  }),
);

/** The stores a workspace reads together with this one. */
export const workspaceSettingsShape = lazyShape(() =>
  z.strictObject({
    members: z.array(workspaceMemberShape()),
    routing: routingRulesShape().optional(),
  }),
);

/** A merge's record of a value that lost (model/merge.ts). */
export const conflictRecordShape = lazyShape(() =>
  z.strictObject({ field: z.string(), kept: z.unknown(), lost: z.unknown(), keptSide: z.enum(['ours', 'theirs']) }),
);

/** One delivery of a trigger: a hook command run or a webhook sent (store/deliveryLog.ts). */
export const deliveryRecordShape = lazyShape(() =>
  z.strictObject({
    time: z.string(),
    kind: z.enum(['command', 'webhook']),
    /** The command line, or the webhook's name. */
    target: z.string(),
    url: z.string().optional(),
    event: z.string(),
    event_id: z.string(),
    ticket: z.string().nullable(),
    delivery: z.string(),
    ok: z.boolean(),
    /** Command: exit code (null when killed); webhook: the last HTTP status. */
    status: z.number().nullable(),
    duration_ms: z.number(),
    error: z.string().optional(),
    /** Command: the end of what it wrote to stdout/stderr. */
    output: z.string().optional(),
    timed_out: z.boolean().optional(),
    attempts: z
      .array(
        z.strictObject({
          attempt: z.number(),
          /** HTTP status; null when no answer came (network error, time limit). */
          status: z.number().nullable(),
          duration_ms: z.number(),
          error: z.string().optional(),
        }),
      )
      .optional(),
  }),
);

/** What `hooks install` and `hooks uninstall` did to one git hook (git/hookFiles.ts). */
export const hookChangeShape = lazyShape(() =>
  z.strictObject({
    name: z.string(),
    path: z.string(),
    /** installed / updated (ours, rewritten) / removed / restored (the replaced hook is back) / absent / foreign (not ours: left alone). */
    action: z.enum(['installed', 'updated', 'removed', 'restored', 'absent', 'foreign']),
    /** The user's hook that ours runs first, when there is one. */
    chained: z.string().nullable(),
  }),
);
