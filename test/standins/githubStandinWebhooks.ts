import type { components } from '@octokit/openapi-webhooks-types';
import type { GithubRepoState, RepoEvent } from './githubStandinState.js';

type S = components['schemas'];
type IssuesEvent =
  | S['webhook-issues-opened']
  | S['webhook-issues-edited']
  | S['webhook-issues-closed']
  | S['webhook-issues-reopened']
  | S['webhook-issues-deleted']
  | S['webhook-issues-locked']
  | S['webhook-issues-unlocked']
  | S['webhook-issues-milestoned']
  | S['webhook-issues-demilestoned'];
type CommentEvent =
  | S['webhook-issue-comment-created']
  | S['webhook-issue-comment-edited']
  | S['webhook-issue-comment-deleted'];

/**
 * The body of an `issues` / `issue_comment` delivery. The envelope (action, changes,
 * repository, sender) is typed against @octokit/openapi-webhooks-types; `issue` and
 * `comment` are the REST objects, which carry every field those payloads require that a
 * connector reads (number, id, node_id, state, state_reason, updated_at, body, user).
 */
export function githubWebhookPayload(state: GithubRepoState, e: RepoEvent): Record<string, unknown> {
  const rec = state.issues.get(e.number)!;
  const repository = {
    id: 4242,
    node_id: 'R_4242',
    name: state.repo,
    full_name: `${state.owner}/${state.repo}`,
    private: false,
    owner: webhookUser(state, state.owner),
    html_url: `https://github.com/${state.owner}/${state.repo}`,
    url: state.repoUrl(),
  } satisfies Partial<S['repository-webhooks']>;
  const sender: S['simple-user'] = webhookUser(state, e.sender);
  if (e.event === 'issues') {
    const envelope = { action: e.action, repository, sender } satisfies Partial<Record<keyof IssuesEvent, unknown>> & {
      action: IssuesEvent['action'];
    };
    return { ...envelope, ...(e.action === 'edited' ? { changes: e.changes ?? {} } : {}), issue: rec.issue };
  }
  const envelope = { action: e.action, repository, sender } satisfies Partial<Record<keyof CommentEvent, unknown>> & {
    action: CommentEvent['action'];
  };
  return { ...envelope, issue: rec.issue, comment: state.comments.get(e.commentId)?.comment };
}

function webhookUser(state: GithubRepoState, login: string): S['simple-user'] {
  const u = state.user(login);
  return { ...u, id: Number(u.id) };
}
