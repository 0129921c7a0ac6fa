/**
 * The GraphQL documents the Linear connector sends. Hand-written (not the SDK's model
 * layer) so one request fetches an issue with its state, labels and comments; every one
 * is validated against Linear's schema by the stand-in in tests, and each is sized to
 * Linear's complexity rules (linearComplexity.ts): the nested lists of an issue come 25 at
 * a time with their pageInfo, and an issue with more is completed by the *_PAGE queries.
 */
declare const SHAPES: unique symbol;

/**
 * A GraphQL document branded with what it answers (`Result`) and what it takes
 * (`Variables`), both written next to the document from Linear's schema
 * (/work/shared/specs/linear-schema.graphql): `LinearGraphql.gql` is generic over the
 * document, so a request is typed by what it sends and no caller casts its answer.
 */
export type TypedDocument<Result, Variables extends Record<string, unknown>> = string & {
  readonly [SHAPES]: { result: Result; variables: Variables };
};

/** The one place a document's text meets its declared shapes. */
function typed<Result, Variables extends Record<string, unknown>>(text: string): TypedDocument<Result, Variables> {
  return text as TypedDocument<Result, Variables>;
}

export type PageInfo = { hasNextPage: boolean; endCursor: string | null };
export type Connection<N> = { nodes: N[]; pageInfo: PageInfo };
/** Variables of a paged list: where the previous page ended. */
export type Paging = { after?: string | null };

export type LinearLabel = { id: string; name: string };
export type LinearRelation = { id: string; type: string; relatedIssue: { id: string } };
export type LinearComment = {
  id: string;
  body: string;
  createdAt: string;
  user: { id: string; displayName: string } | null;
};
export type LinearUser = { id: string; displayName: string; name: string; email: string };
export type LinearState = { id: string; name: string; type: string; position: number };
export type LinearWebhook = { id: string; url: string | null; team: { id: string } | null };

/** An issue as the TackIssue fragment reads it. */
export type LinearIssue = {
  id: string;
  identifier: string;
  url: string;
  title: string;
  description: string | null;
  priority: number;
  dueDate: string | null;
  createdAt: string;
  updatedAt: string;
  archivedAt: string | null;
  trashed: boolean | null;
  state: { id: string; name: string; type: string };
  labels: Connection<LinearLabel>;
  assignee: { id: string; displayName: string; email: string } | null;
  parent: { id: string } | null;
  relations: Connection<LinearRelation>;
  comments: Connection<LinearComment>;
};

/** IssueCreateInput / IssueUpdateInput: the fields Tack sets. */
export type IssueInput = {
  title?: string;
  description?: string;
  stateId?: string;
  priority?: number;
  labelIds?: string[];
  assigneeId?: string | null;
  parentId?: string | null;
  dueDate?: string | null;
};
/** IssueFilter: the parts Tack filters on. */
export type IssueFilter = {
  team?: { key: { eq: string } };
  updatedAt?: { gte: string };
  id?: { in: string[] };
};

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
export const CHANGED = typed<
  { issues: Connection<{ id: string; updatedAt: string }> },
  { filter: IssueFilter; first: number } & Paging
>(`query TackChanged($filter: IssueFilter, $after: String, $first: Int!) {
  issues(filter: $filter, first: $first, after: $after, includeArchived: true, orderBy: updatedAt) {
    nodes { id updatedAt }
    ${PAGE_INFO}
  }
}`);

/** The changed issues in full, by id, as many as asked for (`first` = the ids' count). */
export const PULL = typed<
  { issues: { nodes: LinearIssue[] } },
  { filter: IssueFilter; first: number }
>(`query TackPull($filter: IssueFilter, $first: Int!) {
  issues(filter: $filter, first: $first, includeArchived: true) {
    nodes { ...TackIssue }
  }
}${ISSUE_FIELDS}`);

export const GET = typed<{ issue: LinearIssue }, { id: string }>(
  `query TackIssue($id: String!) { issue(id: $id) { ...TackIssue } }${ISSUE_FIELDS}`,
);

