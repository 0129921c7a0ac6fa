import type { Comment } from '../model/comments.js';
import { TackError } from '../model/errors.js';
import type { Provenance } from '../model/provenance.js';
import { CATEGORIES, categoryOf, type Schema } from '../model/schema.js';
import { gatesOf } from '../model/schemaGates.js';
import type { Ticket } from '../model/ticket.js';
import { ANSWER, isWaiting, questionsAndAnswers, REVIEW_MARK, SUBMITTED } from './agentShared.js';
import { acceptanceSection } from './briefText.js';
import type { TicketEditor } from './ticketEditor.js';

/** The state `tack submit` parks work in; leaving it for a terminal state (or a verdict) decides the review. */
const IN_REVIEW = 'in-review';

function terminal(schema: Schema, status: string): boolean {
  const cat = categoryOf(schema, status);
  return cat === 'completed' || cat === 'canceled';
}

/** Who submitted the work last (`tack submit` leaves a marked comment); null before gates existed. */
export function submitterOf(comments: readonly Comment[]): string | null {
  for (let i = comments.length - 1; i >= 0; i--) if (comments[i].text.startsWith(SUBMITTED)) return comments[i].author;
  return null;
}

/** The pending submission this edit decides, if any: the work ticket and who submitted it. */
function decidedReview(ed: TicketEditor, before: Ticket, after: Ticket): { work: string; submitter: string } | null {
  if (before.status === IN_REVIEW) {
    const decided =
      terminal(ed.schema, after.status) || (after.custom.verdict ?? null) !== (before.custom.verdict ?? null);
    const submitter = submitterOf(before.comments);
    return decided && submitter ? { work: before.id, submitter } : null;
  }
  // Closing the review ticket `submit` made is a decision on the work it reviews.
  const work = before.type === 'review' ? before.relations.reviews?.[0] : undefined;
  if (!work || terminal(ed.schema, before.status) || !terminal(ed.schema, after.status)) return null;
  const w = parsedOriginal(ed, work);
  const submitter = w?.status === IN_REVIEW ? submitterOf(w.comments) : null;
  return submitter ? { work, submitter } : null;
}

/** The open question this edit answers, if any: who asked it. */
function answeredQuestion(ed: TicketEditor, before: Ticket, after: Ticket): string | null {
  if (!isWaiting(ed.schema, before.status)) return null;
  const open = questionsAndAnswers(before.comments).filter((q) => q.answer === null);
  if (open.length === 0) return null;
  const answers = (t: Ticket) => t.comments.filter((c) => c.text.startsWith(ANSWER)).length;
  const answered = !isWaiting(ed.schema, after.status) || answers(after) > answers(before);
  return answered ? open[open.length - 1].question.author : null;
}

/** A head version broken by hand (being repaired by `edit`) holds no submission or question to guard. */
function parsedOriginal(ed: TicketEditor, id: string): Ticket | null {
  try {
    return ed.original(id);
  } catch {
    return null;
  }
}

function refuse(rule: string, what: string, id: string, owner: string, actor: string, fix: string): never {
  throw new TackError(
    'gate_refused',
    `refused by gate ${rule}: ${what} on ${id} was made by ${owner}, and ${actor} is acting; ` +
      `${fix}, or set \`gates: { ${rule}: allow }\` in schema.yaml`,
    { gate: rule, ticket: id, owner, actor },
  );
}

/** "agent fixer-1 via claude-code" (or the acting user's name): who the agent rules refused. */
function agentName(p: Provenance, user: string): string {
  return `agent ${p.agent ?? user}${p.harness ? ` via ${p.harness}` : ''}`;
}

/** What a change by an agent did that a rule on agents forbids. */
export interface AgentBreach {
  rule: 'complete_by' | 'agent_tickets_start_in';
  /** created: a new ticket outside the intake state; left: moved out of it; completed: into a completed state. */
  kind: 'completed' | 'created' | 'left';
  status: string;
  expected?: string;
}

/**
 * The rules on agents (`complete_by`, `agent_tickets_start_in`): what a change by an agent
 * may not do to a ticket (`before` is null for a ticket the change creates). Pure, so
 * `tack validate` applies it to history as the write path does to an edit.
 */
