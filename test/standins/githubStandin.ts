import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  checkBody,
  checkQuery,
  commentRules,
  createIssueRules,
  listCommentsQuery,
  listIssuesQuery,
  listRepoCommentsQuery,
  lockRules,
  updateCommentRules,
  updateIssueRules,
  type FieldRule,
} from './githubStandinSchemas.js';
import { GithubRepoState, type IssueRecord, type RepoEvent } from './githubStandinState.js';
import { githubWebhookPayload } from './githubStandinWebhooks.js';
import { conditional, HttpError, paginate, send, type Ctx, type Handler } from './githubStandinHttp.js';
import { relationRoutes } from './githubStandinRelations.js';
import { repoHookRoutes, type RepoHook } from './githubStandinRepoHooks.js';
import { GithubHooks, signGithub, type Delivery } from './githubStandinHooks.js';

export type { Delivery } from './githubStandinHooks.js';

/**
 * A local stand-in for GitHub's REST API (issues, comments, labels, assignees, sub-issues,
 * dependencies) on 127.0.0.1, for connector tests that cannot reach github.com. It speaks
 * the real contract: request bodies and queries are validated against the shapes in
 * @octokit/openapi-types (422 otherwise), answers use the same shapes, lists paginate with
 * Link headers, GETs carry ETags and answer 304 to a matching If-None-Match, every answer
 * carries x-ratelimit-* headers, and changes are sent as signed `issues` /
 * `issue_comment` webhooks. Tests can inject 429/403 rate limits and 5xx failures.
 */

export interface GithubStandinOptions {
  owner?: string;
  repo?: string;
  token?: string;
  /** Logins that exist (assignable); others are rejected with 422. */
  users?: string[];
  /** Who the token belongs to: the author of everything the API creates. */
  tokenUser?: string;
  webhook?: { url: string; secret: string };
  /** Hold webhooks until `flushWebhooks()` (for out-of-order / duplicate tests). */
  holdWebhooks?: boolean;
  rateLimit?: number;
}

export class GithubStandin {
  readonly state: GithubRepoState;
  readonly requests: { method: string; path: string; status: number }[] = [];
  readonly hooks: GithubHooks;
  /** Requests refused for not matching GitHub's contract (bad bodies, queries, JSON). */
  readonly violations: string[] = [];
  /** Webhooks created through `POST /repos/{owner}/{repo}/hooks`. */
  readonly repoHooks: RepoHook[] = [];
  private server: Server;
  private failures: { status: number; retryAfter?: number }[] = [];
  private listOutage?: { pages: number; status: number };
  private remaining: number;
  private routes: [string, RegExp, Handler][] = [];
  url = '';

