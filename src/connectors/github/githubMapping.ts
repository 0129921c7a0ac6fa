import { createHash } from 'node:crypto';
import {
  splitMarker,
  withMarker,
  type IssueFields,
  type RemoteComment,
  type RemoteIssue,
  type StateCategory,
} from '../connector.js';

/**
 * Pure translations between GitHub's REST issue shapes and the connector contract's
 * normalized ones. GitHub has two states (open, closed) plus a close reason, no priority
 * and no due date: those fields stay `undefined`, so the engine neither imports nor
 * exports them.
 */

/** The parts of a REST issue the mapping reads (structurally a subset of octokit's type). */
export interface GhIssue {
  number: number;
  id: number | bigint;
  html_url: string;
  title: string;
  body?: string | null;
  state: string;
  state_reason?: string | null;
  locked?: boolean;
  labels: (string | { name?: string })[];
  assignee?: { login: string } | null;
  assignees?: { login: string }[] | null;
  parent_issue_url?: string | null;
  milestone?: { title: string } | null;
  created_at: string;
  updated_at: string;
  pull_request?: unknown;
}

export interface GhComment {
  id: number | bigint;
  body?: string;
  user: { login: string } | null;
  created_at: string;
}

export type GhState = { state: 'open' } | { state: 'closed'; state_reason: 'completed' | 'not_planned' };

/** closed+completed → completed; closed for any other reason → canceled; open → unstarted. */
export function stateFromGithub(state: string, reason: string | null | undefined): StateCategory {
  if (state !== 'closed') return 'unstarted';
  return reason === 'not_planned' || reason === 'duplicate' ? 'canceled' : 'completed';
}

/** GitHub can only say open or closed: every not-done category is "open" (GitHub itself records "reopened"). */
export function stateToGithub(state: StateCategory): GhState {
  if (state === 'completed') return { state: 'closed', state_reason: 'completed' };
  if (state === 'canceled') return { state: 'closed', state_reason: 'not_planned' };
  return { state: 'open' };
}

/** The issue number at the end of an issue API URL (`.../issues/12` → "12"). */
export function numberFromIssueUrl(url: string | null | undefined): string | null {
  const m = url ? /\/issues\/(\d+)$/.exec(url) : null;
  return m ? m[1] : null;
}

export function labelNames(labels: GhIssue['labels']): string[] {
  return labels.map((l) => (typeof l === 'string' ? l : (l.name ?? ''))).filter((n) => n !== '');
}

export function commentFromGithub(c: GhComment): RemoteComment {
  const { text, tackId } = splitMarker(c.body ?? '');
  return {
    id: String(c.id),
    author: c.user?.login ?? 'ghost',
    body: text,
    createdAt: c.created_at,
    ...(tackId ? { tackId } : {}),
  };
}

export function issueFromGithub(i: GhIssue, extra: { comments?: GhComment[]; blocking?: number[] } = {}): RemoteIssue {
  const { text, tackId } = splitMarker(i.body ?? '');
  const assignee = i.assignees?.[0]?.login ?? i.assignee?.login ?? null;
  const r: RemoteIssue = {
    id: String(i.number),
    key: `#${i.number}`,
    url: i.html_url,
    title: i.title,
    description: text,
    state: stateFromGithub(i.state, i.state_reason),
    stateName: i.state === 'closed' && i.state_reason ? `closed (${i.state_reason})` : i.state,
    labels: labelNames(i.labels),
    assignee,
    parent: numberFromIssueUrl(i.parent_issue_url),
    ...(i.milestone ? { milestone: i.milestone.title } : {}),
    ...(extra.blocking
      ? { relations: extra.blocking.map((n) => ({ type: 'blocks' as const, target: String(n) })) }
      : {}),
    ...(extra.comments ? { comments: extra.comments.map(commentFromGithub) } : {}),
    createdAt: i.created_at,
    updatedAt: i.updated_at,
    ...(isArchived(i) ? { archived: true } : {}),
    ...(tackId ? { tackId } : {}),
  };
  return { ...r, updatedAt: fingerprintedTime(i.updated_at, r) };
}

/**
 * GitHub's `updated_at` has one-second resolution, so a change made in the same second as
 * Tack's own write would carry the same time and pass for its echo. The fraction of the
 * second, which GitHub always leaves at zero, is filled from a hash of the issue's content:
 * equal content gives the same time (an echo stays an echo), any change gives another. Six
 * digits, not three: with a thousand values, one same-second change in a thousand passed for
 * an echo and was never pulled (a reopen lost once in a test run).
 */
export function fingerprintedTime(
  updatedAt: string,
  content: Omit<RemoteIssue, 'updatedAt'> & { updatedAt?: string },
): string {
  const { updatedAt: _ignored, ...rest } = content;
  const micros = parseInt(createHash('sha256').update(JSON.stringify(rest)).digest('hex').slice(0, 8), 16) % 1_000_000;
  const t = Date.parse(updatedAt);
  if (Number.isNaN(t)) return updatedAt;
  const second = new Date(Math.floor(t / 1000) * 1000).toISOString().slice(0, 19);
  return `${second}.${String(micros).padStart(6, '0')}Z`;
}

/**
 * GitHub has no archive. Tack archives an issue by closing it and locking its
 * conversation; a closed, locked issue reads back as archived.
 */
export function isArchived(i: Pick<GhIssue, 'state' | 'locked'>): boolean {
  return i.state === 'closed' && i.locked === true;
}

/** The category GitHub can hold for `s`: what a round trip of `s` reads back as. */
export function githubRoundTrip(s: StateCategory): StateCategory {
  return s === 'completed' || s === 'canceled' ? s : 'unstarted';
}

/** The PATCH/POST body for the fields that GitHub has; `marker` keeps the body's Tack id. */
export function fieldsToGithub(f: IssueFields, opts: { marker?: string } = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (f.title !== undefined) out.title = f.title;
  if (f.description !== undefined) out.body = opts.marker ? withMarker(f.description, opts.marker) : f.description;
  if (f.labels !== undefined) out.labels = [...f.labels];
  if (f.assignee !== undefined) out.assignees = f.assignee ? [f.assignee] : [];
  if (f.state !== undefined) Object.assign(out, stateToGithub(f.state));
  return out;
}

const EPOCH = '1970-01-01T00:00:00Z';

/** A deleted issue: only its number is known (the engine cancels the ticket, merges nothing). */
export function deletedIssue(n: number): RemoteIssue {
  return {
    id: String(n),
    key: `#${n}`,
    url: '',
    title: '',
    description: '',
    state: 'canceled',
    createdAt: EPOCH,
    updatedAt: EPOCH,
    deleted: true,
  };
}
