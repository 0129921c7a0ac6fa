import type { Category } from '../model/schema.js';
import { emptyNeeds, type ImportRecord, type ImportSource, type ListedSource } from './importRecord.js';
import { parseJsonLines } from './beadsParse.js';

/**
 * tix / ralph `plan.jsonl` → import records. The format (docs/import-export.md) is an
 * append-only log replayed by id, last line wins: `task`, `issue` and `note` lines are
 * tickets; `accept`/`reject` tombstones settle a done task (a later ticket line may
 * reopen it); `delete` marks one deleted; `spec`, `config` and `stage` lines describe
 * the plan, not tickets, and are kept verbatim in a store doc.
 */
export const TIX_STATES: Record<string, { name: string; category: Category }> = {
  p: { name: 'todo', category: 'unstarted' },
  d: { name: 'in-review', category: 'started' },
  a: { name: 'done', category: 'completed' },
  r: { name: 'todo', category: 'unstarted' },
  x: { name: 'canceled', category: 'canceled' },
};
const TYPE_OF: Record<string, string> = { task: 'task', issue: 'issue', note: 'note' };
/** Keys with a home outside `tix:`. */
const MAPPED = new Set([
  't',
  'id',
  'name',
  's',
  'priority',
  'labels',
  'assigned',
  'deps',
  'parent',
  'created_from',
  'supersedes',
  'notes',
  'accept',
  'desc',
]);
const REFERENCES: Array<[string, string, string]> = [
  ['created_from', 'created_from', 'created'],
  ['supersedes', 'supersedes', 'superseded_by'],
];

type Line = Record<string, unknown>;

export function tixSource(text: string): ImportSource {
  const lines = parseTixLines(text);
  const src: ListedSource = {
    kind: 'tix',
    records: [],
    docs: [],
    needs: emptyNeeds(),
    warnings: [],
    skipped: [],
    managedKeys: [
      'title',
      'type',
      'status',
      'priority',
      'labels',
      'assignee',
      'parent',
      'resolution',
      'tix',
      'blocks',
      'created_from',
      'supersedes',
    ],
  };
  src.needs.relations.push({ name: 'blocks', inverse: 'blocked_by', acyclic: true });
  for (const [name, , inverse] of REFERENCES) src.needs.relations.push({ name, inverse });
  const tickets = new Map<string, { line: Line; status: string; tombstones: Line[] }>();
  const planLines: Line[] = [];
  for (const line of lines) {
    const t = String(line.t ?? '');
    const id = typeof line.id === 'string' ? line.id : '';
    if (TYPE_OF[t] && id) {
      const prev = tickets.get(id);
      tickets.set(id, { line, status: typeof line.s === 'string' ? line.s : 'p', tombstones: prev?.tombstones ?? [] });
    } else if ((t === 'accept' || t === 'reject') && id) {
      const have = tickets.get(id);
      if (!have) src.warnings.push(`${t} for ${id}, which has no ticket line before it; kept in the plan doc`);
      if (!have) planLines.push(line);
      else {
        have.tombstones.push(line);
        have.status = t === 'accept' ? 'a' : 'r';
      }
    } else if (t === 'delete' && id && tickets.has(id)) tickets.get(id)!.status = 'x';
    else planLines.push(line);
  }
  for (const [id, { line, status, tombstones }] of tickets)
    src.records.push(toRecord(id, line, status, tombstones, src));
  linkRecords(src, tickets);
  if (planLines.length) {
    src.docs!.push({
      path: 'docs/tix/plan.md',
      content: `# tix plan records\n\nLines of plan.jsonl that are not tickets (specs, config, stages), kept as they were by \`tack import tix\`.\n\n\`\`\`jsonl\n${planLines.map((l) => JSON.stringify(l)).join('\n')}\n\`\`\`\n`,
    });
  }
  return src;
}

function parseTixLines(text: string): Line[] {
  return parseJsonLines(text, 'plan.jsonl record', false);
}

function toRecord(id: string, line: Line, status: string, tombstones: Line[], src: ImportSource): ImportRecord {
  const t = String(line.t);
  const type = TYPE_OF[t];
  if (!src.needs.types.includes(type)) src.needs.types.push(type);
  const state = TIX_STATES[status] ?? TIX_STATES.p;
  if (!src.needs.states.some((s) => s.name === state.name)) src.needs.states.push(state);
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(line)) if (!MAPPED.has(k)) extra[k] = v;
  if (status !== (typeof line.s === 'string' ? line.s : 'p')) extra.s = line.s ?? null;
  if (status === 'r') extra.rejected = true;
  if (tombstones.length) extra.tombstones = tombstones;
  const priority =
    typeof line.priority === 'string' && ['high', 'medium', 'low'].includes(line.priority) ? line.priority : 'none';
  if (line.priority !== undefined && priority === 'none') extra.priority = line.priority;
  if (!src.needs.priorities.includes(priority)) src.needs.priorities.push(priority);
  const desc = typeof line.desc === 'string' ? line.desc : '';
  const title = (typeof line.name === 'string' && line.name.trim() ? line.name : desc.split('\n')[0]).trim() || id;
  const parts: string[] = [];
  if (desc && desc.trim() !== title) parts.push(desc);
  if (typeof line.notes === 'string' && line.notes) parts.push(line.notes);
  if (typeof line.accept === 'string' && line.accept) parts.push(`## Acceptance\n\n${line.accept}`);
  // The last tombstone's reason is why the task was accepted or sent back.
  const last = tombstones[tombstones.length - 1];
  const reason =
    last && typeof last.reason === 'string' && last.reason
      ? `${last.t === 'accept' ? 'accepted' : 'rejected'}: ${last.reason}`
      : null;
  return {
    key: id,
    fields: {
      title,
      type,
      status: state.name,
      priority,
      labels: Array.isArray(line.labels) ? line.labels.map(String) : [],
      assignee: typeof line.assigned === 'string' && line.assigned ? line.assigned : null,
      resolution: reason,
      tix: extra,
    },
    body: parts.join('\n\n') + (parts.length ? '\n' : ''),
    comments: [],
    relations: { blocks: [], created_from: [], supersedes: [] },
  };
}

/** deps (this depends on X) → `blocks` on X; parent, created_from, supersedes as relations. */
function linkRecords(src: ListedSource, tickets: Map<string, { line: Line }>): void {
  const byKey = new Map(src.records.map((r) => [r.key, r] as [string, ImportRecord]));
  for (const rec of src.records) {
    const line = tickets.get(rec.key)!.line;
    const extra = rec.fields.tix as Record<string, unknown>;
    for (const dep of Array.isArray(line.deps) ? line.deps.map(String) : []) {
      const blocker = byKey.get(dep);
      if (blocker) blocker.relations.blocks.push(rec.key);
      else {
        src.warnings.push(`${rec.key}: depends on ${dep}, which is not in the plan; kept under tix.deps`);
        extra.deps = line.deps;
      }
    }
    if (typeof line.parent === 'string' && line.parent) {
      if (byKey.has(line.parent)) rec.parent = line.parent;
      else extra.parent = line.parent;
    }
    for (const [key, relation] of REFERENCES) {
      const v = line[key];
      if (typeof v !== 'string' || !v) continue;
      if (byKey.has(v)) rec.relations[relation].push(v);
      else extra[key] = v;
    }
  }
}
