import { z } from 'zod';
import { TackError } from '../model/errors.js';
import { categoryOf, type Schema } from '../model/schema.js';
import type { DB } from '../index/indexDb.js';
import { getSummary } from '../index/queries.js';
import { resolveId } from '../index/ticketIds.js';
import { codeWork, type CodeWork } from '../git/mentions.js';
import { idArg } from './ticketInput.js';
import { editorEnv } from './applyEnv.js';
import { questionOwner, requireAgentSchema, SUBMITTED } from './agentShared.js';
import { applyComment } from './comment.js';
import { releaseFinished } from './claimShared.js';
import { mutate } from './mutate.js';
import { defineOp } from './op.js';
import { lazyShape, ticketSummaryShape } from '../model/jsonShapes.js';
import { mentionCommitShape } from '../model/workShapes.js';

/** The description of a review ticket: what to check, how, and where the work is. */
export function reviewBody(
  work: { id: string; title: string },
  criteria: string,
  instructions: string,
  code: CodeWork,
): string {
  const lines = [
    `Review the work on ${work.id}: ${work.title}`,
    '',
    '## Criteria',
    '',
    criteria.trim(),
    '',
    '## Instructions',
    '',
    instructions.trim(),
    '',
    '## Work',
    '',
    `- ticket: ${work.id}`,
    `- branch: ${code.branch ?? '(none)'}`,
  ];
  if (code.range) lines.push(`- diff: \`git diff ${code.range}\``);
  lines.push(code.commits.length ? '- commits:' : '- commits: none mention the ticket yet');
  for (const c of code.commits) lines.push(`  - ${c.sha.slice(0, 12)} ${c.subject} (${c.author})`);
  lines.push(
    '',
    `Decide with \`tack review ${work.id} approve "why"\` or \`tack review ${work.id} reject "what to change"\`.`,
  );
  return `${lines.join('\n')}\n`;
}

/** Review tickets of `work` that are still open. */
export function openReviews(db: DB, schema: Schema, work: string): string[] {
  const rows = db
    .prepare<{ id: string; status: string }>(`SELECT t.id, t.status FROM relations r JOIN tickets t ON t.id = r.src
    WHERE r.kind = 'reviews' AND r.dst = ? ORDER BY t.created DESC, t.id`)
    .all(work);
  return rows.filter((r) => !['completed', 'canceled'].includes(categoryOf(schema, r.status) ?? '')).map((r) => r.id);
}

export default defineOp({
  name: 'submit',
  summary:
    'Hand finished work to its human: in-review, plus a linked review ticket with criteria, instructions and commits',
  kind: 'write',
  destructive: false,
  idempotent: false,
  cli: { args: ['id'], short: { c: 'criteria', i: 'instructions' } },
  input: z.object({
    id: idArg,
    criteria: z.string().trim().min(1).describe('what the reviewer should check'),
    instructions: z.string().trim().min(1).describe('how to check it (commands, pages, data)'),
  }),
  output: lazyShape(() =>
    z.strictObject({
      ticket: ticketSummaryShape(),
      review: ticketSummaryShape(),
      reviewer: z.string().nullable(),
      branch: z.string().nullable(),
      commits: z.array(mentionCommitShape()),
      range: z.string().nullable(),
      commit: z.string().nullable(),
      released: z.array(z.string()),
      message: z.string(),
    }),
  ),
  async run(ctx, input) {
    const idx = await ctx.index();
    const short = getSummary(idx.db, resolveId(idx.db, input.id))?.short_id;
    const { commit, value } = await mutate(ctx, 'submit', (ed) => {
      requireAgentSchema(ed.schema, 'tack submit', ['in-review', 'review-type', 'reviews']);
      const env = editorEnv(ed, ctx);
      const id = env.resolve(input.id);
      const t = ed.ticket(id);
      const cat = categoryOf(ed.schema, t.status);
      if (cat === 'completed' || cat === 'canceled') {
        throw new TackError('invalid_input', `ticket ${id} is ${t.status} (${cat}); expected open work to submit`, {
          id,
          status: t.status,
        });
      }
      const pending = openReviews(ed.index.db, ed.schema, id);
      if (pending.length) {
        throw new TackError(
          'invalid_input',
          `ticket ${id} already waits for review in ${pending[0]}; decide it with \`tack review ${pending[0]} approve|reject\``,
          { id, review: pending[0] },
        );
      }
      const code = codeWork(ed.store.repo, [id, short ?? id]);
      // The review goes to the work's owner, as questions do: never to an agent or to the submitter.
      const reviewer = questionOwner(ed.index.db, t, env.user, (p) => (ed.exists(p) ? ed.ticket(p) : null)).owner;
      const fields: Array<[string, unknown]> = [
        ['title', `Review ${id}: ${t.title}`],
        ['type', 'review'],
        ['status', ed.schema.defaultStatus],
        ['priority', t.priority],
        ['labels', []],
        ['assignee', reviewer],
        ['parent', null],
        ['reviews', [id]],
        ['links', []],
        ['project', t.project],
      ];
      if (ed.schema.fields.some((f) => f.name === 'audience')) fields.push(['audience', 'human']);
      const review = ed.create(
        [...fields, ['created', ed.now], ['updated', ed.now]],
        reviewBody({ id, title: t.title }, input.criteria, input.instructions, code),
      );
      applyComment(ed, { id, text: `${SUBMITTED}for review in ${review}` }, env);
      ed.set(id, 'status', 'in-review');
      return { subject: `submit ${id} for review (${review})`, value: { id, review, reviewer, code } };
    });
    // The work is handed back: the submitter holds it no more (a rejection reassigns it).
    const released = releaseFinished(ctx, [value.id], [ctx.user()], commit);
    const db = (await ctx.index()).db;
    return {
      ticket: getSummary(db, value.id)!,
      review: getSummary(db, value.review)!,
      reviewer: value.reviewer,
      branch: value.code.branch,
      commits: value.code.commits,
      range: value.code.range,
      commit,
      released,
      message: `${value.id} is in review: ${value.review}${value.reviewer ? ` assigned to ${value.reviewer}` : ''} (${value.code.commits.length} commit${value.code.commits.length === 1 ? '' : 's'})`,
    };
  },
});
