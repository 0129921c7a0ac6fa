import { isTackError } from '../model/errors.js';
import type { Schema } from '../model/schema.js';
import { provenanceOf } from '../model/provenance.js';
import { ticketFromData, validateTicket, type Ticket } from '../model/ticket.js';
import { parseTicketData } from '../model/ticketCodec.js';
import { YAML_LIMITS } from '../model/boundedYaml.js';
import { batches } from '../model/batches.js';
import type { LogCommit, LogPart } from '../git/log.js';
import type { LogFile } from '../git/logFile.js';
import { blobSource, readFileAt } from '../git/objects.js';
import { storeRelative, ticketIdOfTreePath, type Store } from '../store/store.js';
import { parseSchemaText } from '../store/storeReader.js';
import { agentBreach, criteriaBreach, gateBreaches, type AgentBreach } from './gates.js';

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

/**
 * A Tack commit (`namesItsTickets`: only those collect `touched`) must name exactly the
 * tickets whose files it changed.
 */
function checkTrailers(c: LogCommit, changed: number, touched: Map<string, string>, out: HistoryProblem[]): void {
  // An empty commit (older Tack versions wrote one for a write that changed nothing)
  // changes no file, so its trailers claim nothing false.
  if (changed === 0) return;
  const named = ticketsNamed(c);
  const subject = subjectOf(c);
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

/** A commit whose trailers must name the tickets it changed: Tack's own, not a merge (merges bring in others' changes). */
function namesItsTickets(c: LogCommit): boolean {
  return c.trailers['Tack-Op'] !== undefined && c.parents.length <= 1;
}

/**
 * A commit of more files than this is checked a part at a time (LogFile.parts): one commit
 * of 100,000 files held whole was ~65 MB of strings and objects at 100,000 tickets, and a
 * commit of a million would not fit at all.
 */
const PART_CHANGES = 5_000;

/**
 * Parts whose ticket versions one git process reads (blobSource), at most this many or this
 * many changed files; each version is then read when its change is checked. At 100,000
 * tickets `validate --all` peaked at 155 MiB with windows of 50,000 changes and 117 with
 * 20,000, for ~0.4 s more a window (two git processes, each opening the packs' indexes).
 */
const WINDOW_PARTS = 2_000;
const WINDOW_CHANGES = 20_000;

/** What checking carries from one commit to the next. */
interface CheckRun {
  store: Store;
  /** The schema as of the commit being checked. */
  schema: Schema | null;
  /** Breaches reported: each once, in the commit that made it. */
  seen: Set<string>;
  out: HistoryProblem[];
}

/** What checking carries from one part of a commit to the next. */
interface CommitCheck {
  /** Files the commit changed. */
  changed: number;
  /** Ticket → a path of it the commit changed; only where trailers must name them. */
  touched: Map<string, string> | null;
  /** Each ticket's changes that may pair up as a move (all of a commit in one part). */
  changes: Map<string, LogCommit['changes']>;
}

/**
 * Parse and validate every ticket version the log's commits wrote, against the schema of
 * their time, and check Tack's trailers. Memory follows a window of parts, not the history
 * nor the size of one commit.
 */
export function checkHistory(store: Store, log: LogFile): { problems: HistoryProblem[]; commits: number } {
  const run: CheckRun = { store, schema: null, seen: new Set(), out: [] };
  let commits = 0;
  let commit: CommitCheck | null = null;
  const parts = log.parts(PART_CHANGES, (path) => ticketIdOfTreePath(store, path));
  for (const window of batches(parts, WINDOW_PARTS, (p) => p.changes.length, WINDOW_CHANGES)) {
    if (commits === 0 && window[0].parents[0]) run.schema = schemaAt(store, window[0].parents[0]);
    const blobs = blobSource(store.repo, blobsOf(window), YAML_LIMITS.fileBytes);
    try {
      for (const p of window) {
        if (p.part === 0) {
          commits++;
          commit = beginCommit(run, p);
        }
        checkPart(run, p, commit!, blobs);
        if (!p.more) endCommit(run, p, commit!);
      }
    } finally {
      blobs.close();
    }
  }
  return { problems: run.out, commits };
}

function beginCommit(run: CheckRun, p: LogPart): CommitCheck {
  // A commit in parts may change the schema in a later part than some of its tickets:
  // its tickets are checked against its own schema, as a commit read whole is.
  if (p.more) run.schema = schemaAt(run.store, p.sha) ?? run.schema;
  return { changed: 0, touched: namesItsTickets(p) ? new Map() : null, changes: new Map() };
}

function checkPart(run: CheckRun, p: LogPart, commit: CommitCheck, blobs: Blobs): void {
  const { store, out } = run;
  commit.changed += p.changes.length;
  const schemaChange = p.changes.find((ch) => storeRelative(store, ch.path) === 'schema.yaml' && ch.status !== 'D');
  if (schemaChange) {
    try {
      run.schema = parseSchemaText(blobs.get(schemaChange.newSha)?.toString('utf8') ?? '', schemaChange.path);
    } catch (e) {
      out.push({
        commit: p.sha,
        subject: subjectOf(p),
        kind: 'schema',
        path: schemaChange.path,
        message: (e as Error).message,
      });
    }
  }
  for (const ch of p.changes) {
    const id = ticketIdOfTreePath(store, ch.path);
    if (!id) continue;
    commit.touched?.set(id, ch.path);
    // A move pairs two changes of one ticket; a commit in parts says which tickets have two.
    if (commit.touched && (!p.repeated || p.repeated.has(id)))
      (commit.changes.get(id) ?? commit.changes.set(id, []).get(id)!).push(ch);
    if (ch.status === 'D') continue;
    try {
      checkVersion(run, p, ch, id, blobs);
    } catch (e) {
      if (!isTackError(e)) throw e;
      const d = (e.details ?? {}) as { line?: number; problem?: string };
      out.push({
        commit: p.sha,
        subject: subjectOf(p),
        kind: 'parse',
        path: ch.path,
        line: d.line ?? 1,
        message: d.problem ?? e.message,
      });
    }
  }
}

function endCommit(run: CheckRun, c: LogCommit, commit: CommitCheck): void {
  if (!commit.touched) return;
  for (const id of movedOnly(run.store, commit.changes)) commit.touched.delete(id);
  checkTrailers(c, commit.changed, commit.touched, run.out);
}

function subjectOf(c: LogCommit): string {
  return c.message.split('\n', 1)[0];
}

/** One ticket version a commit wrote: valid, and within the gates of its time. */
function checkVersion(run: CheckRun, c: LogCommit, ch: LogCommit['changes'][number], id: string, blobs: Blobs): void {
  const data = parseTicketData(blobs.get(ch.newSha) ?? '', ch.path);
  const { schema, seen } = run;
  if (!schema) return;
  const problem = (kind: HistoryProblem['kind'], message: string) =>
    run.out.push({ commit: c.sha, subject: subjectOf(c), kind, path: ch.path, message });
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
 * in the other layout: a migration; archiving is a change of the ticket and is named): the
 * ticket is unchanged, so no trailer has to name it.
 */
function movedOnly(store: Store, byId: Map<string, LogCommit['changes']>): string[] {
  return [...byId]
    .filter(([, chs]) => {
      const gone = chs.find((ch) => ch.status === 'D');
      const added = chs.find((ch) => ch.status === 'A');
      const sameFolder = gone && added && folderOf(store, gone.path) === folderOf(store, added.path);
      return chs.length === 2 && sameFolder && gone.oldSha === added.newSha;
    })
    .map(([id]) => id);
}

function folderOf(store: Store, path: string): string {
  return (storeRelative(store, path) ?? path).split('/')[0];
}
