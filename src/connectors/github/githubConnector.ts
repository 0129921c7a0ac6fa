import {
  ConnectorError,
  withMarker,
  splitMarker,
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
  type StateCategory,
} from '../connector.js';
import {
  commentFromGithub,
  deletedIssue,
  fieldsToGithub,
  githubRoundTrip,
  isArchived,
  type GhComment,
  type GhIssue,
} from './githubMapping.js';
import { parseGithubWebhook, verifyGithubSignature } from './githubWebhook.js';
import { GithubApi } from './githubApi.js';
import { decodeGithubCursor, encodeGithubCursor, type GithubCursor } from './githubCursor.js';
import { afterPage, PAGE_SIZE, walkOf } from './githubPullWalk.js';

/**
 * GitHub Issues through @octokit/rest (`baseUrl` points it at a stand-in in tests). Remote
 * ids are issue numbers. GitHub has no client ids, so a created issue carries the Tack id
 * as an invisible marker line in its body, which `findByMarker` looks for after a crash.
 */
export class GithubConnector implements Connector {
  readonly kind = 'github' as const;
  /** Parents are sub-issues: `create` and `update` honour `parent`. */
  readonly writesParent = true;
  private readonly api: GithubApi;

  constructor(
    private readonly config: ConnectionConfig,
    credentials: Record<string, string>,
  ) {
    this.api = new GithubApi(config, credentials);
  }

  /** GitHub's primary limit as its last answer gave it (see GithubApi). */
  budget(): RateBudget {
    return this.api.budget();
  }

  async pull(cursor: Cursor | undefined): Promise<PullPage> {
    const c = decodeGithubCursor(cursor);
    // A pass walks the list oldest-update first and asks each page for what changed at or
    // after the last item it read, never for "page N" of a list that moves while it reads:
    // an issue edited meanwhile moves ahead of the walk (read again later), never past it.
    const walk = walkOf(c);
    const from = walk.from ?? undefined;
    const etag = !c.walk && walk.page === 1 && c.etag && c.etag.since === from ? c.etag.value : undefined;
    const res = await this.api.conditional(() =>
      this.api.octokit.rest.issues.listForRepo({
        ...this.api.repoParams,
        state: 'all',
        sort: 'updated',
        direction: 'asc',
        per_page: PAGE_SIZE,
        page: walk.page,
        ...(from ? { since: from } : {}),
        ...(etag ? { headers: { 'if-none-match': etag } } : {}),
      }),
    );
    if (res === 'not-modified') {
      const same: GithubCursor = { ...c };
      const gone: RemoteIssue[] = [];
      await this.scanDeleted(same, gone);
      return { items: gone, nextCursor: encodeGithubCursor(same), more: false };
    }
    // The issues API lists pull requests too: they are not issues, and never become tickets.
    const issues = (res.data as GhIssue[]).filter((i) => !i.pull_request);
    const skipped = res.data.filter((i) => i.pull_request).map((i) => String(i.number));
    const items = [];
    for (const i of issues) items.push(await this.api.withDetails(i));
    const next = afterPage(c, walk, {
      times: res.data.map((i) => i.updated_at).sort(),
      hasNext: /rel="next"/.test(res.headers.link ?? ''),
      date: res.headers.date,
      etag: res.headers.etag,
    });
    if (next.more) return { items, nextCursor: encodeGithubCursor(next.cursor), more: true, skipped };
    const done = next.cursor;
    await this.scanDeleted(done, items);
    return { items, nextCursor: encodeGithubCursor(done), more: false, skipped };
  }

