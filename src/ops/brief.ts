import { z } from 'zod';
import { TackError } from '../model/errors.js';
import type { DB } from '../index/indexDb.js';
import { getDoc } from '../index/docsQueries.js';
import { linkedDoc } from '../model/bodyRefs.js';
import { getSummary } from '../index/queries.js';
import { resolveId } from '../index/ticketIds.js';
import { ticketDetails } from '../index/ticketDetails.js';
import { codeWork } from '../git/mentions.js';
import { ANSWER, QUESTION, REVIEW_MARK, stripMark, SUBMITTED } from './agentShared.js';
import { acceptanceSection, briefMarkdown, type Brief, type BriefNote, type BriefRef } from './briefText.js';
import { forBrief, liveReservationsHere, pathsNamedIn } from './reservationsShared.js';
import { idArg } from './ticketInput.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';
import { mentionCommitShape } from '../model/workShapes.js';

function refs(db: DB, ids: readonly string[]): BriefRef[] {
  return ids
    .map((id) => getSummary(db, id))
    .filter((s) => s !== null)
    .map((s) => ({ id: s.id, title: s.title, status: s.status, category: s.category, type: s.type }));
}

/** Parents, nearest first (a cycle cannot happen: parent is acyclic; the guard is cheap). */
function parentChain(db: DB, id: string): Brief['parents'] {
  const out: Brief['parents'] = [];
  const seen = new Set([id]);
  let p = getSummary(db, id)?.parent ?? null;
  while (p && !seen.has(p) && out.length < 10) {
    seen.add(p);
    const d = ticketDetails(db, p);
    if (!d) break;
    out.push({
      id: d.id,
      title: d.title,
      status: d.status,
      category: d.category,
      type: d.type,
      description: d.description,
    });
    p = d.parent;
  }
  return out;
}

/**
 * The docs the ticket links, then those its parents link (a task under a spec is explained
 * by the spec's design doc), nearest first; a doc linked twice is shown once.
 */
function linkedDocs(db: DB, ids: readonly string[]): Brief['docs'] {
  const stmt = db.prepare<{ target: string }>(
    "SELECT DISTINCT target FROM links WHERE src = ? AND target_kind = 'doc' ORDER BY target",
  );
  const seen = new Set<string>();
  const out: Brief['docs'] = [];
  for (const id of ids) {
    for (const { target } of stmt.all(id)) {
      const path = linkedDoc(target);
      if (seen.has(path)) continue;
      seen.add(path);
      const d = getDoc(db, path);
      out.push({ path, title: d?.title ?? null, body: d?.body ?? null, linked_by: id });
    }
  }
  return out;
}

/** Everything an agent new to the repo needs to do one ticket, gathered from the index and git. */
export function gatherBrief(db: DB, id: string, code: ReturnType<typeof codeWork>): Brief {
  const d = ticketDetails(db, id);
  if (!d) throw new TackError('not_found', `no ticket with id "${id}"`, { id });
  // The index orders comments by time, then by their random id: within one second an answer
  // could come before its question, so questions sort first among equals.
  const rank = (t: string) => (t.startsWith(QUESTION) ? 0 : t.startsWith(ANSWER) ? 1 : 2);
  const notes = d.comments
    .map((c): BriefNote => ({ author: c.author, created: c.created, text: c.body }))
    .sort((a, b) => (a.created < b.created ? -1 : a.created > b.created ? 1 : rank(a.text) - rank(b.text)));
  const questions: Brief['questions'] = [];
  for (const c of notes) {
    if (c.text.startsWith(QUESTION)) questions.push({ question: { ...c, text: stripMark(c.text) }, answer: null });
    else if (c.text.startsWith(ANSWER)) {
      const open = questions.find((q) => q.answer === null);
      if (open) open.answer = { ...c, text: stripMark(c.text) };
    }
  }
  const parents = parentChain(db, id);
  return {
    ticket: {
      id: d.id,
      title: d.title,
      status: d.status,
      category: d.category,
      type: d.type,
      priority: d.priority,
      assignee: d.assignee,
      audience: typeof d.audience === 'string' ? d.audience : null,
      labels: d.labels,
      description: d.description,
    },
    acceptance: acceptanceSection(d.description),
    parents,
    docs: linkedDocs(db, [id, ...parents.map((p) => p.id)]),
    blocked_by: refs(db, d.blocked_by),
    blocks: refs(db, d.blocks),
    children: refs(db, d.children),
    discovered_from: refs(db, d.relations.discovered_from ?? []),
    discovered: refs(db, d.relations.discovered ?? []),
    branch: code.branch,
    commits: code.commits,
    range: code.range,
    questions,
    reviews: notes.filter((c) => c.text.startsWith(REVIEW_MARK)),
    comments: notes.filter((c) => ![QUESTION, ANSWER, REVIEW_MARK, SUBMITTED].some((m) => c.text.startsWith(m))),
  };
}

