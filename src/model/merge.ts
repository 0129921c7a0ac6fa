import type { z } from 'zod';
import type { conflictRecordShape } from './settingsShapes.js';
import { isMap, type Pair, type YAMLMap } from 'yaml';
import { merge3, splitLines, joinLines } from './diff3.js';
import { fieldsOf, parseTicketFile, serializeTicketFile, setField, type TicketFile } from './ticketCodec.js';
import type { Comment } from './comments.js';
import { ticketIdFromPath } from './ticketPath.js';

/**
 * The one merge function (DESIGN §6): two versions of a store file against their base.
 * Fields merge three-way; lists merge their adds and removes; a scalar changed on both
 * sides goes to the version with the later `updated` (ties: the greater text, so every
 * clone picks the same), and the losing value is kept in the ticket's `conflicts` field.
 * Bodies merge by line; a conflicting chunk keeps the winner's lines and records the
 * loser's. Comments are unioned by id, their texts merged three ways. Never a conflict
 * marker, never lost text.
 */
export type ConflictRecord = z.infer<ReturnType<typeof conflictRecordShape>>;

export interface MergeResult {
  text: string;
  conflicts: ConflictRecord[];
}

/** The front-matter field where losing values are kept until someone resolves them. */
export const CONFLICTS_FIELD = 'conflicts';

/** One entry of a ticket's `conflicts` field, as stored. */
export interface StoredConflict {
  field: string;
  lost: unknown;
  kept?: unknown;
  /** `updated` of the version whose value lost. */
  at?: string;
}

const key = (v: unknown): string => JSON.stringify(v ?? null);
const eq = (a: unknown, b: unknown): boolean => key(a) === key(b);
const absent = (v: unknown): boolean => v === undefined || v === null;

/** x stays if both sides have it, or one side added it; a removal on either side wins. */
function mergeSet<T>(base: T[], ours: T[], theirs: T[], id: (x: T) => string, pick: (o: T, t: T) => T): T[] {
  const b = new Set(base.map(id));
  const o = new Map(ours.map((x) => [id(x), x]));
  const t = new Map(theirs.map((x) => [id(x), x]));
  const out: T[] = [];
  const seen = new Set<string>();
  for (const [k, x] of [...o, ...t]) {
    if (seen.has(k)) continue;
    seen.add(k);
    const inO = o.has(k);
    const inT = t.has(k);
    if ((inO && inT) || !b.has(k)) out.push(inO && inT ? pick(o.get(k)!, t.get(k)!) : x);
  }
  return out;
}

const asList = (v: unknown): unknown[] => (absent(v) ? [] : Array.isArray(v) ? v : [v]);
const isListish = (v: unknown): boolean => absent(v) || Array.isArray(v);

function timeOf(v: unknown): number {
  const t = typeof v === 'string' ? Date.parse(v) : NaN;
  return Number.isNaN(t) ? -Infinity : t;
}

/** Which version wins scalar conflicts: the later `updated`, then the greater text. */
function winnerOf(ours: TicketFile, theirs: TicketFile): 'ours' | 'theirs' {
  const to = timeOf(fieldsOf(ours).updated);
  const tt = timeOf(fieldsOf(theirs).updated);
  if (to !== tt) return to > tt ? 'ours' : 'theirs';
  return serializeTicketFile(ours) >= serializeTicketFile(theirs) ? 'ours' : 'theirs';
}

function keysOf(file: TicketFile): string[] {
  const map = file.doc.contents;
  return isMap(map)
    ? (map as YAMLMap).items.map((p: Pair) => String((p.key as { value?: unknown })?.value ?? p.key))
    : [];
}

interface Sides<T> {
  base: T;
  win: T;
  lose: T;
}

function mergeField(name: string, v: Sides<unknown>, side: 'ours' | 'theirs', conflicts: ConflictRecord[]): unknown {
  if (name === 'updated') return timeOf(v.win) >= timeOf(v.lose) ? v.win : v.lose;
  if (eq(v.win, v.lose) || eq(v.lose, v.base)) return v.win;
  if (eq(v.win, v.base)) return v.lose;
  if (isListish(v.win) && isListish(v.lose) && isListish(v.base)) {
    return mergeSet(asList(v.base), asList(v.win), asList(v.lose), key, (w) => w);
  }
  conflicts.push({ field: name, kept: v.win ?? null, lost: v.lose ?? null, keptSide: side });
  return v.win;
}

