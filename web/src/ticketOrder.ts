import type { Ticket } from './api';

export const CATEGORY_ORDER = ['triage', 'backlog', 'unstarted', 'started', 'completed', 'canceled'];
export const CATEGORY_NAME: Record<string, string> = {
  triage: 'Triage',
  backlog: 'Backlog',
  unstarted: 'Todo',
  started: 'In progress',
  completed: 'Done',
  canceled: 'Canceled',
};

/** A priority's rank, as the server's `priorityRank` gives it: the schema's order, "none" and unknown names last. */
let priorityRanks = new Map(['urgent', 'high', 'medium', 'low'].map((p, i) => [p, i]));
const priorityRank = (p: string): number => priorityRanks.get(p) ?? 99;

/** The schema's priorities, in order, once it is read (a store may name its own). */
export function setPriorityOrder(priorities: readonly string[]): void {
  priorityRanks = new Map(priorities.filter((p) => p !== 'none').map((p, i) => [p, i]));
}

/** A category's place in the list: CATEGORY_ORDER, an unknown one last (the server's `workflow` order). */
const categoryRank = (c: string): number => {
  const i = CATEGORY_ORDER.indexOf(c);
  return i < 0 ? CATEGORY_ORDER.length : i;
};

export interface Filters {
  state: string; // '' open work, '*' everything, else one state
  type: string;
  label: string;
  assignee: string;
  priority: string;
  project: string;
  text: string;
  sort: 'priority' | 'created' | 'updated' | 'title' | 'id';
  group: Grouping;
  /** Groups within each group ('none': not sub-grouped). */
  sub: Grouping;
}

export const GROUPINGS = ['state', 'assignee', 'priority', 'label', 'project', 'type', 'none'] as const;
export type Grouping = (typeof GROUPINGS)[number];

/**
 * The top of the list as it opens with no filters (open work grouped by state, by
 * priority): the server's `workflow` order is this file's, so these rows are the first
 * ones the whole list shows. web/index.html asks for it by the same path.
 */
export const FIRST_SCREEN = '/api/tickets?all=true&category=triage,backlog,unstarted,started&sort=workflow&limit=50';

export const NO_FILTERS: Filters = {
  state: '',
  type: '',
  label: '',
  assignee: '',
  priority: '',
  project: '',
  text: '',
  sort: 'priority',
  group: 'state',
  sub: 'none',
};

const SORTS: ReadonlyArray<Filters['sort']> = ['priority', 'updated', 'created', 'title', 'id'];

/** The filters a URL's query string names (unknown keys and values fall back to the defaults). */
export function filtersFromQuery(search: string): Filters {
  const q = new URLSearchParams(search);
  const f: Filters = { ...NO_FILTERS };
  for (const k of ['state', 'type', 'label', 'assignee', 'priority', 'project', 'text'] as const) f[k] = q.get(k) ?? '';
  const sort = q.get('sort') as Filters['sort'];
  if (SORTS.includes(sort)) f.sort = sort;
  const group = q.get('group') as Grouping;
  if (GROUPINGS.includes(group)) f.group = group;
  const sub = q.get('sub') as Grouping;
  if (GROUPINGS.includes(sub)) f.sub = sub;
  return f;
}

/** Do these filters leave out open tickets (a state, a field, a search)? Order and grouping do not. */
export function narrowed(f: Filters): boolean {
  if (f.state !== '' && f.state !== '*') return true;
  return (['type', 'label', 'assignee', 'priority', 'project', 'text'] as const).some((k) => f[k] !== '');
}

/** The query string for these filters: only what differs from the defaults, so a plain list is `/`. */
export function queryOf(f: Filters): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v !== NO_FILTERS[k as keyof Filters]) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Does the text filter find this ticket locally (title, id, labels)? Server hits add to it. */
export function matchesText(t: Ticket, text: string): boolean {
  const q = text.toLowerCase();
  return t.title.toLowerCase().includes(q) || t.id.includes(q) || t.labels.some((l) => l.includes(q));
}

/** `hits`: tickets the server's full-text search found for `f.text` (descriptions, comments, aliases). */
export function matches(t: Ticket, f: Filters, hits?: ReadonlyMap<string, string>): boolean {
  if (f.state === '' && (t.category === 'completed' || t.category === 'canceled')) return false;
  if (f.state && f.state !== '*' && t.status !== f.state) return false;
  if (f.type && t.type !== f.type) return false;
  if (f.label && !t.labels.includes(f.label)) return false;
  if (f.assignee && (f.assignee === 'none' ? t.assignee : t.assignee !== f.assignee)) return false;
  if (f.priority && t.priority !== f.priority) return false;
  if (f.project && t.project !== f.project) return false;
  if (f.text && !matchesText(t, f.text) && !hits?.has(t.id)) return false;
  return true;
}