export function agentBreach(schema: Schema, before: Ticket | null, after: Ticket, op: string): AgentBreach | null {
  // A connector pull records what people did on the remote; the agent running it only carries it.
  if (op.startsWith('sync-')) return null;
  const gates = gatesOf(schema);
  const completed = (t: Ticket | null) => !!t && categoryOf(schema, t.status) === 'completed';
  if (gates.completeBy === 'human' && completed(after) && !completed(before))
    return { rule: 'complete_by', kind: 'completed', status: after.status };
  const intake = gates.agentTicketsStartIn;
  if (!intake) return null;
  // The review ticket `submit` opens is part of the pipeline, not new work an agent proposes.
  if (!before && op !== 'submit' && after.status !== intake)
    return { rule: 'agent_tickets_start_in', kind: 'created', status: after.status, expected: intake };
  if (before && before.status === intake && after.status !== intake)
    return { rule: 'agent_tickets_start_in', kind: 'left', status: after.status, expected: intake };
  return null;
}

function refuseAgent(b: AgentBreach, id: string, title: string, who: string): never {
  const fix =
    b.rule === 'complete_by'
      ? 'submit it for review (`tack submit`) so a person closes it, or set `gates: { complete_by: anyone }` in schema.yaml'
      : `${b.kind === 'created' ? `create it with status ${b.expected} (a person accepts it from there)` : 'a person must accept it'}, or set \`gates: { agent_tickets_start_in: any }\` in schema.yaml`;
  const what =
    b.kind === 'completed'
      ? `only a person moves a ticket to a completed state, and ${who} is moving ${id} to ${b.status}`
      : b.kind === 'created'
        ? `a ticket an agent creates starts in ${b.expected}, and ${who} is creating ${JSON.stringify(title)} in ${b.status}`
        : `${id} is in ${b.expected}, which only a person moves a ticket out of, and ${who} is moving it to ${b.status}`;
  throw new TackError('gate_refused', `refused by gate ${b.rule}: ${what}; ${fix}`, {
    gate: b.rule,
    ticket: id,
    status: b.status,
    ...(b.expected ? { expected: b.expected } : {}),
  });
}

/** A ticket that crossed into the states `criteria_before` guards without acceptance criteria. */
export interface CriteriaBreach {
  rule: 'criteria_before';
  status: string;
  /** The state named by the rule. */
  gate: string;
  created: boolean;
}

/** Whether `status` is at or past the `criteria_before` state: it, or a state of a later category (canceling is exempt). */
function pastCriteriaGate(schema: Schema, gate: string, status: string): boolean {
  if (status === gate) return true;
  const cat = categoryOf(schema, status);
  const from = categoryOf(schema, gate);
  if (!cat || !from || cat === 'canceled') return false;
  return CATEGORIES.indexOf(cat) > CATEGORIES.indexOf(from);
}

/** A ticket has acceptance criteria when its body has a non-empty `## Acceptance criteria` section (or Acceptance, Criteria, Done when, Definition of done). */
export function hasCriteria(t: Ticket): boolean {
  return acceptanceSection(t.body) !== null;
}

/**
 * The `criteria_before` rule on one change (`before` null: created by it): refused when the
 * ticket crosses into the guarded states (from outside them, or created there) with no
 * acceptance criteria. A ticket already past the line is not checked again, so turning the
 * rule on does not lock work in progress, nor is one coming back from a waiting state.
 * Pure, for `tack validate` too.
 */
export function criteriaBreach(
  schema: Schema,
  before: Ticket | null,
  after: Ticket,
  op: string,
): CriteriaBreach | null {
  const gate = gatesOf(schema).criteriaBefore;
  if (!gate || op.startsWith('sync-')) return null;
  if (!pastCriteriaGate(schema, gate, after.status)) return null;
  if (before && pastCriteriaGate(schema, gate, before.status)) return null;
  // A waiting state is a pause in work that was going on: leaving it (an answered question
  // sends the ticket back to todo) returns the ticket, it does not cross the line anew.
  if (before && isWaiting(schema, before.status)) return null;
  return hasCriteria(after) ? null : { rule: 'criteria_before', status: after.status, gate, created: !before };
}

function refuseCriteria(b: CriteriaBreach, id: string): never {
  throw new TackError(
    'gate_refused',
    `refused by gate criteria_before: ${id} has no acceptance criteria, and a ticket enters ${b.gate} (or a later state) only with them; ` +
      `it is ${b.created ? 'being created in' : 'moving to'} ${b.status}. Add a "## Acceptance criteria" section to its description (\`tack update ${id} --description TEXT\` or \`tack edit ${id}\`) first, or set \`gates: { criteria_before: any }\` in schema.yaml`,
    { gate: 'criteria_before', ticket: id, status: b.status, expected: b.gate },
  );
}

