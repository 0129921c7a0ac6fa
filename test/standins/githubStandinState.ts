import type { components } from '@octokit/openapi-types';

/**
 * The GitHub stand-in's in-memory repository: issues, comments, labels, sub-issues and
 * dependencies, answered in the exact object shapes of @octokit/openapi-types. Every
 * mutation bumps `updated_at` (GitHub's second resolution, so equal timestamps happen,
 * exactly the case incremental pulls must survive) and reports an event for webhooks.
 */

export type Issue = components['schemas']['issue'];
export type IssueComment = components['schemas']['issue-comment'];
export type SimpleUser = components['schemas']['simple-user'];
type Label = Exclude<Issue['labels'][number], string>;
type Milestone = NonNullable<Issue['milestone']>;

export interface IssueRecord {
  issue: Issue;
  parent: number | null;
  blockedBy: Set<number>;
  deleted: boolean;
}

export type RepoEvent =
  | {
      event: 'issues';
      action:
        | 'opened'
        | 'edited'
        | 'closed'
        | 'reopened'
        | 'deleted'
        | 'locked'
        | 'unlocked'
        | 'milestoned'
        | 'demilestoned';
      number: number;
      sender: string;
      changes?: Record<string, { from: string }>;
    }
  | {
      event: 'issue_comment';
      action: 'created' | 'edited' | 'deleted';
      number: number;
      commentId: number;
      sender: string;
    };

/** Seconds-resolution ISO time, like GitHub's `2011-04-22T13:33:48Z`. */
export const isoSeconds = (ms: number): string =>
  new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

export class GithubRepoState {
  readonly issues = new Map<number, IssueRecord>();
  readonly comments = new Map<number, { issueNumber: number; comment: IssueComment }>();
  readonly labels = new Map<string, Label>();
  readonly milestones = new Map<string, Milestone>();
  private nextNumber = 1;
  private nextId = 1000;
  /** Added to the clock so tests can age the repository without sleeping. */
  clockOffsetMs = 0;
  /** Every change happens in this one second while set (GitHub's times are whole seconds). */
  frozenAt: number | null = null;

  constructor(
    readonly base: string,
    readonly owner: string,
    readonly repo: string,
    readonly users: Set<string>,
  ) {}

  now(): string {
    return isoSeconds((this.frozenAt ?? Date.now()) + this.clockOffsetMs);
  }

