import { type RawSchema as Raw, schemaFail as fail } from './schemaFail.js';
import { type Gates, parseGates } from './schemaGates.js';
import { LAYOUTS, parseLayout, type TicketLayout } from './ticketPath.js';

/** Linear's state categories: readiness and progress are computed from these, never names. */
export const CATEGORIES = ['triage', 'backlog', 'unstarted', 'started', 'completed', 'canceled'] as const;
export type Category = (typeof CATEGORIES)[number];

/** A category's place in the workflow: CATEGORIES' order, an unknown or missing one last (`list --sort workflow`). */
export function workflowRank(category: string | null): number {
  const i = CATEGORIES.indexOf(category as Category);
  return i < 0 ? CATEGORIES.length : i;
}

export const FIELD_TYPES = ['string', 'number', 'date', 'bool', 'enum', 'user', 'ticket', 'list'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export interface StateDef {
  name: string;
  category: Category;
  /**
   * Waiting on someone outside the work (e.g. `needs-context` after `tack ask`): the
   * category says where it sits in progress, but `ready` never offers it.
   */
  waiting?: boolean;
}
export interface RelationDef {
  name: string;
  inverse: string;
  acyclic: boolean;
}
export interface FieldDef {
  name: string;
  type: FieldType;
  values?: string[];
  description?: string;
}
export interface ProjectDef {
  key: string;
  name: string;
  description?: string;
}

export interface Schema {
  version: number;
  idPrefix: string;
  types: string[];
  defaultType: string;
  states: StateDef[];
  defaultStatus: string;
  priorities: string[];
  defaultPriority: string;
  relations: RelationDef[];
  fields: FieldDef[];
  projects: ProjectDef[];
  /**
   * Types that hold work rather than being work (an epic, a spec, a note): `ready`,
   * `claim next` and `prime` never offer them. Always set by parseSchema; absent in an
   * index written before it existed (see containerTypes).
   */
  containers?: string[];
  /** Rules every write must keep (see Gates). Absent in an index written before gates: all on. */
  gates?: Gates;
  /** Where new ticket files go (`layout:` in schema.yaml; see ticketPath). Absent: flat. */
  layout?: TicketLayout;
}

/** Container types of a schema that does not declare them. */
export const DEFAULT_CONTAINERS = ['epic', 'spec', 'note'];

/** Front-matter keys with a fixed meaning; custom fields may not reuse them. */
export const CORE_FIELDS = [
  'id',
  'title',
  'type',
  'status',
  'priority',
  'labels',
  'assignee',
  'parent',
  'links',
  'project',
  'created',
  'updated',
  'resolution',
  'aliases',
] as const;

/** Index column names a custom field may not take. */
export const RESERVED_NAMES = [
  'short_id',
  'path',
  'blob',
  'body',
  'fields',
  'category',
  'priority_rank',
  'dirty',
  'source',
  'description',
  'comments',
  'rowid',
  'children',
  'blocked_by',
];

/** The schema a new store starts with: Linear's defaults. Kept as text so comments ship too. */
export const DEFAULT_SCHEMA_YAML = `# Tack metaschema: the table of tickets. Changing it is a commit like any other.
# Docs: docs/schema.md in the Tack package.
version: 1
id_prefix: tk
types: [task, bug, feature, epic, spec, note, review]
default_type: task
# Types that hold work rather than being work: \`ready\` and \`claim next\` never offer them.
containers: [epic, spec, note]
# Each state has a category (triage, backlog, unstarted, started, completed, canceled);
# readiness and progress follow the category, never the name.
states:
  - { name: triage, category: triage }
  - { name: backlog, category: backlog }
  - { name: todo, category: unstarted }
  # waiting: never offered by \`ready\` (\`tack ask\` parks a ticket here until \`tack answer\`).
  - { name: needs-context, category: unstarted, waiting: true }
  - { name: in-progress, category: started }
  - { name: in-review, category: started }
  - { name: done, category: completed }
  - { name: canceled, category: canceled }
default_status: todo
# Ordered as Linear orders them: none sorts last.
priorities: [none, urgent, high, medium, low]
default_priority: none
# Only forward edges are stored in tickets; the index derives the inverse.
relations:
  blocks: { inverse: blocked_by, acyclic: true }
  related: { inverse: related }
  duplicates: { inverse: duplicated_by }
  discovered_from: { inverse: discovered }
  reviews: { inverse: reviewed_by }
# Typed custom fields: string, number, date, bool, enum (with values), user, ticket, list.
# Example:  estimate: { type: number, description: Story points }
fields:
  audience: { type: enum, values: [agent, human], description: Who the work is for (ready --for) }
  verdict: { type: enum, values: [approved, rejected], description: Outcome of tack review }
# Projects group tickets; a ticket names one with \`project: KEY\`.
projects: []
# Rules every surface enforces (refuse or allow; absent means refuse):
# self_review: nobody approves or rejects work they submitted; self_answer: nobody answers their own question.
# Off unless added: complete_by: human (no agent moves work to a completed state);
# agent_tickets_start_in: triage (an agent's new ticket starts there; only a person moves it on).
gates: { self_review: refuse, self_answer: refuse }
`;

function stringList(raw: Raw, key: string, fallback?: string[]): string[] {
  const v = raw[key];
  if (v === undefined && fallback) return fallback;
  if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === 'string' && x.length > 0)) {
    fail(`"${key}" must be a non-empty list of names; received ${JSON.stringify(v)}`);
  }
  const dup = v.find((x, i) => v.indexOf(x) !== i);
  if (dup) fail(`"${key}" lists "${dup}" twice`);
  return v as string[];
}

