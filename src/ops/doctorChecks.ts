import { isCrossRef } from '../model/crossRef.js';
import { isTackError } from '../model/errors.js';
import { cycleText, findCycle } from '../model/graph.js';
import type { Schema } from '../model/schema.js';
import { ticketFromData, validateTicket, type Ticket } from '../model/ticket.js';
import { parseTicketData } from '../model/ticketCodec.js';
import { misplacedTicket, ticketIdFromPath } from '../model/ticketPath.js';
import { blobSource, missingBlobProblem, readBlobs } from '../git/objects.js';
import { eachTreeEntry } from '../git/treeListing.js';
import { signingOn, storeRelative, type Store } from '../store/store.js';
import { ScannedTicket, scannedFields, type ScannedText } from './scannedTicket.js';
import { checkSignatures } from './signatureCheck.js';
import { frontMatterLine } from './frontMatterLine.js';
import { hasConflictMarkers } from '../model/conflictMarkers.js';
import { linkedDoc } from '../model/bodyRefs.js';

/*
 * The store-content checks of `tack doctor`, made on the files in git (not on the index,
 * which may be the thing that is wrong): parse, validate, ids, references, cycles.
 */

export type CheckName =
  | 'parse'
  | 'invalid'
  | 'duplicate_id'
  | 'dangling'
  | 'cycle'
  | 'stale_lease'
  | 'index'
  | 'leftover'
  | 'signature'
  | 'merge_driver'
  | 'conflict_markers'
  | 'archive_race'
  | 'uncommitted'
  | 'agent_docs'
  | 'layout';

export interface Finding {
  check: CheckName;
  message: string;
  path?: string;
  line?: number;
  id?: string;
  /** For dangling references: the field and the missing target. */
  field?: string;
  target?: string;
  fixable: boolean;
  fixed?: boolean;
  /** Reported, but not a reason to fail (e.g. unsigned commits: history cannot be re-signed). */
  warning?: boolean;
}

export { ScannedTicket, type ScannedFields, type ScannedText } from './scannedTicket.js';

/**
 * Every ticket file at `commit`, parsed and checked on its own (parse, schema, markers)
 * while its text is at hand, one at a time; what needs all tickets (ids, references, cycles)
 * is checked after, on the fields kept.
 */
export function scanTickets(
  store: Store,
  commit: string,
  schema: Schema,
): { tickets: ScannedTicket[]; docs: Set<string>; findings: Finding[] } {
  const tickets: ScannedTicket[] = [];
  const docs = new Set<string>();
  const findings: Finding[] = [];
  eachTreeEntry(store.repo, commit, store.prefix.replace(/\/$/, ''), (e) => {
    const rel = storeRelative(store, e.path);
    if (!rel) return;
    if (rel.startsWith('docs/')) docs.add(rel);
    // Archived tickets are checked too: live tickets may point at them.
    const loc = ticketIdFromPath(rel);
    const stray = loc ? null : misplacedTicket(rel);
    if (stray) findings.push({ check: 'layout', path: e.path, message: stray, fixable: false });
    if (loc) tickets.push(ScannedTicket.at(loc, e.sha, store.prefix));
  });
  // One git process writes every version into a file, each read when it is checked: memory
  // holds one text at a time (batches of 50,000 in memory peaked at 425 MiB at 100,000 tickets).
  const blobs = blobSource(
    store.repo,
    tickets.map((t) => t.sha),
    Number.POSITIVE_INFINITY,
  );
  try {
    for (const t of tickets) {
      const bytes = blobs.get(t.sha);
      if (bytes) scanOne(schema, t, bytes, findings);
      else
        findings.push({
          check: 'parse',
          path: t.path,
          line: 1,
          id: t.id,
          message: missingBlobProblem(t.sha),
          fixable: false,
        });
    }
  } finally {
    blobs.close();
  }
  // One by one: spread into push(), 100,000 findings would overflow the call stack.
  for (const f of [...bothLayouts(tickets), ...duplicateIds(tickets)]) findings.push(f);
  return { tickets, docs, findings };
}

