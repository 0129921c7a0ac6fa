import { z } from 'zod';
import { TackError, isTackError } from '../model/errors.js';
import type { Schema } from '../model/schema.js';
import { provenanceOf } from '../model/provenance.js';
import { ticketFromData, validateTicket, type Ticket } from '../model/ticket.js';
import { parseTicketData } from '../model/ticketCodec.js';
import { YAML_LIMITS } from '../model/boundedYaml.js';
import { batches } from '../model/batches.js';
import type { LogCommit } from '../git/log.js';
import { LogFile } from '../git/logFile.js';
import { leanHeap } from '../index/leanBuild.js';
import { blobSource, readFileAt } from '../git/objects.js';
import { isAncestor, requireRange } from '../git/refs.js';
import { getMeta, setMeta } from '../index/indexDb.js';
import { idFromAnyTicketPath, storeRelative, type Store } from '../store/store.js';
import { parseSchemaText } from '../store/storeReader.js';
import { agentBreach, criteriaBreach, gateBreaches, type AgentBreach } from './gates.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';
import { pageInputs, pageOfList } from './page.js';
import { pageNote } from './pageNote.js';

/** Problems listed unless asked for more: 20,000 broken files made an 8.5 MB answer. */
const PROBLEMS_LIMIT = 100;

/** One thing wrong with one commit of the store's history. */
export interface HistoryProblem {
  commit: string;
  subject: string;
  kind: 'parse' | 'invalid' | 'schema' | 'trailer' | 'gate';
  path?: string;
  line?: number;
  message: string;
}

const ZERO = /^0+$/;

function schemaAt(store: Store, rev: string): Schema | null {
  const text = readFileAt(store.repo, rev, `${store.prefix}schema.yaml`);
  try {
    return text === null ? null : parseSchemaText(text);
  } catch {
    return null;
  }
}

function ticketsNamed(c: LogCommit): Set<string> {
  return new Set((c.trailers['Tack-Ticket'] ?? []).flatMap((v) => v.split(/[\s,]+/)).filter(Boolean));
}

/** A Tack commit must name exactly the tickets whose files it changed (merges bring in others' changes). */
function checkTrailers(c: LogCommit, touched: Map<string, string>, out: HistoryProblem[]): void {
  // Merges bring in others' changes; an empty commit (older Tack versions wrote one for a
  // write that changed nothing) changes no file, so its trailers claim nothing false.
  if (!c.trailers['Tack-Op'] || c.parents.length > 1 || c.changes.length === 0) return;
  const named = ticketsNamed(c);
  const subject = c.message.split('\n', 1)[0];
  for (const [id, path] of touched) {
    if (!named.has(id))
      out.push({
        commit: c.sha,
        subject,
        kind: 'trailer',
        path,
        message: `changes ticket ${id} but has no "Tack-Ticket: ${id}" trailer`,
      });
  }
  for (const id of named) {
    if (!touched.has(id))
      out.push({
        commit: c.sha,
        subject,
        kind: 'trailer',
        message: `names ticket ${id} in a Tack-Ticket trailer but does not change its file`,
      });
  }
}

/** A commit an agent made by itself (a merge brings in others' changes: not its own). */
function byAgent(c: LogCommit): boolean {
  return c.parents.length <= 1 && provenanceOf(c.trailers)?.actor === 'agent';
}

/** The ticket as it was before a change (null: created here, or unreadable then). */
function versionBefore(schema: Schema, blobs: Blobs, ch: LogCommit['changes'][number]): Ticket | null {
  if (ch.status === 'A' || ZERO.test(ch.oldSha)) return null;
  try {
    return ticketFromData(schema, parseTicketData(blobs.get(ch.oldSha) ?? '', ch.path));
  } catch {
    return null;
  }
}

function agentBreachMessage(b: AgentBreach, id: string): string {
  if (b.kind === 'completed') return `gate complete_by: an agent moved ${id} to ${b.status}`;
  if (b.kind === 'created')
    return `gate agent_tickets_start_in: an agent created ${id} in ${b.status}, not ${b.expected}`;
  return `gate agent_tickets_start_in: an agent moved ${id} out of ${b.expected} to ${b.status}`;
}

type Blobs = Pick<ReturnType<typeof blobSource>, 'get'>;

/** The blobs a run of commits wrote, and (for the rules that compare) the versions before. */
function blobsOf(commits: LogCommit[]): string[] {
  return commits.flatMap((c) => [
    ...c.changes.filter((ch) => ch.status !== 'D' && !ZERO.test(ch.newSha)).map((ch) => ch.newSha),
    // The rules on agents and criteria_before compare with the version before (a merge brings in others' changes).
    ...(c.parents.length <= 1 ? c.changes.filter((ch) => !ZERO.test(ch.oldSha)).map((ch) => ch.oldSha) : []),
  ]);
}

/**
 * Commits whose ticket versions one git process reads (blobSource); each version is then
 * read when its change is checked, so memory holds one, whatever the commits wrote.
 */
const COMMIT_WINDOW = 2_000;

