import { Document, visit } from 'yaml';
import type { ExportTicket } from './exportFormats.js';
import type { Schema } from './schema.js';

/**
 * Tickets → a Backlog.md project (`tack export backlog DIR`): the reverse of
 * src/importers/backlogImport.ts. What the import kept under `backlog:` (the original
 * status text, assignee as written, dates, ordinal, the file's folder, …) is written back
 * verbatim, so import → export → import gives the same tickets. docs/import-export.md.
 */
export interface BacklogExportFile {
  /** Relative to the backlog/ folder; made only of safe segments (see safeName). */
  path: string;
  content: string;
}

/** Tack's default states as Backlog.md writes them; any other state is title-cased. */
const STATUS_OF: Record<string, string> = {
  todo: 'To Do',
  'in-progress': 'In Progress',
  done: 'Done',
  canceled: "Won't Do",
  draft: 'Draft',
};
/** Keys written from core fields (or in a fixed place); the rest of `backlog:` follows verbatim. */
const OWN = new Set([
  'file',
  'status',
  'priority',
  'milestone',
  'dependencies',
  'parent_task_id',
  'assignee',
  'created_date',
  'updated_date',
]);
const YAML_OPTIONS = { singleQuote: true, lineWidth: 0 } as const;

/** YAML that Backlog.md's reader (js-yaml, YAML 1.1) reads back as strings: dates quoted, as it writes them. */
function stringify(value: unknown, options: typeof YAML_OPTIONS): string {
  const doc = new Document(value);
  visit(doc, {
    Scalar(_, node) {
      if (typeof node.value === 'string' && /^\d{4}-\d\d-\d\d|^(?:y|n|yes|no|on|off)$/i.test(node.value))
        node.type = 'QUOTE_SINGLE';
    },
  });
  return doc.toString(options);
}
const FOLDERS = ['tasks', 'completed', 'drafts', 'archive/tasks', 'archive/drafts'];

/** A file-name part from any text: no separators, no dot segments, nothing a shell or YAML reads specially. */
export function safeName(text: string, max = 60): string {
  const s = text
    .normalize('NFKC')
    .replace(/[^\p{L}\p{N}._-]+/gu, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, max)
    .replace(/[-.]+$/, '');
  return s || 'untitled';
}

/** `2026-08-17T07:26:00Z` → `2026-08-17 07:26` (Backlog.md's date_format). */
export function backlogDate(iso: unknown): string | undefined {
  const m = typeof iso === 'string' ? /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d)/.exec(iso) : null;
  return m ? `${m[1]} ${m[2]}` : undefined;
}

/** Backlog.md task numbers (`task-12`, `BACK-12`, `back-12` are one task; drafts are numbered apart). */
function num(id: string): string {
  const m = /(\d+(?:\.\d+)*)$/.exec(id.trim());
  if (!m) return id.trim().toUpperCase();
  return `${/^draft-/i.test(id.trim()) ? 'draft' : 'task'}:${m[1].replace(/^0+(?=\d)/, '')}`;
}

function commentsBlock(t: ExportTicket): string {
  if (!t.comments.length) return '';
  const items = t.comments.map(
    (c) => `author: ${c.author}\ncreated: ${backlogDate(c.created) ?? c.created}\n---\n${c.text}\n---\n`,
  );
  return `\n\n## Comments\n\n<!-- COMMENTS:BEGIN -->\n${items.join('\n')}<!-- COMMENTS:END -->\n`;
}

function folderOf(t: ExportTicket, extra: Record<string, unknown>): string {
  const was = typeof extra.file === 'string' ? extra.file.slice(0, extra.file.lastIndexOf('/')) : '';
  const draft = t.fields.status === 'draft';
  const archived = t.archived === true;
  // The folder it came from, while it still says the same thing; else where Backlog.md puts it.
  if (FOLDERS.includes(was) && was.startsWith('archive/') === archived && was.endsWith('drafts') === draft) return was;
  return `${archived ? 'archive/' : ''}${draft ? 'drafts' : 'tasks'}`;
}

