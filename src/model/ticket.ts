import { TackError, unknownValue } from './errors.js';
import { categoryOf, CORE_FIELDS, type Category, type FieldDef, type Schema } from './schema.js';
import { liveComments, type Comment, type ReadWarning } from './comments.js';

/** The schema-independent content of a ticket file: what the index caches per blob. */
export interface TicketData {
  fields: Record<string, unknown>;
  body: string;
  comments: Comment[];
  /** Odd but readable (a repeated comment id): the index reports them as problems. */
  warnings?: ReadWarning[];
}

/** The normalised view of a ticket file. Forward edges only; inverses are the index's. */
export interface Ticket {
  id: string;
  title: string;
  type: string;
  status: string;
  category: Category | null;
  priority: string;
  labels: string[];
  assignee: string | null;
  parent: string | null;
  relations: Record<string, string[]>;
  links: string[];
  project: string | null;
  created: string;
  updated: string;
  resolution: string | null;
  aliases: string[];
  custom: Record<string, unknown>;
  extra: Record<string, unknown>;
  body: string;
  comments: Comment[];
}

export interface Problem {
  field: string;
  message: string;
}

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;
const ISO_DATE = /^\d{4}-\d\d-\d\d$/;

function str(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'string' ? v : String(v);
}

function strList(v: unknown): string[] {
  if (v === null || v === undefined) return [];
  const arr = Array.isArray(v) ? v : [v];
  return arr.filter((x) => x !== null && x !== undefined).map((x) => String(x));
}

const CORE_FIELD_SET: ReadonlySet<string> = new Set(CORE_FIELDS);

/**
 * A field the ticket has a place for: core, a relation or a custom field. Asked per key
 * rather than from a set built per ticket: a full build at 100,000 tickets allocated
 * ~200 MB in those sets.
 */
function isKnownField(schema: Schema, relations: Record<string, string[]>, key: string): boolean {
  return CORE_FIELD_SET.has(key) || Object.hasOwn(relations, key) || schema.fields.some((d) => d.name === key);
}

/** Read a ticket from its parsed content; tolerant, problems are reported by validateTicket. */
export function ticketFromData(schema: Schema, data: TicketData): Ticket {
  const f = data.fields;
  const relations: Record<string, string[]> = {};
  for (const r of schema.relations) relations[r.name] = strList(f[r.name]);
  const custom: Record<string, unknown> = {};
  for (const d of schema.fields) if (f[d.name] !== undefined && f[d.name] !== null) custom[d.name] = f[d.name];
  const extra: Record<string, unknown> = {};
  for (const k of Object.keys(f)) if (!isKnownField(schema, relations, k)) extra[k] = f[k];
  const status = str(f.status) ?? schema.defaultStatus;
  return {
    id: str(f.id) ?? '',
    title: str(f.title) ?? '',
    type: str(f.type) ?? schema.defaultType,
    status,
    category: categoryOf(schema, status) ?? null,
    priority: str(f.priority) ?? schema.defaultPriority,
    labels: strList(f.labels),
    assignee: str(f.assignee),
    parent: str(f.parent),
    relations,
    links: strList(f.links),
    project: str(f.project),
    created: str(f.created) ?? '',
    updated: str(f.updated) ?? str(f.created) ?? '',
    resolution: str(f.resolution),
    aliases: strList(f.aliases),
    custom,
    extra,
    body: data.body,
    comments: liveComments(data.comments),
  };
}

/** The explicit `owner` of a ticket file (front matter; a schema may declare it as a `user` field), or null. */
export function ownerField(t: Ticket): string | null {
  const v = t.custom.owner ?? t.extra.owner;
  return typeof v === 'string' && v.trim() ? v.trim() : null;
}

