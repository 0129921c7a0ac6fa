/**
 * The GraphQL documents the Linear connector sends. Hand-written (not the SDK's model
 * layer) so one request fetches an issue with its state, labels and comments; every one
 * is validated against Linear's schema by the stand-in in tests, and each is sized to
 * Linear's complexity rules (linearComplexity.ts): the nested lists of an issue come 25 at
 * a time with their pageInfo, and an issue with more is completed by the *_PAGE queries.
 */
export const NESTED_PAGE = 25;
/** Issues per detail query: 50 × ~160 points stays under Linear's 10,000 per request. */
export const ISSUE_PAGE = 50;
/** Ids per listing query (2 points each with updatedAt). */
export const ID_PAGE = 250;
/** Labels, users, webhooks and the rest of a nested list, per query. */
export const LIST_PAGE = 100;

const PAGE_INFO = 'pageInfo { hasNextPage endCursor }';
const LABEL = 'id name';
const RELATION = 'id type relatedIssue { id }';
const COMMENT_NODE = 'id body createdAt user { id displayName }';

export const ISSUE_FIELDS = `
fragment TackIssue on Issue {
  id identifier url title description priority dueDate createdAt updatedAt archivedAt trashed
  state { id name type }
  labels(first: ${NESTED_PAGE}) { nodes { ${LABEL} } ${PAGE_INFO} }
  assignee { id displayName email }
  parent { id }
  relations(first: ${NESTED_PAGE}) { nodes { ${RELATION} } ${PAGE_INFO} }
  comments(first: ${NESTED_PAGE}) { nodes { ${COMMENT_NODE} } ${PAGE_INFO} }
}`;

/** Which issues changed: ids and dates only, cheap enough for every poll. */
export const CHANGED = `query TackChanged($filter: IssueFilter, $after: String, $first: Int!) {
  issues(filter: $filter, first: $first, after: $after, includeArchived: true, orderBy: updatedAt) {
    nodes { id updatedAt }
    ${PAGE_INFO}
  }
}`;

/** The changed issues in full, by id, as many as asked for (`first` = the ids' count). */
export const PULL = `query TackPull($filter: IssueFilter, $first: Int!) {
  issues(filter: $filter, first: $first, includeArchived: true) {
    nodes { ...TackIssue }
  }
}${ISSUE_FIELDS}`;

export const GET = `query TackIssue($id: String!) { issue(id: $id) { ...TackIssue } }${ISSUE_FIELDS}`;

/** The rest of one issue's nested list, past its first NESTED_PAGE. */
export const ISSUE_LIST_PAGE = {
  labels: `query TackIssueLabels($id: String!, $after: String) {
  issue(id: $id) { labels(first: ${LIST_PAGE}, after: $after) { nodes { ${LABEL} } ${PAGE_INFO} } }
}`,
  relations: `query TackIssueRelations($id: String!, $after: String) {
  issue(id: $id) { relations(first: ${LIST_PAGE}, after: $after) { nodes { ${RELATION} } ${PAGE_INFO} } }
}`,
  comments: `query TackIssueComments($id: String!, $after: String) {
  issue(id: $id) { comments(first: ${LIST_PAGE}, after: $after) { nodes { ${COMMENT_NODE} } ${PAGE_INFO} } }
}`,
} as const;

export const TEAM = `query TackTeam($id: String!) {
  team(id: $id) { id key states(first: ${LIST_PAGE}) { nodes { id name type position } } }
}`;

/** Workspace labels and users, paged: a workspace has more than one page of either. */
export const LABELS = `query TackLabels($after: String) {
  issueLabels(first: ${LIST_PAGE}, after: $after) { nodes { ${LABEL} } ${PAGE_INFO} }
}`;

export const USERS = `query TackUsers($after: String) {
  users(first: ${LIST_PAGE}, after: $after) { nodes { id displayName name email } ${PAGE_INFO} }
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

export const WEBHOOKS = `query TackWebhooks($after: String) {
  webhooks(first: ${LIST_PAGE}, after: $after) { nodes { id url team { id } } ${PAGE_INFO} }
}`;

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