  /**
   * GitHub's lists never show deleted (or transferred) issues, and only a webhook tells.
   * Issue numbers are sequential and shared with pull requests, so a number missing from a
   * full listing is an issue that left: reported as a `deleted` stub with a fixed
   * `updatedAt`, so seeing it again is an echo. Small repositories (≤ 5 pages) are scanned
   * every pass, larger ones every `options.deletionScanMs` (15 minutes).
   */
  private async scanDeleted(next: GithubCursor, items: RemoteIssue[]): Promise<void> {
    const last = next.scan;
    const every = Number(this.config.options?.deletionScanMs ?? 15 * 60_000);
    if (last && last.maxNumber > 500 && Date.now() - Date.parse(last.at) < every) return;
    const seen = new Set<number>();
    const pages = this.api.octokit.paginate.iterator(this.api.octokit.rest.issues.listForRepo, {
      ...this.api.repoParams,
      state: 'all',
      sort: 'created',
      direction: 'asc',
      per_page: 100,
    });
    const it = pages[Symbol.asyncIterator]();
    for (let step = await this.api.call(() => it.next()); !step.done; step = await this.api.call(() => it.next()))
      for (const i of step.value.data) seen.add(i.number);
    let maxNumber = Math.max(last?.maxNumber ?? 0, ...seen);
    // The newest issues leave no gap when deleted: probe past the end until GitHub says 404
    // (never existed) rather than 410 (deleted) or 200 (created meanwhile).
    for (let n = maxNumber + 1; n <= maxNumber + 20; n++) {
      const status = await this.probe(n);
      if (status === 404) break;
      if (status === 200) seen.add(n);
      maxNumber = n;
    }
    const listed = new Set(items.map((i) => i.id));
    for (let n = 1; n <= maxNumber; n++) if (!seen.has(n) && !listed.has(String(n))) items.push(deletedIssue(n));
    next.scan = { at: new Date().toISOString(), maxNumber };
  }

  private async probe(n: number): Promise<number> {
    try {
      await this.api.call(() => this.api.octokit.rest.issues.get({ ...this.api.repoParams, issue_number: n }));
      return 200;
    } catch (e) {
      const status = e instanceof ConnectorError ? (e.details?.status as number | undefined) : undefined;
      if (status === 404 || status === 410) return status;
      throw e;
    }
  }

  async get(remoteId: string): Promise<RemoteIssue | null> {
    const issue = await this.api.fetchIssue(remoteId);
    // Pull requests share the issues' numbers and API; they never become tickets.
    return issue && !issue.pull_request ? this.api.withDetails(issue) : null;
  }

  async create(fields: IssueFields & { title: string }, clientId: string): Promise<RemoteIssue> {
    const body = fieldsToGithub(
      { ...fields, description: fields.description ?? '', state: undefined },
      { marker: clientId },
    );
    const res = await this.api.call(() =>
      this.api.octokit.rest.issues.create({ ...this.api.repoParams, ...(body as { title: string }) }),
    );
    let issue = res.data as GhIssue;
    if (
      fields.state &&
      fields.state !== 'unstarted' &&
      fields.state !== 'backlog' &&
      fields.state !== 'triage' &&
      fields.state !== 'started'
    ) {
      issue = await this.api.patch(String(issue.number), fieldsToGithub({ state: fields.state }));
    }
    if (fields.parent) issue = await this.api.setParent(issue, fields.parent);
    return this.api.withDetails(issue);
  }

  /** Newest issues first (a pending create is recent), stopping at the first match. */
  async findByMarker(clientId: string): Promise<RemoteIssue | null> {
    const pages = this.api.octokit.paginate.iterator(this.api.octokit.rest.issues.listForRepo, {
      ...this.api.repoParams,
      state: 'all',
      sort: 'created',
      direction: 'desc',
      per_page: 100,
    });
    const it = pages[Symbol.asyncIterator]();
    for (;;) {
      const step = await this.api.call(() => it.next());
      if (step.done) return null;
      const hit = (step.value.data as GhIssue[]).find(
        (i) => !i.pull_request && splitMarker(i.body ?? '').tackId === clientId,
      );
      if (hit) return this.api.withDetails(hit);
    }
  }

  async update(remoteId: string, patch: IssueFields): Promise<RemoteIssue> {
    let current = await this.api.mustFetch(remoteId);
    const body = fieldsToGithub(patch, { marker: splitMarker(current.body ?? '').tackId });
    if (Object.keys(body).length) current = await this.api.patch(remoteId, body);
    if (patch.parent !== undefined) current = await this.api.setParent(current, patch.parent);
    return this.api.withDetails(current);
  }

  async addComment(remoteId: string, body: string, tackId: string): Promise<RemoteComment> {
    const res = await this.api.call(() =>
      this.api.octokit.rest.issues.createComment({
        ...this.api.repoParams,
        issue_number: Number(remoteId),
        body: withMarker(body, tackId),
      }),
    );
    return commentFromGithub(res.data as GhComment);
  }

