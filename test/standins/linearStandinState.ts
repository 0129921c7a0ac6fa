import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';

/**
 * The in-memory workspace behind the Linear stand-in: one team, its workflow states,
 * users, labels, issues, comments and relations. Resolvers answer in the schema's shapes
 * (connections with `nodes` and `pageInfo`); graphql's default field resolver calls the
 * function-valued properties, so nested connections are computed on demand.
 */
export interface IssueRec {
  id: string;
  number: number;
  title: string;
  description: string;
  stateId: string;
  priority: number;
  labelIds: string[];
  assigneeId: string | null;
  parentId: string | null;
  dueDate: string | null;
  createdAt: string;
  updatedAt: string;
  archivedAt: string | null;
  trashed: boolean;
}
export interface WebhookRec {
  id: string;
  url: string;
  teamId: string | null;
  secret: string | null;
  resourceTypes: string[];
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}
export interface CommentRec {
  id: string;
  issueId: string;
  body: string;
  userId: string;
  createdAt: string;
  updatedAt: string;
}
export interface RelationRec {
  id: string;
  issueId: string;
  relatedIssueId: string;
  type: string;
  createdAt: string;
  updatedAt: string;
}

/** A change the workspace made: the stand-in turns it into a webhook delivery. */
export interface Change {
  type: 'Issue' | 'Comment';
  action: 'create' | 'update' | 'remove';
  data: Record<string, unknown>;
}

const userError = (message: string) =>
  new GraphQLError(message, {
    extensions: { type: 'invalid input', code: 'INPUT_ERROR', userPresentableMessage: message, userError: true },
  });
/** Client ids: "The identifier in UUID v4 format" (IssueCreateInput.id, CommentCreateInput.id). */
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

export class LinearWorkspace {
  readonly team = { id: randomUUID(), key: 'ENG', name: 'Engineering' };
  readonly states = (
    [
      ['Triage', 'triage'],
      ['Backlog', 'backlog'],
      ['Todo', 'unstarted'],
      ['In Progress', 'started'],
      ['Done', 'completed'],
      ['Canceled', 'canceled'],
    ] as const
  ).map(([name, type], position) => ({ id: randomUUID(), name, type, position }));
  readonly users = [
    { id: randomUUID(), name: 'Alice Adams', displayName: 'alice', email: 'alice@example.com' },
    { id: randomUUID(), name: 'Bob Brown', displayName: 'bob', email: 'bob@example.com' },
  ];
  /** The user the API key belongs to: authors API-made comments. */
  readonly viewer = { id: randomUUID(), name: 'Tack Bot', displayName: 'tack-bot', email: 'bot@example.com' };
  readonly labels = ['bug', 'feature', 'parser'].map((name) => ({ id: randomUUID(), name, color: '#888888' }));
  readonly issues = new Map<string, IssueRec>();
  readonly comments = new Map<string, CommentRec>();
  /** Webhooks created with `webhookCreate`. */
  readonly webhooks: WebhookRec[] = [];
  readonly relations = new Map<string, RelationRec>();
  /** Every mutation the API ran, in order (tests count remote writes with it). */
  readonly writes: Array<{ mutation: string; args: unknown }> = [];
  private last = 0;
  private counter = 0;

  constructor(private onChange: (c: Change) => void = () => {}) {}

  /** Strictly increasing timestamps, so `updatedAt` orders every change. */
  now(): string {
    this.last = Math.max(Date.now(), this.last + 1);
    return new Date(this.last).toISOString();
  }

  issue(idOrKey: string): IssueRec {
    const byKey = /^ENG-(\d+)$/.exec(idOrKey);
    const rec = byKey ? [...this.issues.values()].find((i) => i.number === Number(byKey[1])) : this.issues.get(idOrKey);
    if (!rec) throw userError(`Entity not found: Issue - Could not find referenced Issue ${idOrKey}.`);
    return rec;
  }

  createIssue(input: Record<string, any>): IssueRec {
    if (input.id !== undefined) {
      if (!UUID_V4.test(input.id)) throw userError(`id must be a UUID v4; received ${input.id}`);
      if (this.issues.has(input.id)) throw userError('Entity already exists: an issue with this id was created before');
    }
    if (input.teamId !== this.team.id && input.teamId !== this.team.key)
      throw userError(`Entity not found: Team ${input.teamId}`);
    const at = this.now();
    const rec: IssueRec = {
      id: input.id ?? randomUUID(),
      number: ++this.counter,
      title: input.title ?? '',
      description: input.description ?? '',
      stateId: input.stateId ?? this.states.find((s) => s.type === 'unstarted')!.id,
      priority: input.priority ?? 0,
      labelIds: input.labelIds ?? [],
      assigneeId: input.assigneeId ?? null,
      parentId: input.parentId ?? null,
      dueDate: input.dueDate ?? null,
      createdAt: at,
      updatedAt: at,
      archivedAt: null,
      trashed: false,
    };
    this.check(rec);
    this.issues.set(rec.id, rec);
    this.onChange({ type: 'Issue', action: 'create', data: this.issueData(rec) });
    return rec;
  }

