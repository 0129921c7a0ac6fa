import { hmacMatches as hmacMatchesModel } from '../model/webhookSignature.js';

/**
 * The contract every service connector implements (Linear, GitHub, Trello). The sync
 * engine (src/connectors/engine/) is the only caller: it owns cursors, base snapshots,
 * merge, retries, echo suppression and the mapping in front matter. A connector only
 * translates between the service's API and the normalized shapes below; it keeps no
 * state of its own between calls except its API client and the connection config.
 *
 * Rules for implementers:
 * - Normalize everything to the shapes below: state by CATEGORY (Linear's state types),
 *   priority by Linear's names, users by the service's login/id (the engine maps them to
 *   Tack users through the connection's user map), timestamps as ISO-8601 UTC strings.
 * - Never hard delete remotely. `archive` archives/closes the remote item; a remote
 *   deletion is reported in `pull` as `deleted: true` (or `archived: true`).
 * - Throw `RateLimited` on HTTP 429 / the service's rate-limit signals (with the wait the
 *   service asked for), `Transient` on 5xx, timeouts and connection resets; the engine
 *   retries both with backoff and jitter. Anything else: throw `ConnectorError` (or let
 *   it propagate), the engine records it and moves on to the next ticket.
 * - Writes return the item as the service stored it after the write (`RemoteIssue`), so
 *   the engine can record its `updatedAt`/`version` and suppress the echo when the same
 *   change comes back through `pull` or a webhook.
 */

/** The state categories of DESIGN §4 (Linear's workflow state types). */
export type StateCategory = 'triage' | 'backlog' | 'unstarted' | 'started' | 'completed' | 'canceled';

/** Linear's priority names; `none` when unset. */
export type Priority = 'none' | 'urgent' | 'high' | 'medium' | 'low';

export type ConnectorKind = 'linear' | 'github' | 'trello';

/** A comment on a remote issue. `id` is the service's id, stable forever. */
export interface RemoteComment {
  id: string;
  /** The service's user (login, id or display name; whatever the user map keys by). */
  author: string;
  body: string;
  createdAt: string;
  /** Set when the comment was written by Tack: the Tack comment id it carries. */
  tackId?: string;
}

/** A relation from this issue to another remote issue (by remote id). */
export interface RemoteRelation {
  type: 'blocks' | 'related' | 'duplicates';
  /** Remote id of the other issue. */
  target: string;
}

/**
 * One remote issue, normalized. Every field the service does not have is left
 * `undefined` (not null): the engine then neither imports nor exports it. Fields that
 * exist but are empty use null (`assignee: null`, `due: null`, `parent: null`) or [].
 */
export interface RemoteIssue {
  /** The service's stable id (Linear UUID, GitHub node id or number, Trello card id). */
  id: string;
  /** Human key shown to users: "ENG-12", "#34", the card's short link. */
  key: string;
  url: string;
  title: string;
  /** Markdown. Any marker the connector embedded (see `findByMarker`) is stripped. */
  description: string;
  state: StateCategory;
  /** The service's own state name ("In Review", "open", a Trello list name), for display. */
  stateName?: string;
  /** GitHub: the title of the issue's milestone (compared by scope filters, not mirrored). */
  milestone?: string | null;
  /** The service's id of that state, where it has one (a Trello list id). */
  stateId?: string;
  priority?: Priority;
  labels?: string[];
  /** The service's user, or null when unassigned. */
  assignee?: string | null;
  /** Remote id of the parent issue, or null. */
  parent?: string | null;
  relations?: RemoteRelation[];
  /** YYYY-MM-DD or null. */
  due?: string | null;
  /** All comments when `pull` can afford them; `undefined` means "not fetched". */
  comments?: RemoteComment[];
  createdAt: string;
  /** The service's last-modified time: the cursor and echo suppression key on it. */
  updatedAt: string;
  /**
   * The item was deleted remotely (trash, soft delete): the ticket is canceled; no other
   * field of a deleted item is merged (they may be empty), and nothing is written back.
   * A mapped issue that `get` no longer finds (null) is treated the same way.
   */
  deleted?: boolean;
  /** The item was archived remotely: imported as archived. */
  archived?: boolean;
  /** The Tack ticket id the item carries (client id or marker), when it has one. */
  tackId?: string;
}

/** What the engine asks a connector to create or change. Same field meanings as RemoteIssue. */
export interface IssueFields {
  title?: string;
  description?: string;
  state?: StateCategory;
  priority?: Priority;
  labels?: string[];
  /** A service user (already mapped from the Tack user), or null to unassign. */
  assignee?: string | null;
  /** Remote id of the parent, or null. */
  parent?: string | null;
  due?: string | null;
}

/** An opaque position in the remote change stream; the engine stores it per connection. */
export type Cursor = string;

