import type { operations } from '@octokit/openapi-types';

/**
 * Runtime checks of the request bodies and queries the GitHub stand-in accepts, written from
 * the shapes in @octokit/openapi-types. The `satisfies` clauses tie every field list to the
 * published type at compile time: a field that GitHub does not define fails the typecheck,
 * so the runtime rules cannot drift from the contract.
 */

type Json<Op extends keyof operations> = operations[Op] extends {
  requestBody?: { content: { 'application/json': infer B } };
}
  ? B
  : never;
type Query<Op extends keyof operations> = operations[Op] extends { parameters: { query?: infer Q } }
  ? NonNullable<Q>
  : never;

export type FieldRule =
  | { type: 'string' | 'number' | 'boolean'; required?: boolean; nullable?: boolean; enum?: readonly string[] }
  | { type: 'string[]' | 'label[]'; required?: boolean }
  | { type: 'iso-date'; required?: boolean };
type Rules<T> = { [K in keyof T]?: FieldRule };

export const createIssueRules = {
  title: { type: 'string', required: true },
  body: { type: 'string' },
  assignee: { type: 'string', nullable: true },
  labels: { type: 'label[]' },
  assignees: { type: 'string[]' },
} satisfies Rules<Json<'issues/create'>>;

export const updateIssueRules = {
  title: { type: 'string', nullable: true },
  body: { type: 'string', nullable: true },
  assignee: { type: 'string', nullable: true },
  state: { type: 'string', enum: ['open', 'closed'] },
  state_reason: { type: 'string', nullable: true, enum: ['completed', 'not_planned', 'duplicate', 'reopened'] },
  labels: { type: 'label[]' },
  assignees: { type: 'string[]' },
} satisfies Rules<NonNullable<Json<'issues/update'>>>;

export const commentRules = { body: { type: 'string', required: true } } satisfies Rules<Json<'issues/create-comment'>>;
export const updateCommentRules = { body: { type: 'string', required: true } } satisfies Rules<
  Json<'issues/update-comment'>
>;
export const addSubIssueRules = {
  sub_issue_id: { type: 'number', required: true },
  replace_parent: { type: 'boolean' },
} satisfies Rules<Json<'issues/add-sub-issue'>>;
export const removeSubIssueRules = { sub_issue_id: { type: 'number', required: true } } satisfies Rules<
  Json<'issues/remove-sub-issue'>
>;
export const lockRules = {
  lock_reason: { type: 'string', enum: ['off-topic', 'too heated', 'resolved', 'spam'] },
} satisfies Rules<NonNullable<Json<'issues/lock'>>>;
export const blockedByRules = { issue_id: { type: 'number', required: true } } satisfies Rules<
  Json<'issues/add-blocked-by-dependency'>
>;

export const listIssuesQuery = {
  state: { type: 'string', enum: ['open', 'closed', 'all'] },
  sort: { type: 'string', enum: ['created', 'updated', 'comments'] },
  direction: { type: 'string', enum: ['asc', 'desc'] },
  since: { type: 'iso-date' },
  labels: { type: 'string' },
  per_page: { type: 'number' },
  page: { type: 'number' },
} satisfies Rules<Query<'issues/list-for-repo'>>;
export const listCommentsQuery = {
  since: { type: 'iso-date' },
  per_page: { type: 'number' },
  page: { type: 'number' },
} satisfies Rules<Query<'issues/list-comments'>>;
export const listRepoCommentsQuery = {
  sort: { type: 'string', enum: ['created', 'updated'] },
  direction: { type: 'string', enum: ['asc', 'desc'] },
  since: { type: 'iso-date' },
  per_page: { type: 'number' },
  page: { type: 'number' },
} satisfies Rules<Query<'issues/list-comments-for-repo'>>;
export const pageQuery = { per_page: { type: 'number' }, page: { type: 'number' } } satisfies Rules<
  Query<'issues/list-sub-issues'>
>;

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Problems with a JSON body (GitHub answers 422 "Validation Failed" with these). */
export function checkBody(body: unknown, rules: Record<string, FieldRule>): string[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return ['body must be a JSON object'];
  const rec = body as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(rec)) if (!(key in rules)) problems.push(`unknown field "${key}"`);
  for (const [key, rule] of Object.entries(rules)) {
    const v = rec[key];
    if (v === undefined) {
      if (rule.required) problems.push(`missing required field "${key}"`);
      continue;
    }
    const p = checkValue(key, v, rule);
    if (p) problems.push(p);
  }
  return problems;
}

function checkValue(key: string, v: unknown, rule: FieldRule): string | null {
  if (v === null) return 'nullable' in rule && rule.nullable ? null : `"${key}" must not be null`;
  switch (rule.type) {
    case 'string[]':
      return Array.isArray(v) && v.every((x) => typeof x === 'string') ? null : `"${key}" must be an array of strings`;
    case 'label[]':
      return Array.isArray(v) &&
        v.every(
          (x) =>
            typeof x === 'string' ||
            (typeof x === 'object' && x !== null && typeof (x as { name?: unknown }).name === 'string'),
        )
        ? null
        : `"${key}" must be an array of label names or {name} objects`;
    case 'iso-date':
      return typeof v === 'string' && ISO.test(v)
        ? null
        : `"${key}" must be an ISO 8601 timestamp, got ${JSON.stringify(v)}`;
    default:
      if (typeof v !== rule.type) return `"${key}" must be a ${rule.type}, got ${typeof v}`;
      if ('enum' in rule && rule.enum && !rule.enum.includes(v as string))
        return `"${key}" must be one of ${rule.enum.join(', ')}, got ${JSON.stringify(v)}`;
      return null;
  }
}

/** Problems with a query string; numbers arrive as text, so they are parsed first. */
export function checkQuery(query: URLSearchParams, rules: Record<string, FieldRule>): string[] {
  const problems: string[] = [];
  for (const [key, raw] of query) {
    const rule = rules[key];
    if (!rule) {
      problems.push(`unknown query parameter "${key}"`);
      continue;
    }
    const value = rule.type === 'number' ? (/^\d+$/.test(raw) ? Number(raw) : raw) : raw;
    const p = checkValue(key, value, rule);
    if (p) problems.push(p);
  }
  return problems;
}

type HookBody = NonNullable<Json<'repos/create-webhook'>>;
/** The hook body but `config`, which is an object checked on its own (hookConfigRules). */
export const createHookRules = {
  name: { type: 'string' },
  events: { type: 'string[]' },
  active: { type: 'boolean' },
} satisfies Rules<HookBody>;
export const hookConfigRules = {
  url: { type: 'string', required: true },
  content_type: { type: 'string', enum: ['json', 'form'] },
  secret: { type: 'string' },
  insecure_ssl: { type: 'string' },
} satisfies Rules<NonNullable<HookBody['config']>>;
export const listHooksQuery = { per_page: { type: 'number' }, page: { type: 'number' } } satisfies Rules<
  Query<'repos/list-webhooks'>
>;
