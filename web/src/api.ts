// The REST API of `tack serve` (docs/server.md): the only way this app reads or writes.
import { webWords } from './webWords';

export interface Ticket {
  id: string;
  short_id: string;
  title: string;
  type: string;
  status: string;
  category: string;
  priority: string;
  labels: string[];
  assignee: string | null;
  parent: string | null;
  project: string | null;
  created: string;
  updated: string;
  /** Order within a board column, lower first; absent until the card is placed by a drop. */
  rank?: number;
  version?: string;
  /** In the store's archive/: out of lists and the board, still shown by its link. */
  archived?: boolean;
}

export interface TicketRef {
  id: string;
  short_id?: string;
  title: string;
  status?: string;
  category?: string;
}

export interface Comment {
  id: string;
  author: string;
  created: string;
  body: string;
  /** When its author last edited it. */
  edited?: string;
}

export interface TicketDetails extends Ticket {
  description: string;
  comments: Comment[];
  // Relations are ticket ids; links are doc paths or ticket ids.
  blocks: string[];
  blocked_by: string[];
  children: string[];
  related: string[];
  duplicates: string[];
  duplicated_by: string[];
  links: string[];
  /** Ids of tickets whose text links this one (the first 50; backlinks_total counts them all). */
  backlinks: string[];
  backlinks_total: number;
  /** How many tickets each relation kind names; the lists hold the first 50. */
  relation_totals: Record<string, number>;
  tags: string[];
  /** Code commits (12 hex digits) and branches that mention it, from `tack commits scan`. */
  commits: string[];
  branches: string[];
  done_at: { commit: string; branch: string | null } | null;
  /** Every relation kind, forward and inverse, by kind. */
  relations?: Record<string, string[]>;
  /** Title and state of every ticket named above, by id. */
  refs?: Record<string, { short_id: string; title: string; status: string }>;
}

export interface Change {
  commit: string;
  time: string;
  author: string;
  subject: string;
  op: string;
  field: string;
  old: string | null;
  new: string | null;
  /** Who made the commit (docs/agents.md); null when it records none. */
  provenance?: Provenance | null;
}

export interface Provenance {
  actor: 'human' | 'agent';
  agent?: string;
  harness?: string;
  model?: string;
  session?: string;
}

/** A custom field schema.yaml declares (`fields:`), as `GET /api/schema` gives it. */
export interface FieldDef {
  name: string;
  type: 'string' | 'number' | 'date' | 'bool' | 'enum' | 'user' | 'ticket' | 'list';
  values?: string[];
  description?: string;
}

export interface Schema {
  types: string[];
  states: Array<{ name: string; category: string; waiting?: boolean }>;
  priorities: string[];
  defaultType: string;
  defaultStatus: string;
  fields?: FieldDef[];
  projects?: Array<{ key: string; name: string }>;
}

/** A refused request, said in the web's words (webWords); the server's own text is kept beside. */
export class ApiError extends Error {
  readonly serverMessage: string;
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(webWords(message, code));
    this.serverMessage = message;
  }
}

/** Bound to anything but loopback the server wants a bearer token: `/?token=...` once, then kept. */
export function token(): string | null {
  const fromUrl = new URLSearchParams(location.search).get('token');
  if (fromUrl) localStorage.setItem('tack.token', fromUrl);
  return fromUrl ?? localStorage.getItem('tack.token');
}

function auth(): Record<string, string> {
  const t = token();
  return t ? { authorization: `Bearer ${t}` } : {};
}

export async function api<T>(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...auth(),
      ...headers,
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  return answer<T>(res, method, path);
}

/** A response's JSON, or its error as an ApiError. */
async function answer<T>(res: Response, method: string, path: string): Promise<T> {
  const text = await res.text();
  const json = text ? JSON.parse(text) : null;
  if (!res.ok) {
    const e = json?.error ?? {};
    throw new ApiError(
      res.status,
      e.code ?? 'internal',
      e.message ?? `${method} ${path}: ${res.status}`,
      e.details ?? {},
    );
  }
  return json as T;
}

declare global {
  interface Window {
    /** GETs web/index.html starts before this script has even arrived, by path. */
    __tackEarly?: Record<string, Promise<Response>>;
  }
}

// GETs started ahead of the code that reads them (by index.html while this script downloads,
// or a direct ticket link's ticket while the schema is on its way): the first get() of the
// same path takes the answer; later ones ask again.
const early = new Map<string, Promise<Response>>(Object.entries(window.__tackEarly ?? {}));

export function prefetch(path: string): void {
  if (early.has(path)) return;
  const res = fetch(path, { headers: auth() });
  res.catch(() => undefined); // read (and reported) by the get() that takes it
  early.set(path, res);
}

/** The answer to a GET: the one started early, else a new request. */
function take(path: string): Promise<Response> {
  const res = early.get(path);
  early.delete(path);
  return res ?? fetch(path, { headers: auth() });
}

export async function get<T>(path: string): Promise<T> {
  return answer<T>(await take(path), 'GET', path);
}

/** A page of a list and how many the whole list holds (the server's `X-Total-Count`). */
export async function getPage<T>(path: string): Promise<{ items: T[]; total: number }> {
  const res = await take(path);
  const items = await answer<T[]>(res, 'GET', path);
  const total = Number(res.headers.get('x-total-count'));
  return { items, total: Number.isSafeInteger(total) && total >= items.length ? total : items.length };
}
export const ifMatch = (version: string | undefined): Record<string, string> =>
  version ? { 'if-match': `"${version}"` } : {};
export const enc = encodeURIComponent;
/** A ticket's REST path. */
export const ticketPath = (id: string) => `/api/tickets/${enc(id)}`;
