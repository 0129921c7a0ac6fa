import { faultPoint } from '../../git/fault.js';
import { mergeTicket } from '../../model/merge.js';
import { newTicketFile, type TicketFile } from '../../model/ticketCodec.js';
import type { Schema } from '../../model/schema.js';
import type { OpContext } from '../../ops/op.js';
import { UnknownUser, type Connector, type ConnectorKind, type IssueFields, type RemoteIssue } from '../connector.js';
import type { BaseSnapshot, ConnectionStore } from './connectionStore.js';
import { editedComments, mergeCommentTexts } from './commentEdits.js';
import {
  agreedView,
  createFields,
  relationsPatch,
  remotePatch,
  sameView,
  viewFromRemote,
  viewOf,
  withView,
  type LocalView,
  type RefMap,
  type UserMap,
} from './localView.js';
import {
  commitTicket,
  commitTickets,
  externalOf,
  importedTicketId,
  setExternal,
  type LocalTicket,
  type TicketWrite,
} from './localTickets.js';
import type { PlanEntry, SyncPlan } from './dryRun.js';

/** What a pass did, for `tack sync` and `tack connections`. */
export interface PassStats {
  localCreated: number;
  localUpdated: number;
  remoteCreated: number;
  remoteUpdated: number;
  commentsPushed: number;
  conflicts: number;
  commits: string[];
  remoteWrites: number;
  errors: string[];
  /** Written anyway, with something left out (an assignee the service does not know). */
  warnings: string[];
}

export interface PassEnv {
  ctx: OpContext;
  kind: ConnectorKind;
  connector: Connector;
  cs: ConnectionStore;
  schema: Schema;
  users: UserMap;
  refs: RefMap;
  stats: PassStats;
  retry: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Service users a write was refused for in this pass: left out of later writes at once. */
  rejectedUsers: Set<string>;
  /** A dry run: local changes are listed here instead of committed (see dryRun.ts). */
  plan?: SyncPlan;
  /** New tickets from remote items, committed together (`flushImports`); bases saved after. */
  imports: { writes: TicketWrite[]; bases: Array<[string, BaseSnapshot]>; subjects: string[] };
}

/** Imports per commit: a first sync of thousands of issues makes a few dozen commits. */
export const importBatchSize = (): number => Math.max(1, Number(process.env.TACK_SYNC_BATCH ?? 200) || 200);

/**
 * Commit the imports gathered so far in one commit, then record their bases: a crash
 * before the commit leaves no base, so the next pass imports them again (a base without
 * its ticket would read as "deleted here" and the issue would never come in).
 */
export async function flushImports(env: PassEnv): Promise<void> {
  const { writes, bases } = env.imports;
  if (writes.length === 0) return;
  const first = env.imports.subjects[0];
  env.imports = { writes: [], bases: [], subjects: [] };
  const subject = writes.length === 1 ? first : `sync ${env.kind}: import ${writes.length} issues`;
  const commit = await commitTickets(env.ctx, op(env.kind), subject, writes, (m) => env.stats.warnings.push(m));
  if (commit) env.stats.commits.push(commit);
  for (const [id, b] of bases) env.cs.saveBase(env.kind, id, b);
}

const op = (kind: ConnectorKind) => `sync-${kind}`;

const closed = (schema: Schema, status: string) => {
  const c = schema.states.find((s) => s.name === status)?.category;
  return c === 'completed' || c === 'canceled';
};

/** A remote write, counted (the "no loops" tests check that a quiet pass makes none). */
async function remote<T>(env: PassEnv, fn: () => Promise<T>): Promise<T> {
  const out = await env.retry(fn);
  env.stats.remoteWrites++;
  return out;
}

/** Commit one ticket's change, or in a dry run list it (`entry` null: bookkeeping only). */
async function commitLocal(env: PassEnv, subject: string, w: TicketWrite, entry: PlanEntry | null) {
  if (!env.plan) {
    await flushImports(env); // in order: a change to a ticket lands after its import
    return commitTicket(env.ctx, op(env.kind), subject, w, (m) => env.stats.warnings.push(m));
  }
  if (entry) env.plan.local.push(entry);
  return null;
}