  constructor(readonly opts: GithubStandinOptions = {}) {
    this.state = new GithubRepoState(
      '',
      opts.owner ?? 'acme',
      opts.repo ?? 'widgets',
      new Set(opts.users ?? ['octocat', 'hubot']),
    );
    this.remaining = opts.rateLimit ?? 5000;
    this.hooks = new GithubHooks(opts.holdWebhooks);
    this.hooks.target = opts.webhook;
    this.server = createServer((req, res) => void this.dispatch(req, res));
    this.defineRoutes();
  }

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    (this.state as { base: string }).base = this.url;
    return this;
  }

  async close(): Promise<void> {
    await this.hooks.settled();
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  /** The next `count` requests fail with `status` (429/403 carry Retry-After). */
  fail(status: number, count = 1, retryAfter?: number): void {
    for (let i = 0; i < count; i++) this.failures.push({ status, retryAfter });
  }

  /**
   * An outage in the middle of a long pull: after `pages` more pages of the issue list are
   * served, every request fails with `status` until `recover()`.
   */
  failListAfter(pages: number, status = 502): void {
    this.listOutage = { pages, status };
  }

  recover(): void {
    this.listOutage = undefined;
  }

  pendingFailures(): number {
    return this.failures.length;
  }

  /** Where changes are delivered from now on (null: no webhook). */
  setWebhook(url: string | null, secret: string): void {
    this.hooks.target = url ? { url, secret } : undefined;
  }

  get deliveries(): Delivery[] {
    return this.hooks.deliveries;
  }

  /** Requests that changed something (everything but GET): the "no loops" count. */
  writes(): number {
    return this.requests.filter((r) => r.method !== 'GET').length;
  }

  // -- a person using github.com: changes that did not come through the connector --

  remoteCreate(
    fields: { title: string; body?: string; labels?: string[]; assignees?: string[] },
    by = 'octocat',
  ): number {
    const rec = this.state.createIssue(by, fields);
    this.emit({ event: 'issues', action: 'opened', number: rec.issue.number, sender: by });
    return rec.issue.number;
  }

  remoteEdit(
    number: number,
    patch: {
      title?: string;
      body?: string;
      labels?: string[];
      assignees?: string[];
      state?: 'open' | 'closed';
      state_reason?: 'completed' | 'not_planned';
    },
    by = 'octocat',
  ): void {
    this.applyUpdate(this.record(number), patch, by);
  }

  /** A person puts the issue in a milestone (created if new), or takes it out (null). */
  remoteMilestone(number: number, title: string | null, by = 'octocat'): void {
    const rec = this.record(number);
    rec.issue.milestone = title === null ? null : this.state.milestone(title, by);
    this.state.touch(rec);
    this.emit({ event: 'issues', action: title === null ? 'demilestoned' : 'milestoned', number, sender: by });
  }

  remoteComment(number: number, body: string, by = 'octocat'): number {
    const c = this.state.addComment(number, by, body);
    this.emit({ event: 'issue_comment', action: 'created', number, commentId: Number(c.id), sender: by });
    return Number(c.id);
  }

  remoteEditComment(id: number, body: string, by = 'octocat'): void {
    const c = this.state.comments.get(id)!;
    c.comment.body = body;
    c.comment.updated_at = this.state.now();
    this.state.touch(this.record(c.issueNumber));
    this.emit({ event: 'issue_comment', action: 'edited', number: c.issueNumber, commentId: id, sender: by });
  }

  /** Deleting an issue (admins can): GET answers 410 Gone afterwards. */
  remoteDelete(number: number, by = 'octocat'): void {
    const rec = this.record(number);
    this.emit({ event: 'issues', action: 'deleted', number, sender: by });
    rec.deleted = true;
  }

  /** What a person can do instead of archiving on GitHub: close and lock the conversation. */
  remoteArchive(number: number, by = 'octocat'): void {
    const rec = this.record(number);
    this.applyUpdate(rec, { state: 'closed', state_reason: 'not_planned' }, by);
    rec.issue.locked = true;
    rec.issue.active_lock_reason = 'resolved';
    this.state.touch(rec);
    this.emit({ event: 'issues', action: 'locked', number, sender: by });
  }

  issue(number: number): IssueRecord['issue'] {
    return this.record(number).issue;
  }

  commentsOf(number: number): { id: number; body: string; login: string }[] {
    return [...this.state.comments.entries()]
      .filter(([, c]) => c.issueNumber === number)
      .map(([id, c]) => ({ id, body: c.comment.body ?? '', login: c.comment.user?.login ?? '' }));
  }

  /** Send held webhooks (optionally newest first), then wait for their answers. */
  flushWebhooks(order: 'sent' | 'reversed' = 'sent'): Promise<Delivery[]> {
    return this.hooks.flush(order);
  }

  /** Deliver an earlier delivery again, same id and body (GitHub's "Redeliver"). */
  redeliver(id: string): Promise<number> {
    const d = this.deliveries.find((x) => x.id === id);
    if (!d) throw new Error(`no delivery ${id}`);
    return this.hooks.send(d);
  }

  /** Send a delivery as given (tests: forged signatures, new delivery ids). */
  sendRaw(d: Delivery): Promise<number> {
    return this.hooks.send(d);
  }

  sign(body: string, secret: string): string {
    return signGithub(body, secret);
  }

  settled(): Promise<void> {
    return this.hooks.settled();
  }

  // -- HTTP --

  private record(number: number): IssueRecord {
    const rec = this.state.issues.get(number);
    if (!rec) throw new Error(`no issue #${number}`);
    return rec;
  }

  private route(method: string, path: string, h: Handler): void {
    const re = new RegExp(`^${path.replace(/\{[a-z_]+\}/g, '([^/]+)')}$`);
    this.routes.push([method, re, h]);
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://x');
    const log = { method: req.method ?? 'GET', path: url.pathname + url.search, status: 0 };
    this.requests.push(log);
    res.on('finish', () => (log.status = res.statusCode));
    try {
      // GitHub's Date header is its own clock, the one `updated_at` is written by.
      res.setHeader('date', new Date(Date.parse(this.state.now())).toUTCString());
      this.rateHeaders(res);
      if (
        this.opts.token &&
        req.headers.authorization !== `token ${this.opts.token}` &&
        req.headers.authorization !== `Bearer ${this.opts.token}`
      ) {
        return send(res, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
      }
      if (this.injectFailure(res)) return;
      if (this.listOutage) {
        if (this.listOutage.pages <= 0) return send(res, this.listOutage.status, { message: 'Server Error' });
        if (req.method === 'GET' && /^\/repos\/[^/]+\/[^/]+\/issues$/.test(url.pathname)) this.listOutage.pages--;
      }
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      if (raw) {
        try {
          body = JSON.parse(raw);
        } catch {
          this.violations.push(`${req.method} ${url.pathname}: body is not JSON`);
          return send(res, 400, { message: 'Problems parsing JSON' });
        }
      }
      for (const [m, re, h] of this.routes) {
        const match = m === req.method ? re.exec(url.pathname) : null;
        if (match)
          return await h({
            method: m,
            url,
            params: match.slice(1).map(decodeURIComponent),
            body,
            headers: req.headers,
            res,
          });
      }
      send(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
    } catch (e) {
      if (e instanceof HttpError) send(res, e.status, e.payload);
      else send(res, 500, { message: String(e) });
    }
  }

  private rateHeaders(res: ServerResponse): void {
    const limit = this.opts.rateLimit ?? 5000;
    this.remaining = Math.max(0, this.remaining - 1);
    res.setHeader('x-ratelimit-limit', String(limit));
    res.setHeader('x-ratelimit-remaining', String(this.remaining));
    res.setHeader('x-ratelimit-used', String(limit - this.remaining));
    res.setHeader('x-ratelimit-reset', String(Math.ceil(Date.now() / 1000) + 3600));
    res.setHeader('x-ratelimit-resource', 'core');
  }

  private injectFailure(res: ServerResponse): boolean {
    const f = this.failures.shift();
    if (!f) return false;
    if (f.retryAfter !== undefined) res.setHeader('retry-after', String(f.retryAfter));
    if (f.status === 403 || f.status === 429) {
      if (f.status === 403) res.setHeader('x-ratelimit-remaining', '0');
      send(res, f.status, {
        message: 'API rate limit exceeded',
        documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
      });
    } else send(res, f.status, { message: 'Server Error' });
    return true;
  }

  private defineRoutes(): void {
    const repo = '/repos/{owner}/{repo}';
    const guard =
      (h: (c: Ctx) => Promise<void> | void): Handler =>
      (c) => {
        if (c.params[0] !== this.state.owner || c.params[1] !== this.state.repo)
          throw new HttpError(404, { message: 'Not Found' });
        return h(c);
      };
    this.route('GET', '/user', (c) => send(c.res, 200, this.state.user(this.opts.tokenUser ?? 'tack-bot')));
    this.route(
      'GET',
      `${repo}/issues`,
      guard((c) => this.listIssues(c)),
    );
    this.route(
      'POST',
      `${repo}/issues`,
      guard((c) => this.createIssue(c)),
    );
    this.route(
      'GET',
      `${repo}/issues/comments`,
      guard((c) => this.listRepoComments(c)),
    );
    this.route(
      'PATCH',
      `${repo}/issues/comments/{id}`,
      guard((c) => this.updateComment(c)),
    );
    this.route(
      'GET',
      `${repo}/issues/{n}`,
      guard((c) => conditional(c, this.live(c.params[2]).issue)),
    );
    this.route(
      'PATCH',
      `${repo}/issues/{n}`,
      guard((c) => this.updateIssue(c)),
    );
    this.route(
      'PUT',
      `${repo}/issues/{n}/lock`,
      guard((c) => this.lock(c, true)),
    );
    this.route(
      'DELETE',
      `${repo}/issues/{n}/lock`,
      guard((c) => this.lock(c, false)),
    );
    this.route(
      'GET',
      `${repo}/issues/{n}/comments`,
      guard((c) => this.listComments(c)),
    );
    this.route(
      'POST',
      `${repo}/issues/{n}/comments`,
      guard((c) => this.createComment(c)),
    );
    const hookApi = {
      base: () => this.url,
      now: () => this.state.now(),
      validate: (c: Ctx, r: Record<string, FieldRule>, w: 'body' | 'query') => this.validate(c, r, w),
      violation: (p: string) => this.violations.push(p),
      created: (url: string, secret: string) => this.setWebhook(url, secret),
    };
    for (const [method, h] of repoHookRoutes(hookApi, this.repoHooks)) this.route(method, `${repo}/hooks`, guard(h));
    const relations = relationRoutes({
      state: this.state,
      base: () => this.url,
      live: (n) => this.live(n),
      validate: (c, r, w) => this.validate(c, r, w),
    });
    for (const [method, sub, h] of relations) this.route(method, `${repo}/issues/{n}/${sub}`, guard(h));
  }

  private live(n: string): IssueRecord {
    const rec = this.state.issues.get(Number(n));
    if (!rec) throw new HttpError(404, { message: 'Not Found' });
    if (rec.deleted) throw new HttpError(410, { message: 'This issue was deleted' });
    return rec;
  }

  private validate(c: Ctx, rules: Record<string, FieldRule>, where: 'body' | 'query'): void {
    const problems = where === 'body' ? checkBody(c.body, rules) : checkQuery(c.url.searchParams, rules);
    if (problems.length) this.violations.push(`${c.method} ${c.url.pathname}: ${problems.join('; ')}`);
    if (problems.length)
      throw new HttpError(422, {
        message: 'Validation Failed',
        errors: problems.map((p) => ({ resource: 'Issue', code: 'invalid', message: p })),
      });
  }

  private listIssues(c: Ctx): void {
    this.validate(c, listIssuesQuery, 'query');
    const q = c.url.searchParams;
    const state = q.get('state') ?? 'open';
    const since = q.get('since');
    const sort = (q.get('sort') ?? 'created') as 'created' | 'updated' | 'comments';
    const dir = q.get('direction') === 'asc' ? 1 : -1;
    const labels = q.get('labels')?.split(',') ?? [];
    const key = (r: IssueRecord) =>
      sort === 'comments'
        ? String(r.issue.comments).padStart(9, '0')
        : sort === 'updated'
          ? r.issue.updated_at
          : r.issue.created_at;
    const items = [...this.state.issues.values()]
      .filter((r) => !r.deleted && (state === 'all' || r.issue.state === state))
      .filter((r) => !since || r.issue.updated_at >= since.replace(/\.\d+Z$/, 'Z'))
      .filter((r) => labels.every((l) => r.issue.labels.some((x) => typeof x !== 'string' && x.name === l)))
      .sort((a, b) => (key(a) < key(b) ? -dir : key(a) > key(b) ? dir : (a.issue.number - b.issue.number) * dir))
      .map((r) => r.issue);
    paginate(c, this.url, items);
    this.afterListPage?.(Number(q.get('page') ?? 1));
  }

  /** Called after each page of the issue list is served: a test changes the repository mid-pass. */
  afterListPage?: (page: number) => void;

  private createIssue(c: Ctx): void {
    this.validate(c, createIssueRules, 'body');
    const b = c.body as {
      title: string;
      body?: string;
      labels?: (string | { name: string })[];
      assignees?: string[];
      assignee?: string | null;
    };
    const assignees = [...(b.assignees ?? []), ...(b.assignee ? [b.assignee] : [])];
    this.checkAssignees(assignees);
    const by = this.opts.tokenUser ?? 'tack-bot';
    const rec = this.state.createIssue(by, { title: b.title, body: b.body, labels: labelNames(b.labels), assignees });
    this.emit({ event: 'issues', action: 'opened', number: rec.issue.number, sender: by });
    c.res.setHeader('location', rec.issue.url);
    send(c.res, 201, rec.issue);
  }

  private updateIssue(c: Ctx): void {
    this.validate(c, updateIssueRules, 'body');
    const rec = this.live(c.params[2]);
    const b = c.body as Parameters<GithubStandin['applyUpdate']>[1] & {
      labels?: (string | { name: string })[];
      assignee?: string | null;
    };
    if (b.assignees) this.checkAssignees(b.assignees);
    if (b.assignee) this.checkAssignees([b.assignee]);
    const patch = {
      ...b,
      labels: b.labels ? labelNames(b.labels) : undefined,
      assignees: b.assignees ?? (b.assignee !== undefined ? (b.assignee ? [b.assignee] : []) : undefined),
    };
    this.applyUpdate(rec, patch, this.opts.tokenUser ?? 'tack-bot');
    send(c.res, 200, rec.issue);
  }

  private applyUpdate(
    rec: IssueRecord,
    b: {
      title?: string | null;
      body?: string | null;
      labels?: string[];
      assignees?: string[];
      state?: 'open' | 'closed';
      state_reason?: 'completed' | 'not_planned' | 'duplicate' | 'reopened' | null;
    },
    by: string,
  ): void {
    const changes: Record<string, { from: string }> = {};
    const i = rec.issue;
    if (b.title != null && b.title !== i.title) (changes.title = { from: i.title }), (i.title = b.title);
    if (b.body !== undefined && b.body !== i.body) (changes.body = { from: i.body ?? '' }), (i.body = b.body);
    if (b.labels) this.state.setLabels(rec, b.labels);
    if (b.assignees) this.state.setAssignees(rec, b.assignees);
    const stateChange =
      b.state && b.state !== i.state
        ? b.state
        : b.state_reason && i.state === 'closed' && b.state_reason !== i.state_reason
          ? 'closed'
          : null;
    if (stateChange) this.state.setState(rec, stateChange, b.state_reason ?? null, by);
    this.state.touch(rec);
    const n = i.number;
    if (Object.keys(changes).length || (!stateChange && (b.labels || b.assignees)))
      this.emit({ event: 'issues', action: 'edited', number: n, sender: by, changes });
    if (stateChange)
      this.emit({ event: 'issues', action: stateChange === 'closed' ? 'closed' : 'reopened', number: n, sender: by });
  }

  /** Lock or unlock the conversation: 204 No Content, like GitHub. */
  private lock(c: Ctx, locked: boolean): void {
    if (locked && c.body !== undefined) this.validate(c, lockRules, 'body');
    const rec = this.live(c.params[2]);
    if (rec.issue.locked !== locked) {
      rec.issue.locked = locked;
      rec.issue.active_lock_reason = locked
        ? ((c.body as { lock_reason?: string } | undefined)?.lock_reason ?? null)
        : null;
      this.state.touch(rec);
      this.emit({
        event: 'issues',
        action: locked ? 'locked' : 'unlocked',
        number: rec.issue.number,
        sender: this.opts.tokenUser ?? 'tack-bot',
      });
    }
    c.res.statusCode = 204;
    c.res.end();
  }

  private checkAssignees(logins: string[]): void {
    const bad = logins.filter((l) => !this.state.users.has(l));
    if (bad.length)
      throw new HttpError(422, {
        message: 'Validation Failed',
        errors: bad.map((l) => ({ resource: 'Issue', field: 'assignees', code: 'invalid', value: l })),
      });
  }

  private listComments(c: Ctx): void {
    this.validate(c, listCommentsQuery, 'query');
    const n = this.live(c.params[2]).issue.number;
    const since = c.url.searchParams.get('since');
    const items = [...this.state.comments.values()]
      .filter((x) => x.issueNumber === n && (!since || x.comment.updated_at >= since))
      .map((x) => x.comment);
    paginate(c, this.url, items);
  }

  private listRepoComments(c: Ctx): void {
    this.validate(c, listRepoCommentsQuery, 'query');
    const since = c.url.searchParams.get('since');
    const items = [...this.state.comments.values()]
      .filter((x) => !since || x.comment.updated_at >= since)
      .map((x) => x.comment);
    paginate(c, this.url, items);
  }

  private createComment(c: Ctx): void {
    this.validate(c, commentRules, 'body');
    const rec = this.live(c.params[2]);
    const by = this.opts.tokenUser ?? 'tack-bot';
    const comment = this.state.addComment(rec.issue.number, by, (c.body as { body: string }).body);
    this.emit({
      event: 'issue_comment',
      action: 'created',
      number: rec.issue.number,
      commentId: Number(comment.id),
      sender: by,
    });
    send(c.res, 201, comment);
  }

  private updateComment(c: Ctx): void {
    this.validate(c, updateCommentRules, 'body');
    const entry = this.state.comments.get(Number(c.params[2]));
    if (!entry) throw new HttpError(404, { message: 'Not Found' });
    entry.comment.body = (c.body as { body: string }).body;
    entry.comment.updated_at = this.state.now();
    this.state.touch(this.live(String(entry.issueNumber)));
    this.emit({
      event: 'issue_comment',
      action: 'edited',
      number: entry.issueNumber,
      commentId: Number(entry.comment.id),
      sender: this.opts.tokenUser ?? 'tack-bot',
    });
    send(c.res, 200, entry.comment);
  }

  private emit(e: RepoEvent): void {
    this.hooks.emit(e.event, githubWebhookPayload(this.state, e));
  }
}

function labelNames(labels: (string | { name: string })[] | undefined): string[] | undefined {
  return labels?.map((l) => (typeof l === 'string' ? l : l.name));
}