/** What an agent's context takes well for one ticket: the task whole, long docs cut. */
const BRIEF_BUDGET = 12_000;

export default defineOp({
  name: 'brief',
  summary: 'A self-contained handoff for a coding agent: task, criteria, why, blockers, commits, Q&A',
  kind: 'read',
  cli: { args: ['id'] },
  input: z.object({
    id: idArg,
    budget: z
      .number()
      .int()
      .nonnegative()
      .optional()
      .describe(`cut linked docs to fit about this many bytes (default ${BRIEF_BUDGET}; 0: no limit)`),
  }),
  output: lazyShape(() => {
    const ref = z.strictObject({
      id: z.string(),
      title: z.string(),
      status: z.string(),
      category: z.string().nullable(),
      type: z.string(),
    });
    const note = z.strictObject({ author: z.string(), created: z.string(), text: z.string() });
    return z.strictObject({
      ticket: ref.extend({
        priority: z.string(),
        assignee: z.string().nullable(),
        audience: z.string().nullable(),
        labels: z.array(z.string()),
        description: z.string(),
      }),
      acceptance: z.string().nullable(),
      parents: z.array(ref.extend({ description: z.string() })),
      docs: z.array(
        z.strictObject({
          path: z.string(),
          title: z.string().nullable(),
          body: z.string().nullable(),
          linked_by: z.string(),
        }),
      ),
      blocked_by: z.array(ref),
      blocks: z.array(ref),
      children: z.array(ref),
      discovered_from: z.array(ref),
      discovered: z.array(ref),
      branch: z.string().nullable(),
      commits: z.array(mentionCommitShape()),
      range: z.string().nullable(),
      questions: z.array(z.strictObject({ question: note, answer: note.nullable() })),
      reservations: z
        .array(
          z.strictObject({
            pattern: z.string(),
            owner: z.string(),
            ticket: z.string().nullable(),
            expires: z.string(),
            mine: z.boolean(),
          }),
        )
        .optional(),
      reviews: z.array(note),
      comments: z.array(note),
      markdown: z.string(),
    });
  }),
  async run(ctx, input) {
    const idx = await ctx.index();
    const id = resolveId(idx.db, input.id);
    const short = getSummary(idx.db, id)?.short_id ?? id;
    const repo = ctx.store().repo;
    const brief = gatherBrief(idx.db, id, codeWork(repo, [id, short]));
    const text = [brief.ticket.description, ...brief.parents.map((p) => p.description)].join('\n');
    brief.reservations = forBrief(liveReservationsHere(ctx), {
      tickets: [id, ...brief.parents.map((p) => p.id), ...brief.children.map((c) => c.id)],
      paths: pathsNamedIn(text),
      me: ctx.user(),
    }).map(({ pattern, owner, ticket, expires, mine }) => ({ pattern, owner, ticket, expires, mine }));
    return { ...brief, markdown: briefMarkdown(brief, input.budget ?? BRIEF_BUDGET) };
  },
});