/** `fields` without an assignee this pass already saw refused (warned per item). */
function withoutRejected<F extends IssueFields>(env: PassEnv, what: string, fields: F): F {
  if (!fields.assignee || !env.rejectedUsers.has(fields.assignee)) return fields;
  env.stats.warnings.push(`${what}: ${env.kind} does not know user "${fields.assignee}"; written without an assignee`);
  const { assignee: _, ...rest } = fields;
  return rest as F;
}

/**
 * A create or update. An assignee the service refuses (UnknownUser) never fails the item:
 * it is written without one, the user is named in a warning, and the ticket keeps its
 * assignee as a pending local change (sent again once the user exists or is mapped).
 */
async function writeFields<F extends IssueFields, T>(
  env: PassEnv,
  what: string,
  fields: F,
  write: (f: F) => Promise<T>,
): Promise<{ out: T; sent: F }> {
  let sent = withoutRejected(env, what, fields);
  for (;;) {
    try {
      return { out: await remote(env, () => write(sent)), sent };
    } catch (e) {
      if (!(e instanceof UnknownUser) || !sent.assignee) throw e;
      env.rejectedUsers.add(sent.assignee);
      sent = withoutRejected(env, what, sent);
    }
  }
}

/** Push the comments `want` has and the remote has not; returns the remote → local id map. */
async function pushComments(
  env: PassEnv,
  remoteId: string,
  want: LocalView,
  map: Record<string, string>,
): Promise<{ map: Record<string, string>; updatedAt?: string }> {
  const onRemote = new Set(Object.values(map));
  const out = { ...map };
  for (const c of want.comments) {
    if (onRemote.has(c.id)) continue;
    const rc = await remote(env, () => env.connector.addComment(remoteId, c.text, c.id));
    out[rc.id] = c.id;
    env.stats.commentsPushed++;
  }
  return { map: out };
}

/** Push the texts of comments edited here to the service (when it takes edits); true when any was sent. */
async function pushCommentEdits(
  env: PassEnv,
  r: RemoteIssue,
  want: LocalView,
  have: LocalView,
  map: Record<string, string>,
): Promise<boolean> {
  const updateComment = env.connector.updateComment?.bind(env.connector);
  if (!updateComment) return false;
  const remoteOf = new Map(Object.entries(map).map(([rid, lid]) => [lid, rid]));
  let sent = false;
  for (const c of editedComments(want.comments, have.comments)) {
    const rid = remoteOf.get(c.id);
    if (!rid) continue;
    const tackId = r.comments?.find((x) => x.id === rid)?.tackId;
    await remote(env, () => updateComment(r.id, rid, c.text, tackId));
    env.stats.commentsPushed++;
    sent = true;
  }
  return sent;
}

/** Make the remote's relations those of `want` when they differ from `have`'s; true when sent. */
async function pushRelations(env: PassEnv, r: RemoteIssue, want: LocalView, have: LocalView): Promise<boolean> {
  const setRelations = env.connector.setRelations?.bind(env.connector);
  const rels = setRelations && r.relations !== undefined ? relationsPatch(want, have, env.refs) : undefined;
  if (!rels) return false;
  await remote(env, () => setRelations!(r.id, rels, r.relations ?? []));
  env.stats.remoteUpdated++;
  return true;
}

/** A remote issue nobody here has seen: a new local ticket with the mapping in its front matter. */
export async function importRemote(
  env: PassEnv,
  r: RemoteIssue,
): Promise<{ ticket: LocalTicket; unresolved: boolean } | null> {
  if (r.deleted) return null; // gone before we ever saw it: nothing to keep
  // Already archived when first seen (on GitHub: closed and locked, as lock bots leave most
  // of a repository's history): imported into archive/, never dropped.
  const archived = !!r.archived;
  const id = importedTicketId(env.schema.idPrefix, env.kind, r.id);
  const { view, commentMap, unresolved } = viewFromRemote(r, env.schema, env.users, { refs: env.refs });
  const fields: Array<[string, unknown]> = [
    ['id', id],
    ['title', view.title],
    ['type', env.schema.defaultType],
    ['status', view.status],
    ['priority', view.priority === env.schema.defaultPriority ? null : view.priority],
    ['labels', view.labels],
    ['assignee', view.assignee],
    ['parent', view.parent],
    ...Object.entries(view.relations ?? {}),
    ['due', view.due],
    ['created', r.createdAt],
  ];
  const file = newTicketFile(fields, view.body);
  file.comments = view.comments;
  setExternal(file, env.kind, r);
  // Unresolved links: no `remoteUpdatedAt`, so the next pass looks at this issue again.
  const base: BaseSnapshot = {
    remoteId: r.id,
    remoteUpdatedAt: unresolved ? '' : r.updatedAt,
    view: viewOf(file, env.schema),
    comments: commentMap,
    ...(archived ? { archived: true } : {}),
  };
  env.stats.localCreated++;
  const write: TicketWrite = { kind: archived ? 'put-archived' : 'put', id, file };
  if (env.plan) env.plan.local.push({ action: 'create', ticket: id, remote: r.key, title: r.title });
  else {
    env.imports.writes.push(write);
    env.imports.bases.push([id, base]);
    env.imports.subjects.push(`sync ${env.kind}: import ${r.key}${archived ? ' (archived)' : ''}`);
    if (env.imports.writes.length >= importBatchSize()) await flushImports(env);
  }
  return { ticket: { id, file, archived }, unresolved };
}