function mergeBody(v: Sides<string>, side: 'ours' | 'theirs', conflicts: ConflictRecord[]): string {
  const out: string[] = [];
  for (const c of merge3(splitLines(v.base), splitLines(v.win), splitLines(v.lose))) {
    if (c.kind === 'ok') out.push(...c.lines);
    else {
      out.push(...c.ours);
      if (c.theirs.length > 0)
        conflicts.push({ field: 'body', kept: joinLines(c.ours), lost: joinLines(c.theirs), keptSide: side });
    }
  }
  return joinLines(out);
}

/**
 * Comments union by id; a comment whose text only the losing side edited takes that edit,
 * and one both sides edited keeps the winner's text with the loser's recorded as a
 * conflict (field `comment <id>`), so no edit of a comment is ever lost. A tombstone
 * (deleted on either side) wins; an edit the other side made meanwhile is recorded.
 */
function mergeComments(v: Sides<Comment[]>, side: 'ours' | 'theirs', conflicts: ConflictRecord[]): Comment[] {
  const base = new Map(v.base.map((c) => [c.id, c]));
  const lose = new Map(v.lose.map((c) => [c.id, c]));
  const merged = mergeSet(
    v.base,
    v.win,
    v.lose,
    (c) => c.id,
    (w) => w,
  ).map((c) => {
    const [b, l] = [base.get(c.id), lose.get(c.id)];
    if (b === undefined || l === undefined || l === c) return c;
    return mergeOneComment({ base: b, win: c, lose: l }, side, conflicts);
  });
  return merged.sort((a, b) =>
    a.created < b.created ? -1 : a.created > b.created ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
  );
}

const later = (a?: string, b?: string): string | undefined => (a === undefined ? b : b === undefined || a >= b ? a : b);

function mergeOneComment(v: Sides<Comment>, side: 'ours' | 'theirs', conflicts: ConflictRecord[]): Comment {
  const gone = v.win.deleted !== undefined ? v.win : v.lose.deleted !== undefined ? v.lose : null;
  if (gone) {
    const other = gone === v.win ? v.lose : v.win;
    if (other.deleted === undefined && other.text !== v.base.text)
      conflicts.push({ field: `comment ${v.base.id}`, kept: null, lost: other.text, keptSide: side });
    return { ...gone, deleted: later(v.win.deleted, v.lose.deleted) };
  }
  if (v.lose.text === v.win.text || v.lose.text === v.base.text) return v.win;
  if (v.win.text === v.base.text) return v.lose;
  conflicts.push({ field: `comment ${v.base.id}`, kept: v.win.text, lost: v.lose.text, keptSide: side });
  return { ...v.win, edited: later(v.win.edited, v.lose.edited) };
}

function toStored(c: ConflictRecord, lostAt: unknown): StoredConflict {
  const out: StoredConflict = { field: c.field, lost: c.lost };
  if (c.field !== 'body') out.kept = c.kept;
  if (typeof lostAt === 'string') out.at = lostAt;
  return out;
}

