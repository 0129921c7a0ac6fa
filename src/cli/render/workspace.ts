import type { RoutingRules } from '../../store/workspace.js';
import type { WorkspaceStoreRow } from '../../ops/workspaceList.js';

/** Human renderers for the workspace operations, by operation name. */
export const renderers: Record<string, (out: unknown) => string> = {
  'workspace-list': renderList,
  'workspace-add': renderMessage,
  'workspace-remove': renderMessage,
  'workspace-route': (out) => routingLines((out as { routing: RoutingRules }).routing).join('\n'),
  propose: renderMessage,
  withdraw: renderMessage,
  accept: renderMessage,
};

function renderMessage(out: unknown): string {
  const o = out as { message?: string };
  return o.message ?? JSON.stringify(out, null, 2);
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function routingLines(r: RoutingRules): string[] {
  const lines = [`new tickets go to ${r.default ?? 'local'} unless a rule says otherwise`];
  for (const [l, s] of Object.entries(r.labels ?? {})) lines.push(`  label ${l} → ${s}`);
  for (const [t, s] of Object.entries(r.types ?? {})) lines.push(`  type ${t} → ${s}`);
  return lines;
}

function renderList(out: unknown): string {
  const o = out as { stores: WorkspaceStoreRow[]; routing: RoutingRules };
  if (o.stores.length === 1) return "no workspace: only this clone's store (add one with `tack workspace add PATH`)";
  const w = Math.max(...o.stores.map((s) => s.name.length));
  const rows = o.stores.map((s) => {
    const ref = s.ref.replace(/^refs\/heads\//, '');
    const state = s.error ? `unreadable: ${s.error}` : `${s.open} open`;
    return `${pad(s.name, w)}  ${s.path} (${ref})  ${state}`;
  });
  return [...rows, '', ...routingLines(o.routing)].join('\n');
}
