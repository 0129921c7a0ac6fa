import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tackJson, tempStore } from './helpers.js';
import { tackEnvJson } from './storeFiles.js';

/*
 * `list --sort workflow` is the web list's order (web/src/ticketOrder.ts: state categories
 * from triage to canceled, then priority, then the latest update first, then id), so the web
 * can ask the server for its first screen before every summary has arrived.
 */

let dir: string;
let cleanup: () => void;

// [status, priority, minute of the day it was made]; two made in the same minute tie on `updated`.
const MADE: Array<[string, string, number]> = [
  ['todo', 'low', 1],
  ['in-progress', 'urgent', 2],
  ['triage', 'none', 3],
  ['backlog', 'high', 4],
  ['todo', 'urgent', 5],
  ['todo', 'urgent', 6],
  ['done', 'urgent', 7],
  ['triage', 'medium', 8],
  ['canceled', 'high', 9],
  ['backlog', 'high', 10],
  ['todo', 'none', 11],
  ['in-review', 'low', 12],
  ['todo', 'urgent', 12],
  ['todo', 'urgent', 12],
];

const CATEGORY: Record<string, number> = {
  triage: 0,
  backlog: 1,
  todo: 2,
  'in-progress': 3,
  'in-review': 3,
  done: 4,
  canceled: 5,
};
const PRIORITY: Record<string, number> = { urgent: 1, high: 2, medium: 3, low: 4, none: 99 };

interface Summary {
  id: string;
  status: string;
  priority: string;
  updated: string;
}

/** The order the rule names, computed from the answers' own fields. */
function workflowOrder(xs: Summary[]): string[] {
  return [...xs]
    .sort(
      (a, b) =>
        CATEGORY[a.status] - CATEGORY[b.status] ||
        PRIORITY[a.priority] - PRIORITY[b.priority] ||
        (a.updated < b.updated ? 1 : a.updated > b.updated ? -1 : 0) ||
        (a.id < b.id ? -1 : 1),
    )
    .map((t) => t.id);
}

beforeAll(() => {
  ({ dir, cleanup } = tempStore());
  for (const [i, [status, priority, minute]] of MADE.entries()) {
    const now = `2026-12-01T10:${String(minute).padStart(2, '0')}:00Z`;
    tackEnvJson(dir, { TACK_NOW: now }, 'create', `made ${i}`, '--status', status, '--priority', priority);
  }
}, 60_000);
afterAll(() => cleanup());

describe('list --sort workflow', () => {
  it('orders by workflow category, priority, latest update, then id', () => {
    const all = tackJson<Summary[]>(dir, 'list', '--all', '--sort', 'workflow', '--limit', '0');
    expect(all).toHaveLength(MADE.length);
    expect(all.map((t) => t.id)).toEqual(workflowOrder(all));
    // The rule is not met by accident: the default order differs.
    const byStatus = tackJson<Summary[]>(dir, 'list', '--all', '--limit', '0');
    expect(byStatus.map((t) => t.id)).not.toEqual(all.map((t) => t.id));
    expect(all[0].status).toBe('triage');
    expect(all.at(-1)?.status).toBe('canceled');
  });

  it("a page of it is the top of the whole, as the web's first screen asks", () => {
    const all = tackJson<Summary[]>(dir, 'list', '--all', '--sort', 'workflow', '--limit', '0');
    const open = all.filter((t) => t.status !== 'done' && t.status !== 'canceled');
    const first = tackJson<Summary[]>(
      dir,
      'list',
      '--all',
      ...['triage', 'backlog', 'unstarted', 'started'].flatMap((c) => ['--category', c]),
      '--sort',
      'workflow',
      '--limit',
      '5',
    );
    expect(first.map((t) => t.id)).toEqual(open.slice(0, 5).map((t) => t.id));
  });
});
