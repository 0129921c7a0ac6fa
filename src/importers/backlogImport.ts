import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Document } from 'yaml';
import { boundedJs, fileText, parseBoundedYaml } from '../model/boundedYaml.js';
import { TackError } from '../model/errors.js';
import type { Category } from '../model/schema.js';
import type { Comment } from '../model/comments.js';
import { emptyNeeds, type ImportRecord, type ImportSource, type ListedSource } from './importRecord.js';

/**
 * A Backlog.md `backlog/` folder → import records (docs/import-export.md):
 * tasks/, completed/, drafts/ and archive/{tasks,drafts}/ are tickets (archived ones go
 * to Tack's archive/), parent_task_id → parent, dependencies → `blocks` on the
 * dependency, milestones → projects, docs/ and decisions/ → store docs under
 * docs/backlog/. The body (description, acceptance criteria, definition of done, plan,
 * notes, final summary, with Backlog.md's section markers) is kept verbatim; a comments
 * block becomes Tack comments. Front-matter keys without a core home stay under `backlog:`.
 */
export const BACKLOG_STATES: Record<string, { name: string; category: Category }> = {
  'to do': { name: 'todo', category: 'unstarted' },
  'in progress': { name: 'in-progress', category: 'started' },
  done: { name: 'done', category: 'completed' },
  "won't do": { name: 'canceled', category: 'canceled' },
  draft: { name: 'draft', category: 'triage' },
};
const TICKET_DIRS = ['tasks', 'completed', 'drafts', 'archive/tasks', 'archive/drafts'];
/** Keys with a home outside `backlog:` (assignee and dates are also kept there, as written). */
const MAPPED = new Set([
  'id',
  'title',
  'status',
  'priority',
  'type',
  'labels',
  'parent_task_id',
  'dependencies',
  'milestone',
]);

export interface BacklogFile {
  fields: Record<string, unknown>;
  body: string;
}

/** Front matter + body; `assignee: @name` (not valid YAML, but what Backlog.md wrote once) is read as a string. */
export function parseBacklogFile(text: string, path: string): BacklogFile {
  const m = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(text);
  if (!m) return { fields: {}, body: text };
  const yaml = fileText(m[1], path, 'invalid_input');
  let doc: Document;
  try {
    doc = parseBoundedYaml(yaml, path, 2, 'invalid_input');
  } catch {
    doc = parseBoundedYaml(
      yaml.replace(
        /^([ \t]*(?:[\w-]+:|-)[ \t]+)(@[^\n]*)$/gm,
        (_, a: string, v: string) => `${a}${JSON.stringify(v.trim())}`,
      ),
      path,
      2,
      'invalid_input',
    );
  }
  const fields = (boundedJs(doc) ?? {}) as Record<string, unknown>;
  return { fields, body: text.slice(m[0].length) };
}

/** `2026-08-17 07:26` or `2025-07-21` → ISO time (UTC, as Backlog.md stores them). */
export function backlogTime(v: unknown): string | null {
  const m = typeof v === 'string' ? /^(\d{4}-\d\d-\d\d)(?:[ T](\d\d:\d\d)(?::(\d\d))?)?$/.exec(v.trim()) : null;
  if (!m) return null;
  return `${m[1]}T${m[2] ?? '00:00'}:${m[3] ?? '00'}Z`;
}

/** The `<!-- COMMENTS:BEGIN -->` block: `author:`, `created:`, `---`, text, `---` per comment. */
export function splitComments(body: string): { body: string; comments: Comment[] } {
  const m = /\n*(?:## Comments\s*\n+)?<!-- COMMENTS:BEGIN -->\n([\s\S]*?)<!-- COMMENTS:END -->\n?/.exec(body);
  if (!m) return { body, comments: [] };
  const comments: Comment[] = [];
  const re = /author:\s*(.*)\ncreated:\s*(.*)\n---\n([\s\S]*?)\n---\n?/g;
  let consumed = '';
  for (const c of m[1].matchAll(re)) {
    consumed += c[0];
    comments.push({
      id: `bl-${comments.length + 1}`,
      author: c[1].trim(),
      created: backlogTime(c[2]) ?? c[2].trim(),
      text: c[3].trim(),
    });
  }
  // Anything the pattern did not account for: keep the block verbatim instead.
  if (consumed.replace(/\s/g, '') !== m[1].replace(/\s/g, '')) return { body, comments: [] };
  return { body: body.slice(0, m.index) + (m.index > 0 ? '\n' : '') + body.slice(m.index + m[0].length), comments };
}

function files(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.md') && statSync(join(dir, f)).isFile())
      .sort();
  } catch {
    return [];
  }
}

