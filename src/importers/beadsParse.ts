import { TackError } from '../model/errors.js';
import { BEADS_PRIORITIES, BEADS_RELATION_OF, BEADS_SECTIONS, BEADS_STATES } from '../model/beadsFormat.js';
import type { Comment } from '../model/comments.js';
import { emptyNeeds, type ImportRecord, type ImportSource } from './importRecord.js';
import { eachJsonLine } from '../model/jsonLines.js';
import { fileLines } from './fileLines.js';

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
function dropBareDependencies(issue: Record<string, unknown>, rec: ImportRecord, keys: ReadonlySet<string>): void {
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
      (keys.has(d.depends_on_id) || (d.type === 'parent-child' && d.depends_on_id === issue.parent)),
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
  return Array.from(eachJsonObject(text.split('\n'), what, requireId));
}

/** parseJsonLines one line at a time. */
export function* eachJsonObject(
  lines: Iterable<string>,
  what = 'beads issue',
  requireId = true,
): Generator<Record<string, unknown>> {
  const notJson = (line: number, e: Error) => {
    throw new TackError(
      'invalid_input',
      `line ${line}: not JSON (${e.message}); expected one ${what} object per line`,
      {
        line,
      },
    );
  };
  for (const { line, value: v, text: raw } of eachJsonLine(lines, notJson)) {
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
    yield v as Record<string, unknown>;
  }
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
  return beadsSource(() => text.split('\n'));
}

/**
 * parseBeads of a file, without holding it: the file is read once for what the records need
 * of each other (keys, the `blocks` edges stored on the blocker, relation kinds, the schema's
 * additions, the warnings), and again each time the records are iterated. An export of
 * 100,000 issues is ~90 MB of text, and several times that as records.
 */
export function beadsFileSource(path: string): ImportSource {
  return beadsSource(() => fileLines(path));
}

/** What one read of the whole source learns, for making each record on its own. */
interface BeadsWhole {
  keys: Set<string>;
  /**
   * Blocker key → the keys it blocks, each with where the source says so (issue ordinal and
   * dependency index, as `at`): a relation named `blocks` that the blocker itself lists (a
   * `Blocks` dependency type) is merged in between by the same order.
   */
  blocks: Map<string, Array<{ at: number; key: string }>>;
  relationKinds: Set<string>;
}

