import { createHash } from 'node:crypto';
import type { Comment } from '../../model/comments.js';
import { categoryOf, type Schema } from '../../model/schema.js';
import { fieldsOf, setField, type TicketFile } from '../../model/ticketCodec.js';
import type { IssueFields, Priority, RemoteIssue, RemoteRelation, StateCategory } from '../connector.js';

/**
 * The synced part of a ticket, in Tack's terms (status NAME, Tack users): what a base
 * snapshot keeps and what the three-way merge compares. Both sides are brought to this
 * shape, then merged as ticket files by the one merge function (src/model/merge.ts).
 */
export interface LocalView {
  title: string;
  status: string;
  priority: string;
  labels: string[];
  assignee: string | null;
  due: string | null;
  /** Local id of the parent ticket. */
  parent: string | null;
  /** Outgoing relations by kind (local ids, sorted); absent in bases written before relations synced. */
  relations?: Relations;
  body: string;
  comments: Comment[];
}

export const RELATION_KINDS = ['blocks', 'related', 'duplicates'] as const;
export type Relations = Record<(typeof RELATION_KINDS)[number], string[]>;
const noRelations = (): Relations => ({ blocks: [], related: [], duplicates: [] });
const relKey = (r: Relations | undefined) => JSON.stringify(r ?? noRelations());

/** Ticket ↔ remote issue ids, for parent links (from the mapping in front matter). */
export interface RefMap {
  toLocal(remoteId: string): string | undefined;
  toRemote(localId: string): string | undefined;
  /** The connector writes `parent` (Connector.writesParent). */
  writesParent: boolean;
}

const PRIORITIES: Priority[] = ['none', 'urgent', 'high', 'medium', 'low'];

/** Bodies compare without trailing whitespace: services trim, files end with a newline. */
export const normBody = (s: string): string => (s.trim() ? `${s.replace(/\s+$/, '')}\n` : '');

const str = (v: unknown): string | null => (v === undefined || v === null || v === '' ? null : String(v));

export function viewOf(file: TicketFile, schema: Schema): LocalView {
  const f = fieldsOf(file);
  const labels = Array.isArray(f.labels) ? f.labels.map(String) : f.labels ? [String(f.labels)] : [];
  return {
    title: String(f.title ?? ''),
    status: String(f.status ?? schema.defaultStatus),
    priority: String(f.priority ?? schema.defaultPriority),
    labels: [...new Set(labels)].sort(),
    assignee: str(f.assignee),
    due: str(f.due),
    parent: str(f.parent),
    relations: Object.fromEntries(
      RELATION_KINDS.map((k) => [
        k,
        [...new Set((Array.isArray(f[k]) ? f[k] : f[k] ? [f[k]] : []).map(String))].sort(),
      ]),
    ) as Relations,
    body: normBody(file.body),
    comments: file.comments,
  };
}

const commentKey = (c: Comment[]) => JSON.stringify(c.map((x) => [x.id, x.text.trim()]).sort());

/** Same synced content (comments by id and text). */
export function sameView(a: LocalView, b: LocalView): boolean {
  return (
    a.title === b.title &&
    a.status === b.status &&
    a.priority === b.priority &&
    a.labels.join('\n') === b.labels.join('\n') &&
    a.assignee === b.assignee &&
    a.due === b.due &&
    (a.parent ?? null) === (b.parent ?? null) &&
    relKey(a.relations) === relKey(b.relations) &&
    a.body === b.body &&
    commentKey(a.comments) === commentKey(b.comments)
  );
}

/** A copy of `file` with the view's values; fields that already hold them stay untouched. */
export function withView(file: TicketFile, v: LocalView, schema: Schema, updated?: string): TicketFile {
  const out: TicketFile = { doc: file.doc.clone(), body: file.body, comments: v.comments };
  const have = viewOf(file, schema);
  for (const k of ['title', 'status', 'priority', 'labels', 'assignee', 'due', 'parent'] as const) {
    if (JSON.stringify(have[k] ?? null) !== JSON.stringify(v[k] ?? null)) setField(out, k, v[k] ?? null);
  }
  for (const k of RELATION_KINDS) {
    const want = (v.relations ?? noRelations())[k];
    if (JSON.stringify((have.relations ?? noRelations())[k]) !== JSON.stringify(want)) setField(out, k, want);
  }
  if (have.body !== v.body) out.body = v.body;
  if (updated) setField(out, 'updated', updated);
  return out;
}

/** The Tack state for a category: the current one when it already has that category. */
export function statusFor(schema: Schema, category: StateCategory, current?: string): string {
  if (current && categoryOf(schema, current) === category) return current;
  return schema.states.find((s) => s.category === category)?.name ?? schema.defaultStatus;
}

