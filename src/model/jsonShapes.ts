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

/** The keys that name a ticket and its state, first in every ticket-like answer (list, tree, stats). */
export function ticketHeadFields() {
  return {
    id: z.string(),
    short_id: z.string(),
    title: z.string(),
    type: z.string(),
    status: z.string(),
    category: z.string().nullable(),
  };
}

/** A ticket as every list-like answer shows it; custom schema fields ride beside the fixed keys. */
export const ticketSummaryShape = lazyShape(() =>
  z
    .strictObject({
      ...ticketHeadFields(),
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
    /** The first 50 of each list of related tickets and backlinks: the totals count them all. */
    backlinks: z.array(z.string()),
    backlinks_total: z.number(),
    tags: z.array(z.string()),
    relations: z.record(z.string(), z.array(z.string())),
    relation_totals: z.record(z.string(), z.number()),
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
    /** The first tickets by id (a bound per commit, `--tickets`). */
    tickets: z.array(z.string()),
    /** How many tickets the commit touched in all. */
    ticket_count: z.number(),
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
