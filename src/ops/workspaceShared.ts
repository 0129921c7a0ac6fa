import { TackError } from '../model/errors.js';
import { readSettings, writeSettings, type Store } from '../store/store.js';
import type { WorkspaceSettings } from '../store/workspace.js';

/** The workspace as kept in this clone's local settings (an empty one when none is). */
export function readWorkspace(store: Store): WorkspaceSettings {
  const ws = readSettings(store.repo)?.workspace;
  return { members: [...(ws?.members ?? [])], ...(ws?.routing ? { routing: ws.routing } : {}) };
}

/** Save the workspace; an empty one is removed, so the store reads exactly as before. */
export function writeWorkspace(store: Store, ws: WorkspaceSettings): void {
  const current = readSettings(store.repo) ?? { mode: store.mode };
  const next = { ...current };
  const routing =
    ws.routing && Object.values(ws.routing).some((v) => (typeof v === 'string' ? v : Object.keys(v ?? {}).length))
      ? ws.routing
      : undefined;
  if (ws.members.length || routing) next.workspace = { members: ws.members, ...(routing ? { routing } : {}) };
  else delete next.workspace;
  writeSettings(store.repo, next);
}

export function noWorkspace(what: string): TackError {
  return new TackError(
    'invalid_input',
    `${what} needs a workspace; none is configured in this clone (add a store with \`tack workspace add PATH\`)`,
  );
}