/** Backlog.md ids across versions: task-12, BACK-12 and back-12 are one task (drafts are numbered apart). */
export function taskNumber(id: string): string {
  const m = /(\d+(?:\.\d+)*)$/.exec(id.trim());
  if (!m) return id.trim().toUpperCase();
  return `${/^draft-/i.test(id.trim()) ? 'draft' : 'task'}:${m[1]
    .split('.')
    .map((n, i) => (i === 0 ? String(Number(n)) : n))
    .join('.')}`;
}

function slug(s: string): string {
  return (
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'unknown'
  );
}

export function backlogSource(root: string): ImportSource {
  if (!statSync(root, { throwIfNoEntry: false })?.isDirectory())
    throw new TackError('invalid_input', `${root} is not a folder; expected a Backlog.md backlog/ folder`);
  const src: ListedSource = {
    kind: 'backlog',
    records: [],
    docs: [],
    needs: emptyNeeds(),
    warnings: [],
    skipped: [],
    ownKey: 'backlog',
    managedKeys: [
      'title',
      'type',
      'status',
      'priority',
      'labels',
      'assignee',
      'parent',
      'project',
      'created',
      'updated',
      'backlog',
      'blocks',
    ],
  };
  src.needs.relations.push({ name: 'blocks', inverse: 'blocked_by', acyclic: true });
  const milestones = readMilestones(root, src);
  const byId = new Map<string, ImportRecord>();
  const deps: Array<[string, unknown]> = [];
  for (const dir of TICKET_DIRS) {
    for (const f of files(join(root, dir))) {
      if (f === 'readme.md') continue;
      const path = `${dir}/${f}`;
      const { fields, body } = parseBacklogFile(readFileSync(join(root, path), 'utf8'), path);
      const rec = toRecord(fields, body, path, dir, milestones, src);
      const upper = taskNumber(rec.key);
      if (byId.has(upper)) {
        src.warnings.push(
          `${path}: id ${rec.key} is also used by an earlier file; imported with alias ${rec.key}@${dir}`,
        );
        rec.key = `${rec.key}@${dir}`;
      } else byId.set(upper, rec);
      src.records.push(rec);
      deps.push([rec.key, fields.dependencies]);
    }
  }
  for (const rec of src.records) {
    const parent = (rec.fields.backlog as Record<string, unknown>).parent_task_id;
    delete (rec.fields.backlog as Record<string, unknown>).parent_task_id;
    if (typeof parent === 'string' && parent) rec.parent = byId.get(taskNumber(parent))?.key ?? parent;
  }
  for (const [key, list] of deps) {
    for (const d of Array.isArray(list) ? list : []) {
      const blocker = byId.get(taskNumber(String(d)));
      if (!blocker)
        src.warnings.push(
          `${key}: depends on ${String(d)}, which is not in the folder; kept under backlog.dependencies`,
        );
      else if (!blocker.relations.blocks.includes(key)) blocker.relations.blocks.push(key);
    }
  }
  readDocs(root, src);
  return src;
}

