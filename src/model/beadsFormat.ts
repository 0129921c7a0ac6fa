import type { Category, Schema } from './schema.js';
import type { ExportTicket } from './exportFormats.js';

/**
 * The mapping between beads (`bd`) issues and Tack tickets, both ways. Import: see
 * src/importers/beadsParse.ts; export: toBeadsJsonl below. docs/import-export.md has
 * the tables.
 */
export const BEADS_STATES: Record<string, { name: string; category: Category }> = {
  open: { name: 'todo', category: 'unstarted' },
  in_progress: { name: 'in-progress', category: 'started' },
  closed: { name: 'done', category: 'completed' },
  blocked: { name: 'blocked', category: 'started' },
  hooked: { name: 'hooked', category: 'started' },
  pinned: { name: 'pinned', category: 'started' },
  deferred: { name: 'deferred', category: 'triage' },
  tombstone: { name: 'tombstone', category: 'canceled' },
};
/** beads priority n (0-4) is BEADS_PRIORITIES[n]. */
export const BEADS_PRIORITIES = ['urgent', 'high', 'medium', 'low', 'none'];
/** Text fields beads keeps apart from the description, appended to the body in this order. */
export const BEADS_SECTIONS: Array<[string, string]> = [
  ['design', 'Design'],
  ['acceptance_criteria', 'Acceptance Criteria'],
  ['notes', 'Notes'],
];
/** Dependency type → Tack relation; any other type T becomes relation T with - as _. */
export const BEADS_RELATION_OF: Record<string, string> = {
  'discovered-from': 'discovered_from',
  related: 'related',
  'relates-to': 'related',
};

const CATEGORY_STATUS: Record<Category, string> = {
  triage: 'open',
  backlog: 'open',
  unstarted: 'open',
  started: 'in_progress',
  completed: 'closed',
  canceled: 'closed',
};

function beadsStatus(schema: Schema, status: string): string {
  const named = Object.entries(BEADS_STATES).find(([, s]) => s.name === status);
  if (named) return named[0];
  const category = schema.states.find((s) => s.name === status)?.category;
  return category ? CATEGORY_STATUS[category] : 'open';
}

/** A state beads has no status for travels as `tack_state`, so importing the file back keeps it. */
function tackState(status: string, extra: Record<string, unknown>): { tack_state?: string } {
  if (extra.status !== undefined || Object.values(BEADS_STATES).some((s) => s.name === status)) return {};
  return { tack_state: status };
}

/** The body back into description + the sections the import appended (recorded in beads.body_sections). */
export function splitBeadsBody(body: string, sections: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  let rest = body;
  for (const [field, heading] of [...BEADS_SECTIONS].reverse()) {
    if (!sections.includes(field)) continue;
    const marker = `## ${heading}\n\n`;
    const at = rest.lastIndexOf(`\n\n${marker}`);
    if (at >= 0) {
      out[field] = rest.slice(at + 2 + marker.length);
      rest = rest.slice(0, at);
    } else if (rest.startsWith(marker)) {
      out[field] = rest.slice(marker.length);
      rest = '';
    }
  }
  out.description = rest;
  return out;
}

interface Dep {
  issue_id: string;
  depends_on_id: string;
  type: string;
  [k: string]: unknown;
}

/**
 * Tickets → beads JSONL that `tack import beads` (and beads) read back. A ticket imported
 * from beads gets its beads id back and every field kept under `beads:`; the edges come
 * from Tack's relations (so edits made in Tack export), with the original dependency
 * records reused where they still hold, and those Tack could not represent kept as is.
 */
export function toBeadsJsonl(tickets: ExportTicket[], schema: Schema, keyOf: (id: string) => string): string {
  const keys = new Set(tickets.map((t) => keyOf(t.id)));
  return tickets.map((t) => beadsLine(t, { schema, keyOf, keys: () => keys })).join('');
}

/** What a beads line needs beyond its ticket. */
export interface BeadsContext {
  schema: Schema;
  /** A ticket's beads id (its first alias, when it came from beads). */
  keyOf: (id: string) => string;
  /** The beads ids of every exported ticket: asked for only by a ticket with dependencies kept from beads. */
  keys: () => ReadonlySet<string>;
}