function pickDefault(raw: Raw, key: string, allowed: string[]): string {
  const v = raw[key];
  if (v === undefined) return allowed[0];
  if (typeof v !== 'string' || !allowed.includes(v)) {
    fail(`"${key}" is ${JSON.stringify(v)}; expected one of: ${allowed.join(', ')}`);
  }
  return v;
}

function parseStates(raw: Raw): StateDef[] {
  const v = raw.states;
  if (!Array.isArray(v) || v.length === 0) fail('"states" must be a non-empty list of { name, category }');
  const states = v.map((s: unknown, i: number) => {
    const o = (s ?? {}) as Raw;
    if (typeof o.name !== 'string' || !o.name) fail(`states[${i}] has no name`);
    if (!CATEGORIES.includes(o.category as Category)) {
      fail(`state "${o.name}" has category ${JSON.stringify(o.category)}; expected one of: ${CATEGORIES.join(', ')}`);
    }
    const state: StateDef = { name: o.name, category: o.category as Category };
    if (o.waiting === true) state.waiting = true;
    return state;
  });
  const names = states.map((s) => s.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) fail(`state "${dup}" is listed twice`);
  return states;
}

function parseRelations(raw: Raw): RelationDef[] {
  const v = raw.relations ?? { blocks: { inverse: 'blocked_by', acyclic: true } };
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail('"relations" must be a map of name → { inverse }');
  return Object.entries(v as Raw).map(([name, def]) => {
    const d = (def ?? {}) as Raw;
    if (!/^[a-z][a-z0-9_]*$/.test(name)) fail(`relation name "${name}" must be lower-case letters, digits and _`);
    if ((CORE_FIELDS as readonly string[]).includes(name)) fail(`relation "${name}" reuses a core field name`);
    const inverse = typeof d.inverse === 'string' ? d.inverse : `${name}_by`;
    return { name, inverse, acyclic: d.acyclic === true };
  });
}

function parseFields(raw: Raw, relationNames: string[]): FieldDef[] {
  const v = raw.fields ?? {};
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail('"fields" must be a map of name → { type }');
  return Object.entries(v as Raw).map(([name, def]) => {
    const d = (def ?? {}) as Raw;
    if (!/^[a-z][a-z0-9_]*$/.test(name)) fail(`field name "${name}" must be lower-case letters, digits and _`);
    if (
      (CORE_FIELDS as readonly string[]).includes(name) ||
      relationNames.includes(name) ||
      RESERVED_NAMES.includes(name)
    ) {
      fail(`field "${name}" reuses a core field or relation name`);
    }
    if (!FIELD_TYPES.includes(d.type as FieldType)) {
      fail(`field "${name}" has type ${JSON.stringify(d.type)}; expected one of: ${FIELD_TYPES.join(', ')}`);
    }
    const field: FieldDef = { name, type: d.type as FieldType };
    if (field.type === 'enum') field.values = stringList(d, 'values');
    if (typeof d.description === 'string') field.description = d.description;
    return field;
  });
}

