import { TackError } from '../../model/errors.js';
import { CATEGORIES } from '../../model/schema.js';
import type { ConnectorKind, RemoteIssue } from '../connector.js';

/**
 * Which remote items come in (`tack connect NAME --pull-filter KEY=VALUE`): the inbound
 * counterpart of `--filter`. It decides only which items **not linked yet** are imported;
 * an item already mirrored by a ticket keeps syncing whatever it becomes. Applied to what
 * the service answered, never sent to it: a value is data, compared, not a query.
 *
 * Keys (repeatable; values of one key: any of them, except `label`: every one):
 * - `label` (all services): the item carries the label (case-insensitive);
 * - `category`: the item's state category (triage ... canceled), all services;
 * - `state`: GitHub `open`/`closed`; Linear the workflow state's name ("In Review");
 * - `list`: Trello, the card's list (name or id);
 * - `milestone`: GitHub, the title of the issue's milestone.
 */
export type PullFilter = Partial<Record<'label' | 'category' | 'state' | 'list' | 'milestone', string[]>>;

const KEYS: Record<ConnectorKind, Array<keyof PullFilter>> = {
  github: ['label', 'state', 'category', 'milestone'],
  linear: ['label', 'state', 'category'],
  trello: ['label', 'list', 'category'],
};

const MAX_VALUE = 200;

/** `--pull-filter KEY=VALUE` (repeatable) → a filter; `--pull-filter all` → none (everything comes in). */
export function parsePullFilter(kind: ConnectorKind, args: string[]): PullFilter | null {
  if (args.length === 1 && args[0] === 'all') return null;
  const keys = KEYS[kind];
  const out: PullFilter = {};
  for (const a of args) {
    const i = a.indexOf('=');
    const key = (i > 0 ? a.slice(0, i) : '') as keyof PullFilter;
    const value = a.slice(i + 1);
    if (!keys.includes(key) || i === a.length - 1)
      throw new TackError(
        'invalid_input',
        `--pull-filter takes KEY=VALUE with KEY one of ${keys.join(', ')} for ${kind} (or "all" for no filter), got ${JSON.stringify(a)}`,
        { pullFilter: a, expected: keys },
      );
    checkName('--pull-filter', key, value);
    checkValue(kind, key, value);
    (out[key] ??= []).push(value);
  }
  return out;
}

/** A name given to compare against the service's (a label, a milestone): plain text, bounded. */
export function checkName(flag: string, key: string, value: string): void {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (value.length > MAX_VALUE || /[\u0000-\u001f\u007f]/.test(value) || value.trim() !== value || value === '')
    throw new TackError(
      'invalid_input',
      `${flag} ${key}: expected a name of at most ${MAX_VALUE} characters without control characters or surrounding spaces, got ${JSON.stringify(value)}`,
      { [flag.replace(/^--/, '')]: `${key}=${value}` },
    );
}

function checkValue(kind: ConnectorKind, key: keyof PullFilter, value: string): void {
  const allowed =
    key === 'category' ? CATEGORIES : key === 'state' && kind === 'github' ? (['open', 'closed'] as const) : null;
  if (allowed && !(allowed as readonly string[]).includes(value))
    throw new TackError(
      'invalid_input',
      `--pull-filter ${key}: expected one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`,
      { pullFilter: `${key}=${value}`, expected: allowed },
    );
}

/** A saved filter read back (connections.json is a file someone may have edited): re-checked. */
export function savedPullFilter(kind: ConnectorKind, saved: unknown): PullFilter | null {
  if (!saved || typeof saved !== 'object') return null;
  const args = Object.entries(saved as Record<string, unknown>).flatMap(([k, vs]) =>
    (Array.isArray(vs) ? vs : [vs]).map((v) => `${k}=${String(v)}`),
  );
  return args.length ? parsePullFilter(kind, args) : null;
}

/** Names compare without regard to case (as the services show them). */
export const sameName = (a: string, b: string) => a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;
const same = sameName;

/** Whether a remote item not linked yet is imported. */
export function inPullScope(kind: ConnectorKind, f: PullFilter, r: RemoteIssue): boolean {
  const labels = r.labels ?? [];
  if (f.label && !f.label.every((l) => labels.some((x) => same(x, l)))) return false;
  if (f.category && !f.category.includes(r.state)) return false;
  if (f.state) {
    const state =
      kind === 'github' ? (r.state === 'completed' || r.state === 'canceled' ? 'closed' : 'open') : (r.stateName ?? '');
    if (!f.state.some((s) => same(s, state))) return false;
  }
  if (f.list && !f.list.some((l) => same(l, r.stateName ?? '') || l === r.stateId)) return false;
  if (f.milestone && !f.milestone.some((m) => r.milestone != null && same(m, r.milestone))) return false;
  return true;
}
