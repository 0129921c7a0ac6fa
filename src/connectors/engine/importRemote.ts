import { newTicketFile } from '../../model/ticketCodec.js';
import type { RemoteIssue } from '../connector.js';
import type { BaseSnapshot } from './connectionStore.js';
import { viewFromRemote, viewOf } from './localView.js';
import { importedTicketId, setExternal, type LocalTicket, type TicketWrite } from './localTickets.js';
import { flushImports, importBatchSize, type PassEnv } from './passEnv.js';

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