/**
 * A local ticket no remote issue has yet. The pending record goes first: if the process
 * dies after the remote create, the next pass finds the issue by its marker (or client
 * id) instead of creating a second one.
 */
export async function exportLocal(env: PassEnv, t: LocalTicket): Promise<void> {
  const view = viewOf(t.file, env.schema);
  env.cs.addPending(env.kind, { ticket: t.id, startedAt: new Date().toISOString() });
  const fields = createFields(view, env.schema, env.users, env.refs);
  const { out: created } = await writeFields(env, t.id, fields, (f) => env.connector.create(f, t.id));
  faultPoint('after-remote-write');
  env.stats.remoteCreated++;
  await adopt(env, t, created, view);
}

/** Record that `t` is `r` remotely: commit the mapping, push its comments, save the base. */
export async function adopt(
  env: PassEnv,
  t: LocalTicket,
  r: RemoteIssue,
  view = viewOf(t.file, env.schema),
): Promise<void> {
  const file: TicketFile = { doc: t.file.doc.clone(), body: t.file.body, comments: t.file.comments };
  setExternal(file, env.kind, r);
  const commit = await commitLocal(env, `sync ${env.kind}: ${t.id} is ${r.key}`, { kind: 'put', id: t.id, file }, null);
  if (commit) env.stats.commits.push(commit);
  env.cs.dropPending(env.kind, t.id);
  // The remote may already hold comments (a crash after some were pushed): map them by marker.
  const { commentMap } = viewFromRemote(r, env.schema, env.users, {
    current: view,
    roundTrip: env.connector.roundTripState?.bind(env.connector),
  });
  const pushed = await pushComments(env, r.id, view, commentMap);
  // The base is what the remote holds: a field it could not take stays a pending local change.
  const held = viewFromRemote(r, env.schema, env.users, {
    current: view,
    refs: env.refs,
    roundTrip: env.connector.roundTripState?.bind(env.connector),
  }).view;
  let updatedAt = r.updatedAt;
  if (await pushRelations(env, r, view, held)) {
    held.relations = view.relations;
    updatedAt = (await env.retry(() => env.connector.get(r.id)))?.updatedAt ?? updatedAt;
  }
  env.cs.saveBase(env.kind, t.id, {
    remoteId: r.id,
    remoteUpdatedAt: updatedAt,
    view: { ...held, comments: view.comments },
    comments: pushed.map,
  });
  t.file = file;
}

/**
 * Three-way merge of one mapped ticket with its remote issue against the last synced
 * base, with the project's merge function: one side changed → take it; both changed a
 * scalar → the later `updated` wins and the loser is kept in the ticket's `conflicts`.
 * The local commit comes first, then the remote writes, then the new base: a crash
 * anywhere leaves a state the next pass converges from without duplicates.
 */
