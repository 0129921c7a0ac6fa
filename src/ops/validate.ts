import { z } from 'zod';
import { TackError } from '../model/errors.js';
import { LogFile } from '../git/logFile.js';
import { leanHeap } from '../index/leanBuild.js';
import { isAncestor, requireRange } from '../git/refs.js';
import { getMeta, setMeta } from '../index/indexDb.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';
import { pageInputs, pageOfList } from './page.js';
import { pageNote } from './pageNote.js';
import { checkHistory } from './validateHistory.js';

/** Problems listed unless asked for more: 20,000 broken files made an 8.5 MB answer. */
const PROBLEMS_LIMIT = 100;

export default defineOp({
  name: 'validate',
  summary: "Check the store's history: every ticket version parses and is valid, Tack trailers match the files changed",
  kind: 'read',
  cli: { args: ['rev'] },
  input: z.object({
    rev: z
      .string()
      .min(1)
      .optional()
      .describe('a revision or range (A..B) to check (default: commits not yet validated)'),
    all: z.boolean().optional().describe('check the whole history again'),
    ...pageInputs(PROBLEMS_LIMIT),
  }),
  output: lazyShape(() =>
    z.strictObject({
      ok: z.boolean(),
      range: z.string().nullable(),
      commits: z.number(),
      problems: z.array(
        z.strictObject({
          commit: z.string(),
          subject: z.string(),
          kind: z.enum(['parse', 'invalid', 'schema', 'trailer', 'gate']),
          path: z.string().optional(),
          line: z.number().optional(),
          message: z.string(),
        }),
      ),
      /** Problems in all: `problems` is a page of them (--limit, --offset). */
      problems_total: z.number(),
      /** Where the next page of problems starts (--offset, with the range), null after the last. */
      next_offset: z.number().nullable(),
      message: z.string(),
    }),
  ),
  async run(ctx, input) {
    const store = ctx.store();
    const idx = await ctx.index();
    const head = idx.commit;
    const none = { problems: [], problems_total: 0, next_offset: null };
    if (!head) return { ok: true, range: null, commits: 0, ...none, message: 'the store has no commits yet' };
    const last = input.all || input.rev ? null : getMeta(idx.db, 'validated');
    let range = input.rev ?? head;
    if (!input.rev && last && last !== head && isAncestor(store.repo, last, head)) range = `${last}..${head}`;
    else if (!input.rev && last === head)
      return {
        ok: true,
        range: head,
        commits: 0,
        ...none,
        message: `nothing new to check since ${head.slice(0, 10)} (--all checks everything again)`,
      };
    if (input.rev) {
      const r = requireRange(store.repo, input.rev);
      range = r.from ? `${r.from}..${r.to}` : r.to;
    }
    const log = new LogFile(store.repo, range, store.prefix.replace(/\/$/, ''));
    let checked: ReturnType<typeof checkHistory>;
    const restore = leanHeap(); // every version is read once: little of it stays
    try {
      checked = checkHistory(store, log);
    } finally {
      restore();
      log.close();
    }
    const { problems, commits } = checked;
    const { items: shown, info, next } = pageOfList(problems, input, PROBLEMS_LIMIT);
    const out = {
      ok: problems.length === 0,
      range,
      commits,
      problems: shown,
      problems_total: problems.length,
      next_offset: next?.offset ?? null,
    };
    // Remember where this run ended: history cannot change, so the next run checks only
    // what came after (a problem is reported once; --all reports everything again).
    if (!input.rev) idx.db.transaction(() => setMeta(idx.db, 'validated', head)).immediate();
    if (problems.length) {
      // The run moved `validated` past this range: the next page is asked of the range itself.
      const more = next ? [`${pageNote(info, 'problems')} (\`tack validate ${range} --offset ${next.offset}\`)`] : [];
      const lines = shown.map(
        (p) =>
          `${p.commit.slice(0, 10)} ${p.path ? `${p.path}${p.line ? `:${p.line}` : ''}: ` : ''}[${p.kind}] ${p.message}`,
      );
      throw new TackError(
        'check_failed',
        `tack validate found ${problems.length} problem${problems.length === 1 ? '' : 's'} in ${commits} commits:\n${[...lines, ...more].join('\n')}`,
        out,
      );
    }
    return {
      ...out,
      message: `${commits} commit${commits === 1 ? '' : 's'} checked (${range.length > 40 ? `${range.slice(0, 10)}..${head.slice(0, 10)}` : range.slice(0, 10)}): no problems`,
    };
  },
});
