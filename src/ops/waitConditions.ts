import { TackError, unknownValue } from '../model/errors.js';
import { CATEGORIES, categoryOf, type Schema } from '../model/schema.js';
import { getSummary, schemaOf, type TicketSummary } from '../index/queries.js';
import { resolveId } from '../index/ticketIds.js';
import { ticketDetails } from '../index/ticketDetails.js';
import type { DB } from '../index/indexDb.js';
import { questionsAndAnswers, stripMark } from './agentShared.js';
import { openReviews } from './submit.js';

export type ConditionName = 'state' | 'category' | 'answered' | 'reviewed' | 'ready';

/** What `wait` was asked to wait for (the op's input, ids as typed). */
export interface WaitFor {
  id?: string;
  state?: string;
  category?: string;
  answered?: string;
  reviewed?: string;
  ready?: boolean;
}

/** A condition that holds, with what the waiter needs next. */
export interface Held {
  condition: ConditionName;
  ticket: TicketSummary | null;
  detail: Record<string, unknown>;
}

/** One condition: ids resolved and names checked once, re-tested on every change. */
export interface Condition {
  name: ConditionName;
  test(db: DB): Held | null;
}

function summary(db: DB, id: string): TicketSummary {
  const t = getSummary(db, id);
  // Deleted while we waited: nothing will ever satisfy the condition again.
  if (!t) throw new TackError('not_found', `ticket ${id} was deleted while waiting`, { id });
  return t;
}

function stateConditions(db: DB, schema: Schema, w: WaitFor): Condition[] {
  if (w.id === undefined) {
    if (w.state !== undefined || w.category !== undefined)
      throw new TackError(
        'invalid_input',
        '--state and --category need a ticket ID: the ticket to watch (`tack wait ID --state S`)',
      );
    return [];
  }
  if (w.state === undefined && w.category === undefined)
    throw new TackError(
      'invalid_input',
      `waiting on ticket ${w.id} needs --state S or --category C: what the ticket should reach`,
    );
  const id = resolveId(db, w.id);
  const out: Condition[] = [];
  if (w.state !== undefined) {
    const states = schema.states.map((s) => s.name);
    if (!states.includes(w.state)) throw unknownValue('state', w.state, states);
    const state = w.state;
    out.push({
      name: 'state',
      test: (d) => {
        const t = summary(d, id);
        return t.status === state ? { condition: 'state', ticket: t, detail: { state } } : null;
      },
    });
  }
  if (w.category !== undefined) {
    if (!(CATEGORIES as readonly string[]).includes(w.category)) throw unknownValue('category', w.category, CATEGORIES);
    const category = w.category;
    out.push({
      name: 'category',
      test: (d) => {
        const t = summary(d, id);
        return categoryOf(schemaOf(d), t.status) === category
          ? { condition: 'category', ticket: t, detail: { category, state: t.status } }
          : null;
      },
    });
  }
  return out;
}

function questions(db: DB, id: string) {
  const comments = ticketDetails(db, id)?.comments ?? [];
  return questionsAndAnswers(comments.map((c) => ({ id: c.id, author: c.author, created: c.created, text: c.body })));
}

/** The ticket's latest question has an answer (asked with `tack ask`, answered with `tack answer`). */
function answeredCondition(db: DB, ref: string): Condition {
  const id = resolveId(db, ref);
  if (questions(db, id).length === 0)
    throw new TackError(
      'invalid_input',
      `ticket ${id} has no question to wait for; expected a ticket asked about with \`tack ask\``,
      { id },
    );
  return {
    name: 'answered',
    test: (d) => {
      const last = questions(d, id).at(-1);
      if (!last?.answer) return null;
      const a = last.answer;
      return {
        condition: 'answered',
        ticket: summary(d, id),
        detail: {
          question: stripMark(last.question.text),
          answer: stripMark(a.text),
          answered_by: a.author,
          answered_at: a.created,
        },
      };
    },
  };
}

/** Submitted work (or its review ticket) got a verdict from `tack review`. */
function reviewedCondition(db: DB, ref: string): Condition {
  const id = resolveId(db, ref);
  const t = summary(db, id);
  const work = t.type === 'review' ? (ticketDetails(db, id)?.relations.reviews?.[0] ?? null) : id;
  if (!work) throw new TackError('invalid_input', `review ticket ${id} names no work (its "reviews" is empty)`, { id });
  const pending = (d: DB) => {
    const w = summary(d, work);
    return w.status === 'in-review' || openReviews(d, schemaOf(d), work).length > 0;
  };
  if (!pending(db) && !summary(db, work).verdict)
    throw new TackError(
      'invalid_input',
      `ticket ${work} is ${summary(db, work).status} with no open review and no verdict; expected work handed in with \`tack submit\``,
      { id: work },
    );
  return {
    name: 'reviewed',
    test: (d) => {
      if (pending(d)) return null;
      const w = summary(d, work);
      return { condition: 'reviewed', ticket: w, detail: { verdict: w.verdict ?? null, state: w.status } };
    },
  };
}

/** Build the conditions, refusing unknown ids, states and categories before any waiting. */
export function waitConditions(db: DB, w: WaitFor): Condition[] {
  const schema = schemaOf(db);
  const out = stateConditions(db, schema, w);
  if (w.answered !== undefined) out.push(answeredCondition(db, w.answered));
  if (w.reviewed !== undefined) out.push(reviewedCondition(db, w.reviewed));
  return out;
}