/** The current status's category when the remote state is what it becomes after a round trip. */
function sameAfterRoundTrip(
  schema: Schema,
  remote: StateCategory,
  current: string | undefined,
  roundTrip?: (c: StateCategory) => StateCategory,
): StateCategory | undefined {
  const cat = current ? categoryOf(schema, current) : undefined;
  return cat && roundTrip && roundTrip(cat) === remote ? cat : undefined;
}

/** A deterministic local comment id for a remote comment: every clone imports it alike. */
export function importedCommentId(remoteId: string): string {
  return `c-${BigInt(`0x${createHash('sha256').update(remoteId).digest('hex').slice(0, 12)}`)
    .toString(36)
    .slice(0, 8)}`;
}

export interface UserMap {
  /** Tack user → service user; undefined when a map is configured and does not name them. */
  toRemote(user: string): string | undefined;
  /** Service user → Tack user. */
  toLocal(user: string): string;
  /** Users met that the map does not name (reported, passed through unchanged). */
  unknown: Set<string>;
}

export function userMap(map: Record<string, string> = {}): UserMap {
  const reverse = new Map(Object.entries(map).map(([t, r]) => [r, t]));
  const unknown = new Set<string>();
  const known = Object.keys(map).length > 0;
  return {
    unknown,
    // With no map at all, names pass through (Tack users named like the service's).
    toRemote: (u) => {
      if (map[u] !== undefined || !known) return map[u] ?? u;
      unknown.add(`tack user "${u}"`);
      return undefined;
    },
    toLocal: (u) => {
      const local = reverse.get(u);
      if (local !== undefined) return local;
      if (known) unknown.add(`remote user "${u}"`);
      return u;
    },
  };
}

/**
 * The remote issue as a LocalView. Comments: ones Tack wrote map back to their Tack ids
 * (marker or the base's map); the others get deterministic imported ids. A comment
 * that already exists locally is kept verbatim, so it never looks changed, unless the
 * service syncs comment edits (`commentEdits`) and its text differs: then the remote text.
 */
export function viewFromRemote(
  r: RemoteIssue,
  schema: Schema,
  users: UserMap,
  o: {
    current?: LocalView;
    commentMap?: Record<string, string>;
    roundTrip?: (c: StateCategory) => StateCategory;
    refs?: RefMap;
    commentEdits?: boolean;
  },
): { view: LocalView; commentMap: Record<string, string>; unresolved: boolean } {
  if (r.deleted && o.current) {
    // A deleted item's other fields may be gone (Trello only knows the id): cancel only.
    return {
      view: { ...o.current, status: statusFor(schema, 'canceled', o.current.status) },
      commentMap: { ...o.commentMap },
      unresolved: false,
    };
  }
  // A parent not synced yet (imported later in the pass) keeps the current value for now.
  const parent = r.parent === undefined || r.parent === null ? r.parent : o.refs?.toLocal(r.parent);
  const rels = r.relations === undefined ? undefined : relationsToLocal(r.relations, o.refs);
  const unresolved = (typeof r.parent === 'string' && parent === undefined) || rels === null;
  const commentMap: Record<string, string> = {};
  const local = new Map((o.current?.comments ?? []).map((c) => [c.id, c]));
  const comments: Comment[] = [];
  for (const rc of r.comments ?? []) {
    const id = rc.tackId ?? o.commentMap?.[rc.id] ?? importedCommentId(rc.id);
    commentMap[rc.id] = id;
    const mine = local.get(id);
    // With `commentEdits` the remote text counts (an edit there); else a comment never changes.
    // A comment deleted here stays deleted (its tombstone), whatever the service still shows.
    const edited = mine && mine.deleted === undefined && o.commentEdits && mine.text.trim() !== rc.body.trim();
    comments.push(
      mine
        ? edited
          ? { ...mine, text: rc.body.trim() }
          : mine
        : { id, author: users.toLocal(rc.author), created: rc.createdAt, text: rc.body.trim() },
    );
  }
  const category: StateCategory = r.deleted ? 'canceled' : r.state;
  const keep = <K extends keyof LocalView>(k: K, v: LocalView[K] | undefined): LocalView[K] =>
    (v === undefined ? (o.current?.[k] ?? (k === 'labels' ? [] : null)) : v) as LocalView[K];
  const view: LocalView = {
    title: r.title,
    status: statusFor(
      schema,
      sameAfterRoundTrip(schema, category, o.current?.status, o.roundTrip) ?? category,
      o.current?.status,
    ),
    priority:
      r.priority === undefined
        ? (o.current?.priority ?? schema.defaultPriority)
        : schema.priorities.includes(r.priority)
          ? r.priority
          : schema.defaultPriority,
    labels: keep('labels', r.labels ? [...new Set(r.labels)].sort() : undefined),
    assignee: keep(
      'assignee',
      r.assignee === undefined ? undefined : r.assignee === null ? null : users.toLocal(r.assignee),
    ),
    due: keep('due', r.due),
    parent: keep('parent', parent),
    relations: rels ?? o.current?.relations ?? noRelations(),
    body: normBody(r.description),
    comments,
  };
  return { view, commentMap, unresolved };
}

