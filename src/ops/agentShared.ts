import { TackError } from '../model/errors.js';
import type { Comment } from '../model/comments.js';
import { firstStateOf, waitingStates, type Schema } from '../model/schema.js';
import type { DB } from '../index/indexDb.js';

/**
 * What the agent pipeline (ask, answer, submit, review, create --discovered-from,
 * ready --for, list --reviewed) needs from schema.yaml. The default schema has all of it;
 * stores made before it lack some, and `tack setup agents` adds what is missing.
 */
export type AgentNeed =
  | 'waiting'
  | 'in-review'
  | 'review-type'
  | 'discovered_from'
  | 'reviews'
  | 'audience'
  | 'verdict';

const NEED_TEXT: Record<AgentNeed, string> = {
  waiting: 'a waiting state (`- { name: needs-context, category: unstarted, waiting: true }`)',
  'in-review': 'an `in-review` state (category started)',
  'review-type': 'the `review` ticket type',
  discovered_from: 'the `discovered_from` relation',
  reviews: 'the `reviews` relation',
  audience: 'the `audience` field (enum agent, human)',
  verdict: 'the `verdict` field (enum approved, rejected)',
};

export function missingAgentSchema(
  schema: Schema,
  needs: readonly AgentNeed[] = Object.keys(NEED_TEXT) as AgentNeed[],
): AgentNeed[] {
  const has: Record<AgentNeed, boolean> = {
    waiting: waitingStates(schema).length > 0,
    'in-review': schema.states.some((s) => s.name === 'in-review'),
    'review-type': schema.types.includes('review'),
    discovered_from: schema.relations.some((r) => r.name === 'discovered_from'),
    reviews: schema.relations.some((r) => r.name === 'reviews'),
    audience: schema.fields.some((f) => f.name === 'audience'),
    verdict: schema.fields.some((f) => f.name === 'verdict'),
  };
  return needs.filter((n) => !has[n]);
}

/** Refuse, before anything is written, when schema.yaml lacks what `what` needs. */
export function requireAgentSchema(schema: Schema, what: string, needs: readonly AgentNeed[]): void {
  const missing = missingAgentSchema(schema, needs);
  if (missing.length === 0) return;
  throw new TackError(
    'invalid_schema',
    `${what} needs ${missing.map((m) => NEED_TEXT[m]).join(', ')} in schema.yaml, which this store lacks (made before agent support); ` +
      'run `tack setup agents` to add them (one commit), then retry',
    { missing },
  );
}

/** Markers that make a comment a question, an answer or a review verdict (for `brief`). */
export const QUESTION = '**Question:** ';
export const ANSWER = '**Answer:** ';
export const REVIEW_MARK = '**Review ';
/** `tack submit`'s comment on the work: its author is the submitter the self_review gate compares with. */
export const SUBMITTED = '**Submitted:** ';

export interface QandA {
  question: Comment;
  answer: Comment | null;
}

/** Questions (from `ask`) paired with the answer that followed each, oldest first. */
export function questionsAndAnswers(comments: readonly Comment[]): QandA[] {
  const out: QandA[] = [];
  for (const c of comments) {
    if (c.text.startsWith(QUESTION)) out.push({ question: c, answer: null });
    else if (c.text.startsWith(ANSWER)) {
      const open = out.find((q) => q.answer === null);
      if (open) open.answer = c;
    }
  }
  return out;
}

export function stripMark(text: string): string {
  return text.replace(/^\*\*[^*]+:\*\* /, '');
}

/**
 * The human owner of a ticket: whoever created it, i.e. the author of the first commit
 * that touched it (git's author, the person at the keyboard; agents act as TACK_USER).
 * Null when the ticket has no history yet or its creator is the one asking.
 */
export function humanOwner(db: DB, id: string, asker: string): string | null {
  const row = db
    .prepare(`SELECT h.author FROM history h JOIN commits c ON c.sha = h.commit_sha
    WHERE h.ticket = ? ORDER BY c.seq LIMIT 1`)
    .get(id) as { author: string | null } | undefined;
  const who = row?.author ?? null;
  return who && who !== asker ? who : null;
}

/** Where `answer` and a rejected review send work back to: the default state if it is ready-able. */
export function readyState(schema: Schema): string {
  const def = schema.states.find((s) => s.name === schema.defaultStatus);
  if (def && !def.waiting && (def.category === 'unstarted' || def.category === 'backlog')) return def.name;
  const s = firstStateOf(schema, 'unstarted') ?? firstStateOf(schema, 'backlog');
  if (!s)
    throw new TackError(
      'invalid_schema',
      'schema.yaml has no unstarted state that is not waiting; expected one for work to return to',
    );
  return s;
}

export function isWaiting(schema: Schema, status: string): boolean {
  return waitingStates(schema).includes(status);
}
