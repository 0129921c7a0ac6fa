import { TackError } from '../model/errors.js';
import { BEADS_PRIORITIES, BEADS_RELATION_OF, BEADS_SECTIONS, BEADS_STATES } from '../model/beadsFormat.js';
import type { Comment } from '../model/comments.js';
import { emptyNeeds, type ImportRecord, type ImportSource } from './importRecord.js';
import { jsonLines } from '../model/jsonLines.js';

const RELATION_OF = BEADS_RELATION_OF;
const INVERSE_OF: Record<string, string> = { discovered_from: 'discovered', related: 'related', tracks: 'tracked_by' };
/** Keys with a home outside `beads:`. */
const MAPPED = new Set([
  'id',
  'title',
  'description',
  'status',
  'priority',
  'issue_type',
  'assignee',
  'labels',
  'created_at',
  'updated_at',
  'close_reason',
  'comments',
  'parent',
  'tack_state',
]);

interface BeadsDep {
  issue_id?: string;
  depends_on_id?: string;
  type?: string;
}

/**
 * Dependencies that say nothing beyond the edge they make (what `tack export beads` writes
 * for tickets made in Tack), between tickets of the source, live as Tack relations only.
 */
function dropBareDependencies(
  issue: Record<string, unknown>,
  rec: ImportRecord,
  byKey: Map<string, ImportRecord>,
): void {
  const beads = rec.fields.beads as Record<string, unknown>;
  const deps = beads.dependencies;
  if (!Array.isArray(deps) || deps.length === 0) return;
  const bare = deps.every(
    (d: Record<string, unknown>) =>
      d &&
      typeof d === 'object' &&
      Object.keys(d).every((k) => k === 'issue_id' || k === 'depends_on_id' || k === 'type') &&
      d.issue_id === issue.id &&
      typeof d.depends_on_id === 'string' &&
      (byKey.has(d.depends_on_id) || (d.type === 'parent-child' && d.depends_on_id === issue.parent)),
  );
  if (bare) delete beads.dependencies;
}

function relationName(type: string): string {
  return (
    RELATION_OF[type] ??
    type
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
  );
}

function slug(s: string): string {
  return (
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'unknown'
  );
}

/** Parse the lines; a line that is not a JSON object (with a string id, if `requireId`) is an error naming the line. */
export function parseJsonLines(text: string, what = 'beads issue', requireId = true): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  const notJson = (line: number, e: Error) => {
    throw new TackError(
      'invalid_input',
      `line ${line}: not JSON (${e.message}); expected one ${what} object per line`,
      {
        line,
      },
    );
  };
  for (const { line, value: v, text: raw } of jsonLines(text, notJson)) {
    if (
      !v ||
      typeof v !== 'object' ||
      Array.isArray(v) ||
      (requireId && typeof (v as { id?: unknown }).id !== 'string')
    ) {
      throw new TackError(
        'invalid_input',
        `line ${line}: expected a ${what} object${requireId ? ' with a string "id"' : ''}; received ${raw.slice(0, 60)}`,
        { line },
      );
    }
    out.push(v as Record<string, unknown>);
  }
  return out;
}

/**
 * beads (`bd`) JSONL → import records. Mapping (docs/import-export.md):
 * status open→todo, in_progress→in-progress, closed→done, and beads' other statuses keep
 * their name as new states (hooked, pinned, blocked: started; deferred: triage, so not
 * ready, as in beads; tombstone: canceled). Priority 0-4 → urgent, high, medium, low,
 * none. Types keep their name. Dependencies: `blocks` (X depends on Y) → Y `blocks` X;
 * `parent-child` → parent; `discovered-from` → discovered_from; `related`/`relates-to`
 * → related; any other kind → a relation of the same name (- → _). Every field that has
 * no core home, and every dependency record verbatim, is kept under `beads:`.
 */