function toRecord(
  fields: Record<string, unknown>,
  body: string,
  path: string,
  dir: string,
  milestones: Map<string, string>,
  src: ImportSource,
): ImportRecord {
  const key = typeof fields.id === 'string' && fields.id ? fields.id : path.split('/').pop()!.split(' - ')[0];
  const extra: Record<string, unknown> = { file: path };
  for (const [k, v] of Object.entries(fields)) if (!MAPPED.has(k)) extra[k] = v;
  if (fields.dependencies !== undefined) extra.dependencies = fields.dependencies;
  if (fields.parent_task_id !== undefined) extra.parent_task_id = fields.parent_task_id;
  // A draft is a draft whatever its status says (Backlog.md keeps them apart until promoted).
  const rawStatus = dir.endsWith('drafts') ? 'Draft' : typeof fields.status === 'string' ? fields.status : 'To Do';
  if (dir.endsWith('drafts') && fields.status !== undefined) extra.status = fields.status;
  let state = BACKLOG_STATES[rawStatus.toLowerCase()];
  if (!state) {
    state = { name: slug(rawStatus), category: 'triage' };
    src.warnings.push(
      `${path}: status "${rawStatus}" is not one of Backlog.md's defaults; imported as state "${state.name}" (category triage if new)`,
    );
  }
  if (!dir.endsWith('drafts') && state.name !== rawStatus.toLowerCase().replace(/ /g, '-'))
    extra.status = fields.status;
  if (!src.needs.states.some((s) => s.name === state.name)) src.needs.states.push(state);
  const priority =
    typeof fields.priority === 'string' && ['high', 'medium', 'low'].includes(fields.priority)
      ? fields.priority
      : 'none';
  if (fields.priority !== undefined && priority === 'none') extra.priority = fields.priority;
  if (!src.needs.priorities.includes(priority)) src.needs.priorities.push(priority);
  const type = typeof fields.type === 'string' && fields.type ? slug(fields.type) : 'task';
  if (!src.needs.types.includes(type)) src.needs.types.push(type);
  const assignees = Array.isArray(fields.assignee)
    ? fields.assignee.map(String)
    : typeof fields.assignee === 'string' && fields.assignee
      ? [fields.assignee]
      : [];
  let project: string | null = null;
  if (typeof fields.milestone === 'string' && fields.milestone) {
    // Early Backlog.md named milestones "M3 - GUI"; the milestone files are m-3.
    const legacy = /^M(\d+)\b/i.exec(fields.milestone);
    project =
      milestones.get(fields.milestone) ??
      milestones.get(fields.milestone.toLowerCase()) ??
      (legacy ? milestones.get(`m-${legacy[1]}`) : undefined) ??
      slug(fields.milestone);
    if (!src.needs.projects.some((p) => p.key === project))
      src.needs.projects.push({ key: project, name: fields.milestone });
    if (project !== fields.milestone) extra.milestone = fields.milestone;
  }
  const { body: text, comments } = splitComments(body);
  const created = backlogTime(fields.created_date ?? fields.date);
  return {
    key,
    fields: {
      title: typeof fields.title === 'string' && fields.title.trim() ? fields.title.trim() : key,
      type,
      status: state.name,
      priority,
      labels: Array.isArray(fields.labels) ? fields.labels.map(String) : [],
      assignee: assignees[0] ?? null,
      project,
      ...(created ? { created } : {}),
      ...(created ? { updated: backlogTime(fields.updated_date) ?? created } : {}),
      backlog: extra,
    },
    body: text,
    comments,
    relations: { blocks: [] },
    archived: dir.startsWith('archive/'),
    // Backlog.md renumbered once (task-N → BACK-N); the next change is found the same way.
    sameContent: 'backlog',
  };
}

/** milestones/ and archive/milestones/ → projects; tasks name them by id or by title. */
function readMilestones(root: string, src: ImportSource): Map<string, string> {
  const map = new Map<string, string>();
  for (const dir of ['milestones', 'archive/milestones']) {
    for (const f of files(join(root, dir))) {
      if (f === 'readme.md') continue;
      const { fields, body } = parseBacklogFile(readFileSync(join(root, dir, f), 'utf8'), `${dir}/${f}`);
      const key = typeof fields.id === 'string' ? fields.id : slug(f.replace(/\.md$/, ''));
      const name = typeof fields.title === 'string' ? fields.title : key;
      const description = body.replace(/^\s*## Description\s*/, '').trim();
      src.needs.projects.push({ key, name, ...(description ? { description } : {}) });
      map.set(key, key);
      map.set(name, key);
      map.set(name.toLowerCase(), key);
    }
  }
  return map;
}

/** docs/ and decisions/ become store docs under docs/backlog/, verbatim; the rest is reported. */
function readDocs(root: string, src: ImportSource): void {
  for (const [dir, to] of [
    ['docs', 'docs/backlog'],
    ['decisions', 'docs/backlog/decisions'],
  ]) {
    for (const f of files(join(root, dir))) {
      if (f === 'readme.md') continue;
      src.docs!.push({
        path: `${to}/${f.replace(/ - /g, '-').replace(/ /g, '-')}`,
        content: readFileSync(join(root, dir, f), 'utf8'),
      });
    }
  }
  for (const entry of readdirSync(root)) {
    const known = ['tasks', 'completed', 'drafts', 'archive', 'milestones', 'docs', 'decisions'];
    if (known.includes(entry)) continue;
    src.skipped.push({
      key: entry,
      reason:
        entry === 'config.yml'
          ? 'Backlog.md settings (statuses are mapped as documented)'
          : entry === 'assets'
            ? 'assets are not tickets; copy them into the repository if docs need them'
            : 'not a ticket, doc or milestone',
    });
  }
}
