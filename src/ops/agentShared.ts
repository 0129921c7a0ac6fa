import { TackError } from '../model/errors.js';
import type { Comment } from '../model/comments.js';
import { firstStateOf, waitingStates, type Schema } from '../model/schema.js';
import type { DB } from '../index/indexDb.js';
import { ownerField, type Ticket } from '../model/ticket.js';

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

/** Who created a ticket: the git author of the first commit that touched it (for an agent's commit, the person running it). */
function creatorOf(db: DB, id: string): string | null {
  const row = db
    .prepare<{ author: string | null }>(`SELECT h.author FROM history h JOIN commits c ON c.sha = h.commit_sha
    WHERE h.ticket = ? ORDER BY c.seq LIMIT 1`)
    .get(id);
  return row?.author ?? null;
}

/** A name that is an agent's or a bot's: one some commit's provenance names (`Tack-Agent`), or a `…[bot]` git identity. */
function isAgentName(db: DB, user: string): boolean {
  if (/\[bot\]$/i.test(user)) return true;
  return db.prepare(`SELECT 1 FROM commits WHERE actor = 'agent' AND agent = ? LIMIT 1`).get(user) !== undefined;
}

/** A ticket's owner: its `owner` field, else its creator. */
function ownerOf(db: DB, t: Ticket): { who: string; agent: boolean } | null {
  const who = ownerField(t) ?? creatorOf(db, t.id);
  return who ? { who, agent: isAgentName(db, who) } : null;
}

/**
 * The person a question on `t` goes to: its owner (the `owner` field, else its creator)
 * when that is a person other than the asker; else the owner of its parent, grandparent
 * (an epic's creator), …; else nobody. It never lands on an agent: `note` says why the
 * owner was passed over and where the question went instead.
 */
export function questionOwner(
  db: DB,
  t: Ticket,
  asker: string,
  ticketOf: (id: string) => Ticket | null,
): { owner: string | null; note: string | null } {
  const skipped: string[] = [];
  const seen = new Set<string>();
  for (let cur: Ticket | null = t; cur && !seen.has(cur.id); cur = cur.parent ? ticketOf(cur.parent) : null) {
    seen.add(cur.id);
    const o = ownerOf(db, cur);
    const why = !o
      ? 'has no known owner'
      : o.agent
        ? `is owned by ${o.who}, an agent`
        : o.who === asker
          ? `is owned by ${o.who}, who asks`
          : null;
    if (!why)
      return {
        owner: o!.who,
        note: skipped.length ? `${skipped.join('; ')}: asked ${o!.who}, owner of ${cur.id}` : null,
      };
    skipped.push(`${cur.id} ${why}`);
  }
  return {
    owner: null,
    note: `${skipped.join('; ')}: left unassigned, no person to ask; set one with \`tack update ${t.id} --owner USER\``,
  };
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
