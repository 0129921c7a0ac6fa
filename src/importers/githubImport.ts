import { createHash } from 'node:crypto';
import type { Comment } from '../model/comments.js';
import { TackError } from '../model/errors.js';
import { emptyNeeds, type ImportRecord, type ImportSource, type ListedSource } from './importRecord.js';

/**
 * `gh issue list --state all --json number,title,body,state,stateReason,labels,assignees,
 * author,createdAt,updatedAt,closedAt,milestone,comments,url` → import records. One ticket
 * per issue, keyed `github:OWNER/REPO#N` (from its url), so issues of two repositories
 * imported into one store never collide and a re-import updates in place. OPEN → todo,
 * CLOSED as not planned → canceled, any other CLOSED → done. What Tack has no field for is
 * kept under `github:`.
 */

type Obj = Record<string, unknown>;

/** A field of issue `at` with the type gh documents, or a refusal naming what was received. */
function field<T>(o: Obj, key: string, at: string, ok: (v: unknown) => v is T, expected: string): T | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (ok(v)) return v;
  throw new TackError(
    'invalid_input',
    `not \`gh issue list --json\` output: ${at}.${key} must be ${expected}; received ${JSON.stringify(v)?.slice(0, 80)}`,
    { key },
  );
}
const isStr = (v: unknown): v is string => typeof v === 'string';
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isList = (v: unknown): v is unknown[] => Array.isArray(v);
const isNum = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;

/** A login from `{login}` (gh's author and assignee shape). */
function login(v: unknown, at: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  const o = field({ v }, 'v', at, isObj, 'an object {login}');
  return o ? field(o, 'login', at, isStr, 'a string') : undefined;
}

/** `https://github.com/OWNER/REPO/issues/N` → `OWNER/REPO`. */
function repoOf(url: string | undefined): string | undefined {
  const m = url?.match(/^https:\/\/[^/]+\/([^/]+\/[^/]+)\/(?:issues|pull)\/\d+$/);
  return m?.[1];
}

function comments(issue: Obj, at: string): Comment[] {
  const list = field(issue, 'comments', at, isList, 'a list') ?? [];
  return list.map((c, i) => {
    const where = `${at}.comments[${i}]`;
    const o = field({ c }, 'c', where, isObj, 'an object {author, body, createdAt}')!;
    const author = login(o.author, `${where}.author`) ?? 'ghost';
    const created = field(o, 'createdAt', where, isStr, 'an ISO time') ?? '';
    const text = field(o, 'body', where, isStr, 'a string') ?? '';
    // gh gives each comment a node id; without one, a hash of what it says stays stable.
    const nodeId = field(o, 'id', where, isStr, 'a string');
    const id = nodeId
      ? `gh-${nodeId}`
      : `gh-${createHash('sha256').update(`${author}\n${created}\n${text}`).digest('hex').slice(0, 16)}`;
    return { id, author, created, text };
  });
}

function status(issue: Obj, at: string): string {
  const state = field(issue, 'state', at, isStr, 'OPEN or CLOSED') ?? 'OPEN';
  const reason = field(issue, 'stateReason', at, isStr, 'a string') ?? '';
  if (state.toUpperCase() === 'OPEN') return 'todo';
  if (state.toUpperCase() !== 'CLOSED')
    throw new TackError(
      'invalid_input',
      `not \`gh issue list --json\` output: ${at}.state must be OPEN or CLOSED; received ${JSON.stringify(state)}`,
    );
  return ['NOT_PLANNED', 'DUPLICATE'].includes(reason.toUpperCase()) ? 'canceled' : 'done';
}

function issueRecord(issue: Obj, at: string, src: ImportSource): ImportRecord {
  const number = field(issue, 'number', at, isNum, 'a positive integer');
  if (number === undefined)
    throw new TackError('invalid_input', `not \`gh issue list --json\` output: ${at} has no "number"`);
  const url = field(issue, 'url', at, isStr, 'a string');
  const repo = repoOf(url);
  const labels = (field(issue, 'labels', at, isList, 'a list of {name}') ?? []).map(
    (l, i) =>
      field(
        field({ l }, 'l', `${at}.labels[${i}]`, isObj, 'an object {name}')!,
        'name',
        `${at}.labels[${i}]`,
        isStr,
        'a string',
      ) ?? '',
  );
  const assignees = (field(issue, 'assignees', at, isList, 'a list of {login}') ?? [])
    .map((a, i) => login(a, `${at}.assignees[${i}]`))
    .filter((a): a is string => !!a);
  const milestone = field(issue, 'milestone', at, isObj, 'an object {number, title}');
  let project: string | null = null;
  if (milestone) {
    const title = field(milestone, 'title', `${at}.milestone`, isStr, 'a string') ?? '';
    const n = field(milestone, 'number', `${at}.milestone`, isNum, 'a positive integer');
    project = `gh-milestone-${n ?? title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
    if (!src.needs.projects.some((p) => p.key === project)) {
      const description = field(milestone, 'description', `${at}.milestone`, isStr, 'a string');
      src.needs.projects.push({ key: project, name: title || project, ...(description ? { description } : {}) });
    }
  }
  const created = field(issue, 'createdAt', at, isStr, 'an ISO time');
  const updated = field(issue, 'updatedAt', at, isStr, 'an ISO time');
  const closedAt = field(issue, 'closedAt', at, isStr, 'an ISO time');
  const author = login(issue.author, `${at}.author`);
  const reason = field(issue, 'stateReason', at, isStr, 'a string');
  const title = field(issue, 'title', at, isStr, 'a string') ?? '';
  const key = `github:${repo ?? ''}#${number}`;
  return {
    key,
    fields: {
      title: title.trim() || `#${number}`,
      type: 'task',
      status: status(issue, at),
      labels: [...new Set(labels.filter((l) => l !== ''))],
      assignee: assignees[0] ?? null,
      project,
      ...(created ? { created } : {}),
      ...(updated ? { updated } : {}),
      github: {
        number,
        ...(url ? { url } : {}),
        ...(author ? { author } : {}),
        ...(assignees.length > 1 ? { assignees } : {}),
        ...(reason ? { stateReason: reason } : {}),
        ...(closedAt ? { closedAt } : {}),
      },
    },
    body: field(issue, 'body', at, isStr, 'a string') ?? '',
    comments: comments(issue, at),
    relations: {},
  };
}

export function githubSource(text: string): ImportSource {
  let issues: unknown;
  try {
    issues = JSON.parse(text);
  } catch (e) {
    throw new TackError('invalid_input', `not \`gh issue list --json\` output: ${(e as Error).message}`);
  }
  if (!Array.isArray(issues))
    throw new TackError(
      'invalid_input',
      `not \`gh issue list --json\` output: expected a JSON array of issues; received ${issues === null ? 'null' : typeof issues}`,
    );
  const src: ListedSource = {
    kind: 'github',
    records: [],
    needs: emptyNeeds(),
    warnings: [],
    skipped: [],
    ownKey: 'github',
    managedKeys: ['title', 'type', 'status', 'labels', 'assignee', 'project', 'github'],
  };
  src.needs.types.push('task');
  issues.forEach((issue, i) => {
    const at = `issue [${i}]`;
    if (!isObj(issue))
      throw new TackError(
        'invalid_input',
        `not \`gh issue list --json\` output: ${at} must be an object; received ${JSON.stringify(issue)?.slice(0, 80)}`,
      );
    src.records.push(issueRecord(issue, at, src));
  });
  if (src.records.some((r) => r.key.startsWith('github:#')))
    src.warnings.push('some issues have no "url": keyed github:#N (add url to --json to key them by repository)');
  return src;
}