/**
 * Code-unit order, for ISO times and ids, where it is the right order: a list sorts 10,000
 * tickets before its first paint, and localeCompare (collation, meant for words) cost ~14 ms
 * of it.
 */
export const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const by: Record<Filters['sort'], (a: Ticket, b: Ticket) => number> = {
  // The server's `list --sort workflow` within one category: the web's first screen comes from it.
  priority: (a, b) => priorityRank(a.priority) - priorityRank(b.priority) || byCodeUnit(b.updated, a.updated),
  created: (a, b) => byCodeUnit(b.created, a.created),
  updated: (a, b) => byCodeUnit(b.updated, a.updated),
  title: (a, b) => a.title.localeCompare(b.title),
  id: (a, b) => byCodeUnit(a.id, b.id),
};

export type Row =
  | { kind: 'group'; key: string; name: string; count: number; category?: string; sub?: boolean }
  | { kind: 'ticket'; ticket: Ticket; group: string };

const NONE = '\u0000none';
const NONE_NAME: Partial<Record<Grouping, string>> = {
  assignee: 'No assignee',
  label: 'No label',
  project: 'No project',
};

/** The groups a ticket falls in (a ticket with two labels is in both label groups). */
function keysOf(t: Ticket, g: Grouping): string[] {
  switch (g) {
    case 'state':
      return [t.category];
    case 'assignee':
      return [t.assignee ?? NONE];
    case 'priority':
      return [t.priority];
    case 'label':
      return t.labels.length ? t.labels : [NONE];
    case 'project':
      return [t.project ?? NONE];
    case 'type':
      return [t.type];
    case 'none':
      return [''];
  }
}

function groupOrder(g: Grouping): (a: string, b: string) => number {
  const last = (a: string, b: string) => (a === NONE ? 1 : 0) - (b === NONE ? 1 : 0);
  if (g === 'state') return (a, b) => categoryRank(a) - categoryRank(b);
  if (g === 'priority') return (a, b) => priorityRank(a) - priorityRank(b) || a.localeCompare(b);
  return (a, b) => last(a, b) || a.localeCompare(b);
}

function groupName(g: Grouping, key: string): string {
  if (key === NONE) return NONE_NAME[g] ?? 'None';
  return g === 'state' ? (CATEGORY_NAME[key] ?? key) : key;
}

/** Tickets by their keys of a grouping (a ticket with two labels is in both), groups in order. */
function split(tickets: Iterable<Ticket>, g: Grouping): Array<[string, Ticket[]]> {
  const groups = new Map<string, Ticket[]>();
  for (const t of tickets)
    for (const k of keysOf(t, g)) {
      let list = groups.get(k);
      if (!list) groups.set(k, (list = []));
      list.push(t);
    }
  return [...groups].sort(([a], [b]) => groupOrder(g)(a, b));
}

/**
 * Tickets grouped by `f.group` (states in workflow order, priorities by urgency, else by
 * name), each group sub-grouped by `f.sub` when it is another grouping, and sorted.
 */
export function groupRows(tickets: Iterable<Ticket>, f: Filters, hits?: ReadonlyMap<string, string>): Row[] {
  const shown = [...tickets].filter((t) => matches(t, f, hits));
  const order = (a: Ticket, b: Ticket) => by[f.sort](a, b) || byCodeUnit(a.id, b.id);
  const sub = f.group !== 'none' && f.sub !== 'none' && f.sub !== f.group ? f.sub : null;
  const rows: Row[] = [];
  for (const [key, g] of split(shown, f.group)) {
    if (f.group !== 'none') {
      const name = groupName(f.group, key);
      rows.push({ kind: 'group', key, name, count: g.length, ...(f.group === 'state' ? { category: key } : {}) });
    }
    if (!sub) {
      for (const t of g.sort(order)) rows.push({ kind: 'ticket', ticket: t, group: key });
      continue;
    }
    for (const [subKey, s] of split(g, sub)) {
      const k = `${key}\u0000${subKey}`;
      rows.push({ kind: 'group', key: k, name: groupName(sub, subKey), count: s.length, sub: true });
      for (const t of s.sort(order)) rows.push({ kind: 'ticket', ticket: t, group: k });
    }
  }
  return rows;
}

/** The distinct values of a field over all tickets, for the filter menus. */
export function valuesOf(tickets: Iterable<Ticket>, pick: (t: Ticket) => Array<string | null>): string[] {
  const s = new Set<string>();
  for (const t of tickets) for (const v of pick(t)) if (v) s.add(v);
  return [...s].sort();
}