  updateIssue(id: string, input: Record<string, any>): IssueRec {
    const rec = this.issue(id);
    const next = { ...rec };
    for (const k of [
      'title',
      'description',
      'stateId',
      'priority',
      'labelIds',
      'assigneeId',
      'parentId',
      'dueDate',
    ] as const) {
      if (k in input) (next as any)[k] = input[k] ?? (k === 'labelIds' ? [] : k === 'description' ? '' : null);
    }
    this.check(next);
    Object.assign(rec, next, { updatedAt: this.now() });
    this.onChange({ type: 'Issue', action: 'update', data: this.issueData(rec) });
    return rec;
  }

  archiveIssue(id: string, trash: boolean): IssueRec {
    const rec = this.issue(id);
    rec.archivedAt = rec.updatedAt = this.now();
    rec.trashed = trash;
    this.onChange({ type: 'Issue', action: trash ? 'remove' : 'update', data: this.issueData(rec) });
    return rec;
  }

  createComment(input: Record<string, any>, userId = this.viewer.id): CommentRec {
    const issue = this.issue(input.issueId);
    if (input.id !== undefined && !UUID_V4.test(input.id))
      throw userError(`id must be a UUID v4; received ${input.id}`);
    if (input.id !== undefined && this.comments.has(input.id)) throw userError('Entity already exists: comment');
    const at = this.now();
    const c: CommentRec = {
      id: input.id ?? randomUUID(),
      issueId: issue.id,
      body: input.body ?? '',
      userId,
      createdAt: at,
      updatedAt: at,
    };
    this.comments.set(c.id, c);
    issue.updatedAt = this.now();
    this.onChange({
      type: 'Comment',
      action: 'create',
      data: { id: c.id, body: c.body, issueId: issue.id, createdAt: c.createdAt, updatedAt: c.updatedAt },
    });
    return c;
  }

  createWebhook(input: Record<string, any>): WebhookRec {
    if (input.teamId !== undefined && input.teamId !== this.team.id)
      throw userError(`Entity not found: Team ${input.teamId}`);
    const at = this.now();
    const h: WebhookRec = {
      id: input.id ?? randomUUID(),
      url: input.url,
      teamId: input.teamId ?? null,
      secret: input.secret ?? null,
      resourceTypes: input.resourceTypes,
      enabled: input.enabled ?? true,
      createdAt: at,
      updatedAt: at,
    };
    this.webhooks.push(h);
    return h;
  }

  webhookView(h: WebhookRec) {
    return { ...h, team: () => (h.teamId ? this.teamView() : null) };
  }

  /** `commentUpdate`, or a person editing a comment: the issue counts as updated, like a new comment. */
  updateComment(id: string, input: Record<string, any>): CommentRec {
    const c = this.comments.get(id);
    if (!c) throw userError(`Entity not found: Comment ${id}`);
    if (input.body !== undefined) c.body = input.body;
    c.updatedAt = this.now();
    const issue = this.issue(c.issueId);
    issue.updatedAt = this.now();
    this.onChange({
      type: 'Comment',
      action: 'update',
      data: { id: c.id, body: c.body, issueId: issue.id, createdAt: c.createdAt, updatedAt: c.updatedAt },
    });
    return c;
  }

  createLabel(input: Record<string, any>) {
    if (this.labels.some((l) => l.name === input.name)) throw userError(`Duplicate label name: ${input.name}`);
    const l = { id: input.id ?? randomUUID(), name: String(input.name), color: input.color ?? '#888888' };
    this.labels.push(l);
    return l;
  }

  createRelation(input: Record<string, any>): RelationRec {
    const a = this.issue(input.issueId);
    const b = this.issue(input.relatedIssueId);
    const at = this.now();
    const r: RelationRec = {
      id: input.id ?? randomUUID(),
      issueId: a.id,
      relatedIssueId: b.id,
      type: input.type,
      createdAt: at,
      updatedAt: at,
    };
    this.relations.set(r.id, r);
    a.updatedAt = this.now();
    return r;
  }

  deleteRelation(id: string): void {
    const r = this.relations.get(id);
    if (!r) throw userError(`Entity not found: IssueRelation ${id}`);
    this.relations.delete(id);
    this.issue(r.issueId).updatedAt = this.now();
  }