/** Remote relations in local ids; null when a target has no ticket yet (merged again later). */
function relationsToLocal(list: RemoteRelation[], refs: RefMap | undefined): Relations | null {
  const out = noRelations();
  for (const r of list) {
    const id = refs?.toLocal(r.target);
    if (!id) return null;
    out[r.type].push(id);
  }
  for (const k of RELATION_KINDS) out[k].sort();
  return out;
}

/**
 * The relations to ask the remote for, in remote ids, when the local ones differ from what
 * it holds; undefined when nothing is to be sent (same, or a target not synced yet).
 */
export function relationsPatch(want: LocalView, have: LocalView, refs: RefMap): RemoteRelation[] | undefined {
  if (relKey(want.relations) === relKey(have.relations)) return undefined;
  const out: RemoteRelation[] = [];
  for (const k of RELATION_KINDS) {
    for (const id of (want.relations ?? noRelations())[k]) {
      const target = refs.toRemote(id);
      if (!target) return undefined; // next pass, once the target has its remote issue
      out.push({ type: k, target });
    }
  }
  return out;
}

/** What to send so the remote holds `want` where it now holds `have` (both LocalViews). */
export function remotePatch(
  want: LocalView,
  have: LocalView,
  schema: Schema,
  users: UserMap,
  refs?: RefMap,
): IssueFields {
  const p: IssueFields = {};
  if (want.title !== have.title) p.title = want.title;
  if (want.body !== have.body) p.description = want.body.replace(/\s+$/, '');
  const wc = categoryOf(schema, want.status);
  if (wc && wc !== categoryOf(schema, have.status)) p.state = wc;
  if (want.priority !== have.priority)
    p.priority = PRIORITIES.includes(want.priority as Priority) ? (want.priority as Priority) : 'none';
  if (want.labels.join('\n') !== have.labels.join('\n')) p.labels = want.labels;
  if (want.assignee !== have.assignee) {
    const who = want.assignee === null ? null : users.toRemote(want.assignee);
    // An unmapped user is reported, not guessed: the remote keeps its assignee.
    if (who !== undefined) p.assignee = who;
  }
  if (want.due !== have.due) p.due = want.due;
  if ((want.parent ?? null) !== (have.parent ?? null) && refs?.writesParent) {
    const to = want.parent ? refs.toRemote(want.parent) : null;
    if (to !== undefined) p.parent = to; // a parent with no remote issue yet: next pass
  }
  return p;
}

/**
 * The base to keep after writing `want` to a remote that held `have`: what the remote now
 * holds, so a field that could not be written (an unmapped user) stays a pending local
 * change instead of looking like a remote edit on the next pass.
 */
export function agreedView(
  want: LocalView,
  have: LocalView,
  sent: IssueFields & { relations?: unknown },
  schema: Schema,
): LocalView {
  const out = { ...want };
  const unsent = <K extends keyof LocalView>(k: K, field: keyof IssueFields) => {
    if (JSON.stringify(want[k] ?? null) !== JSON.stringify(have[k] ?? null) && !(field in sent)) out[k] = have[k];
  };
  unsent('title', 'title');
  unsent('body', 'description');
  unsent('priority', 'priority');
  unsent('labels', 'labels');
  unsent('assignee', 'assignee');
  unsent('due', 'due');
  unsent('parent', 'parent');
  if (relKey(want.relations) !== relKey(have.relations) && !('relations' in sent)) out.relations = have.relations;
  if (categoryOf(schema, want.status) !== categoryOf(schema, have.status) && !('state' in sent))
    out.status = have.status;
  return out;
}

/** The fields of a new remote issue for a local ticket. */
export function createFields(
  v: LocalView,
  schema: Schema,
  users: UserMap,
  refs?: RefMap,
): IssueFields & { title: string } {
  const empty: LocalView = {
    title: '',
    status: '',
    priority: 'none',
    labels: [],
    assignee: null,
    due: null,
    parent: null,
    relations: noRelations(),
    body: '',
    comments: [],
  };
  return { ...remotePatch(v, empty, schema, users, refs), title: v.title };
}
