import { faultPoint } from '../../git/fault.js';
import type { TicketFile } from '../../model/ticketCodec.js';
import type { RemoteIssue } from '../connector.js';
import { createFields, viewFromRemote, viewOf } from './localView.js';
import { setExternal, type LocalTicket } from './localTickets.js';
import { commitLocal, type PassEnv } from './passEnv.js';
import { pushComments, pushRelations, writeFields } from './remoteWrites.js';

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