/** Merge two parsed versions of a ticket against their base (null: added on both sides). */
export function mergeTicket(
  base: TicketFile | null,
  ours: TicketFile,
  theirs: TicketFile,
): { file: TicketFile; conflicts: ConflictRecord[] } {
  const side = winnerOf(ours, theirs);
  const [win, lose] = side === 'ours' ? [ours, theirs] : [theirs, ours];
  const bf = base ? fieldsOf(base) : {};
  const wf = fieldsOf(win);
  const lf = fieldsOf(lose);
  const conflicts: ConflictRecord[] = [];
  const file: TicketFile = { doc: win.doc.clone(), body: win.body, comments: win.comments };
  const names = [...new Set([...keysOf(win), ...keysOf(lose), ...(base ? keysOf(base) : [])])].filter(
    (k) => k !== CONFLICTS_FIELD,
  );
  for (const name of names) {
    const merged = mergeField(name, { base: bf[name], win: wf[name], lose: lf[name] }, side, conflicts);
    if (!eq(merged, wf[name])) setField(file, name, merged);
  }
  file.body = mergeBody({ base: base?.body ?? '', win: win.body, lose: lose.body }, side, conflicts);
  file.comments = mergeComments(
    { base: base?.comments ?? [], win: win.comments, lose: lose.comments },
    side,
    conflicts,
  );
  const stored = mergeSet(
    asList(bf[CONFLICTS_FIELD]),
    asList(wf[CONFLICTS_FIELD]),
    asList(lf[CONFLICTS_FIELD]),
    key,
    (w) => w,
  );
  stored.push(...conflicts.map((c) => toStored(c, lf.updated)));
  if (!eq(stored, asList(wf[CONFLICTS_FIELD]))) setField(file, CONFLICTS_FIELD, stored);
  return { file, conflicts };
}

export function mergeTicketText(base: string | null, ours: string, theirs: string, path: string): MergeResult {
  const { file, conflicts } = mergeTicket(
    base === null ? null : parseTicketFile(base, path),
    parseTicketFile(ours, path),
    parseTicketFile(theirs, path),
  );
  return { text: serializeTicketFile(file), conflicts };
}

/** How lines that lost a text conflict are preserved in a file that is not a ticket. */
type Keeper = (lost: string[]) => string[];

const yamlKeeper: Keeper = (lost) => [
  '# tack merge: a concurrent edit had these lines here instead:',
  ...lost.map((l) => `#   ${l}`),
];

const markdownKeeper: Keeper = (lost) => {
  const longest = Math.max(2, ...lost.map((l) => /^\s*(~+)/.exec(l)?.[1].length ?? 0));
  const fence = '~'.repeat(longest + 1);
  return [
    '',
    '<!-- tack merge: a concurrent edit had these lines here instead -->',
    `${fence}text`,
    ...lost,
    fence,
    '',
  ];
};

/**
 * Line merge of any other store file (schema.yaml, docs): where both sides changed the
 * same lines, the greater text's lines stay and the other's follow in a marked block
 * (YAML comments in .yaml files, a fenced block in markdown) — never conflict markers.
 */
export function mergeText(base: string | null, ours: string, theirs: string, path: string): MergeResult {
  const side: 'ours' | 'theirs' = ours >= theirs ? 'ours' : 'theirs';
  const [win, lose] = side === 'ours' ? [ours, theirs] : [theirs, ours];
  const keeper = /\.ya?ml$/.test(path) ? yamlKeeper : markdownKeeper;
  const out: string[] = [];
  const conflicts: ConflictRecord[] = [];
  for (const c of merge3(splitLines(base ?? ''), splitLines(win), splitLines(lose))) {
    if (c.kind === 'ok') out.push(...c.lines);
    else {
      out.push(...c.ours);
      if (c.theirs.length > 0) {
        out.push(...keeper(c.theirs));
        conflicts.push({ field: path, kept: joinLines(c.ours), lost: joinLines(c.theirs), keptSide: side });
      }
    }
  }
  return { text: joinLines(out), conflicts };
}

/**
 * Merge one store file by its path inside the store ('tickets/x.md', 'schema.yaml',
 * 'docs/a.md'). A ticket that does not parse is merged as text, so nothing is lost.
 */
export function mergeStoreFile(rel: string, base: string | null, ours: string, theirs: string): MergeResult {
  if (ours === theirs) return { text: ours, conflicts: [] };
  if (base !== null && ours === base) return { text: theirs, conflicts: [] };
  if (base !== null && theirs === base) return { text: ours, conflicts: [] };
  if (ticketIdFromPath(rel)) {
    try {
      return mergeTicketText(base, ours, theirs, rel);
    } catch {
      return mergeText(base, ours, theirs, rel);
    }
  }
  return mergeText(base, ours, theirs, rel);
}