/** The rest of one issue's nested list, past its first NESTED_PAGE. */
export const ISSUE_LIST_PAGE = {
  labels: typed<
    { issue: { labels: Connection<LinearLabel> } },
    { id: string } & Paging
  >(`query TackIssueLabels($id: String!, $after: String) {
  issue(id: $id) { labels(first: ${LIST_PAGE}, after: $after) { nodes { ${LABEL} } ${PAGE_INFO} } }
}`),
  relations: typed<
    { issue: { relations: Connection<LinearRelation> } },
    { id: string } & Paging
  >(`query TackIssueRelations($id: String!, $after: String) {
  issue(id: $id) { relations(first: ${LIST_PAGE}, after: $after) { nodes { ${RELATION} } ${PAGE_INFO} } }
}`),
  comments: typed<
    { issue: { comments: Connection<LinearComment> } },
    { id: string } & Paging
  >(`query TackIssueComments($id: String!, $after: String) {
  issue(id: $id) { comments(first: ${LIST_PAGE}, after: $after) { nodes { ${COMMENT_NODE} } ${PAGE_INFO} } }
}`),
} as const;

export const TEAM = typed<
  { team: { id: string; key: string; states: { nodes: LinearState[] } } },
  { id: string }
>(`query TackTeam($id: String!) {
  team(id: $id) { id key states(first: ${LIST_PAGE}) { nodes { id name type position } } }
}`);

/** Workspace labels and users, paged: a workspace has more than one page of either. */
export const LABELS = typed<{ issueLabels: Connection<LinearLabel> }, Paging>(`query TackLabels($after: String) {
  issueLabels(first: ${LIST_PAGE}, after: $after) { nodes { ${LABEL} } ${PAGE_INFO} }
}`);

export const USERS = typed<{ users: Connection<LinearUser> }, Paging>(`query TackUsers($after: String) {
  users(first: ${LIST_PAGE}, after: $after) { nodes { id displayName name email } ${PAGE_INFO} }
}`);

export const CREATE = typed<
  { issueCreate: { success: boolean; issue: LinearIssue | null } },
  { input: IssueInput & { teamId: string; id: string } }
>(`mutation TackCreate($input: IssueCreateInput!) {
  issueCreate(input: $input) { success issue { ...TackIssue } }
}${ISSUE_FIELDS}`);

export const UPDATE = typed<
  { issueUpdate: { success: boolean; issue: LinearIssue | null } },
  { id: string; input: IssueInput }
>(`mutation TackUpdate($id: String!, $input: IssueUpdateInput!) {
  issueUpdate(id: $id, input: $input) { success issue { ...TackIssue } }
}${ISSUE_FIELDS}`);

export const ARCHIVE = typed<
  { issueArchive: { success: boolean; entity: LinearIssue | null } },
  { id: string }
>(`mutation TackArchive($id: String!) {
  issueArchive(id: $id) { success entity { ...TackIssue } }
}${ISSUE_FIELDS}`);

export const COMMENT = typed<
  { commentCreate: { success: boolean; comment: LinearComment } },
  { input: { issueId: string; body: string; id: string } }
>(`mutation TackComment($input: CommentCreateInput!) {
  commentCreate(input: $input) { success comment { id body createdAt user { id displayName } } }
}`);

export const COMMENT_UPDATE = typed<
  { commentUpdate: { success: boolean } },
  { id: string; input: { body: string } }
>(`mutation TackCommentUpdate($id: String!, $input: CommentUpdateInput!) {
  commentUpdate(id: $id, input: $input) { success }
}`);

export const WEBHOOKS = typed<{ webhooks: Connection<LinearWebhook> }, Paging>(`query TackWebhooks($after: String) {
  webhooks(first: ${LIST_PAGE}, after: $after) { nodes { id url team { id } } ${PAGE_INFO} }
}`);

export const WEBHOOK_CREATE = typed<
  { webhookCreate: { success: boolean; webhook: { id: string } } },
  { input: { url: string; teamId: string; resourceTypes: string[]; secret: string; label: string } }
>(`mutation TackWebhookCreate($input: WebhookCreateInput!) {
  webhookCreate(input: $input) { success webhook { id } }
}`);

export const RELATION_CREATE = typed<
  { issueRelationCreate: { success: boolean } },
  { input: { issueId: string; relatedIssueId: string; type: string } }
>(`mutation TackRelate($input: IssueRelationCreateInput!) {
  issueRelationCreate(input: $input) { success }
}`);

export const RELATION_DELETE = typed<
  { issueRelationDelete: { success: boolean } },
  { id: string }
>(`mutation TackUnrelate($id: String!) {
  issueRelationDelete(id: $id) { success }
}`);

export const LABEL_CREATE = typed<
  { issueLabelCreate: { success: boolean; issueLabel: LinearLabel } },
  { input: { name: string; teamId: string } }
>(`mutation TackLabel($input: IssueLabelCreateInput!) {
  issueLabelCreate(input: $input) { success issueLabel { id name } }
}`);