/** Parse and validate every ticket version the commits wrote, against the schema of their time. */
function checkCommits(store: Store, commits: Iterable<LogCommit>): { problems: HistoryProblem[]; commits: number } {
  const run: CheckRun = { store, schema: null, seen: new Set(), out: [] };
  let checked = 0;
  for (const batch of batches(commits, COMMIT_WINDOW)) {
    if (checked === 0 && batch[0].parents[0]) run.schema = schemaAt(store, batch[0].parents[0]);
    checked += batch.length;
    const blobs = blobSource(store.repo, blobsOf(batch), YAML_LIMITS.fileBytes);
    try {
      for (const c of batch) checkCommit(run, c, blobs);
    } finally {
      blobs.close();
    }
  }
  return { problems: run.out, commits: checked };
}

/** What checking carries from one commit to the next. */
interface CheckRun {
  store: Store;
  /** The schema as of the commit being checked. */
  schema: Schema | null;
  /** Breaches reported: each once, in the commit that made it. */
  seen: Set<string>;
  out: HistoryProblem[];
}

function checkCommit(run: CheckRun, c: LogCommit, blobs: Blobs): void {
  const { store, out } = run;
  const subject = c.message.split('\n', 1)[0];
  const touched = new Map<string, string>(); // ticket → a path of it the commit changed
  const schemaChange = c.changes.find((ch) => storeRelative(store, ch.path) === 'schema.yaml' && ch.status !== 'D');
  if (schemaChange) {
    try {
      run.schema = parseSchemaText(blobs.get(schemaChange.newSha)?.toString('utf8') ?? '', schemaChange.path);
    } catch (e) {
      out.push({ commit: c.sha, subject, kind: 'schema', path: schemaChange.path, message: (e as Error).message });
    }
  }
  for (const ch of c.changes) {
    const rel = storeRelative(store, ch.path);
    const id = rel ? idFromAnyTicketPath(rel) : null;
    if (!id) continue;
    touched.set(id, ch.path);
    if (ch.status === 'D') continue;
    try {
      checkVersion(run, c, ch, id, blobs);
    } catch (e) {
      if (!isTackError(e)) throw e;
      const d = (e.details ?? {}) as { line?: number; problem?: string };
      out.push({
        commit: c.sha,
        subject,
        kind: 'parse',
        path: ch.path,
        line: d.line ?? 1,
        message: d.problem ?? e.message,
      });
    }
  }
  for (const id of movedOnly(store, c)) touched.delete(id);
  checkTrailers(c, touched, out);
}

/** One ticket version a commit wrote: valid, and within the gates of its time. */
function checkVersion(run: CheckRun, c: LogCommit, ch: LogCommit['changes'][number], id: string, blobs: Blobs): void {
  const data = parseTicketData(blobs.get(ch.newSha) ?? '', ch.path);
  const { schema, seen } = run;
  if (!schema) return;
  const problem = (kind: HistoryProblem['kind'], message: string) =>
    run.out.push({ commit: c.sha, subject: c.message.split('\n', 1)[0], kind, path: ch.path, message });
  const t = ticketFromData(schema, data);
  for (const p of validateTicket(schema, t, id)) problem('invalid', p.message);
  for (const g of gateBreaches(schema, t.comments).filter(
    (b) => !seen.has(`${id}/${b.comment.id}`) && seen.add(`${id}/${b.comment.id}`),
  ))
    problem(
      'gate',
      `gate ${g.rule}: comment ${g.comment.id} by ${g.owner} decides their own ${g.rule === 'self_review' ? 'submission' : 'question'}`,
    );
  const op = c.trailers['Tack-Op']?.[0] ?? '';
  const before = c.parents.length <= 1 ? versionBefore(schema, blobs, ch) : undefined;
  const breach = byAgent(c) ? agentBreach(schema, before ?? null, t, op) : null;
  if (breach) problem('gate', agentBreachMessage(breach, id));
  const noCriteria = before !== undefined ? criteriaBreach(schema, before, t, op) : null;
  if (noCriteria)
    problem(
      'gate',
      `gate criteria_before: ${id} ${noCriteria.created ? 'was created in' : 'moved to'} ${noCriteria.status} without acceptance criteria (required from ${noCriteria.gate})`,
    );
}

/**
 * Tickets a commit only moved within their folder (one file removed, the same bytes added
 * in the other layout: a migration; archiving is a change of the ticket and is named): the ticket is unchanged, so no trailer has to name it.
 */
function movedOnly(store: Store, c: LogCommit): string[] {
  const byId = new Map<string, LogCommit['changes']>();
  for (const ch of c.changes) {
    const rel = storeRelative(store, ch.path);
    const id = rel ? idFromAnyTicketPath(rel) : null;
    if (id) (byId.get(id) ?? byId.set(id, []).get(id)!).push(ch);
  }
  return [...byId]
    .filter(([, chs]) => {
      const gone = chs.find((ch) => ch.status === 'D');
      const added = chs.find((ch) => ch.status === 'A');
      const sameFolder = gone && added && folderOf(store, gone.path) === folderOf(store, added.path);
      return chs.length === 2 && sameFolder && gone.oldSha === added.newSha;
    })
    .map(([id]) => id);
}

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
    let checked: ReturnType<typeof checkCommits>;
    const restore = leanHeap(); // every version is read once: little of it stays
    try {
      checked = checkCommits(store, log.commits());
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

function folderOf(store: Store, path: string): string {
  return (storeRelative(store, path) ?? path).split('/')[0];
}
