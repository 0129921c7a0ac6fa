import { z } from 'zod';
import { lazyShape } from './jsonShapes.js';

/** Answer shapes of local settings: triggers, webhooks, workspaces, hooks, merge records (see jsonShapes.ts). */

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
