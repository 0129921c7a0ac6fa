import { mergeTicket } from '../../model/merge.js';
import type { Schema } from '../../model/schema.js';
import type { RemoteIssue } from '../connector.js';
import { mergeCommentTexts } from './commentEdits.js';
import { agreedView, remotePatch, sameView, viewFromRemote, viewOf, withView, type LocalView } from './localView.js';
import { externalOf, setExternal, type LocalTicket } from './localTickets.js';
import { commitLocal, type PassEnv } from './passEnv.js';
import { pushCommentEdits, pushComments, pushRelations, remote, writeFields } from './remoteWrites.js';

const closed = (schema: Schema, status: string) => {
  const c = schema.states.find((s) => s.name === status)?.category;
  return c === 'completed' || c === 'canceled';
};

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