/** Parse and check one file, leaving its fields (and its text, if it has markers) on `t`. */
function scanOne(schema: Schema, t: ScannedTicket, bytes: Buffer, findings: Finding[]): void {
  const text = bytes.toString('utf8');
  const f = { id: t.id, path: t.path };
  const marked = markerFinding(f, text);
  if (marked) {
    findings.push(marked);
    t.text = text;
  }
  let ticket: Ticket;
  try {
    // The bytes, not the lossy text: invalid UTF-8 is a finding of its own.
    ticket = ticketFromData(schema, parseTicketData(bytes, f.path));
  } catch (err) {
    if (!isTackError(err)) throw err;
    const d = (err.details ?? {}) as { line?: number; problem?: string };
    findings.push({
      check: 'parse',
      path: f.path,
      line: d.line ?? 1,
      id: f.id,
      message: d.problem ?? err.message,
      fixable: false,
    });
    return;
  }
  findings.push(...ticketProblems(schema, f, ticket, text));
  t.ticket = scannedFields(ticket, f.id);
}

/** A file with git's conflict markers (a merge made without Tack's merge driver). */
function markerFinding(f: { id: string; path: string }, text: string): Finding | null {
  if (!hasConflictMarkers(text)) return null;
  return {
    check: 'conflict_markers',
    path: f.path,
    id: f.id,
    line: text.split('\n').findIndex((l) => l.startsWith('<<<<<<<')) + 1,
    message: "git conflict markers (a merge made without Tack's merge driver); --fix merges the merge's parents again",
    fixable: true,
  };
}

/** The texts of these tickets, read again from their blobs in one batch where the scan dropped them. */
export function withTexts(store: Store, tickets: ScannedTicket[]): ScannedText[] {
  const blobs = readBlobs(
    store.repo,
    tickets.filter((t) => t.text === undefined).map((t) => t.sha),
  );
  return tickets.map((t) => ({
    id: t.id,
    path: t.path,
    sha: t.sha,
    ticket: t.ticket,
    text: t.text ?? (blobs.get(t.sha) ?? Buffer.alloc(0)).toString('utf8'),
  }));
}

/** The same ticket in both layouts of one folder: one is read, the other must go (by hand). */
function bothLayouts(tickets: ScannedTicket[]): Finding[] {
  // By folder, the first ticket of each id: a map of ids to places, not of path strings.
  const seen = [new Map<string, ScannedTicket>(), new Map<string, ScannedTicket>()];
  const out: Finding[] = [];
  for (const t of tickets) {
    const inFolder = seen[t.archived ? 1 : 0];
    const other = inFolder.get(t.id);
    if (other === undefined) inFolder.set(t.id, t);
    else
      out.push({
        check: 'layout',
        path: t.path,
        id: t.id,
        message: `ticket ${t.id} is in both layouts: ${other.path} and ${t.path}; remove the copy that is not in the schema's layout`,
        fixable: false,
      });
  }
  return out;
}

/** Schema violations of one ticket, with the line of the field; an id that does not match its file. */
function ticketProblems(schema: Schema, f: { id: string; path: string }, ticket: Ticket, text: string): Finding[] {
  return validateTicket(schema, ticket, f.id).map((p) => {
    const mismatch = p.field === 'id' && ticket.id !== '';
    return {
      check: mismatch ? 'duplicate_id' : 'invalid',
      path: f.path,
      line: frontMatterLine(text, p.field),
      id: f.id,
      field: p.field,
      message: p.message,
      fixable: mismatch || (p.field === 'id' && !ticket.id),
    };
  });
}

/** Files in different places that say the same `id:`. */
function duplicateIds(tickets: ScannedTicket[]): Finding[] {
  // Counted first (a number an id), so only the few ids said twice get their files listed.
  const count = new Map<string, number>();
  for (const t of tickets) {
    const id = t.declaredId;
    if (id) count.set(id, (count.get(id) ?? 0) + 1);
  }
  const byField = new Map<string, ScannedTicket[]>();
  for (const t of tickets) {
    const id = t.declaredId;
    if (id && count.get(id)! > 1) (byField.get(id) ?? byField.set(id, []).get(id)!).push(t);
  }
  const out: Finding[] = [];
  for (const [id, files] of byField) {
    // One file name in both layouts is the layout check's (bothLayouts), not a clash of ids.
    const folders = new Set(files.map((t) => `${t.archived ? 'archive' : 'tickets'}/${t.id}`));
    if (folders.size > 1)
      out.push({
        check: 'duplicate_id',
        id,
        message: `${files.map((t) => t.path).join(' and ')} all say "id: ${id}"`,
        fixable: true,
      });
  }
  return out;
}