export async function reconcile(
  env: PassEnv,
  t: LocalTicket,
  r: RemoteIssue,
  force = false,
): Promise<{ unresolved: boolean }> {
  const { kind, schema, users, cs } = env;
  const base = cs.base(kind, t.id);
  const ours = viewOf(t.file, schema);
  if (
    !force &&
    base &&
    base.remoteUpdatedAt === r.updatedAt &&
    sameView(ours, base.view) &&
    !!r.archived === t.archived
  )
    return { unresolved: false }; // nothing new on either side (echo)
  const roundTrip = env.connector.roundTripState?.bind(env.connector);
  const commentEdits = !!env.connector.updateComment;
  const {
    view: theirs,
    commentMap,
    unresolved,
  } = viewFromRemote(r, schema, users, {
    current: ours,
    commentMap: base?.comments,
    roundTrip,
    refs: env.refs,
    commentEdits,
  });
  const baseFile = base ? withView(t.file, base.view, schema) : null;
  const merged = mergeTicket(baseFile, t.file, withView(t.file, theirs, schema, r.updatedAt));
  if (commentEdits)
    merged.file.comments = mergeCommentTexts(
      base?.view.comments ?? [],
      ours.comments,
      theirs.comments,
      merged.file.comments,
    );
  const mergedView = viewOf(merged.file, schema);
  const mapped = externalOf(t.file, kind)?.id === r.id;
  if (!mapped) setExternal(merged.file, kind, r);
  env.stats.conflicts += merged.conflicts.length;
  // Archived remotely since the base; a ticket restored here after both were archived stays
  // restored (the remote issue stays archived until someone unarchives it there).
  const archiveLocally = !!r.archived && !t.archived && !base?.archived;
  if (archiveLocally || !mapped || merged.conflicts.length > 0 || !sameView(mergedView, ours)) {
    const subject = `sync ${kind}: ${archiveLocally ? 'archive' : 'update'} ${t.id} from ${r.key}`;
    const closes = archiveLocally || (closed(schema, mergedView.status) && !closed(schema, ours.status));
    const changed = (Object.keys(ours) as Array<keyof LocalView>).filter(
      (k) => JSON.stringify(ours[k]) !== JSON.stringify(mergedView[k]),
    );
    const commit = await commitLocal(
      env,
      subject,
      { kind: archiveLocally ? 'archive' : 'put', id: t.id, file: merged.file },
      { action: closes ? 'close' : 'update', ticket: t.id, remote: r.key, title: mergedView.title, fields: changed },
    );
    if (commit) env.stats.commits.push(commit);
    env.stats.localUpdated++;
    t.file = merged.file;
    t.archived ||= archiveLocally;
  }
  if (r.deleted) {
    // Nothing to write back to a deleted item; the base remembers it was seen canceled.
    cs.saveBase(kind, t.id, { remoteId: r.id, remoteUpdatedAt: r.updatedAt, view: mergedView, comments: commentMap });
    return { unresolved };
  }
  let updatedAt = r.updatedAt;
  let patch = remotePatch(mergedView, theirs, schema, users, env.refs);
  if (Object.keys(patch).length > 0) {
    const w = await writeFields(env, t.id, patch, (f) => env.connector.update(r.id, f));
    // What was actually sent: a refused assignee stays a pending local change in the base.
    patch = w.sent;
    updatedAt = w.out.updatedAt;
    env.stats.remoteUpdated++;
  }
  const pushed = await pushComments(env, r.id, mergedView, commentMap);
  const editsSent = await pushCommentEdits(env, r, mergedView, theirs, commentMap);
  const relationsSent = await pushRelations(env, r, mergedView, theirs);
  if (t.archived && !r.archived && !r.deleted) {
    updatedAt = (await remote(env, () => env.connector.archive(r.id))).updatedAt;
    env.stats.remoteUpdated++;
  }
  // Comments bump the remote's updatedAt: read it back so the next pull is a known echo.
  if (relationsSent || editsSent || Object.keys(pushed.map).length > Object.keys(commentMap).length)
    updatedAt = (await env.retry(() => env.connector.get(r.id)))?.updatedAt ?? updatedAt;
  cs.saveBase(kind, t.id, {
    remoteId: r.id,
    remoteUpdatedAt: unresolved ? '' : updatedAt,
    view: agreedView(mergedView, theirs, relationsSent ? { ...patch, relations: true } : patch, schema),
    comments: pushed.map,
    archived: t.archived || (!!r.archived && !!base?.archived),
  });
  return { unresolved };
}

/** A mapped issue the service no longer has: reconciled as deleted (the ticket is canceled). */
export function goneRemote(ref: { id: string; key: string; url: string }, view: LocalView): RemoteIssue {
  return {
    id: ref.id,
    key: ref.key,
    url: ref.url,
    title: view.title,
    description: view.body,
    state: 'canceled',
    createdAt: '',
    updatedAt: 'gone',
    deleted: true,
  };
}
