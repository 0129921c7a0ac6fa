import type { Database } from './sqlite.js';
import type { LogCommit, LogPart } from '../git/log.js';
import { LogFile } from '../git/logFile.js';
import type { BlobFile } from '../git/blobFile.js';
import { blobFileOf } from '../git/objects.js';
import { YAML_LIMITS } from '../model/boundedYaml.js';
import { provenanceOf } from '../model/provenance.js';
import type { Comment } from '../model/comments.js';
import type { TicketData } from '../model/ticket.js';
import { idFromAnyTicketPath, storeRelative, ticketIdOfTreePath, type Store } from '../store/store.js';
import type { Parsed } from './ticketRows.js';
import { RowBatch } from './rowBatch.js';

/** One row per field change per commit, derived from git log: the history table. */
export interface FieldChange {
  field: string;
  old: string | null;
  new: string | null;
}

function show(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

/** What changed between two versions of a ticket, field by field ("updated" is noise). */
export function diffTicketData(before: TicketData | null, after: TicketData | null): FieldChange[] {
  if (!after) return [{ field: 'deleted', old: show(before?.fields.title), new: null }];
  const out: FieldChange[] = [];
  const b = before?.fields ?? {};
  const field = (k: string) => {
    if (k === 'updated' || (!before && k === 'id')) return;
    const o = show(b[k]);
    const n = show(after.fields[k]);
    if (o !== n) out.push({ field: k, old: o, new: n });
  };
  // The fields before, then those new after: the order of a set of both, without making one
  // per version (a full build diffs every version of every ticket).
  for (const k of Object.keys(b)) field(k);
  for (const k of Object.keys(after.fields)) if (!Object.hasOwn(b, k)) field(k);
  if ((before?.body ?? '') !== after.body)
    out.push({ field: 'description', old: before ? before.body : null, new: after.body });
  out.push(...diffComments(before?.comments ?? [], after.comments));
  return out;
}

/** Comments added, edited (`comment-edit`) and deleted (`comment-delete`, a tombstone). */
function diffComments(before: readonly Comment[], after: readonly Comment[]): FieldChange[] {
  if (before.length === 0 && after.length === 0) return [];
  const out: FieldChange[] = [];
  const was = new Map(before.map((c) => [c.id, c]));
  for (const c of after) {
    const b = was.get(c.id);
    if (c.deleted !== undefined) {
      if (b && b.deleted === undefined) out.push({ field: 'comment-delete', old: `${c.id}: ${b.text}`, new: null });
    } else if (!b || b.deleted !== undefined) out.push({ field: 'comment', old: null, new: `${c.id}: ${c.text}` });
    else if (b.text !== c.text)
      out.push({ field: 'comment-edit', old: `${c.id}: ${b.text}`, new: `${c.id}: ${c.text}` });
  }
  return out;
}

export interface HistoryDeps {
  /** Parsed content of the given blobs (fetched in bulk and cached by the caller), read from `from` when there. */
  parseBlobs(shas: string[], paths: Map<string, string>, from?: BlobFile): Map<string, Parsed>;
  progress?: (done: number, total: number, label: string) => void;
}

/**
 * A window of history indexed at once: up to this many commits or changed files. One git
 * process reads a window's ticket versions (BlobFile), so a larger window starts fewer
 * processes; a smaller one holds fewer commits in memory (~2 KB each). A commit of more
 * files comes in parts of PART_CHANGES, which windows may split.
 */
const WINDOW_COMMITS = 10_000;
const WINDOW_CHANGES = 50_000;
const PART_CHANGES = 5_000;

/**
 * Append the commits of `range` to the history tables, oldest first, a window of commits at
 * a time: memory follows the window, not the length of the history nor the size of one
 * commit. Returns how many commits, and the commit itself when there was exactly one (and it
 * came whole). `partChanges`: smaller in tests, so a few files make a commit of several parts.
 */
export function indexHistory(
  db: Database,
  store: Store,
  range: string,
  deps: HistoryDeps,
  partChanges = PART_CHANGES,
): { commits: number; only: LogCommit | null } {
  const log = new LogFile(store.repo, range, store.prefix.replace(/\/$/, ''));
  try {
    const total = deps.progress ? log.count() : 0;
    let done = 0;
    let window: LogPart[] = [];
    let changes = 0;
    let last: LogPart | null = null;
    const progress = deps.progress;
    const held: Held = new Map();
    const flush = () => {
      const base = done;
      const counted = progress && {
        ...deps,
        progress: (i: number, _n: number, label: string) => progress(base + i, total, label),
      };
      done += indexCommits(db, store, window, counted || deps, held);
      window = [];
      changes = 0;
    };
    // A commit's message and trailers are written with its first part (insertCommit).
    const parts = log.parts(partChanges, (path) => ticketIdOfTreePath(store, path), { messageOnce: true });
    for (const c of parts) {
      window.push(c);
      last = c;
      changes += c.changes.length;
      if (changes >= WINDOW_CHANGES || window.length >= WINDOW_COMMITS) flush();
    }
    flush();
    const whole = last !== null && last.part === 0 && !last.more;
    return { commits: done, only: done === 1 && whole ? last : null };
  } finally {
    log.close();
  }
}

/**
 * History is walked in batches of ticket changes (a commit of 100,000 files is split too), so
 * a store whose past holds hundreds of MiB of ticket versions, or one commit that wrote every
 * ticket, is indexed in bounded memory: a batch holds up to BATCH_BYTES of blobs or
 * BATCH_BLOBS blobs. The versions come from one BlobFile (one git process for them all).
 */
const BATCH_BYTES = 8 * 1024 * 1024;
// The versions now come from one file, so a batch's size costs nothing in git processes;
// a smaller batch has fewer parsed versions alive when V8 scavenges, which it would promote
// to the old space (a rebuild at 100,000 tickets peaked at 575 MiB with 4,096, 525 with 1,024).
const BATCH_BLOBS = 1024;
/** Few versions in all (a write's own commit) get no BlobFile and no sizes (blobFileOf), so
 * their batches are bounded by count alone: 64 versions (of at most 8 MiB each). */
const UNSIZED_BATCH_BLOBS = 64;

/** One ticket's change in one commit (a move between tickets/ and archive/ is one change). */
interface TicketChange {
  id: string;
  seq: number;
  path: string;
  old: string | null;
  new: string | null;
  wasArchived: boolean | null;
  isArchived: boolean | null;
}

type Statements = ReturnType<typeof statements>;

function statements(db: Database) {
  return {
    commit:
      db.prepare(`INSERT OR IGNORE INTO commits(sha, parents, author_name, author_email, author_time, committer_name,
      committer_time, subject, message, op, seq, actor, agent, harness, model, session)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    seqOf: db.prepare<{ seq: number }>('SELECT seq FROM commits WHERE sha = ?'),
    trailer: db.prepare('INSERT INTO commit_trailer_rows(seq, key, value) VALUES (?, ?, ?)'),
    ticket: new RowBatch(db, 'INSERT OR IGNORE INTO commit_ticket_rows(seq, ticket)', 2),
    version: new RowBatch(db, 'INSERT OR IGNORE INTO file_version_rows(seq, path, blob, status)', 4),
    history: new RowBatch(db, 'INSERT OR IGNORE INTO history_rows(ticket, seq, n, field, old, new)', 6),
  };
}

/**
 * A commit's ticket changes held until its last part (a ticket whose file more than one of its
 * changes touches, e.g. moved to archive/, is one change), by ticket id.
 */
type Held = Map<string, TicketChange>;

/**
 * Append commits (oldest first) with the files each changed to the history tables; a commit
 * may come in parts (LogPart), in order. Returns how many commits began.
 */
export function indexCommits(
  db: Database,
  store: Store,
  commits: Array<LogCommit | LogPart>,
  deps: HistoryDeps,
  held: Held = new Map(),
): number {
  if (commits.length === 0) return 0;
  const versions = historyVersions(store, commits);
  try {
    return walk(db, store, commits, deps, versions, held);
  } finally {
    versions?.close();
  }
}

function walk(
  db: Database,
  store: Store,
  commits: Array<LogCommit | LogPart>,
  deps: HistoryDeps,
  versions: ReturnType<typeof blobFileOf>,
  held: Held,
): number {
  let next = db.prepare<{ s: number }>('SELECT coalesce(max(seq), 0) AS s FROM commits').get()!.s;
  const st = statements(db);
  // Field history is written in commit order, batch by batch, once a batch's blobs are parsed.
  let pending: TicketChange[] = [];
  let blobs = 0;
  let bytes = 0;
  let began = 0;
  const flush = (): void => {
    const need: string[] = [];
    const paths = new Map<string, string>();
    for (const ch of pending)
      for (const sha of [ch.old, ch.new]) {
        if (!sha) continue;
        need.push(sha);
        paths.set(sha, ch.path);
      }
    const parsed = deps.parseBlobs(need, paths, versions ?? undefined);
    for (const ch of pending) insertFieldHistory(st, ch, parsed);
    pending = [];
    blobs = 0;
    bytes = 0;
  };
  for (const c of commits) {
    const first = !('part' in c) || c.part === 0;
    if (first) began++;
    const seq = first ? insertCommit(st, c, ++next) : st.seqOf.get(c.sha)!.seq;
    insertVersions(st, store, c, seq);
    for (const ch of ticketChanges(store, c, seq, held)) {
      st.ticket.add(seq, ch.id);
      pending.push(ch);
      for (const sha of [ch.old, ch.new]) {
        if (!sha) continue;
        blobs++;
        bytes += versions?.sizeOf(sha) ?? 0;
      }
      if (blobs >= (versions ? BATCH_BLOBS : UNSIZED_BATCH_BLOBS) || bytes >= BATCH_BYTES) flush();
    }
    deps.progress?.(began, commits.length, 'indexing history');
  }
  flush();
  for (const rows of [st.version, st.ticket, st.history]) rows.flush();
  return began;
}

function dataOfBlob(parsed: Map<string, Parsed>, sha: string): TicketData | null {
  if (/^0+$/.test(sha)) return null;
  const p = parsed.get(sha);
  return p?.ok ? p.data : null;
}

/**
 * Every ticket version the commits name, in the order the walk asks for them, read by one git
 * process into a BlobFile, with their sizes; none when there are too few to be worth it.
 */
function historyVersions(store: Store, commits: LogCommit[]): ReturnType<typeof blobFileOf> {
  const shas = new Set<string>();
  for (const c of commits)
    for (const ch of c.changes) {
      if (!ticketIdOfTreePath(store, ch.path)) continue;
      for (const sha of [ch.oldSha, ch.newSha]) if (!/^0+$/.test(sha)) shas.add(sha);
    }
  return blobFileOf(store.repo, shas, YAML_LIMITS.fileBytes);
}

/** The commit's own rows (commit, trailers); returns its seq. */
function insertCommit(st: Statements, c: LogCommit, seq: number): number {
  const subject = c.message.split('\n', 1)[0];
  const p = provenanceOf(c.trailers);
  const added = st.commit.run(
    c.sha,
    c.parents.join(' '),
    c.authorName,
    c.authorEmail,
    c.authorTime,
    c.committerName,
    c.committerTime,
    subject,
    c.message,
    c.trailers['Tack-Op']?.[0] ?? null,
    seq,
    p?.actor ?? null,
    p?.agent ?? null,
    p?.harness ?? null,
    p?.model ?? null,
    p?.session ?? null,
  );
  // A commit indexed before keeps its seq (the rows below name the commit by it).
  if (Number(added.changes) === 0) seq = st.seqOf.get(c.sha)!.seq;
  for (const [k, vs] of Object.entries(c.trailers)) for (const v of vs) st.trailer.run(seq, k, v);
  for (const id of c.trailers['Tack-Ticket'] ?? [])
    for (const one of id.split(/[\s,]+/).filter(Boolean)) st.ticket.add(seq, one);
  return seq;
}

/** The file versions of a commit (or of one part of it). */
function insertVersions(st: Statements, store: Store, c: LogCommit, seq: number): void {
  for (const ch of c.changes) {
    const rel = storeRelative(store, ch.path);
    if (rel) st.version.add(seq, rel, ch.status === 'D' ? null : ch.newSha, ch.status);
  }
}

/**
 * The tickets a commit (or one part of it) changed, one change each (a file moved between
 * tickets/ and archive/ is one). A ticket another part may touch too (`repeated`) is held
 * until the commit's last part.
 */
function ticketChanges(store: Store, c: LogCommit | LogPart, seq: number, held: Held): Iterable<TicketChange> {
  const moves = new Map<string, TicketChange>();
  const repeated = 'repeated' in c ? c.repeated : undefined;
  for (const ch of c.changes) {
    const rel = storeRelative(store, ch.path);
    const id = rel ? idFromAnyTicketPath(rel) : null;
    if (!rel || !id) continue;
    const into = repeated?.has(id) ? held : moves;
    const m = into.get(id) ?? { id, seq, path: ch.path, old: null, new: null, wasArchived: null, isArchived: null };
    const archived = rel.startsWith('archive/');
    if (!/^0+$/.test(ch.oldSha) && ch.status !== 'A') {
      m.old = ch.oldSha;
      m.wasArchived = archived;
    }
    if (ch.status !== 'D') {
      m.new = ch.newSha;
      m.isArchived = archived;
      m.path = ch.path;
    }
    into.set(id, m);
  }
  if (!('more' in c) || !c.more) {
    for (const [id, m] of held) moves.set(id, m);
    held.clear();
  }
  return moves.values();
}

function insertFieldHistory(st: Statements, m: TicketChange, parsed: Map<string, Parsed>): void {
  const before = m.old ? dataOfBlob(parsed, m.old) : null;
  const after = m.new ? dataOfBlob(parsed, m.new) : null;
  if (!after && m.new) return; // an unparsable version: no field history for it
  const changes = diffTicketData(before, after);
  if (after && m.isArchived !== (m.wasArchived ?? false))
    changes.push({ field: 'archived', old: String(m.wasArchived ?? false), new: String(m.isArchived) });
  changes.forEach((f, n) => {
    st.history.add(m.id, m.seq, n, f.field, f.old, f.new);
  });
}