const TICKET_LIKE = /^[a-z][a-z0-9]{0,9}-[0-9a-z]{3,}$/;

/** A reference → the full id it names (idResolver over the scanned tickets), or null. */
export type Resolve = (ref: string) => string | null;

/** Parent, relation and link targets that name no ticket or doc of the store. */
export function checkReferences(
  store: Store,
  tickets: ScannedTicket[],
  docs: Set<string>,
  resolve: Resolve,
): Finding[] {
  const dangling: Array<{ s: ScannedTicket; field: string; target: string; message: string }> = [];
  for (const s of tickets) {
    const t = s.ticket;
    if (!t) continue;
    const targets: Array<[string, string]> = [];
    if (t.parent) targets.push(['parent', t.parent]);
    for (const [kind, dsts] of Object.entries(t.relations)) for (const d of dsts) targets.push([kind, d]);
    for (const [field, target] of targets) {
      // A ticket of another store (`planning:tk-3fa9`): not this store's to judge; the
      // workspace warns when it cannot find it.
      if (isCrossRef(target)) continue;
      if (!resolve(target))
        dangling.push({ s, field, target, message: `${field} points at "${target}", which is not a ticket` });
    }
    for (const link of t.links) {
      // A doc link may name an anchor of the doc (docs/x.md#usage): the doc is what must exist.
      const missing = TICKET_LIKE.test(link) ? !resolve(link) : !docs.has(linkedDoc(link).replace(/^\.?\//, ''));
      if (missing)
        dangling.push({
          s,
          field: 'links',
          target: link,
          message: `links names "${link}", which does not exist in the store`,
        });
    }
  }
  // The line of each field, from the texts of the few tickets that have one, looked up once
  // a file and field (a file naming 1,000 missing tickets in one field is one lookup).
  const texts = new Map(withTexts(store, [...new Set(dangling.map((d) => d.s))]).map((t) => [t.path, t.text]));
  const lines = new Map<string, number>();
  const lineOf = (path: string, field: string): number => {
    const key = `${path}\u0000${field}`;
    let line = lines.get(key);
    if (line === undefined) lines.set(key, (line = frontMatterLine(texts.get(path) ?? '', field)));
    return line;
  };
  return dangling.map(({ s, field, target, message }) => ({
    check: 'dangling',
    path: s.path,
    line: lineOf(s.path, field),
    id: s.id,
    field,
    target,
    message,
    fixable: true,
  }));
}

/** A cycle in `parent` or in an acyclic relation (made by hand edits or merges). */
export function checkCycles(schema: Schema, tickets: ScannedTicket[], resolve: Resolve): Finding[] {
  const out: Finding[] = [];
  for (const kind of ['parent', ...schema.relations.filter((r) => r.acyclic).map((r) => r.name)]) {
    // Only tickets with an edge of this kind: one without is on no cycle (most tickets have
    // none, and an empty list each was most of what this check held at 100,000 tickets).
    const edges = new Map<string, string[]>();
    for (const s of tickets) {
      if (!s.ticket) continue;
      const raw = kind === 'parent' ? (s.ticket.parent ? [s.ticket.parent] : []) : (s.ticket.relations[kind] ?? []);
      const to = raw.map(resolve).filter((x): x is string => x !== null);
      if (to.length) edges.set(s.id, to);
    }
    const cycle = findCycle(edges, [...edges.keys()]);
    if (cycle)
      out.push({
        check: 'cycle',
        id: cycle[0],
        field: kind,
        message: `"${kind}" is circular: ${cycleText(cycle, ' → ')}; break it with \`tack unlink\` or \`tack update --parent none\``,
        fixable: false,
      });
  }
  return out;
}

/** With signing on: commits of the store's history that should be signed and are not (or badly). */
export function checkSigning(store: Store): Finding[] {
  if (!signingOn(store.repo)) return [];
  const r = checkSignatures(store, [store.ref], false);
  return r.problems.map((p) => ({
    check: 'signature' as const,
    id: p.sha,
    warning: true,
    fixable: false,
    message: `commit ${p.sha.slice(0, 8)} (${p.subject}): ${p.problem} (see \`tack verify\`)`,
  }));
}