/** Check one custom field value against its definition; throws a clear error. */
export function checkCustomValue(def: FieldDef, value: unknown): void {
  const bad = (expected: string): never => {
    throw new TackError('invalid_input', `field "${def.name}" must be ${expected}; received ${JSON.stringify(value)}`, {
      field: def.name,
      received: value,
      expected,
    });
  };
  if (value === null || value === undefined) return;
  switch (def.type) {
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) bad('a number');
      break;
    case 'bool':
      if (typeof value !== 'boolean') bad('true or false');
      break;
    case 'date':
      if (typeof value !== 'string' || !(ISO_DATE.test(value) || ISO_TIME.test(value))) bad('a date (YYYY-MM-DD)');
      break;
    case 'enum':
      if (!def.values?.includes(String(value))) throw unknownValue(def.name, value, def.values ?? []);
      break;
    case 'list':
      if (!Array.isArray(value) || !value.every((x) => typeof x === 'string')) bad('a list of strings');
      break;
    default:
      if (typeof value !== 'string') bad('a string');
  }
}

/** Turn CLI/REST text into a custom field's typed value. */
export function coerceCustomValue(def: FieldDef, raw: string): unknown {
  if (raw === '') return null;
  if (def.type === 'number') {
    const n = Number(raw);
    if (!Number.isFinite(n))
      throw new TackError('invalid_input', `field "${def.name}" must be a number; received ${JSON.stringify(raw)}`);
    return n;
  }
  if (def.type === 'bool') {
    if (/^(true|yes|1)$/i.test(raw)) return true;
    if (/^(false|no|0)$/i.test(raw)) return false;
    throw new TackError('invalid_input', `field "${def.name}" must be true or false; received ${JSON.stringify(raw)}`);
  }
  if (def.type === 'list')
    return raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  return raw;
}

function checkEnum(problems: Problem[], field: string, value: string, allowed: string[]): void {
  if (!allowed.includes(value)) {
    problems.push({
      field,
      message: `unknown ${field} ${JSON.stringify(value)}; expected one of: ${allowed.join(', ')}`,
    });
  }
}

/** Everything wrong with a ticket under a schema; empty when it is valid. */
export function validateTicket(schema: Schema, t: Ticket, expectedId?: string): Problem[] {
  const problems: Problem[] = [];
  if (!t.id) problems.push({ field: 'id', message: 'missing id' });
  else if (expectedId && t.id !== expectedId) {
    problems.push({ field: 'id', message: `id "${t.id}" does not match the file name; expected "${expectedId}"` });
  }
  if (!t.title.trim()) problems.push({ field: 'title', message: 'missing title' });
  checkEnum(problems, 'type', t.type, schema.types);
  checkEnum(
    problems,
    'status',
    t.status,
    schema.states.map((s) => s.name),
  );
  checkEnum(problems, 'priority', t.priority, schema.priorities);
  if (schema.projects.length > 0 && t.project)
    checkEnum(
      problems,
      'project',
      t.project,
      schema.projects.map((p) => p.key),
    );
  for (const k of ['created', 'updated'] as const) {
    if (t[k] && !ISO_TIME.test(t[k]))
      problems.push({
        field: k,
        message: `${k} must be an ISO time like 2026-11-21T10:02:11Z; received ${JSON.stringify(t[k])}`,
      });
  }
  if (t.parent && t.parent === t.id) problems.push({ field: 'parent', message: 'a ticket cannot be its own parent' });
  for (const [kind, targets] of Object.entries(t.relations)) {
    if (targets.includes(t.id)) problems.push({ field: kind, message: `a ticket cannot ${kind} itself` });
  }
  for (const def of schema.fields) {
    try {
      checkCustomValue(def, t.custom[def.name]);
    } catch (e) {
      problems.push({ field: def.name, message: (e as Error).message });
    }
  }
  return problems;
}

/** Throw the first problem as a typed error (used by writes: nothing invalid is committed). */
export function assertValid(schema: Schema, t: Ticket, expectedId?: string): void {
  const problems = validateTicket(schema, t, expectedId);
  if (problems.length > 0) {
    throw new TackError('invalid_ticket', `ticket ${t.id || '(new)'}: ${problems.map((p) => p.message).join('; ')}`, {
      id: t.id,
      problems,
    });
  }
}