  /** The repository's webhook for `callbackUrl` if it has one, else a new one ("Issues" and "Issue comments"). */
  async ensureWebhook(callbackUrl: string): Promise<{ id: string; created: boolean }> {
    const hooks = await this.api.call(() =>
      this.api.octokit.paginate(this.api.octokit.rest.repos.listWebhooks, { ...this.api.repoParams, per_page: 100 }),
    );
    const found = hooks.find((h) => h.config.url === callbackUrl);
    if (found) return { id: String(found.id), created: false };
    const secret = this.config.webhookSecret;
    if (!secret)
      throw new ConnectorError(
        'missing_credentials',
        'a GitHub webhook needs a secret to be verified (--webhook-secret or GITHUB_WEBHOOK_SECRET)',
      );
    const res = await this.api.call(() =>
      this.api.octokit.rest.repos.createWebhook({
        ...this.api.repoParams,
        name: 'web',
        active: true,
        events: ['issues', 'issue_comment'],
        config: { url: callbackUrl, content_type: 'json', secret, insecure_ssl: '0' },
      }),
    );
    return { id: String(res.data.id), created: true };
  }

  async updateComment(_remoteId: string, commentId: string, body: string, tackId?: string): Promise<void> {
    await this.api.call(() =>
      this.api.octokit.rest.issues.updateComment({
        ...this.api.repoParams,
        comment_id: Number(commentId),
        body: tackId ? withMarker(body, tackId) : body,
      }),
    );
  }

  async close(remoteId: string, reason: 'completed' | 'canceled'): Promise<RemoteIssue> {
    return this.api.withDetails(await this.api.patch(remoteId, fieldsToGithub({ state: reason })));
  }

  /** Open again, and unlocked if Tack had archived it. */
  async reopen(remoteId: string): Promise<RemoteIssue> {
    const current = await this.api.mustFetch(remoteId);
    if (current.locked)
      await this.api.call(() =>
        this.api.octokit.rest.issues.unlock({ ...this.api.repoParams, issue_number: Number(remoteId) }),
      );
    return this.api.withDetails(await this.api.patch(remoteId, fieldsToGithub({ state: 'unstarted' })));
  }

  /**
   * GitHub has no archive (and Tack never deletes): the issue is closed (as not planned
   * unless it was already closed) and its conversation locked, which reads back as archived.
   */
  async archive(remoteId: string): Promise<RemoteIssue> {
    let issue = await this.api.mustFetch(remoteId);
    if (isArchived(issue)) return this.api.withDetails(issue);
    if (issue.state !== 'closed') issue = await this.api.patch(remoteId, fieldsToGithub({ state: 'canceled' }));
    await this.api.call(() =>
      this.api.octokit.rest.issues.lock({
        ...this.api.repoParams,
        issue_number: Number(remoteId),
        lock_reason: 'resolved',
      }),
    );
    return this.api.withDetails(await this.api.mustFetch(remoteId));
  }

  /** GitHub's issue dependencies hold "blocks" only; other relation types are not sent. */
  readonly relationTypes: RemoteRelation['type'][] = ['blocks'];

  /**
   * "This issue blocks T" is GitHub's "T is blocked by this issue": set on T, by this
   * issue's database id. Only `blocks` relations exist on GitHub; others are left alone.
   */
  async setRelations(remoteId: string, want: RemoteRelation[], have: RemoteRelation[]): Promise<void> {
    const targets = (rs: RemoteRelation[]) => new Set(rs.filter((r) => r.type === 'blocks').map((r) => r.target));
    const [w, h] = [targets(want), targets(have)];
    const add = [...w].filter((t) => !h.has(t));
    const drop = [...h].filter((t) => !w.has(t));
    if (add.length === 0 && drop.length === 0) return;
    const blocker = Number((await this.api.mustFetch(remoteId)).id);
    for (const t of add)
      await this.api.call(() =>
        this.api.octokit.rest.issues.addBlockedByDependency({
          ...this.api.repoParams,
          issue_number: Number(t),
          issue_id: blocker,
        }),
      );
    for (const t of drop)
      await this.api.call(() =>
        this.api.octokit.rest.issues.removeDependencyBlockedBy({
          ...this.api.repoParams,
          issue_number: Number(t),
          issue_id: blocker,
        }),
      );
  }

  /** GitHub holds only open/closed: the category a ticket in state `s` reads back as. */
  roundTripState(s: StateCategory): StateCategory {
    return githubRoundTrip(s);
  }

  verifyWebhook(rawBody: Buffer, headers: Headers): boolean {
    return verifyGithubSignature(rawBody, headers, this.config.webhookSecret);
  }

  parseWebhook(rawBody: Buffer, headers: Headers) {
    return parseGithubWebhook(rawBody, headers, this.config.scope);
  }
}
