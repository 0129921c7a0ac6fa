/**
 * Which operations MCP offers and how: the tool's name, the op behind it, the inputs kept
 * (agents pay for every schema token, so rarely useful options are left out), and fixed
 * inputs. Everything else — types, enums, descriptions, validation — comes from the op's
 * zod schema, so a change to an operation shows up here without touching this file.
 */
export interface ToolSpec {
  name: string;
  op: string;
  /** Input keys offered, in order; a ticket argument is always `id`. */
  keys: string[];
  /** Short description (the op's summary when absent). */
  description?: string;
  /** Inputs always passed (e.g. read-only sql). */
  fixed?: Record<string, unknown>;
  /** Extra boolean inputs this tool adds, with what they do ('' when the name says it). */
  extra?: Record<string, string>;
  /**
   * Other operations the tool may run (ready with claim: claim-next): its annotations cover
   * them too, and an offered key the main op lacks comes from them (comment's `comment`).
   */
  also?: string[];
  /** The fixed inputs make a write op a read (sql without write). */
  readOnly?: true;
  /** Offered keys that are optional here though the op requires them (docs without a path lists). */
  optional?: string[];
  /** Inputs passed when the caller gives none (an agent's context is smaller than a terminal). */
  defaults?: Record<string, unknown>;
  /** The result key that is the answer, as text (a markdown brief rather than its JSON). */
  text?: string;
}

export const TOOL_SPECS: ToolSpec[] = [
  { name: 'prime', op: 'prime', keys: [], description: 'Start here: what is ready, what you hold, how', text: 'text' },
  {
    name: 'ready',
    op: 'ready',
    keys: ['for', 'type', 'label', 'limit', 'offset'],
    description: 'Work ready to start, by priority',
    extra: { claim: 'claim the top one' },
    also: ['claim-next'],
  },
  {
    name: 'list',
    op: 'list',
    keys: ['status', 'type', 'label', 'assignee', 'parent', 'reviewed', 'all', 'limit', 'offset'],
  },
  {
    name: 'show',
    op: 'show',
    keys: ['id'],
    description: 'A ticket in full',
    fixed: { history: false },
  },
  { name: 'search', op: 'search', keys: ['words', 'open', 'limit', 'offset'], description: 'Full-text search, ranked' },
  {
    name: 'create',
    op: 'create',
    keys: [
      'title',
      'type',
      'priority',
      'label',
      'assignee',
      'parent',
      'description',
      'blocks',
      'link',
      'discovered_from',
      'audience',
    ],
  },
  {
    name: 'update',
    op: 'update',
    keys: [
      'id',
      'title',
      'type',
      'status',
      'priority',
      'assignee',
      'parent',
      'description',
      'add_label',
      'remove_label',
      'field',
    ],
  },
  {
    name: 'comment',
    op: 'comment',
    keys: ['id', 'text', 'comment'],
    optional: ['text', 'comment'],
    extra: { delete: '' },
    also: ['comment-edit', 'comment-delete'],
    description: 'Comment on a ticket; comment: id to edit or delete',
  },
  { name: 'link', op: 'link', keys: ['id', 'kind', 'target'], description: 'Relate two tickets' },
  {
    name: 'claim',
    op: 'claim',
    keys: ['id', 'for', 'local'],
    description: 'Assign to you and start, unless held',
  },
  { name: 'release', op: 'release', keys: ['id', 'unassign'], description: 'Give up a claim' },
  {
    name: 'reserve',
    op: 'reserve',
    keys: ['paths', 'id', 'ttl', 'release'],
    description: 'Reserve files you edit',
  },
  { name: 'ask', op: 'ask', keys: ['id', 'question'], description: 'Ask the owner; the ticket waits' },
  {
    name: 'answer',
    op: 'answer',
    keys: ['id', 'answer'],
    description: 'Answer the open question',
  },
  {
    name: 'submit',
    op: 'submit',
    keys: ['id', 'criteria', 'instructions'],
    description: 'Hand work to a human for review',
  },
  { name: 'review', op: 'review', keys: ['id', 'verdict', 'reason'] },
  {
    name: 'wait',
    op: 'wait',
    keys: ['id', 'state', 'answered', 'reviewed', 'ready', 'for', 'timeout'],
    description: 'Wait for a condition (≤60 s; timedOut: retry)',
  },
  {
    name: 'close',
    op: 'close',
    keys: ['id', 'reason', 'cancel'],
    description: 'Complete or cancel a ticket; reason: resolution',
  },
  {
    name: 'brief',
    op: 'brief',
    keys: ['id'],
    description: 'All you need to do a ticket (markdown)',
    text: 'markdown',
  },
  {
    name: 'docs',
    op: 'docs-show',
    keys: ['path', 'offset'],
    optional: ['path'],
    also: ['docs-list'],
    description: 'List docs; with path, read one (from offset)',
    defaults: { limit: 16_000 },
  },
  { name: 'write_doc', op: 'docs-write', keys: ['path', 'text'], description: 'Add or replace a doc' },
  {
    name: 'sql',
    op: 'sql',
    keys: ['query', 'param', 'timeout'],
    description: 'Read-only SQL: tickets, labels, relations, comments, links, history',
    fixed: { write: false },
    readOnly: true,
  },
  { name: 'sync', op: 'sync', keys: [], description: "Publish your changes, get everyone else's" },
];
