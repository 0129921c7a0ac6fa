import { Octokit } from '@octokit/rest';
import { ConnectorError, type ConnectionConfig, type RateBudget, type RemoteIssue } from '../connector.js';
import { RateMeter } from '../rateMeter.js';
import { type OctokitFailure, translateError } from './githubErrors.js';
import { issueFromGithub, numberFromIssueUrl, type GhComment, type GhIssue } from './githubMapping.js';

/**
 * The GitHub connector's transport: one Octokit for one repository (quiet, each request
 * timed out), GitHub's failures turned into the contract's errors, and the issue reads and
 * writes the connector's operations are built from.
 */
export class GithubApi {
  readonly octokit: Octokit;
  readonly owner: string;
  readonly repo: string;

  constructor(
    private readonly config: ConnectionConfig,
    credentials: Record<string, string>,
  ) {
    const [owner, repo] = config.scope.split('/');
    if (!owner || !repo)
      throw new ConnectorError('bad_scope', `GitHub scope must be "owner/repo", got "${config.scope}"`);
    this.owner = owner;
    this.repo = repo;
    const auth = credentials.token ?? credentials.GITHUB_TOKEN;
    // Octokit logs 4xx/5xx warnings to the console by default; the engine reports errors.
    const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
    // A request that hangs must not hang the pass: 30 s, then Transient (retried).
    const timedFetch = async (url: string | URL | Request, init?: RequestInit) => {
      const res = await fetch(url, { ...init, signal: init?.signal ?? AbortSignal.timeout(30_000) });
      this.rate.note(res.headers);
      return res;
    };
    this.octokit = new Octokit({
      auth,
      baseUrl: config.apiUrl ?? 'https://api.github.com',
      userAgent: 'tack-connector',
      log: quiet,
      request: { fetch: timedFetch },
    });
  }

  /** GitHub's primary limit as its last answer gave it (`x-ratelimit-*`; reset in epoch seconds). */
  private readonly rate = new RateMeter({
    requests: {
      limit: 'x-ratelimit-limit',
      remaining: 'x-ratelimit-remaining',
      reset: { header: 'x-ratelimit-reset', as: 'epoch-s' },
    },
  });

  budget(): RateBudget {
    return this.rate.budget();
  }

  get repoParams() {
    return { owner: this.owner, repo: this.repo };
  }

  async patch(remoteId: string, body: Record<string, unknown>): Promise<GhIssue> {
    const res = await this.call(() =>
      this.octokit.rest.issues.update({ ...this.repoParams, issue_number: Number(remoteId), ...body }),
    );
    return res.data as GhIssue;
  }

  async fetchIssue(remoteId: string): Promise<GhIssue | null> {
    try {
      const res = await this.call(() =>
        this.octokit.rest.issues.get({ ...this.repoParams, issue_number: Number(remoteId) }),
      );
      return res.data as GhIssue;
    } catch (e) {
      if (e instanceof ConnectorError && (e.details?.status === 404 || e.details?.status === 410)) return null;
      throw e;
    }
  }

  async mustFetch(remoteId: string): Promise<GhIssue> {
    const issue = await this.fetchIssue(remoteId);
    if (!issue)
      throw new ConnectorError(
        'not_found',
        `GitHub issue #${remoteId} does not exist in ${this.config.scope} (deleted or transferred)`,
        { remoteId },
      );
    return issue;
  }

  /** Sub-issues are set from the parent's side, by the child's database id. */
  async setParent(child: GhIssue, parent: string | null): Promise<GhIssue> {
    const old = numberFromIssueUrl(child.parent_issue_url);
    if (old === parent) return child;
    const sub = { ...this.repoParams, sub_issue_id: Number(child.id) };
    if (old && !parent)
      await this.call(() => this.octokit.rest.issues.removeSubIssue({ ...sub, issue_number: Number(old) }));
    if (parent)
      await this.call(() =>
        this.octokit.rest.issues.addSubIssue({ ...sub, issue_number: Number(parent), replace_parent: old !== null }),
      );
    return this.mustFetch(String(child.number));
  }

  /** Comments and "blocks" relations, fetched only when the issue's counters say there are some. */
  async withDetails(
    issue: GhIssue & { comments?: number; issue_dependencies_summary?: { blocking: number } },
  ): Promise<RemoteIssue> {
    const n = issue.number;
    const comments: GhComment[] = issue.comments
      ? await this.call(() =>
          this.octokit.paginate(this.octokit.rest.issues.listComments, {
            ...this.repoParams,
            issue_number: n,
            per_page: 100,
          }),
        ).then((r) => r as GhComment[])
      : [];
    const blocking = issue.issue_dependencies_summary?.blocking
      ? await this.call(() =>
          this.octokit.paginate(this.octokit.rest.issues.listDependenciesBlocking, {
            ...this.repoParams,
            issue_number: n,
            per_page: 100,
          }),
        ).then((r) => r.map((i) => i.number))
      : [];
    return issueFromGithub(issue, { comments, blocking });
  }

  /** Runs one API call, translating GitHub's failures into the contract's errors. */
  async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw translateError(e);
    }
  }

  /** A conditional GET: GitHub answers 304 (free of rate limit) when the ETag still matches. */
  async conditional<T>(fn: () => Promise<T>): Promise<T | 'not-modified'> {
    try {
      return await fn();
    } catch (e) {
      if ((e as OctokitFailure | undefined)?.status === 304) return 'not-modified';
      throw translateError(e);
    }
  }
}