/**
 * The gates of schema.yaml, checked on every edit before it is committed: every surface
 * (CLI, REST, MCP, SQL writes, batch, edit) writes through ops/mutate, which calls this,
 * so a rule holds however the change is made. Connector pulls are reported, not refused
 * (see pullBreaches). `actor` is asked only
 * when an edit decides a review or answers a question; `provenance` (human or agent)
 * only when a rule on agents is on. `ids`: the tickets to check (a bulk edit checks each
 * batch before it lets go of it).
 */
export function enforceGates(
  ed: TicketEditor,
  actor: () => string,
  provenance: () => Provenance = () => ({ actor: 'human' }),
  op = '',
  ids: readonly string[] = ed.touchedIds(),
): void {
  // A connector pull records what people did on the service; whoever runs the sync is not
  // its actor. The engine reports a pulled change that breaks a gate (pullBreaches) instead.
  if (op.startsWith('sync-')) return;
  const gates = gatesOf(ed.schema);
  const agentRules = gates.completeBy === 'human' || gates.agentTicketsStartIn !== null;
  if (gates.selfReview === 'allow' && gates.selfAnswer === 'allow' && !agentRules && !gates.criteriaBefore) return;
  const byAgent = agentRules && provenance().actor === 'agent';
  for (const id of ids) {
    if (ed.isDeleted(id)) continue;
    const before = parsedOriginal(ed, id);
    if (!before && !ed.createdIds().includes(id)) continue;
    const after = ed.ticket(id);
    const breach = byAgent ? agentBreach(ed.schema, before, after, op) : null;
    if (breach) refuseAgent(breach, id, after.title, agentName(provenance(), actor()));
    const noCriteria = criteriaBreach(ed.schema, before, after, op);
    if (noCriteria) refuseCriteria(noCriteria, id);
    if (!before) continue;
    if (gates.selfReview === 'refuse') {
      const d = decidedReview(ed, before, after);
      if (d && d.submitter === actor())
        refuse('self_review', 'the submission', d.work, d.submitter, actor(), 'another user must review it');
    }
    if (gates.selfAnswer === 'refuse') {
      const asker = answeredQuestion(ed, before, after);
      if (asker && asker === actor())
        refuse('self_answer', 'the open question', id, asker, actor(), 'another user must answer it');
    }
  }
}

export interface GateBreach {
  rule: 'self_review' | 'self_answer';
  /** The comment that recorded the decision or the answer. */
  comment: Comment;
  owner: string;
}

/**
 * Decisions and answers in a ticket's comments that its schema's gates forbid: a review
 * verdict by the work's submitter, an answer by the asker. For `tack validate`, which
 * reads history, so a hand edit or a plain push that went around the write path shows.
 */
export function gateBreaches(schema: Schema, comments: readonly Comment[]): GateBreach[] {
  const gates = gatesOf(schema);
  const out: GateBreach[] = [];
  let submitter: string | null = null;
  for (const c of comments) {
    if (c.text.startsWith(SUBMITTED)) submitter = c.author;
    else if (c.text.startsWith(REVIEW_MARK) && gates.selfReview === 'refuse' && submitter === c.author)
      out.push({ rule: 'self_review', comment: c, owner: submitter });
  }
  if (gates.selfAnswer === 'refuse')
    for (const q of questionsAndAnswers(comments))
      if (q.answer && q.answer.author === q.question.author)
        out.push({ rule: 'self_answer', comment: q.answer, owner: q.question.author });
  return out;
}

/**
 * What a connector pull brings in that the gates forbid: comments new in `after` that
 * decide their author's own submission or answer their own question (the service names
 * each comment's author; it does not say who changed a state, so the rules on states are
 * not judged here). A pull is applied as it happened on the service, and these are
 * reported: in the pass's warnings now, and by `tack validate` from history.
 */
export function pullBreaches(schema: Schema, before: readonly Comment[], after: readonly Comment[]): GateBreach[] {
  const known = new Set(gateBreaches(schema, before).map((b) => b.comment.id));
  return gateBreaches(schema, after).filter((b) => !known.has(b.comment.id));
}

export function pullBreachMessage(id: string, kind: string, b: GateBreach): string {
  const what = b.rule === 'self_answer' ? 'answers their own question' : 'decides their own submission';
  return `${id}: gate ${b.rule}: comment ${b.comment.id} by ${b.owner} ${what}; pulled from ${kind} as it happened there (applied, not refused; \`tack validate\` reports it)`;
}
