import type { Category } from '../model/schema.js';
import { TackError } from '../model/errors.js';
import { cellsOf, otherCells, readCsv, requireColumns } from './csvTable.js';
import { emptyNeeds, type ImportRecord, type ImportSource, type ListedSource } from './importRecord.js';
import { listState } from './listState.js';

/**
 * Linear's CSV export (Settings → Import/export → Export CSV) → import records. One ticket
 * per row keyed by its identifier (ENG-12). Status names are the team's own: the category
 * comes from the row's timestamps (Canceled, Completed, Started), as Linear sets them from
 * the category, and from the name when there are none. Every other non-empty column is kept
 * verbatim under `linear:`.
 */

const WHAT = 'a Linear CSV export';
const USED = new Set(
  [
    'ID',
    'Title',
    'Description',
    'Status',
    'Priority',
    'Assignee',
    'Labels',
    'Created',
    'Updated',
    'Parent issue',
    'Project',
    'Archived',
  ].map((s) => s.toLowerCase()),
);
const PRIORITY: Record<string, string> = { urgent: 'urgent', high: 'high', medium: 'medium', low: 'low' };

/** Linear writes `Wed Oct 01 2025 08:00:00 GMT+0000 (Coordinated Universal Time)` or ISO. */
function linearTime(s: string): string | undefined {
  if (!s) return undefined;
  const t = Date.parse(s.replace(/ \([^)]*\)$/, ''));
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

function state(status: string, c: ReturnType<typeof cellsOf>): { name: string; category: Category } {
  const s = listState(status || 'todo');
  const category: Category = c.one('Canceled')
    ? 'canceled'
    : c.one('Completed')
      ? 'completed'
      : c.one('Started')
        ? 'started'
        : s.category;
  return { name: s.name, category };
}

/** A project name as a project key: lower case, `-` between words. */
const projectKey = (name: string) => `linear-${listState(name).name}`;

export function linearSource(text: string): ImportSource {
  const t = readCsv(text, WHAT);
  requireColumns(t, ['ID', 'Title'], WHAT);
  const src: ListedSource = {
    kind: 'linear',
    records: [],
    needs: emptyNeeds(),
    warnings: [],
    skipped: [],
    ownKey: 'linear',
    managedKeys: ['title', 'type', 'status', 'priority', 'labels', 'assignee', 'parent', 'project', 'linear'],
  };
  src.needs.types.push('task');
  t.rows.forEach((row, n) => {
    const c = cellsOf(t, row);
    const key = c.one('ID');
    if (!/^[A-Za-z][A-Za-z0-9]*-\d+$/.test(key)) {
      src.skipped.push({
        key: key || `row ${n + 2}`,
        reason: `row ${n + 2}: "ID" ${JSON.stringify(key.slice(0, 40))} is not a Linear identifier (expected ENG-12)`,
      });
      return;
    }
    const st = state(c.one('Status'), c);
    if (!src.needs.states.some((s) => s.name === st.name)) src.needs.states.push(st);
    const project = c.one('Project') ? projectKey(c.one('Project')) : null;
    if (project && !src.needs.projects.some((p) => p.key === project))
      src.needs.projects.push({ key: project, name: c.one('Project') });
    const created = linearTime(c.one('Created'));
    const updated = linearTime(c.one('Updated'));
    const description = c.one('Description').replace(/\r\n/g, '\n');
    const rec: ImportRecord = {
      key,
      fields: {
        title: c.one('Title') || key,
        type: 'task',
        status: st.name,
        priority: PRIORITY[c.one('Priority').toLowerCase()] ?? 'none',
        labels: [
          ...new Set(
            c
              .one('Labels')
              .split(',')
              .map((l) => l.trim())
              .filter((l) => l !== ''),
          ),
        ],
        assignee: c.one('Assignee') || null,
        project,
        ...(created ? { created } : {}),
        ...(updated ? { updated } : {}),
        linear: otherCells(t, row, USED),
      },
      body: description ? `${description}\n` : '',
      comments: [],
      relations: {},
      archived: c.one('Archived') !== '',
    };
    if (c.one('Parent issue')) rec.parent = c.one('Parent issue');
    src.records.push(rec);
  });
  if (src.records.length === 0 && src.skipped.length === 0)
    throw new TackError('invalid_input', `not ${WHAT}: a header row and no issues`);
  return src;
}