  user(login: string): SimpleUser {
    const id = [...login].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 1_000_000, 7);
    const url = `${this.base}/users/${login}`;
    return {
      login,
      id,
      node_id: `U_${id}`,
      avatar_url: `${this.base}/avatars/${login}`,
      gravatar_id: '',
      url,
      html_url: `https://github.com/${login}`,
      followers_url: `${url}/followers`,
      following_url: `${url}/following{/other_user}`,
      gists_url: `${url}/gists{/gist_id}`,
      starred_url: `${url}/starred{/owner}{/repo}`,
      subscriptions_url: `${url}/subscriptions`,
      organizations_url: `${url}/orgs`,
      repos_url: `${url}/repos`,
      events_url: `${url}/events{/privacy}`,
      received_events_url: `${url}/received_events`,
      type: 'User',
      site_admin: false,
    };
  }

  label(name: string): Label {
    let l = this.labels.get(name);
    if (!l) {
      const id = this.nextId++;
      l = {
        id,
        node_id: `LA_${id}`,
        url: `${this.repoUrl()}/labels/${encodeURIComponent(name)}`,
        name,
        description: null,
        color: 'ededed',
        default: false,
      };
      this.labels.set(name, l);
    }
    return l;
  }

  /** The repository's milestone of that title, created on first use (as a person would first). */
  milestone(title: string, creator: string): Milestone {
    let m = this.milestones.get(title);
    if (!m) {
      const id = this.nextId++;
      const number = this.milestones.size + 1;
      const url = `${this.repoUrl()}/milestones/${number}`;
      m = {
        url,
        html_url: `https://github.com/${this.owner}/${this.repo}/milestone/${number}`,
        labels_url: `${url}/labels`,
        id,
        node_id: `MI_${id}`,
        number,
        state: 'open',
        title,
        description: null,
        creator: this.user(creator),
        open_issues: 0,
        closed_issues: 0,
        created_at: this.now(),
        updated_at: this.now(),
        closed_at: null,
        due_on: null,
      };
      this.milestones.set(title, m);
    }
    return m;
  }

  repoUrl(): string {
    return `${this.base}/repos/${this.owner}/${this.repo}`;
  }

  createIssue(
    author: string,
    fields: { title: string; body?: string; labels?: string[]; assignees?: string[] },
  ): IssueRecord {
    const number = this.nextNumber++;
    const id = this.nextId++;
    const url = `${this.repoUrl()}/issues/${number}`;
    const at = this.now();
    const issue: Issue = {
      id,
      node_id: `I_${id}`,
      url,
      repository_url: this.repoUrl(),
      labels_url: `${url}/labels{/name}`,
      comments_url: `${url}/comments`,
      events_url: `${url}/events`,
      html_url: `https://github.com/${this.owner}/${this.repo}/issues/${number}`,
      number,
      state: 'open',
      state_reason: null,
      title: fields.title,
      body: fields.body ?? null,
      user: this.user(author),
      labels: (fields.labels ?? []).map((n) => this.label(n)),
      assignee: null,
      assignees: [],
      milestone: null,
      locked: false,
      comments: 0,
      closed_at: null,
      created_at: at,
      updated_at: at,
      author_association: 'OWNER',
      sub_issues_summary: { total: 0, completed: 0, percent_completed: 0 },
      parent_issue_url: null,
      issue_dependencies_summary: { blocked_by: 0, blocking: 0, total_blocked_by: 0, total_blocking: 0 },
    };
    const rec: IssueRecord = { issue, parent: null, blockedBy: new Set(), deleted: false };
    this.issues.set(number, rec);
    this.setAssignees(rec, fields.assignees ?? []);
    return rec;
  }

  setAssignees(rec: IssueRecord, logins: string[]): void {
    rec.issue.assignees = logins.map((l) => this.user(l));
    rec.issue.assignee = rec.issue.assignees[0] ?? null;
  }

  setLabels(rec: IssueRecord, names: string[]): void {
    rec.issue.labels = names.map((n) => this.label(n));
  }

  touch(rec: IssueRecord): void {
    rec.issue.updated_at = this.now();
  }

  setState(rec: IssueRecord, state: 'open' | 'closed', reason: Issue['state_reason'], by: string): void {
    const was = rec.issue.state;
    rec.issue.state = state;
    if (state === 'closed') {
      rec.issue.state_reason = reason ?? 'completed';
      if (was !== 'closed') rec.issue.closed_at = this.now();
      rec.issue.closed_by = this.user(by);
    } else {
      rec.issue.state_reason = was === 'closed' ? 'reopened' : (reason ?? null);
      rec.issue.closed_at = null;
      rec.issue.closed_by = null;
    }
    this.refreshSummaries();
  }

  addComment(number: number, author: string, body: string): IssueComment {
    const id = this.nextId++;
    const at = this.now();
    const comment: IssueComment = {
      id,
      node_id: `IC_${id}`,
      url: `${this.repoUrl()}/issues/comments/${id}`,
      body,
      html_url: `https://github.com/${this.owner}/${this.repo}/issues/${number}#issuecomment-${id}`,
      user: this.user(author),
      created_at: at,
      updated_at: at,
      issue_url: `${this.repoUrl()}/issues/${number}`,
      author_association: 'OWNER',
    };
    this.comments.set(id, { issueNumber: number, comment });
    const rec = this.issues.get(number)!;
    rec.issue.comments++;
    this.touch(rec);
    return comment;
  }

  /** Recompute the counters GitHub keeps on each issue (sub-issues, dependencies). */
  refreshSummaries(): void {
    for (const rec of this.issues.values()) {
      const kids = [...this.issues.values()].filter((r) => r.parent === rec.issue.number);
      const done = kids.filter((k) => k.issue.state === 'closed').length;
      rec.issue.sub_issues_summary = {
        total: kids.length,
        completed: done,
        percent_completed: kids.length ? Math.round((done * 100) / kids.length) : 0,
      };
      const blocking = [...this.issues.values()].filter((r) => r.blockedBy.has(rec.issue.number)).length;
      rec.issue.issue_dependencies_summary = {
        blocked_by: rec.blockedBy.size,
        blocking,
        total_blocked_by: rec.blockedBy.size,
        total_blocking: blocking,
      };
      rec.issue.parent_issue_url = rec.parent === null ? null : `${this.repoUrl()}/issues/${rec.parent}`;
    }
  }

  byId(id: number): IssueRecord | undefined {
    return [...this.issues.values()].find((r) => r.issue.id === id);
  }
}