function fileName(key: string, title: string, extra: Record<string, unknown>): string {
  const was = typeof extra.file === 'string' ? extra.file.slice(extra.file.lastIndexOf('/') + 1) : '';
  const id = safeName(key, 40);
  // The name the import read it from, when it is a plain name (a store file is written by anyone).
  // One segment: no separator, control or Windows-reserved character, no leading dot or dash.
  if (/^[\p{L}\p{N}_][^\p{Cc}/\\:*?"<>|]{0,200}\.md$/u.test(was)) return was;
  return `${id.toLowerCase()} - ${safeName(title)}.md`;
}

interface Ctx {
  keyOf: (id: string) => string;
  known: Set<string>;
}

function dependencies(t: ExportTicket, extra: Record<string, unknown>, c: Ctx): string[] {
  const blockers = t.blockedBy.map(c.keyOf);
  const nums = new Set(blockers.map(num));
  const kept = (Array.isArray(extra.dependencies) ? extra.dependencies.map(String) : []).filter(
    (d) => nums.has(num(d)) || !c.known.has(num(d)),
  );
  const keptNums = new Set(kept.map(num));
  return [...kept, ...blockers.filter((b) => !keptNums.has(num(b)))];
}

function frontMatter(t: ExportTicket, c: Ctx): Record<string, unknown> {
  const f = t.fields;
  const extra = (f.backlog && typeof f.backlog === 'object' ? f.backlog : {}) as Record<string, unknown>;
  const status = String(f.status ?? 'todo');
  const out: Record<string, unknown> = {
    id: c.keyOf(t.id),
    title: String(f.title ?? ''),
    status: extra.status ?? STATUS_OF[status] ?? status.replace(/-/g, ' ').replace(/^./, (x) => x.toUpperCase()),
    assignee: extra.assignee ?? (typeof f.assignee === 'string' ? [f.assignee] : []),
    created_date: extra.created_date ?? backlogDate(f.created),
  };
  // A file the import read leaves out what it left out (a key of its own under `backlog:` says so).
  const fromBacklog = f.backlog !== undefined;
  if (fromBacklog && extra.assignee === undefined && typeof f.assignee !== 'string') delete out.assignee;
  const updated = extra.updated_date ?? (f.updated !== f.created ? backlogDate(f.updated) : undefined);
  if (updated !== undefined) out.updated_date = updated;
  out.labels = Array.isArray(f.labels) ? f.labels : [];
  const milestone = extra.milestone ?? f.project;
  if (typeof milestone === 'string' && milestone) out.milestone = milestone;
  const deps = dependencies(t, extra, c);
  if (deps.length || !fromBacklog || extra.dependencies !== undefined) out.dependencies = deps;
  if (typeof f.parent === 'string' && f.parent) out.parent_task_id = c.keyOf(f.parent);
  const priority = extra.priority ?? (f.priority !== 'none' ? f.priority : undefined);
  if (priority !== undefined) out.priority = priority;
  if (typeof f.type === 'string' && f.type !== 'task') out.type = f.type;
  for (const [k, v] of Object.entries(extra)) if (!OWN.has(k) && !(k in out)) out[k] = v;
  if (out.created_date === undefined) delete out.created_date;
  return out;
}

/** What a Backlog.md folder needs beyond its tickets. */
export interface BacklogContext {
  /** The Backlog.md id of every exported ticket, in order. */
  keys: readonly string[];
  keyOf: (id: string) => string;
  schema: Schema;
  projectName: string;
}

/**
 * One Backlog.md task file per ticket, made a ticket at a time (an export of 100,000 holds one),
 * then a milestone file per project and a config.yml.
 */
export function* backlogFiles(
  tickets: Iterable<ExportTicket>,
  { keys, keyOf, schema, projectName }: BacklogContext,
): Generator<BacklogExportFile> {
  const c: Ctx = { keyOf, known: new Set(keys.map(num)) };
  const taken = new Set<string>();
  for (const t of tickets) {
    const fm = frontMatter(t, c);
    const extra = (t.fields.backlog && typeof t.fields.backlog === 'object' ? t.fields.backlog : {}) as Record<
      string,
      unknown
    >;
    let path = `${folderOf(t, extra)}/${fileName(String(fm.id), String(fm.title), extra)}`;
    // Two tickets that would share a name (same id after cleaning): the later one gets its Tack id.
    if (taken.has(path.toLowerCase())) path = path.replace(/\.md$/, `-${safeName(t.id)}.md`);
    taken.add(path.toLowerCase());
    const yaml = stringify(fm, YAML_OPTIONS);
    yield { path, content: `---\n${yaml}---\n${t.body}${commentsBlock(t)}` };
  }
  for (const p of schema.projects) {
    const yaml = stringify({ id: p.key, title: p.name }, YAML_OPTIONS);
    const body = p.description ? `\n## Description\n\n${p.description}\n` : '';
    yield {
      path: `milestones/${safeName(p.key, 40)} - ${safeName(p.name)}.md`,
      content: `---\n${yaml}---\n${body}`,
    };
  }
  yield { path: 'config.yml', content: configYaml(keys, schema, projectName) };
}

function configYaml(keys: readonly string[], schema: Schema, name: string): string {
  const prefixes = keys.map((k) => /^([A-Za-z]+)-\d/.exec(k)?.[1]?.toLowerCase()).filter(Boolean);
  const prefix = prefixes.find((p) => p !== 'draft') ?? 'task';
  const statuses = schema.states
    .filter((s) => s.name !== 'draft')
    .map((s) => STATUS_OF[s.name] ?? s.name.replace(/-/g, ' ').replace(/^./, (x) => x.toUpperCase()));
  return stringify(
    {
      project_name: name,
      default_status: STATUS_OF[schema.defaultStatus] ?? schema.defaultStatus,
      statuses,
      labels: [],
      date_format: 'yyyy-mm-dd hh:mm',
      task_prefix: prefix,
    },
    YAML_OPTIONS,
  );
}
