import { createHash } from 'node:crypto';
import type { Comment } from '../model/comments.js';
import type { Category } from '../model/schema.js';
import { TackError } from '../model/errors.js';
import { cellsOf, otherCells, readCsv, requireColumns } from './csvTable.js';
import { emptyNeeds, type ImportRecord, type ImportSource, type ListedSource } from './importRecord.js';
import { listState } from './listState.js';

/**
 * Jira's CSV export (Filters → Export → CSV, all fields) → import records. One ticket per
 * row, keyed by its issue key (PROJ-12); the issue id is an alias too, since `Parent` /
 * `Parent id` name parents by id. Repeated columns (`Labels`, `Comment`, `Sprint`, ...) are
 * read by position. Every other non-empty column is kept verbatim under `jira:`.
 */

const WHAT = 'a Jira CSV export';
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
/** Columns this importer maps (or drops: `Last Viewed` changes on every export, so keeping it would make every re-import an update). */
const USED = new Set(
  [
    'Summary',
    'Issue key',
    'Issue id',
    'Issue Type',
    'Status',
    'Priority',
    'Assignee',
    'Created',
    'Updated',
    'Description',
    'Labels',
    'Parent id',
    'Parent',
    'Comment',
    'Last Viewed',
  ].map((s) => s.toLowerCase()),
);
const PRIORITY: Record<string, string> = {
  highest: 'urgent',
  blocker: 'urgent',
  critical: 'urgent',
  high: 'high',
  major: 'high',
  medium: 'medium',
  low: 'low',
  minor: 'low',
  lowest: 'low',
  trivial: 'low',
};

/** Jira's `12/Oct/25 3:45 PM` (the export's default format, in the exporting user's zone, read as UTC) or an ISO time → ISO. */
export function jiraTime(s: string): string | undefined {
  const m = s.match(/^(\d{1,2})\/([A-Za-z]{3})\/(\d{2}|\d{4}) (\d{1,2}):(\d{2})(?::(\d{2}))? ?([AaPp][Mm])?$/);
  if (m) {
    const month = MONTHS.indexOf(m[2].toLowerCase());
    if (month < 0) return undefined;
    let hour = Number(m[4]) % (m[7] ? 12 : 24);
    if (m[7]?.toLowerCase() === 'pm') hour += 12;
    const year = m[3].length === 2 ? 2000 + Number(m[3]) : Number(m[3]);
    return new Date(Date.UTC(year, month, Number(m[1]), hour, Number(m[5]), Number(m[6] ?? 0))).toISOString();
  }
  return /^\d{4}-\d{2}-\d{2}/.test(s) && !Number.isNaN(Date.parse(s)) ? new Date(s).toISOString() : undefined;
}

/** Jira's status → a state: the usual names as Tack's, others by name with a guessed category. */
function state(status: string, resolution: string): { name: string; category: Category } {
  const s = listState(status || 'open');
  if (s.name === 'to-do' || s.name === 'open') return { name: 'todo', category: 'unstarted' };
  // "Done" with a resolution such as Won't Do or Duplicate is work that was not done.
  if (s.category === 'completed' && /won.?t|duplicate|cannot|declined|rejected|obsolete/i.test(resolution))
    return { name: 'canceled', category: 'canceled' };
  return s;
}

/** `date;author;body` comment cells → comments; the id hashes the cell's date and author (and a count for twins). */
function comments(cells: string[], key: string): Comment[] {
  const seen = new Map<string, number>();
  return cells.map((cell) => {
    const [date = '', author = '', ...rest] = cell.split(';');
    const text = rest.join(';');
    const base = createHash('sha256').update(`${key}\n${date}\n${author}\n${text}`).digest('hex').slice(0, 12);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return {
      id: `jira-${base}${n > 1 ? `-${n}` : ''}`,
      author: author.trim() || 'unknown',
      created: jiraTime(date.trim()) ?? date.trim(),
      text,
    };
  });
}

export function jiraSource(text: string): ImportSource {
  const t = readCsv(text, WHAT);
  requireColumns(t, ['Summary', 'Issue key'], WHAT);
  const src: ListedSource = {
    kind: 'jira',
    records: [],
    needs: emptyNeeds(),
    warnings: [],
    skipped: [],
    ownKey: 'jira',
    managedKeys: ['title', 'type', 'status', 'priority', 'labels', 'assignee', 'parent', 'jira'],
  };
  const keyOfId = new Map<string, string>();
  for (const row of t.rows) {
    const c = cellsOf(t, row);
    if (c.one('Issue id') && c.one('Issue key')) keyOfId.set(c.one('Issue id'), c.one('Issue key'));
  }
  t.rows.forEach((row, n) => {
    const c = cellsOf(t, row);
    const key = c.one('Issue key');
    if (!/^[A-Za-z][A-Za-z0-9_]*-\d+$/.test(key)) {
      src.skipped.push({
        key: key || `row ${n + 2}`,
        reason: `row ${n + 2}: "Issue key" ${JSON.stringify(key.slice(0, 40))} is not a Jira key (expected PROJ-12)`,
      });
      return;
    }
    const st = state(c.one('Status'), c.one('Resolution'));
    if (!src.needs.states.some((s) => s.name === st.name)) src.needs.states.push(st);
    const type = listState(c.one('Issue Type') || 'task').name;
    if (!src.needs.types.includes(type)) src.needs.types.push(type);
    const priority = PRIORITY[c.one('Priority').toLowerCase()] ?? 'none';
    const created = jiraTime(c.one('Created'));
    const updated = jiraTime(c.one('Updated'));
    const parentRef = c.one('Parent id') || c.one('Parent');
    const jira = otherCells(t, row, USED);
    for (const k of ['Issue id', 'Status', 'Priority', 'Issue Type', 'Created', 'Updated'])
      if (c.one(k)) jira[k] = c.one(k);
    const rec: ImportRecord = {
      key,
      fields: {
        title: c.one('Summary') || key,
        type,
        status: st.name,
        priority,
        labels: [
          ...new Set(
            c
              .all('Labels')
              .flatMap((l) => l.split(/\s+/))
              .filter((l) => l !== ''),
          ),
        ],
        assignee: c.one('Assignee') || null,
        ...(created ? { created } : {}),
        ...(updated ? { updated } : {}),
        jira,
      },
      body: (() => {
        const d = c.one('Description').replace(/\r\n/g, '\n');
        return d ? `${d}\n` : '';
      })(),
      comments: comments(c.all('Comment'), key),
      relations: {},
      aliases: c.one('Issue id') ? [`jira:${c.one('Issue id')}`] : [],
    };
    if (parentRef) rec.parent = keyOfId.get(parentRef) ?? parentRef;
    src.records.push(rec);
  });
  if (src.records.length === 0 && src.skipped.length === 0)
    throw new TackError('invalid_input', `not ${WHAT}: a header row and no issues`);
  return src;
}
