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
const PRIORITY_RANK: Record<string, number> = { urgent: 0, high: 1, medium: 2, low: 3, none: 4 };

export interface Filters {
  state: string; // '' open work, '*' everything, else one state
  type: string;
  label: string;
  assignee: string;
  priority: string;
  project: string;
  text: string;
  sort: 'priority' | 'created' | 'updated' | 'title' | 'id';
}

export const NO_FILTERS: Filters = {
  state: '',
  type: '',
  label: '',
  assignee: '',
  priority: '',
  project: '',
  text: '',
  sort: 'priority',
};

export function matches(t: Ticket, f: Filters): boolean {
  if (f.state === '' && (t.category === 'completed' || t.category === 'canceled')) return false;
  if (f.state && f.state !== '*' && t.status !== f.state) return false;
  if (f.type && t.type !== f.type) return false;
  if (f.label && !t.labels.includes(f.label)) return false;
  if (f.assignee && (f.assignee === 'none' ? t.assignee : t.assignee !== f.assignee)) return false;
  if (f.priority && t.priority !== f.priority) return false;
  if (f.project && t.project !== f.project) return false;
  if (f.text) {
    const q = f.text.toLowerCase();
    if (!t.title.toLowerCase().includes(q) && !t.id.includes(q) && !t.labels.some((l) => l.includes(q))) return false;
  }
  return true;
}

const by: Record<Filters['sort'], (a: Ticket, b: Ticket) => number> = {
  priority: (a, b) =>
    (PRIORITY_RANK[a.priority] ?? 5) - (PRIORITY_RANK[b.priority] ?? 5) || b.updated.localeCompare(a.updated),
  created: (a, b) => b.created.localeCompare(a.created),
  updated: (a, b) => b.updated.localeCompare(a.updated),
  title: (a, b) => a.title.localeCompare(b.title),
  id: (a, b) => a.id.localeCompare(b.id),
};

export type Row = { kind: 'group'; category: string; count: number } | { kind: 'ticket'; ticket: Ticket };

/** Tickets grouped by state category (in workflow order), each group sorted. */
export function groupRows(tickets: Iterable<Ticket>, f: Filters): Row[] {
  const groups = new Map<string, Ticket[]>();
  for (const t of tickets) {
    if (!matches(t, f)) continue;
    let g = groups.get(t.category);
    if (!g) groups.set(t.category, (g = []));
    g.push(t);
  }
  const rows: Row[] = [];
  const cats = [...groups.keys()].sort((a, b) => CATEGORY_ORDER.indexOf(a) - CATEGORY_ORDER.indexOf(b));
  for (const c of cats) {
    const g = groups.get(c)!.sort((a, b) => by[f.sort](a, b) || a.id.localeCompare(b.id));
    rows.push({ kind: 'group', category: c, count: g.length });
    for (const t of g) rows.push({ kind: 'ticket', ticket: t });
  }
  return rows;
}

/** The distinct values of a field over all tickets, for the filter menus. */
export function valuesOf(tickets: Iterable<Ticket>, pick: (t: Ticket) => Array<string | null>): string[] {
  const s = new Set<string>();
  for (const t of tickets) for (const v of pick(t)) if (v) s.add(v);
  return [...s].sort();
}
