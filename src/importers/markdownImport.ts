import type { Category } from '../model/schema.js';
import { parseTaskList, sameTaskBody, taskBody, type TaskItem } from '../model/tasksMarkdown.js';
import { emptyNeeds, type ImportRecord, type ImportSource, type ListedSource } from './importRecord.js';

/**
 * Status tags → states (docs/import-export.md). Another tag becomes a state of its own
 * name (lower case, `_` → `-`, so IN_REVIEW is in-review), category triage if new.
 */
export const MARKDOWN_STATES: Record<string, { name: string; category: Category }> = {
  BACKLOG: { name: 'backlog', category: 'backlog' },
  NEXT: { name: 'todo', category: 'unstarted' },
  IN_PROGRESS: { name: 'in-progress', category: 'started' },
  BLOCKED: { name: 'blocked', category: 'started' },
  DONE: { name: 'done', category: 'completed' },
};

/** A TASKS.md file → records: milestones become projects, `Depends on` becomes `blocks` on the dependency. */
export function markdownSource(text: string): ImportSource {
  const list = parseTaskList(text);
  const src: ListedSource = {
    kind: 'markdown',
    records: [],
    needs: emptyNeeds(),
    warnings: [],
    skipped: [],
    managedKeys: ['title', 'status', 'project', 'markdown', 'blocks'],
  };
  src.needs.relations.push({ name: 'blocks', inverse: 'blocked_by', acyclic: true });
  const add = (t: TaskItem, project: string | null) => {
    if (src.records.some((r) => r.key === t.key)) {
      src.skipped.push({ key: t.key, reason: `a second ticket with key ${t.key} ("${t.title}"); keys must be unique` });
      return;
    }
    const fields: Record<string, unknown> = { title: t.title, project, markdown: { key: t.key } };
    if (t.status) fields.status = stateFor(t.status, t.key, src);
    src.records.push({
      key: t.key,
      fields,
      body: taskBody(t),
      comments: [],
      relations: { blocks: [] },
      keepsBody: (current) => sameTaskBody(current, t),
      keyField: 'markdown',
    });
  };
  for (const t of list.loose) add(t, null);
  for (const m of list.milestones) {
    src.needs.projects.push({ key: m.key, name: m.name });
    for (const t of m.tickets) add(t, m.key);
  }
  const byKey = new Map(src.records.map((r) => [r.key, r] as [string, ImportRecord]));
  for (const t of [...list.loose, ...list.milestones.flatMap((m) => m.tickets)]) {
    for (const dep of t.dependsOn) {
      const blocker = byKey.get(dep);
      if (!blocker) src.warnings.push(`${t.key}: depends on ${dep}, which is not a ticket in the file; left out`);
      else if (!blocker.relations.blocks.includes(t.key)) blocker.relations.blocks.push(t.key);
    }
  }
  return src;
}

function stateFor(tag: string, key: string, src: ImportSource): string {
  let state = MARKDOWN_STATES[tag];
  if (!state) {
    state = {
      name: tag
        .toLowerCase()
        .replace(/_/g, '-')
        .replace(/[^a-z0-9-]+/g, '-'),
      category: 'triage',
    };
    if (!src.warnings.some((w) => w.includes(`tag ${tag} `)))
      src.warnings.push(
        `${key}: status tag ${tag} is not one of ${Object.keys(MARKDOWN_STATES).join(', ')}; imported as state "${state.name}" (added with category triage if the schema lacks it)`,
      );
  }
  if (!src.needs.states.some((s) => s.name === state.name)) src.needs.states.push(state);
  return state.name;
}