export function parseBeads(text: string): ImportSource {
  const issues = parseJsonLines(text);
  const src: ImportSource = {
    kind: 'beads',
    records: [],
    needs: emptyNeeds(),
    ownKey: 'beads',
    managedKeys: [],
    warnings: [],
    skipped: [],
  };
  const byKey = new Map<string, ImportRecord>();
  const relationKinds = new Set(['blocks']);
  for (const issue of issues) {
    const rec = toRecord(issue, src);
    byKey.set(rec.key, rec);
    src.records.push(rec);
  }
  // Dependencies: stored forward, on the ticket that holds the edge in Tack.
  for (const issue of issues) {
    const key = issue.id as string;
    const deps = Array.isArray(issue.dependencies) ? (issue.dependencies as BeadsDep[]) : [];
    for (const d of deps) {
      const to = d.depends_on_id;
      const type = d.type ?? 'blocks';
      if (typeof to !== 'string') continue;
      if (type === 'parent-child') {
        const rec = byKey.get(key)!;
        if (rec.parent === undefined) rec.parent = to;
        else if (rec.parent !== to)
          src.warnings.push(
            `${key}: second parent ${to} (beads parent-child); Tack keeps one parent (${rec.parent}), the dependency stays under beads.dependencies`,
          );
        continue;
      }
      if (type === 'blocks') {
        const blocker = byKey.get(to);
        if (!blocker) {
          src.warnings.push(
            `${key}: blocked by ${to}, which is not in the source; the dependency stays under beads.dependencies only`,
          );
          continue;
        }
        (blocker.relations.blocks ??= []).push(key);
        continue;
      }
      const kind = relationName(type);
      relationKinds.add(kind);
      if (!src.needs.relations.some((r) => r.name === kind))
        src.needs.relations.push({ name: kind, inverse: INVERSE_OF[kind] ?? `${kind}_by` });
      (byKey.get(key)!.relations[kind] ??= []).push(to);
    }
  }
  // A parent outside the source may be a ticket already in the store (a subset export);
  // if not, it is kept verbatim (export writes it back) and a parent-child dependency
  // inside the source, if there is one, is the Tack parent instead.
  for (const issue of issues) {
    const rec = byKey.get(issue.id as string)!;
    const outside = rec.parent;
    if (outside === undefined || byKey.has(outside)) continue;
    const deps = Array.isArray(issue.dependencies) ? (issue.dependencies as BeadsDep[]) : [];
    const inside = deps.find(
      (d) => d.type === 'parent-child' && typeof d.depends_on_id === 'string' && byKey.has(d.depends_on_id),
    );
    rec.unresolvedParent = () => {
      rec.fields.beads = { ...((rec.fields.beads as Record<string, unknown> | null) ?? {}), parent: outside };
      src.warnings.push(
        `${rec.key}: parent ${outside} is in neither the source nor the store; kept under beads.parent${inside ? `, parent set to ${inside.depends_on_id}` : ''}`,
      );
      return inside?.depends_on_id;
    };
  }
  for (const issue of issues) dropBareDependencies(issue, byKey.get(issue.id as string)!, byKey);
  // Every ticket of the source carries `beads:` (how a re-import finds the ones the source
  // no longer holds, goneTickets.ts): an issue with nothing beyond the core fields keeps
  // just its id there. Not a ticket made in Tack, exported to beads and read back: its key
  // is its own id, and the importer leaves the key field out then (`keyField`).
  for (const rec of src.records)
    if (Object.keys(rec.fields.beads as object).length === 0) {
      rec.fields.beads = { id: rec.key };
      rec.keyField = 'beads';
    }
  src.needs.relations.unshift({ name: 'blocks', inverse: 'blocked_by', acyclic: true });
  for (const rec of src.records) for (const k of relationKinds) rec.relations[k] ??= [];
  src.managedKeys = [
    'title',
    'type',
    'status',
    'priority',
    'labels',
    'assignee',
    'parent',
    'created',
    'updated',
    'resolution',
    'beads',
    ...relationKinds,
  ];
  return src;
}

