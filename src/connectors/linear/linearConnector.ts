import { createHash } from 'node:crypto';
import { LinearClient } from '@linear/sdk';
import {
  ConnectorError,
  hmacMatches,
  UnknownUser,
  withMarker,
  type ConnectionConfig,
  type Connector,
  type Cursor,
  type Headers,
  type IssueFields,
  type PullPage,
  type RateBudget,
  type RemoteComment,
  type RemoteIssue,
  type RemoteRelation,
  type WebhookEvent,
} from '../connector.js';
import { LinearGraphql } from './linearGraphql.js';
import { PRIORITIES, relationType, toRemoteIssue } from './linearIssue.js';
import * as Q from './linearQueries.js';
import type {
  Connection,
  IssueInput,
  LinearIssue,
  LinearState,
  LinearUser,
  Paging,
  TypedDocument,
} from './linearQueries.js';

/** How far back each pull looks before its cursor: Linear's updatedAt is not a log position. */
export const OVERLAP_MS = 60_000;
/** Linear refuses webhooks older than this; so do we (replays). */
const WEBHOOK_MAX_AGE_MS = 60_000;

/**
 * A UUID derived from a Tack id: Linear accepts client ids, so a retried create is the same
 * issue. Linear's schema asks for UUID v4: the bits are a hash instead of random, with the
 * version (4) and variant set as v4 has them, so every clone derives the same id.
 */
