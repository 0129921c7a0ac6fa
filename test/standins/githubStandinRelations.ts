import type { FieldRule } from './githubStandinSchemas.js';
import { addSubIssueRules, blockedByRules, pageQuery, removeSubIssueRules } from './githubStandinSchemas.js';
import type { GithubRepoState, IssueRecord } from './githubStandinState.js';
import { conditional, HttpError, paginate, send, type Ctx, type Handler } from './githubStandinHttp.js';

/** What the relation endpoints need from the stand-in. */
export interface RelationApi {
  state: GithubRepoState;
  base(): string;
  live(n: string): IssueRecord;
  validate(c: Ctx, rules: Record<string, FieldRule>, where: 'body' | 'query'): void;
}

/**
 * GitHub's sub-issue and dependency endpoints (`/issues/{n}/sub_issues`, `/sub_issue`,
 * `/parent`, `/dependencies/blocked_by`, `/dependencies/blocking`), as [method, path under
 * the issue, handler]. Sub-issues and blockers are named by database id, not number.
 */
export function relationRoutes(api: RelationApi): [string, string, Handler][] {
  function listSubIssues(c: Ctx): void {
    api.validate(c, pageQuery, 'query');
    const n = api.live(c.params[2]).issue.number;
    paginate(
      c,
      api.base(),
      [...api.state.issues.values()].filter((r) => r.parent === n && !r.deleted).map((r) => r.issue),
    );
  }

  function addSubIssue(c: Ctx): void {
    api.validate(c, addSubIssueRules, 'body');
    const parent = api.live(c.params[2]);
    const b = c.body as { sub_issue_id: number; replace_parent?: boolean };
    const child = api.state.byId(b.sub_issue_id);
    if (!child || child.deleted) throw new HttpError(404, { message: 'Not Found' });
    if (child.parent !== null && !b.replace_parent)
      throw new HttpError(422, {
        message: 'Validation Failed',
        errors: [{ message: 'Sub-issue already has a parent' }],
      });
    child.parent = parent.issue.number;
    changed(parent, child);
    send(c.res, 201, parent.issue);
  }

  function removeSubIssue(c: Ctx): void {
    api.validate(c, removeSubIssueRules, 'body');
    const parent = api.live(c.params[2]);
    const child = api.state.byId((c.body as { sub_issue_id: number }).sub_issue_id);
    if (!child || child.parent !== parent.issue.number) throw new HttpError(404, { message: 'Not Found' });
    child.parent = null;
    changed(parent, child);
    send(c.res, 200, parent.issue);
  }

  function getParent(c: Ctx): void {
    const rec = api.live(c.params[2]);
    if (rec.parent === null) throw new HttpError(404, { message: 'Not Found' });
    conditional(c, api.live(String(rec.parent)).issue);
  }

  function listBlockedBy(c: Ctx, which: 'blocked_by' | 'blocking'): void {
    api.validate(c, pageQuery, 'query');
    const rec = api.live(c.params[2]);
    const all = [...api.state.issues.values()].filter((r) => !r.deleted);
    const items =
      which === 'blocked_by'
        ? all.filter((r) => rec.blockedBy.has(r.issue.number))
        : all.filter((r) => r.blockedBy.has(rec.issue.number));
    paginate(
      c,
      api.base(),
      items.map((r) => r.issue),
    );
  }

  function addBlockedBy(c: Ctx): void {
    api.validate(c, blockedByRules, 'body');
    const rec = api.live(c.params[2]);
    const blocker = api.state.byId((c.body as { issue_id: number }).issue_id);
    if (!blocker || blocker.deleted) throw new HttpError(404, { message: 'Not Found' });
    rec.blockedBy.add(blocker.issue.number);
    changed(rec, blocker);
    send(c.res, 201, rec.issue);
  }

  function removeBlockedBy(c: Ctx): void {
    const rec = api.live(c.params[2]);
    const blocker = api.state.byId(Number(c.params[3]));
    if (!blocker || !rec.blockedBy.delete(blocker.issue.number)) throw new HttpError(404, { message: 'Not Found' });
    changed(rec, blocker);
    send(c.res, 200, rec.issue);
  }

  function changed(...recs: IssueRecord[]): void {
    api.state.refreshSummaries();
    for (const r of recs) api.state.touch(r);
  }

  return [
    ['GET', 'sub_issues', listSubIssues],
    ['POST', 'sub_issues', addSubIssue],
    ['DELETE', 'sub_issue', removeSubIssue],
    ['GET', 'parent', getParent],
    ['GET', 'dependencies/blocked_by', (c) => listBlockedBy(c, 'blocked_by')],
    ['GET', 'dependencies/blocking', (c) => listBlockedBy(c, 'blocking')],
    ['POST', 'dependencies/blocked_by', addBlockedBy],
    ['DELETE', 'dependencies/blocked_by/{id}', removeBlockedBy],
  ];
}