function parseProjects(raw: Raw): ProjectDef[] {
  const v = raw.projects ?? [];
  if (!Array.isArray(v)) fail('"projects" must be a list of { key, name }');
  return v.map((p: unknown, i: number) => {
    const o = (typeof p === 'string' ? { key: p, name: p } : (p ?? {})) as Raw;
    if (typeof o.key !== 'string' || !o.key) fail(`projects[${i}] has no key`);
    const project: ProjectDef = { key: o.key, name: typeof o.name === 'string' ? o.name : o.key };
    if (typeof o.description === 'string') project.description = o.description;
    return project;
  });
}

/** Validate and normalise a parsed schema.yaml. Pure: the caller parses the YAML. */
export function parseSchema(raw: unknown): Schema {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('the file must be a YAML map');
  const r = raw as Raw;
  const idPrefix = r.id_prefix ?? 'tk';
  if (typeof idPrefix !== 'string' || !/^[a-z][a-z0-9]{0,9}$/.test(idPrefix)) {
    fail(
      `"id_prefix" must be 1-10 lower-case letters or digits starting with a letter; received ${JSON.stringify(idPrefix)}`,
    );
  }
  const types = stringList(r, 'types');
  const states = parseStates(r);
  const priorities = stringList(r, 'priorities', ['none', 'urgent', 'high', 'medium', 'low']);
  const relations = parseRelations(r);
  return {
    version: typeof r.version === 'number' ? r.version : 1,
    idPrefix,
    types,
    defaultType: pickDefault(r, 'default_type', types),
    states,
    defaultStatus: pickDefault(
      r,
      'default_status',
      states.map((s) => s.name),
    ),
    priorities,
    defaultPriority: pickDefault(r, 'default_priority', priorities),
    relations,
    fields: parseFields(
      r,
      relations.map((x) => x.name),
    ),
    projects: parseProjects(r),
    containers: parseContainers(r, types),
    gates: parseGates(
      r,
      states.map((x) => x.name),
    ),
    layout: parseLayoutKey(r),
  };
}

function parseLayoutKey(r: Raw): TicketLayout {
  if (r.layout === undefined) return 'flat';
  const layout = parseLayout(r.layout);
  if (!layout) fail(`"layout" is ${JSON.stringify(r.layout)}; expected one of: ${LAYOUTS.join(', ')}`);
  return layout;
}

/** The layout new ticket files are written in (an index written before layouts has none: flat). */
export function layoutOf(schema: Schema): TicketLayout {
  return schema.layout ?? 'flat';
}

function parseContainers(r: Raw, types: string[]): string[] {
  if (r.containers === undefined) return DEFAULT_CONTAINERS.filter((t) => types.includes(t));
  if (Array.isArray(r.containers) && r.containers.length === 0) return []; // nothing is a container
  const list = stringList(r, 'containers');
  const unknown = list.filter((t) => !types.includes(t));
  if (unknown.length)
    fail(
      `"containers" must name types of this schema (${types.join(', ')}); received ${unknown.map((t) => JSON.stringify(t)).join(', ')}`,
    );
  return list;
}

/** The types `ready` never offers (see Schema.containers). */
export function containerTypes(schema: Schema): string[] {
  return schema.containers ?? DEFAULT_CONTAINERS.filter((t) => schema.types.includes(t));
}

export function categoryOf(schema: Schema, status: string): Category | undefined {
  return schema.states.find((s) => s.name === status)?.category;
}

/** Rank for sorting: urgent=1 … low=4, none last (Linear's order). */
export function priorityRank(schema: Schema, priority: string): number {
  const i = schema.priorities.indexOf(priority);
  if (i < 0) return 99;
  return priority === 'none' ? 99 : i;
}

/** The first state of a category: where `close` and `reopen` move a ticket. */
export function firstStateOf(schema: Schema, category: Category): string | undefined {
  return schema.states.find((s) => s.category === category && !s.waiting)?.name;
}

/** Names of the states `ready` never offers (see StateDef.waiting). */
export function waitingStates(schema: Schema): string[] {
  return schema.states.filter((s) => s.waiting).map((s) => s.name);
}
