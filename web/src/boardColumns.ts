import type { Schema, Ticket } from './api';
import type { Grouping } from './ticketOrder';

/** What the board's columns can be by (the list's `group` in the URL, where it fits a column). */
export const BOARD_COLUMNS = ['state', 'priority', 'assignee', 'type', 'project'] as const;
export type BoardColumns = (typeof BOARD_COLUMNS)[number];

export const boardColumnsOf = (g: Grouping): BoardColumns =>
  (BOARD_COLUMNS as readonly string[]).includes(g) ? (g as BoardColumns) : 'state';

/** The ticket field a column sets when a card is dropped on it, as `PATCH` names it. */
export const PATCH_FIELD: Record<BoardColumns, string> = {
  state: 'status',
  priority: 'priority',
  assignee: 'assignee',
  type: 'type',
  project: 'project',
};

/** The column a ticket is in ("none" for no assignee or project, as `update` takes it). */
export function columnOf(t: Ticket, by: BoardColumns): string {
  if (by === 'state') return t.status;
  if (by === 'assignee') return t.assignee ?? 'none';
  if (by === 'project') return t.project ?? 'none';
  return by === 'priority' ? t.priority : t.type;
}

/** A column's heading. */
export function columnName(key: string, by: BoardColumns): string {
  if (key !== 'none') return key;
  return by === 'assignee' ? 'No assignee' : by === 'project' ? 'No project' : 'none';
}

/** The summary with a card moved to a column (what the board shows before the server answers). */
export function movedTo(t: Ticket, by: BoardColumns, key: string, schema: Schema | null): Ticket {
  if (by === 'state')
    return { ...t, status: key, category: schema?.states.find((s) => s.name === key)?.category ?? t.category };
  if (by === 'assignee') return { ...t, assignee: key === 'none' ? null : key };
  if (by === 'project') return { ...t, project: key === 'none' ? null : key };
  return by === 'priority' ? { ...t, priority: key } : { ...t, type: key };
}

/**
 * The columns, in order: the schema's states (those off the main path only while they hold
 * cards) or priorities; types, people and projects that have cards (nobody and no project
 * first, so a card can be dropped there).
 */
export function columnKeys(
  by: BoardColumns,
  schema: Schema | null,
  cards: readonly Ticket[],
  mainPath: (s: Schema['states'][number]) => boolean,
): string[] {
  const used = new Set(cards.map((t) => columnOf(t, by)));
  if (by === 'state') return (schema?.states ?? []).filter((s) => mainPath(s) || used.has(s.name)).map((s) => s.name);
  if (by === 'priority') return schema?.priorities ?? [...used];
  if (by === 'type') return (schema?.types ?? []).filter((x) => used.has(x));
  const named = [...used].filter((k) => k !== 'none').sort();
  return ['none', ...named];
}

/** Which columns the user folded (true) or opened (false), by `columns-by:key`; the rest go by the default. */
export type FoldChoices = Record<string, boolean>;

/** Empty columns, and by state those of closed states (completed, canceled), start folded. */
export function foldedByDefault(key: string, by: BoardColumns, count: number, schema: Schema | null): boolean {
  if (count === 0) return true;
  if (by !== 'state') return false;
  const category = schema?.states.find((s) => s.name === key)?.category;
  return category === 'completed' || category === 'canceled';
}

export function isFolded(
  key: string,
  by: BoardColumns,
  count: number,
  schema: Schema | null,
  choices: FoldChoices,
): boolean {
  return choices[`${by}:${key}`] ?? foldedByDefault(key, by, count, schema);
}

/** The choices with one column folded or opened. */
export function withFold(choices: FoldChoices, by: BoardColumns, key: string, folded: boolean): FoldChoices {
  return { ...choices, [`${by}:${key}`]: folded };
}

/** Choices as kept in this browser: anything but a map of booleans reads as none. */
export function parseFoldChoices(text: string | null): FoldChoices {
  try {
    const v: unknown = JSON.parse(text ?? '{}');
    if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
    return Object.fromEntries(Object.entries(v).filter(([, b]) => typeof b === 'boolean')) as FoldChoices;
  } catch {
    return {};
  }
}