export interface PullPage {
  /** Issues changed since the cursor (minus the overlap window), oldest first. */
  items: RemoteIssue[];
  /** Pass this to the next `pull`; the engine saves it after the page is committed. */
  nextCursor: Cursor;
  /** More pages follow right away (the engine calls `pull(nextCursor)` again). */
  more: boolean;
  /**
   * Remote ids the service listed that are not issues (GitHub's pull requests): never
   * imported, only counted in the pass's reconciliation.
   */
  skipped?: string[];
}

/** A parsed, verified webhook delivery: which remote issue(s) to sync now. */
export interface WebhookEvent {
  /** Remote ids of the issues the delivery touches (an issue, or a comment's issue). */
  issueIds: string[];
  /** The service's delivery id or a hash of the body: the engine drops duplicates. */
  deliveryId: string;
  /** When the change happened remotely (ISO); older-than-known deliveries are skipped. */
  at?: string;
}

export type Headers = Record<string, string>;

/** Configuration saved by `tack connect` (in .git/tack/connections.json, never committed). */
export interface ConnectionConfig {
  kind: ConnectorKind;
  /** The service's API URL, e.g. a stand-in's in tests; undefined = the public API. */
  apiUrl?: string;
  /** Linear team key, GitHub "owner/repo", Trello board id. */
  scope: string;
  /** Webhook secret used by `verifyWebhook` (from env or the credentials file). */
  webhookSecret?: string;
  /** Tack user → service user; unknown users are reported, not guessed. */
  users?: Record<string, string>;
  /** Trello: list id per state category. Others ignore it. */
  lists?: Partial<Record<StateCategory, string>>;
  /**
   * Which tickets go out: `tack list`'s filters (type, label, project, status, category,
   * priority, assignee → values). Undefined: every ticket. What comes in: `pullFilter`.
   */
  filter?: Record<string, string[]>;
  /**
   * Which remote items not linked yet come in (`--pull-filter`, see engine/pullScope.ts).
   * Undefined: every one. Linked items keep syncing either way.
   */
  pullFilter?: Record<string, string[]>;
  /** Connector-specific settings. */
  options?: Record<string, unknown>;
}

/** One of a service's rate limits, as its last answer reported it. */
export interface RateWindow {
  limit: number;
  remaining: number;
  /** When the bucket is full again (ms since the epoch). */
  resetAt: number;
  /** How long the bucket takes to refill (Trello: a 10 s window); undefined: an hour. */
  periodMs?: number;
}

/** What a service says is left of its budgets (its answers' rate-limit headers, `rateMeter.ts`). */
export interface RateBudget {
  complexity?: RateWindow;
  /** Requests of this connection's credentials (Linear: API key; GitHub: token; Trello: token). */
  requests?: RateWindow;
  /** Trello: requests of the app's API key, shared by every token issued for it. */
  appRequests?: RateWindow;
  /** Points this connector has been charged so far (`X-Complexity`, else its own estimate). */
  spent: number;
  /** When the service's answer the windows come from arrived (ms since the epoch). */
  measuredAt?: number;
}

export interface Connector {
  readonly kind: ConnectorKind;

  /**
   * What is left of the service's budgets as its last answer said (Linear: complexity
   * points and requests; GitHub: requests; Trello: requests of the token and of the app
   * key), so a poller can space its passes to what the
   * budget affords and `tack connections` can show it.
   */
  budget?(): RateBudget;

  /**
   * Issues changed since `cursor` (undefined = everything). Implementations subtract an
   * overlap window (a few seconds to minutes) from the cursor's time, because remote
   * clocks and indexes are not exact: re-delivered items are harmless, the engine
   * dedups them by `updatedAt`.
   */
  pull(cursor: Cursor | undefined): Promise<PullPage>;

  /** One issue by remote id, with its comments; null when it no longer exists. */
  get(remoteId: string): Promise<RemoteIssue | null>;

  /**
   * Create a remote issue for Tack ticket `clientId`. Services with client ids (Linear's
   * `issueCreate(id:)`) pass a UUID derived from `clientId`, so a retried create is
   * rejected or returns the same issue. Others embed a marker carrying `clientId` (an HTML
   * comment in the body, a card attachment...) that `findByMarker` finds again.
   */
  create(fields: IssueFields & { title: string }, clientId: string): Promise<RemoteIssue>;

  /**
   * Find the remote issue created earlier for `clientId` (the engine calls this before
   * any create whose pending record survived a crash). Null when none exists.
   */
  findByMarker(clientId: string): Promise<RemoteIssue | null>;

  /**
   * Services that accept client-provided ids (Linear): the remote id `create` will give
   * the issue of `clientId`, so the engine can recognise an issue another clone created
   * before that clone's mapping commit reached this one. Marker-based services omit it
   * and set `RemoteIssue.tackId` from the marker instead.
   */
  remoteIdFor?(clientId: string): string;

  /** Change only the given fields. */
  update(remoteId: string, patch: IssueFields): Promise<RemoteIssue>;