export function linearUuid(tackId: string, version: 4 | 5 = 4): string {
  const h = createHash('sha256').update(`tack:${tackId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${version}${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

interface Team {
  id: string;
  states: LinearState[];
  labels: Map<string, string>;
  users: LinearUser[];
}

export class LinearConnector implements Connector {
  readonly kind = 'linear' as const;
  readonly writesParent = true;
  private api: LinearGraphql;
  private team?: Team;

  constructor(
    private config: ConnectionConfig,
    credentials: Record<string, string>,
  ) {
    const apiKey = credentials.apiKey;
    if (!apiKey)
      throw new ConnectorError(
        'no_credentials',
        'no Linear API key; set LINEAR_API_KEY or run `tack connect linear --api-key ...`',
      );
    this.api = new LinearGraphql(new LinearClient({ apiKey, ...(config.apiUrl ? { apiUrl: config.apiUrl } : {}) }));
  }

  private gql<T, V extends Record<string, unknown>>(query: TypedDocument<T, V>, variables: V): Promise<T> {
    return this.api.gql(query, variables);
  }

  private allPages<T, V extends Record<string, unknown>, N>(
    query: TypedDocument<T, V & Paging>,
    pick: (d: T) => Connection<N>,
    vars: V,
  ): Promise<N[]> {
    return this.api.allPages(query, pick, vars);
  }

  budget(): RateBudget {
    return this.api.budget();
  }

  private async loadTeam(): Promise<Team> {
    if (this.team) return this.team;
    const d = await this.gql(Q.TEAM, { id: this.config.scope });
    const labels = await this.allPages(Q.LABELS, (d) => d.issueLabels, {});
    this.team = {
      id: d.team.id,
      states: [...d.team.states.nodes].sort((a, b) => a.position - b.position),
      labels: new Map(labels.map((l) => [l.name, l.id])),
      users: await this.allPages(Q.USERS, (d) => d.users, {}),
    };
    return this.team;
  }

  /** An issue as fetched, its labels, relations and comments read past their first page. */
  private async complete(n: LinearIssue): Promise<RemoteIssue> {
    const { id } = n;
    const P = Q.ISSUE_LIST_PAGE;
    const labels = await this.rest(n.labels, async (after) => (await this.gql(P.labels, { id, after })).issue.labels);
    const relations = await this.rest(
      n.relations,
      async (after) => (await this.gql(P.relations, { id, after })).issue.relations,
    );
    const comments = await this.rest(
      n.comments,
      async (after) => (await this.gql(P.comments, { id, after })).issue.comments,
    );
    return toRemoteIssue({ ...n, labels, relations, comments });
  }

  /** A nested list read to its end, a page at a time from where it stops. */
  private async rest<N>(
    list: Connection<N>,
    next: (after: string | null) => Promise<Connection<N>>,
  ): Promise<Connection<N>> {
    while (list.pageInfo?.hasNextPage) {
      const more = await next(list.pageInfo.endCursor);
      list = { nodes: [...list.nodes, ...more.nodes], pageInfo: more.pageInfo };
    }
    return list;
  }

  /** IssueCreateInput / IssueUpdateInput fields for a patch; labels missing in Linear are created. */
  private async input(f: IssueFields): Promise<IssueInput> {
    const team = await this.loadTeam();
    const out: IssueInput = {};
    if (f.title !== undefined) out.title = f.title;
    if (f.description !== undefined) out.description = f.description;
    if (f.state !== undefined) {
      const s = team.states.find((x) => x.type === f.state);
      if (!s)
        throw new ConnectorError(
          'unmapped_state',
          `team ${this.config.scope} has no workflow state of type "${f.state}"`,
        );
      out.stateId = s.id;
    }
    if (f.priority !== undefined) out.priority = Math.max(0, PRIORITIES.indexOf(f.priority));
    if (f.labels !== undefined) out.labelIds = await Promise.all(f.labels.map((l) => this.labelId(l)));
    if (f.assignee !== undefined) out.assigneeId = f.assignee === null ? null : this.userId(f.assignee);
    if (f.parent !== undefined) out.parentId = f.parent;
    if (f.due !== undefined) out.dueDate = f.due;
    return out;
  }

  private async labelId(name: string): Promise<string> {
    const team = await this.loadTeam();
    const have = team.labels.get(name);
    if (have) return have;
    const d = await this.gql(Q.LABEL_CREATE, { input: { name, teamId: team.id } });
    team.labels.set(name, d.issueLabelCreate.issueLabel.id);
    return d.issueLabelCreate.issueLabel.id;
  }

  private userId(who: string): string {
    const u = this.team!.users.find((x) => x.displayName === who || x.email === who || x.name === who || x.id === who);
    if (!u) throw new UnknownUser(who, `no Linear user "${who}" (display name, email or id)`);
    return u.id;
  }

  /**
   * Two steps, each under Linear's per-request cap: which issues changed (ids and dates,
   * ID_PAGE at a time: an idle poll costs ~300 points), then those issues in full, by id,
   * ISSUE_PAGE at a time. The cursor is the newest date the listing saw, so an issue that
   * changes between the two steps is read again next time rather than skipped.
   */
  async pull(cursor: Cursor | undefined): Promise<PullPage> {
    const since = cursor ? new Date(Date.parse(cursor) - OVERLAP_MS).toISOString() : undefined;
    const filter = { team: { key: { eq: this.config.scope } }, ...(since ? { updatedAt: { gte: since } } : {}) };
    const items: RemoteIssue[] = [];
    let latest = cursor ?? '';
    let after: string | null | undefined;
    for (;;) {
      const d = await this.gql(Q.CHANGED, { filter, after, first: Q.ID_PAGE });
      const changed = d.issues.nodes;
      for (let i = 0; i < changed.length; i += Q.ISSUE_PAGE) {
        const ids = changed.slice(i, i + Q.ISSUE_PAGE).map((n) => n.id);
        const got = await this.gql(Q.PULL, { filter: { id: { in: ids } }, first: ids.length });
        for (const n of got.issues.nodes) items.push(await this.complete(n));
      }
      // Strings, not numbers: ISO dates compare in order as text.
      for (const n of changed) if (n.updatedAt > latest) latest = n.updatedAt;
      if (!d.issues.pageInfo.hasNextPage) break;
      after = d.issues.pageInfo.endCursor;
    }
    items.sort((a, b) => (a.updatedAt < b.updatedAt ? -1 : a.updatedAt > b.updatedAt ? 1 : 0));
    return { items, nextCursor: latest || new Date(0).toISOString(), more: false };
  }

  async get(remoteId: string): Promise<RemoteIssue | null> {
    try {
      return await this.complete((await this.gql(Q.GET, { id: remoteId })).issue);
    } catch (e) {
      if (e instanceof ConnectorError && e.code === 'linear_error' && /not found/i.test(e.message)) return null;
      throw e;
    }
  }

  remoteIdFor(clientId: string): string {
    return linearUuid(clientId);
  }

  async create(fields: IssueFields & { title: string }, clientId: string): Promise<RemoteIssue> {
    const team = await this.loadTeam();
    const input = { ...(await this.input(fields)), teamId: team.id, id: linearUuid(clientId) };
    try {
      return await this.complete((await this.gql(Q.CREATE, { input })).issueCreate.issue!);
    } catch (e) {
      // Created before (a crash, another clone): the client id makes it the same issue.
      const found = e instanceof ConnectorError && e.code === 'linear_error' ? await this.findByMarker(clientId) : null;
      if (found) return found;
      throw e;
    }
  }

  /** The issue under the client id, or under the v5 id Tack derived before it used v4. */
  async findByMarker(clientId: string): Promise<RemoteIssue | null> {
    return (await this.get(linearUuid(clientId))) ?? (await this.get(linearUuid(clientId, 5)));
  }

  async update(remoteId: string, patch: IssueFields): Promise<RemoteIssue> {
    const input = await this.input(patch);
    return this.complete((await this.gql(Q.UPDATE, { id: remoteId, input })).issueUpdate.issue!);
  }

  async addComment(remoteId: string, body: string, tackId: string): Promise<RemoteComment> {
    const input = { issueId: remoteId, body: withMarker(body, tackId), id: linearUuid(`${remoteId}/${tackId}`) };
    const c = (await this.gql(Q.COMMENT, { input })).commentCreate.comment;
    return { id: c.id, author: c.user?.displayName ?? '', body, createdAt: c.createdAt, tackId };
  }

  /** The team's webhook for `callbackUrl` if Linear has one, else a new one (issues and comments, signed with the secret). */
  async ensureWebhook(callbackUrl: string): Promise<{ id: string; created: boolean }> {
    const team = await this.loadTeam();
    const hooks = await this.allPages(Q.WEBHOOKS, (d) => d.webhooks, {});
    const found = hooks.find((h) => h.url === callbackUrl && h.team?.id === team.id);
    if (found) return { id: found.id, created: false };
    const secret = this.config.webhookSecret;
    if (!secret)
      throw new ConnectorError(
        'missing_credentials',
        'a Linear webhook needs a secret to be verified (--webhook-secret or LINEAR_WEBHOOK_SECRET)',
      );
    const input = {
      url: callbackUrl,
      teamId: team.id,
      resourceTypes: ['Issue', 'Comment'],
      secret,
      label: 'Tack sync',
    };
    return { id: (await this.gql(Q.WEBHOOK_CREATE, { input })).webhookCreate.webhook.id, created: true };
  }

  async updateComment(_remoteId: string, commentId: string, body: string, tackId?: string): Promise<void> {
    await this.gql(Q.COMMENT_UPDATE, { id: commentId, input: { body: tackId ? withMarker(body, tackId) : body } });
  }

  async setRelations(remoteId: string, want: RemoteRelation[], have: RemoteRelation[]): Promise<void> {
    const linearType = (t: RemoteRelation['type']) => (t === 'duplicates' ? 'duplicate' : t);
    const key = (r: RemoteRelation) => `${r.type}:${r.target}`;
    const haveKeys = new Set(have.map(key));
    const wantKeys = new Set(want.map(key));
    for (const r of want) {
      if (!haveKeys.has(key(r)))
        await this.gql(Q.RELATION_CREATE, {
          input: { issueId: remoteId, relatedIssueId: r.target, type: linearType(r.type) },
        });
    }
    if (!have.some((r) => !wantKeys.has(key(r)))) return;
    // Deleting needs the relations' own ids: read them fresh, every page.
    const rels = await this.allPages(Q.ISSUE_LIST_PAGE.relations, (d) => d.issue.relations, { id: remoteId });
    for (const rel of rels) {
      const r = { type: relationType(rel.type), target: rel.relatedIssue.id };
      if (['blocks', 'related', 'duplicates'].includes(r.type) && !wantKeys.has(key(r)))
        await this.gql(Q.RELATION_DELETE, { id: rel.id });
    }
  }

  close(remoteId: string, reason: 'completed' | 'canceled'): Promise<RemoteIssue> {
    return this.update(remoteId, { state: reason });
  }

  reopen(remoteId: string): Promise<RemoteIssue> {
    return this.update(remoteId, { state: 'unstarted' });
  }

  async archive(remoteId: string): Promise<RemoteIssue> {
    return this.complete((await this.gql(Q.ARCHIVE, { id: remoteId })).issueArchive.entity!);
  }

  verifyWebhook(rawBody: Buffer, headers: Headers): boolean {
    if (!this.config.webhookSecret) return false;
    if (!hmacMatches(rawBody, headers['linear-signature'], this.config.webhookSecret, 'sha256', 'hex')) return false;
    try {
      const ts = Number((JSON.parse(rawBody.toString('utf8')) as { webhookTimestamp?: unknown }).webhookTimestamp);
      return Number.isFinite(ts) && Math.abs(Date.now() - ts) <= WEBHOOK_MAX_AGE_MS;
    } catch {
      return false;
    }
  }

  parseWebhook(rawBody: Buffer, headers: Headers): WebhookEvent | null {
    const p = JSON.parse(rawBody.toString('utf8')) as {
      type?: string;
      data?: { id?: string; issueId?: string; updatedAt?: string };
    };
    const id = p.type === 'Issue' ? p.data?.id : p.type === 'Comment' ? p.data?.issueId : undefined;
    if (!id) return null;
    const deliveryId = headers['linear-delivery'] ?? createHash('sha256').update(rawBody).digest('hex');
    return { issueIds: [id], deliveryId, ...(p.data?.updatedAt ? { at: p.data.updatedAt } : {}) };
  }
}