function toRecord(issue: Record<string, unknown>, src: ImportSource): ImportRecord {
  const key = issue.id as string;
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(issue)) if (!MAPPED.has(k)) extra[k] = v;
  const status = tackState(issue, src) ?? mapStatus(issue.status, key, src, extra);
  const priority = mapPriority(issue.priority, key, src, extra);
  const type = typeof issue.issue_type === 'string' && issue.issue_type ? slug(issue.issue_type) : 'task';
  if (type !== issue.issue_type) extra.issue_type = issue.issue_type ?? null;
  if (!src.needs.types.includes(type)) src.needs.types.push(type);
  let title = typeof issue.title === 'string' ? issue.title.trim() : '';
  if (!title) {
    title = key;
    extra.title = issue.title ?? null;
    src.warnings.push(`${key}: no title; used the id`);
  }
  const sections: string[] = [];
  let body = typeof issue.description === 'string' ? issue.description : '';
  for (const [field, heading] of BEADS_SECTIONS) {
    const v = issue[field];
    if (typeof v === 'string' && v.trim()) {
      body = `${body}${body ? '\n\n' : ''}## ${heading}\n\n${v}`;
      sections.push(field);
      delete extra[field];
    }
  }
  if (sections.length) extra.body_sections = sections;
  // beads numbers comments; a string id is one Tack gave (a Tack comment exported to beads).
  const comments: Comment[] = (Array.isArray(issue.comments) ? issue.comments : []).map(
    (c: Record<string, unknown>, i: number) => ({
      id: typeof c.id === 'string' && !/^\d+$/.test(c.id) ? c.id : `bd-${String(c.id ?? i + 1)}`,
      author: String(c.author ?? ''),
      created: String(c.created_at ?? issue.created_at ?? ''),
      text: String(c.text ?? ''),
    }),
  );
  const rec: ImportRecord = {
    key,
    fields: {
      title,
      type,
      status,
      priority,
      labels: Array.isArray(issue.labels) ? issue.labels.map(String) : [],
      assignee: typeof issue.assignee === 'string' && issue.assignee ? issue.assignee : null,
      created: typeof issue.created_at === 'string' ? issue.created_at : null,
      updated: typeof issue.updated_at === 'string' ? issue.updated_at : null,
      resolution: typeof issue.close_reason === 'string' && issue.close_reason ? issue.close_reason : null,
      beads: extra,
    },
    body,
    comments,
    relations: {},
  };
  if (typeof issue.parent === 'string' && issue.parent) rec.parent = issue.parent;
  return rec;
}

/** A Tack state beads has no status for (written by `tack export beads` as `tack_state`). */
function tackState(issue: Record<string, unknown>, src: ImportSource): string | null {
  const name = issue.tack_state;
  if (typeof name !== 'string' || !/^[a-z0-9][a-z0-9_-]{0,63}$/.test(name)) return null;
  const category = BEADS_STATES[String(issue.status)]?.category ?? 'triage';
  if (!src.needs.states.some((x) => x.name === name)) src.needs.states.push({ name, category });
  return name;
}

function mapStatus(raw: unknown, key: string, src: ImportSource, extra: Record<string, unknown>): string {
  const s = typeof raw === 'string' ? raw : 'open';
  let state = BEADS_STATES[s];
  if (!state) {
    state = { name: slug(s), category: 'triage' };
    extra.status = raw;
    src.warnings.push(
      `${key}: unknown beads status ${JSON.stringify(raw)}; imported as state "${state.name}" (category triage)`,
    );
  }
  if (!src.needs.states.some((x) => x.name === state.name)) src.needs.states.push(state);
  return state.name;
}

function mapPriority(raw: unknown, key: string, src: ImportSource, extra: Record<string, unknown>): string {
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d$/.test(raw) ? Number(raw) : NaN;
  let name = BEADS_PRIORITIES[n];
  if (name === undefined) {
    name = raw === undefined || raw === null ? 'medium' : 'none';
    extra.priority = raw ?? null;
    if (raw !== undefined && raw !== null)
      src.warnings.push(
        `${key}: priority ${JSON.stringify(raw)} is not 0-4; imported as "none", the original kept under beads.priority`,
      );
  }
  if (!src.needs.priorities.includes(name)) src.needs.priorities.push(name);
  return name;
}