  /** Add a comment; `tackId` is embedded (marker) so pulls map it back. Returns it as stored. */
  addComment(remoteId: string, body: string, tackId: string): Promise<RemoteComment>;
  /**
   * Replace a comment's text, keeping its marker when Tack wrote it (`tackId`). Services
   * that support it sync comment edits both ways; without it comments are append-only
   * (remote edits are not imported, local edits not pushed).
   */
  updateComment?(remoteId: string, commentId: string, body: string, tackId?: string): Promise<void>;

  /** State changes are `update({state})`; these exist for services with a dedicated call. */
  close(remoteId: string, reason: 'completed' | 'canceled'): Promise<RemoteIssue>;
  reopen(remoteId: string): Promise<RemoteIssue>;
  /** Archive (never delete) the remote item. */
  archive(remoteId: string): Promise<RemoteIssue>;

  /**
   * Make the issue's outgoing relations exactly `want` (remote ids), given that it has
   * `have` now: create the missing, delete the extra. Services without relations omit it;
   * the engine then only imports what `pull` reports.
   */
  setRelations?(remoteId: string, want: RemoteRelation[], have: RemoteRelation[]): Promise<void>;

  /** True when create/update honour `IssueFields.parent` (Linear); otherwise parents are only read. */
  readonly writesParent?: boolean;

  /**
   * Services with fewer states than Tack's categories (GitHub: open/closed): the category
   * a state comes back as after a push and a pull (`started` → `unstarted` on GitHub).
   * The engine then does not mistake the round trip for a remote change. Omit when exact.
   */
  roundTripState?(state: StateCategory): StateCategory;

  /**
   * Make sure the service delivers this scope's webhooks to `callbackUrl`: reuse the one
   * already there (re-running `tack connect` creates no second webhook), else register it.
   * Services where Tack cannot register webhooks omit it.
   */
  ensureWebhook?(callbackUrl: string): Promise<{ id: string; created: boolean }>;

  /** Check a webhook's signature exactly as the service signs it (raw bytes, headers lowercased). */
  verifyWebhook(rawBody: Buffer, headers: Headers): boolean;
  /** Which issues a verified delivery touches; null when it is not about issues (ignore it). */
  parseWebhook(rawBody: Buffer, headers: Headers): WebhookEvent | null;
}

/** Builds a connector from its saved config and credentials. */
export type ConnectorFactory = (
  config: ConnectionConfig,
  credentials: Record<string, string>,
) => Connector | Promise<Connector>;

/** Base of the errors a connector throws on purpose. */
export class ConnectorError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ConnectorError';
  }
}

/**
 * The service does not know a user a write named (GitHub's 422 on `assignees`, a Linear
 * user or Trello member not found). The engine writes the item without the assignee and
 * reports a warning: an unknown user never fails an item.
 */
export class UnknownUser extends ConnectorError {
  constructor(
    readonly user: string,
    message: string,
  ) {
    super('unknown_user', message, { user });
    this.name = 'UnknownUser';
  }
}

/** The service said "slow down" (429, or a rate-limit header at zero). */
export class RateLimited extends ConnectorError {
  /** Milliseconds the service asked us to wait (Retry-After, reset headers); default 1000. */
  constructor(
    readonly retryAfterMs: number,
    message = 'rate limited',
  ) {
    super('rate_limited', message, { retryAfterMs });
    this.name = 'RateLimited';
  }
}

/** A failure worth retrying: 5xx, a timeout, a reset connection. */
export class Transient extends ConnectorError {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super('transient', message, { status });
    this.name = 'Transient';
  }
}

/** Parse a Retry-After header (seconds or an HTTP date) into milliseconds. */
export function retryAfterMs(value: string | null | undefined, fallbackMs = 1000): number {
  if (!value) return fallbackMs;
  const secs = Number(value);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? fallbackMs : Math.max(0, at - Date.now());
}

/**
 * The marker Tack embeds in text it writes to services without client ids (issue bodies,
 * comments): a markdown reference definition, which renders as nothing on GitHub, Trello
 * and Linear and survives edits of the text above it.
 */
const MARKER_LINE = /\n*\[\/\/\]: # \(tack:([a-z0-9-]+)\)\s*$/;

export function withMarker(text: string, tackId: string): string {
  return `${text.replace(/\s+$/, '')}\n\n[//]: # (tack:${tackId})`;
}

/** Split a text written by `withMarker` back into the text and the Tack id. */
export function splitMarker(text: string): { text: string; tackId?: string } {
  const m = MARKER_LINE.exec(text);
  return m ? { text: text.slice(0, m.index), tackId: m[1] } : { text };
}

/**
 * Constant-time check of a webhook signature header against an HMAC of the raw body
 * (plus `suffix`, e.g. Trello's callback URL). `given` without its prefix ("sha256=").
 * Connectors cannot import the server's hmacVerifier (surfaces stay apart).
 */
export function hmacMatches(
  raw: Buffer,
  given: string | undefined,
  secret: string,
  algorithm: 'sha256' | 'sha1',
  encoding: 'hex' | 'base64',
  suffix = '',
): boolean {
  return hmacMatchesModel(given, secret, [raw, suffix], algorithm, encoding);
}
