import type { OpDef } from '../ops/op.js';

export type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';

/** One HTTP route onto one operation: the REST API and its OpenAPI document are both made from this table. */
export interface Route {
  method: Method;
  /** Hono syntax: `/api/tickets/:id`, `/api/docs/:path{.+}`. */
  path: string;
  op: string;
  /** Where the operation's input comes from besides path parameters. */
  from: 'query' | 'body';
  /** Builds the input from path parameters and the query/body (default: merge them). */
  input?: (params: Record<string, string>, rest: Record<string, unknown>) => Record<string, unknown>;
  /** PATCH-like writes of one ticket: honour If-Match with the ticket's version. */
  ifMatch?: boolean;
  /** Answer with the ticket's version as ETag. */
  etag?: boolean;
  summary?: string;
}

const withId = (p: Record<string, string>, rest: Record<string, unknown>) => ({ ...rest, id: p.id });
const withIds = (p: Record<string, string>, rest: Record<string, unknown>) => ({ ...rest, ids: [p.id] });

/** Resource-style aliases: the same operations, addressed the way REST clients expect. */
const ALIASES: Route[] = [
  { method: 'get', path: '/api/tickets', op: 'list', from: 'query' },
  { method: 'post', path: '/api/tickets', op: 'create', from: 'body' },
  { method: 'get', path: '/api/tickets/:id', op: 'show', from: 'query', input: withId, etag: true },
  { method: 'patch', path: '/api/tickets/:id', op: 'update', from: 'body', input: withId, ifMatch: true },
  { method: 'delete', path: '/api/tickets/:id', op: 'delete', from: 'query', input: withIds, ifMatch: true },
  { method: 'get', path: '/api/tickets/:id/history', op: 'log', from: 'query', input: withId },
  { method: 'post', path: '/api/tickets/:id/comments', op: 'comment', from: 'body', input: withId, ifMatch: true },
  {
    method: 'patch',
    path: '/api/tickets/:id/comments/:comment',
    op: 'comment-edit',
    from: 'body',
    input: (p, r) => ({ ...r, id: p.id, comment: p.comment }),
    ifMatch: true,
  },
  {
    method: 'delete',
    path: '/api/tickets/:id/comments/:comment',
    op: 'comment-delete',
    from: 'query',
    input: (p, r) => ({ ...r, id: p.id, comment: p.comment }),
    ifMatch: true,
  },
  { method: 'post', path: '/api/tickets/:id/close', op: 'close', from: 'body', input: withIds, ifMatch: true },
  { method: 'post', path: '/api/tickets/:id/reopen', op: 'reopen', from: 'body', input: withIds, ifMatch: true },
  { method: 'post', path: '/api/tickets/:id/archive', op: 'archive', from: 'body', input: withIds, ifMatch: true },
  { method: 'post', path: '/api/tickets/:id/restore', op: 'restore', from: 'body', input: withId },
  { method: 'post', path: '/api/tickets/:id/links', op: 'link', from: 'body', input: withId, ifMatch: true },
  {
    method: 'delete',
    path: '/api/tickets/:id/links/:kind/:target',
    op: 'unlink',
    from: 'query',
    input: (p, r) => ({ ...r, id: p.id, kind: p.kind, target: p.target }),
    ifMatch: true,
  },
  { method: 'post', path: '/api/tickets/:id/labels', op: 'label-add', from: 'body', input: withId, ifMatch: true },
  {
    method: 'delete',
    path: '/api/tickets/:id/labels/:label',
    op: 'label-rm',
    from: 'query',
    input: (p, r) => ({ ...r, id: p.id, labels: [p.label] }),
    ifMatch: true,
  },
  { method: 'get', path: '/api/docs', op: 'docs-list', from: 'query' },
  {
    method: 'get',
    path: '/api/docs/:path{.+}',
    op: 'docs-show',
    from: 'query',
    input: (p, r) => ({ ...r, path: p.path }),
  },
  {
    method: 'put',
    path: '/api/docs/:path{.+}',
    op: 'docs-write',
    from: 'body',
    input: (p, r) => ({ ...r, path: p.path }),
  },
  { method: 'get', path: '/api/schema', op: 'schema-show', from: 'query' },
  {
    method: 'get',
    path: '/api/sql',
    op: 'sql',
    from: 'query',
    input: (_p, r) => ({ ...r, write: false }),
    summary: 'Run a read-only SQL query on the index',
  },
];

/**
 * Every operation at /api/<name> (GET with query parameters for reads, POST with a JSON
 * body for everything), plus the aliases whose operation is registered.
 */
export function buildRoutes(ops: OpDef[]): Route[] {
  const names = new Set(ops.map((o) => o.name));
  const routes: Route[] = [];
  for (const op of ops) {
    if (op.kind === 'read') routes.push({ method: 'get', path: `/api/${op.name}`, op: op.name, from: 'query' });
    routes.push({ method: 'post', path: `/api/${op.name}`, op: op.name, from: 'body' });
  }
  return [...ALIASES.filter((a) => names.has(a.op)), ...routes];
}
