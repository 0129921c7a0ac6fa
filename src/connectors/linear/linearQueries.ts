/**
 * The GraphQL documents the Linear connector sends. Hand-written (not the SDK's model
 * layer) so one request fetches an issue with its state, labels and comments; every one
 * is validated against Linear's schema by the stand-in in tests.
 */
export const ISSUE_FIELDS = `
fragment TackIssue on Issue {
  id identifier url title description priority dueDate createdAt updatedAt archivedAt trashed
  state { id name type }
  labels(first: 100) { nodes { id name } }
  assignee { id displayName email }
  parent { id }
  relations(first: 50) { nodes { id type relatedIssue { id } } }
  comments(first: 100) { nodes { id body createdAt user { id displayName } } }
}`;

export const PULL = `query TackPull($filter: IssueFilter, $after: String) {
  issues(filter: $filter, first: 50, after: $after, includeArchived: true, orderBy: updatedAt) {
    nodes { ...TackIssue }
    pageInfo { hasNextPage endCursor }
  }
}${ISSUE_FIELDS}`;

export const GET = `query TackIssue($id: String!) { issue(id: $id) { ...TackIssue } }${ISSUE_FIELDS}`;

export const TEAM = `query TackTeam($id: String!) {
  team(id: $id) { id key states(first: 100) { nodes { id name type position } } }
  issueLabels(first: 250) { nodes { id name } }
  users(first: 250) { nodes { id displayName name email } }
}`;

export const CREATE = `mutation TackCreate($input: IssueCreateInput!) {
  issueCreate(input: $input) { success issue { ...TackIssue } }
}${ISSUE_FIELDS}`;

export const UPDATE = `mutation TackUpdate($id: String!, $input: IssueUpdateInput!) {
  issueUpdate(id: $id, input: $input) { success issue { ...TackIssue } }
}${ISSUE_FIELDS}`;

export const ARCHIVE = `mutation TackArchive($id: String!) {
  issueArchive(id: $id) { success entity { ...TackIssue } }
}${ISSUE_FIELDS}`;

export const COMMENT = `mutation TackComment($input: CommentCreateInput!) {
  commentCreate(input: $input) { success comment { id body createdAt user { id displayName } } }
}`;

export const COMMENT_UPDATE = `mutation TackCommentUpdate($id: String!, $input: CommentUpdateInput!) {
  commentUpdate(id: $id, input: $input) { success }
}`;

export const WEBHOOKS = `query TackWebhooks { webhooks(first: 250) { nodes { id url team { id } } } }`;

export const WEBHOOK_CREATE = `mutation TackWebhookCreate($input: WebhookCreateInput!) {
  webhookCreate(input: $input) { success webhook { id } }
}`;

export const RELATION_CREATE = `mutation TackRelate($input: IssueRelationCreateInput!) {
  issueRelationCreate(input: $input) { success }
}`;

export const RELATION_DELETE = `mutation TackUnrelate($id: String!) {
  issueRelationDelete(id: $id) { success }
}`;

export const LABEL_CREATE = `mutation TackLabel($input: IssueLabelCreateInput!) {
  issueLabelCreate(input: $input) { success issueLabel { id name } }
}`;