/** One issue of a beads JSONL file, with its line break. */
export function beadsLine(t: ExportTicket, { schema, keyOf, keys }: BeadsContext): string {
  const f = t.fields;
  const extra = (f.beads && typeof f.beads === 'object' ? f.beads : {}) as Record<string, unknown>;
  const key = keyOf(t.id);
  const sections = Array.isArray(extra.body_sections) ? (extra.body_sections as string[]) : [];
  const text = splitBeadsBody(t.body, sections);
  const priority = BEADS_PRIORITIES.indexOf(String(f.priority));
  const out: Record<string, unknown> = {
    id: key,
    title: f.title,
    ...(text.description ? { description: text.description } : {}),
    status: extra.status ?? beadsStatus(schema, String(f.status ?? schema.defaultStatus)),
    ...tackState(String(f.status ?? schema.defaultStatus), extra),
    priority: extra.priority !== undefined ? extra.priority : priority >= 0 ? priority : 2,
    issue_type: extra.issue_type ?? f.type ?? schema.defaultType,
    ...(f.assignee ? { assignee: f.assignee } : {}),
    ...(f.created ? { created_at: f.created } : {}),
    ...(f.updated ? { updated_at: f.updated } : {}),
    ...(f.resolution ? { close_reason: f.resolution } : {}),
    ...(Array.isArray(f.labels) && f.labels.length ? { labels: f.labels } : {}),
    ...(typeof extra.parent === 'string'
      ? { parent: extra.parent }
      : f.parent
        ? { parent: keyOf(String(f.parent)) }
        : {}),
  };
  for (const [field] of BEADS_SECTIONS) if (text[field] !== undefined) out[field] = text[field];
  for (const [k, v] of Object.entries(extra)) {
    // `id`: the key an issue with only core fields keeps under `beads:` (the alias is the truth).
    if (['id', 'body_sections', 'status', 'priority', 'issue_type', 'parent'].includes(k)) continue;
    out[k] = k === 'dependencies' ? undefined : v;
  }
  const deps = dependencies(
    t,
    key,
    extra,
    keys,
    keyOf,
    schema.relations.map((r) => r.name),
  );
  if (deps.length || 'dependencies' in extra) out.dependencies = deps;
  if (t.comments.length) {
    out.comments = t.comments.map((c) => {
      const n = /^bd-(\d+)$/.exec(c.id);
      return { id: n ? Number(n[1]) : c.id, issue_id: key, author: c.author, text: c.text, created_at: c.created };
    });
  }
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return `${JSON.stringify(out)}\n`;
}

function dependencies(
  t: ExportTicket,
  key: string,
  extra: Record<string, unknown>,
  keys: () => ReadonlySet<string>,
  keyOf: (id: string) => string,
  relations: string[],
): Dep[] {
  const f = t.fields;
  const want: Array<{ to: string; type: string }> = [];
  if (f.parent) want.push({ to: keyOf(String(f.parent)), type: 'parent-child' });
  for (const b of t.blockedBy) want.push({ to: keyOf(b), type: 'blocks' });
  const reverse = Object.fromEntries(Object.entries(BEADS_RELATION_OF).map(([type, rel]) => [rel, type]));
  for (const r of relations) {
    const v = f[r];
    if (r === 'blocks' || !Array.isArray(v)) continue;
    const type = reverse[r] ?? r.replace(/_/g, '-');
    for (const x of v) if (typeof x === 'string') want.push({ to: keyOf(x), type });
  }
  const old = (Array.isArray(extra.dependencies) ? extra.dependencies : []) as Dep[];
  const out: Dep[] = [];
  for (const d of old) {
    const i = want.findIndex((w) => w.to === d.depends_on_id && w.type === d.type);
    if (i >= 0) {
      out.push(d);
      want.splice(i, 1);
    } else if (!keys().has(d.depends_on_id) || (d.type === 'parent-child' && f.parent)) {
      // Not representable in Tack (outside the store, a second parent): kept as it was.
      out.push(d);
    }
  }
  for (const w of want) out.push({ issue_id: key, depends_on_id: w.to, type: w.type });
  return out;
}