  private check(rec: IssueRec): void {
    if (!this.states.some((s) => s.id === rec.stateId))
      throw userError(`Entity not found: WorkflowState ${rec.stateId}`);
    if (rec.assigneeId && !this.userById(rec.assigneeId)) throw userError(`Entity not found: User ${rec.assigneeId}`);
    for (const l of rec.labelIds)
      if (!this.labels.some((x) => x.id === l)) throw userError(`Entity not found: IssueLabel ${l}`);
    if (rec.parentId && !this.issues.has(rec.parentId))
      throw userError(`Entity not found: parent Issue ${rec.parentId}`);
    if (![0, 1, 2, 3, 4].includes(rec.priority)) throw userError(`priority must be 0..4; received ${rec.priority}`);
  }

  userById(id: string) {
    return [...this.users, this.viewer].find((u) => u.id === id);
  }

  /** The webhook `data` of an issue (Linear sends the issue's scalar fields and ids). */
  issueData(rec: IssueRec): Record<string, unknown> {
    return { ...rec, identifier: `${this.team.key}-${rec.number}`, teamId: this.team.id };
  }

  // --- views in the schema's shapes ---------------------------------------------------

  connection<T>(all: T[], args: { first?: number; after?: string } = {}) {
    const start = args.after ? Number(args.after) : 0;
    const n = args.first ?? 50;
    const nodes = all.slice(start, start + n);
    const end = start + nodes.length;
    return {
      nodes,
      edges: nodes.map((node, i) => ({ node, cursor: String(start + i + 1) })),
      pageInfo: {
        hasNextPage: end < all.length,
        hasPreviousPage: start > 0,
        startCursor: String(start),
        endCursor: String(end),
      },
    };
  }

  userView(u: { id: string; name: string; displayName: string; email: string }) {
    return { ...u, active: true };
  }

  stateView(s: { id: string; name: string; type: string; position: number }) {
    return { ...s, color: '#999999', team: () => this.teamView() };
  }

  teamView() {
    return {
      ...this.team,
      states: (a: any) =>
        this.connection(
          this.states.map((s) => this.stateView(s)),
          a,
        ),
    };
  }

  issueView(rec: IssueRec): Record<string, unknown> {
    return {
      ...rec,
      identifier: `${this.team.key}-${rec.number}`,
      url: `https://linear.app/standin/issue/${this.team.key}-${rec.number}`,
      team: () => this.teamView(),
      state: () => this.stateView(this.states.find((s) => s.id === rec.stateId)!),
      assignee: () => (rec.assigneeId ? this.userView(this.userById(rec.assigneeId)!) : null),
      parent: () => (rec.parentId ? this.issueView(this.issue(rec.parentId)) : null),
      labels: (a: any) =>
        this.connection(
          this.labels.filter((l) => rec.labelIds.includes(l.id)),
          a,
        ),
      comments: (a: any) =>
        this.connection(
          [...this.comments.values()].filter((c) => c.issueId === rec.id).map((c) => this.commentView(c)),
          a,
        ),
      relations: (a: any) =>
        this.connection(
          [...this.relations.values()].filter((r) => r.issueId === rec.id).map((r) => this.relationView(r)),
          a,
        ),
    };
  }

  commentView(c: CommentRec) {
    return {
      ...c,
      user: () => this.userView(this.userById(c.userId)!),
      issue: () => this.issueView(this.issue(c.issueId)),
    };
  }

  relationView(r: RelationRec) {
    return {
      ...r,
      issue: () => this.issueView(this.issue(r.issueId)),
      relatedIssue: () => this.issueView(this.issue(r.relatedIssueId)),
    };
  }

  /** `issues(filter:)`: the subset of IssueFilter a sync needs (team, updatedAt, id eq/in). */
  filterIssues(filter: any, includeArchived: boolean): IssueRec[] {
    const cmp = (v: string, c: any) =>
      !c ||
      ((c.gte === undefined || v >= c.gte) &&
        (c.gt === undefined || v > c.gt) &&
        (c.lt === undefined || v < c.lt) &&
        (c.eq === undefined || v === c.eq));
    return [...this.issues.values()]
      .filter((i) => includeArchived || !i.archivedAt)
      .filter(() => !filter?.team?.key?.eq || filter.team.key.eq === this.team.key)
      .filter(() => !filter?.team?.id?.eq || filter.team.id.eq === this.team.id)
      .filter((i) => cmp(i.updatedAt, filter?.updatedAt))
      .filter((i) => !filter?.id?.eq || filter.id.eq === i.id)
      .filter((i) => !filter?.id?.in || filter.id.in.includes(i.id))
      .sort((a, b) => (a.updatedAt < b.updatedAt ? -1 : a.updatedAt > b.updatedAt ? 1 : 0));
  }
}