function beadsSource(lines: () => Iterable<string>): ImportSource {
  const src: ImportSource = {
    kind: 'beads',
    records: [],
    needs: emptyNeeds(),
    ownKey: 'beads',
    managedKeys: [],
    warnings: [],
    skipped: [],
  };
  const issues = () => eachJsonObject(lines());
  let whole: BeadsWhole | null = readWhole(issues, src);
  const length = whole.keys.size;
  src.needs.relations.unshift({ name: 'blocks', inverse: 'blocked_by', acyclic: true });
  const relationKinds = whole.relationKinds;
  src.records = {
    length,
    *[Symbol.iterator]() {
      // Notes already taken in the first read: made again here, they would be said twice.
      const again: ImportSource = { ...src, needs: emptyNeeds(), warnings: [] };
      const w = (whole ??= readWhole(issues, again));
      let n = 0;
      for (const issue of issues()) yield beadsRecord(issue, n++, again, w, src.warnings);
    },
    release() {
      whole = null;
    },
  };
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

/** The first read of the source: every key, then the dependencies (and the notes they bring). */
function readWhole(issues: () => Iterable<Record<string, unknown>>, src: ImportSource): BeadsWhole {
  const whole: BeadsWhole = { keys: new Set(), blocks: new Map(), relationKinds: new Set(['blocks']) };
  for (const issue of issues()) {
    toRecord(issue, src);
    whole.keys.add(issue.id as string);
  }
  let n = 0;
  for (const issue of issues()) readDependencies(issue, n++, src, whole);
  return whole;
}

function dependenciesOf(issue: Record<string, unknown>): BeadsDep[] {
  return Array.isArray(issue.dependencies) ? (issue.dependencies as BeadsDep[]) : [];
}

/** Dependencies: stored forward, on the ticket that holds the edge in Tack. */
function readDependencies(issue: Record<string, unknown>, n: number, src: ImportSource, whole: BeadsWhole): void {
  const key = issue.id as string;
  let parent = typeof issue.parent === 'string' && issue.parent ? issue.parent : undefined;
  for (const [i, d] of dependenciesOf(issue).entries()) {
    const to = d.depends_on_id;
    const type = d.type ?? 'blocks';
    if (typeof to !== 'string') continue;
    if (type === 'parent-child') {
      if (parent === undefined) parent = to;
      else if (parent !== to)
        src.warnings.push(
          `${key}: second parent ${to} (beads parent-child); Tack keeps one parent (${parent}), the dependency stays under beads.dependencies`,
        );
      continue;
    }
    if (type === 'blocks') {
      if (!whole.keys.has(to)) {
        src.warnings.push(
          `${key}: blocked by ${to}, which is not in the source; the dependency stays under beads.dependencies only`,
        );
        continue;
      }
      const blocked = whole.blocks.get(to);
      const entry = { at: order(n, i), key };
      if (blocked) blocked.push(entry);
      else whole.blocks.set(to, [entry]);
      continue;
    }
    const kind = relationName(type);
    whole.relationKinds.add(kind);
    if (!src.needs.relations.some((r) => r.name === kind))
      src.needs.relations.push({ name: kind, inverse: INVERSE_OF[kind] ?? `${kind}_by` });
  }
}

/** Where a dependency is in the source: issue by issue, then dependency by dependency. */
const order = (issue: number, dep: number) => issue * 2 ** 20 + dep;

/** One issue's record, given what the whole source says about it. */
function beadsRecord(
  issue: Record<string, unknown>,
  n: number,
  again: ImportSource,
  whole: BeadsWhole,
  warnings: string[],
): ImportRecord {
  const rec = toRecord(issue, again);
  const key = rec.key;
  const blocks = [...(whole.blocks.get(key) ?? [])];
  for (const [i, d] of dependenciesOf(issue).entries()) {
    const to = d.depends_on_id;
    const type = d.type ?? 'blocks';
    if (typeof to !== 'string' || type === 'blocks') continue;
    if (type === 'parent-child') rec.parent ??= to;
    else if (relationName(type) === 'blocks') blocks.push({ at: order(n, i), key: to });
    else (rec.relations[relationName(type)] ??= []).push(to);
  }
  if (blocks.length) rec.relations.blocks = blocks.sort((a, b) => a.at - b.at).map((b) => b.key);
  // A parent outside the source may be a ticket already in the store (a subset export);
  // if not, it is kept verbatim (export writes it back) and a parent-child dependency
  // inside the source, if there is one, is the Tack parent instead.
  const outside = rec.parent;
  if (outside !== undefined && !whole.keys.has(outside)) {
    const inside = dependenciesOf(issue).find(
      (d) => d.type === 'parent-child' && typeof d.depends_on_id === 'string' && whole.keys.has(d.depends_on_id),
    );
    rec.unresolvedParent = () => {
      rec.fields.beads = { ...((rec.fields.beads as Record<string, unknown> | null) ?? {}), parent: outside };
      warnings.push(
        `${rec.key}: parent ${outside} is in neither the source nor the store; kept under beads.parent${inside ? `, parent set to ${inside.depends_on_id}` : ''}`,
      );
      return inside?.depends_on_id;
    };
  }
  dropBareDependencies(issue, rec, whole.keys);
  // Every ticket of the source carries `beads:` (how a re-import finds the ones the source
  // no longer holds, goneTickets.ts): an issue with nothing beyond the core fields keeps
  // just its id there. Not a ticket made in Tack, exported to beads and read back: its key
  // is its own id, and the importer leaves the key field out then (`keyField`).
  if (Object.keys(rec.fields.beads as object).length === 0) {
    rec.fields.beads = { id: rec.key };
    rec.keyField = 'beads';
  }
  for (const k of whole.relationKinds) rec.relations[k] ??= [];
  return rec;
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
