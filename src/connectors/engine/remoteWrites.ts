import { UnknownUser, type IssueFields, type RemoteIssue } from '../connector.js';
import { editedComments } from './commentEdits.js';
import { relationsPatch, type LocalView } from './localView.js';
import type { PassEnv } from './passEnv.js';

/** A remote write, counted (the "no loops" tests check that a quiet pass makes none). */
export async function remote<T>(env: PassEnv, fn: () => Promise<T>): Promise<T> {
  const out = await env.retry(fn);
  env.stats.remoteWrites++;
  return out;
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
export async function writeFields<F extends IssueFields, T>(
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
export async function pushComments(
  env: PassEnv,
  remoteId: string,
  want: LocalView,
  map: Record<string, string>,
): Promise<{ map: Record<string, string>; updatedAt?: string }> {
  const onRemote = new Set(Object.values(map));
  const out = { ...map };
  for (const c of want.comments) {
    if (onRemote.has(c.id) || c.deleted !== undefined) continue;
    const rc = await remote(env, () => env.connector.addComment(remoteId, c.text, c.id));
    out[rc.id] = c.id;
    env.stats.commentsPushed++;
  }
  return { map: out };
}

/** Push the texts of comments edited here to the service (when it takes edits); true when any was sent. */
export async function pushCommentEdits(
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
export async function pushRelations(env: PassEnv, r: RemoteIssue, want: LocalView, have: LocalView): Promise<boolean> {
  const setRelations = env.connector.setRelations?.bind(env.connector);
  const rels = setRelations && r.relations !== undefined ? relationsPatch(want, have, env.refs) : undefined;
  if (!rels) return false;
  await remote(env, () => setRelations!(r.id, rels, r.relations ?? []));
  env.stats.remoteUpdated++;
  return true;
}
