import { isCrossRef } from '../model/crossRef.js';
import { isTackError } from '../model/errors.js';
import { findCycle } from '../model/graph.js';
import type { Schema } from '../model/schema.js';
import { ticketFromData, validateTicket, type Ticket } from '../model/ticket.js';
import { parseTicketData } from '../model/ticketCodec.js';
import { misplacedTicket } from '../model/ticketPath.js';
import { lsTree, readBlobs } from '../git/objects.js';
import { idFromAnyTicketPath, signingOn, storeRelative, type Store } from '../store/store.js';
import { checkSignatures } from './signatureCheck.js';
import { frontMatterLine } from './frontMatterLine.js';

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

export interface ScannedTicket {
  id: string;
  path: string;
  text: string;
  ticket: Ticket | null;
}

/** Every ticket file at `commit`, parsed. */
export function scanTickets(
  store: Store,
  commit: string,
  schema: Schema,
): { tickets: ScannedTicket[]; docs: Set<string>; findings: Finding[] } {
  const entries = lsTree(store.repo, commit, store.prefix.replace(/\/$/, ''));
  const texts = readBlobs(
    store.repo,
    entries.map((e) => e.sha),
  );
  const tickets: ScannedTicket[] = [];
  const docs = new Set<string>();
  const findings: Finding[] = [];
  for (const e of entries) {
    const rel = storeRelative(store, e.path);
    if (!rel) continue;
    if (rel.startsWith('docs/')) docs.add(rel);
    // Archived tickets are checked too: live tickets may point at them.
    const id = idFromAnyTicketPath(rel);
    const stray = id ? null : misplacedTicket(rel);
    if (stray) findings.push({ check: 'layout', path: e.path, message: stray, fixable: false });
    if (!id) continue;
    const bytes = texts.get(e.sha) ?? Buffer.alloc(0);
    const text = bytes.toString('utf8');
    try {
      // The bytes, not the lossy text: invalid UTF-8 is a finding of its own.
      tickets.push({ id, path: e.path, text, ticket: ticketFromData(schema, parseTicketData(bytes, e.path)) });
    } catch (err) {
      if (!isTackError(err)) throw err;
      const d = (err.details ?? {}) as { line?: number; problem?: string };
      tickets.push({ id, path: e.path, text, ticket: null });
      findings.push({
        check: 'parse',
        path: e.path,
        line: d.line ?? 1,
        id,
        message: d.problem ?? err.message,
        fixable: false,
      });
    }
  }
  findings.push(...bothLayouts(tickets));
  return { tickets, docs, findings };
}

/** The folder and file id of a ticket: the same key twice is one ticket in both layouts. */
function folderKey(t: ScannedTicket): string {
  return `${t.path.includes('archive/') ? 'archive' : 'tickets'}/${t.id}`;
}

/** The same ticket in both layouts of one folder: one is read, the other must go (by hand). */
function bothLayouts(tickets: ScannedTicket[]): Finding[] {
  const seen = new Map<string, string>();
  const out: Finding[] = [];
  for (const t of tickets) {
    const key = folderKey(t);
    const other = seen.get(key);
    if (other === undefined) seen.set(key, t.path);
    else
      out.push({
        check: 'layout',
        path: t.path,
        id: t.id,
        message: `ticket ${t.id} is in both layouts: ${other} and ${t.path}; remove the copy that is not in the schema's layout`,
        fixable: false,
      });
  }
  return out;
}

/** Schema violations (with the line of the field) and ids that do not match their file. */
export function checkValidity(schema: Schema, tickets: ScannedTicket[]): Finding[] {
  const out: Finding[] = [];
  const byField = new Map<string, string[]>();
  const fileIds = new Map<string, Set<string>>();
  for (const s of tickets) {
    if (!s.ticket) continue;
    if (s.ticket.id) (byField.get(s.ticket.id) ?? byField.set(s.ticket.id, []).get(s.ticket.id)!).push(s.path);
    if (s.ticket.id)
      (fileIds.get(s.ticket.id) ?? fileIds.set(s.ticket.id, new Set()).get(s.ticket.id)!).add(folderKey(s));
    for (const p of validateTicket(schema, s.ticket, s.id)) {
      const mismatch = p.field === 'id' && s.ticket.id !== '';
      out.push({
        check: mismatch ? 'duplicate_id' : 'invalid',
        path: s.path,
        line: frontMatterLine(s.text, p.field),
        id: s.id,
        field: p.field,
        message: p.message,
        fixable: mismatch || (p.field === 'id' && !s.ticket.id),
      });
    }
  }
  for (const [id, paths] of byField) {
    // One file name in both layouts is the layout check's (bothLayouts), not a clash of ids.
    if (paths.length > 1 && (fileIds.get(id)?.size ?? 0) > 1)
      out.push({ check: 'duplicate_id', id, message: `${paths.join(' and ')} all say "id: ${id}"`, fixable: true });
  }
  return out;
}

/** Reference → full id: exact, or the unique id it is a prefix of (hand-written refs). */
export function resolver(ids: string[]): (ref: string) => string | null {
  const set = new Set(ids);
  const sorted = [...ids].sort();
  return (ref) => {
    if (set.has(ref)) return ref;
    const hits = sorted.filter((x) => x.startsWith(ref));
    return hits.length === 1 ? hits[0] : null;
  };
}

const TICKET_LIKE = /^[a-z][a-z0-9]{0,9}-[0-9a-z]{3,}$/;

/** Parent, relation and link targets that name no ticket or doc of the store. */
export function checkReferences(tickets: ScannedTicket[], docs: Set<string>): Finding[] {
  const resolve = resolver(tickets.map((t) => t.id));
  const out: Finding[] = [];
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
        out.push({
          check: 'dangling',
          path: s.path,
          line: frontMatterLine(s.text, field),
          id: s.id,
          field,
          target,
          message: `${field} points at "${target}", which is not a ticket`,
          fixable: true,
        });
    }
    for (const link of t.links) {
      const missing = TICKET_LIKE.test(link) ? !resolve(link) : !docs.has(link.replace(/^\.?\//, ''));
      if (missing)
        out.push({
          check: 'dangling',
          path: s.path,
          line: frontMatterLine(s.text, 'links'),
          id: s.id,
          field: 'links',
          target: link,
          message: `links names "${link}", which does not exist in the store`,
          fixable: true,
        });
    }
  }
  return out;
}

/** A cycle in `parent` or in an acyclic relation (made by hand edits or merges). */
export function checkCycles(schema: Schema, tickets: ScannedTicket[]): Finding[] {
  const resolve = resolver(tickets.map((t) => t.id));
  const out: Finding[] = [];
  for (const kind of ['parent', ...schema.relations.filter((r) => r.acyclic).map((r) => r.name)]) {
    const edges = new Map<string, string[]>();
    for (const s of tickets) {
      if (!s.ticket) continue;
      const raw = kind === 'parent' ? (s.ticket.parent ? [s.ticket.parent] : []) : (s.ticket.relations[kind] ?? []);
      edges.set(
        s.id,
        raw.map(resolve).filter((x): x is string => x !== null),
      );
    }
    const cycle = findCycle(edges, [...edges.keys()]);
    if (cycle)
      out.push({
        check: 'cycle',
        id: cycle[0],
        field: kind,
        message: `"${kind}" is circular: ${cycle.join(' → ')}; break it with \`tack unlink\` or \`tack update --parent none\``,
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
