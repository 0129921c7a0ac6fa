import { isGuarding, isLive } from '../model/lease.js';
import { TackError } from '../model/errors.js';
import { listLeaseRefs } from '../git/leaseRefs.js';
import { readLeaseCommits } from '../git/leases.js';
import { readFileAt } from '../git/objects.js';
import type { Store } from '../store/store.js';
import type { Finding, Resolve, ScannedTicket } from './doctorChecks.js';
import { withTexts } from './doctorChecks.js';
import type { TicketEditor } from './ticketEditor.js';
import { commitWrite, mutate } from './mutate.js';
import { unassignTicket } from './claimShared.js';
import { archiveRaces, markRaceFixed, settleArchiveRace } from './archiveRace.js';
import { repairMarkers } from './conflictMarkers.js';
import type { OpContext } from './op.js';

/*
 * What `tack doctor` repairs with --fix, each kind in one commit computed from the files it
 * scanned, and the stale claims it finds (and deletes).
 */

export interface StaleLease {
  finding: Finding;
  sha: string;
  /** An expired claim on a started ticket still assigned to its holder: unassigned by --fix, so `ready` offers it again. */
  resurface: boolean;
}

export function leaseFindings(store: Store, tickets: ScannedTicket[], now: string): StaleLease[] {
  const refs = listLeaseRefs(store.repo);
  if (refs.size === 0) return [];
  const leases = readLeaseCommits(store.repo, [...refs.values()]);
  // The claimed tickets only (a few), not a map of every ticket.
  const byId = new Map<string, ScannedTicket['ticket']>();
  for (const t of tickets) if (refs.has(t.id)) byId.set(t.id, t.ticket);
  const isOpen = (id: string) => {
    const category = byId.get(id)?.category;
    return category !== 'completed' && category !== 'canceled';
  };
  const out: StaleLease[] = [];
  for (const [id, sha] of refs) {
    const l = leases.get(sha);
    // A finished lease keeps clones that have not seen the work finished off it until it expires.
    if (l && isGuarding(l, now)) continue;
    const why = !l
      ? 'holds no lease'
      : !isLive(l, now)
        ? `expired at ${l.expires} (held by ${l.owner})`
        : !byId.has(id)
          ? 'is on a ticket that does not exist'
          : !isOpen(id)
            ? 'is on a closed ticket'
            : null;
    if (!why) continue;
    const t = byId.get(id);
    const resurface = !!l && !isLive(l, now) && t?.category === 'started' && t.assignee === l.owner;
    const tail = resurface ? `; ${id} is still ${t.status} and assigned to ${l.owner}, outside every \`ready\`` : '';
    out.push({
      sha,
      resurface,
      finding: { check: 'stale_lease', id, message: `claim refs/tack/claims/${id} ${why}${tail}`, fixable: true },
    });
  }
  return out;
}

/** One commit repairing what is safe to repair: ids that differ from the file name, dangling references. */
function repairTicket(ed: TicketEditor, id: string, fixes: Finding[], resolve: (ref: string) => string | null): void {
  const t = ed.ticket(id);
  const dead = (field: string) =>
    new Set(fixes.filter((f) => f.check === 'dangling' && f.field === field).map((f) => f.target));
  if (fixes.some((f) => f.check === 'duplicate_id')) ed.set(id, 'id', id);
  if (t.parent && dead('parent').has(t.parent)) ed.set(id, 'parent', null);
  for (const [kind, dsts] of Object.entries(t.relations)) {
    const gone = dead(kind);
    if (gone.size)
      ed.set(
        id,
        kind,
        dsts.filter((d) => !gone.has(d)).map((d) => resolve(d) ?? d),
      );
  }
  const links = dead('links');
  if (links.size)
    ed.set(
      id,
      'links',
      t.links.filter((l) => !links.has(l)),
    );
}

export async function fixTickets(
  ctx: OpContext,
  resolve: Resolve,
  findings: Finding[],
  leases: StaleLease[],
): Promise<string | null> {
  const blocked = new Set(findings.filter((f) => f.check === 'invalid' || f.check === 'parse').map((f) => f.id));
  const byId = new Map<string, Finding[]>();
  for (const f of findings) {
    if (!f.fixable || !f.id || !f.path || (f.check !== 'dangling' && f.check !== 'duplicate_id')) continue;
    if (blocked.has(f.id)) {
      f.message += ' (not fixed: the file has other problems to fix by hand first)';
      continue;
    }
    (byId.get(f.id) ?? byId.set(f.id, []).get(f.id)!).push(f);
  }
  const resurface = leases.filter((l) => l.resurface && !blocked.has(l.finding.id!));
  if (byId.size === 0 && resurface.length === 0) return null;
  const ids = [...new Set([...byId.keys(), ...resurface.map((l) => l.finding.id!)])];
  const { commit, value } = await mutate(ctx, 'doctor', (ed) => {
    for (const [id, fixes] of byId) repairTicket(ed, id, fixes, resolve);
    const moved = resurface.map((l) => unassignTicket(ed, l.finding.id!));
    return { subject: `doctor: repair ${ids.join(', ')}`, value: moved };
  });
  for (const fixes of byId.values()) for (const f of fixes) f.fixed = true;
  resurface.forEach((l, i) => {
    l.finding.message += `; unassigned it and moved it back to ${value[i]}, where \`ready\` offers it`;
  });
  for (const f of findings) if (f.check === 'duplicate_id' && !f.path) f.fixed = true;
  return commit;
}

/**
 * A repair is computed from the files doctor scanned, before it holds the writer lock: a
 * file another writer changed since would lose that change to the repair, so the repair
 * is refused instead (its build runs under the lock, on the head it is given).
 */
function refuseIfChanged(store: Store, head: string | null, scanned: Array<{ path: string; text: string }>): void {
  const changed = scanned.filter((f) => (head ? readFileAt(store.repo, head, f.path) : null) !== f.text);
  if (changed.length === 0) return;
  const paths = changed.map((f) => f.path);
  throw new TackError(
    'conflict',
    `${paths.join(', ')} changed while doctor was repairing; nothing was repaired, run \`tack doctor --fix\` again`,
    { paths },
  );
}

/** Marker-bearing tickets merged again from their merge's parents, in one commit. */
export async function fixMarkers(
  ctx: OpContext,
  store: Store,
  head: string,
  tickets: ScannedTicket[],
  found: Finding[],
  all: Finding[],
): Promise<string | null> {
  const fixes = new Map<string, string>();
  // The scan keeps the text of a file with markers; found by path, not a search per finding.
  const byPath = new Map(tickets.filter((x) => x.text !== undefined).map((x) => [x.path, x]));
  for (const f of found) {
    const t = byPath.get(f.path!)!;
    const text = repairMarkers(store, head, t.path, t.text ?? '');
    if (text === null) f.message += ' (not fixed: no merge with marker-free parents wrote them; edit the file by hand)';
    else fixes.set(t.path, text);
  }
  if (fixes.size === 0) return null;
  const scanned = withTexts(
    store,
    tickets.filter((t) => fixes.has(t.path)),
  );
  const res = await commitWrite(
    ctx,
    (now) => {
      refuseIfChanged(store, now, scanned);
      return {
        changeSet: {
          changes: [...fixes].map(([path, content]) => ({ path, content })),
          subject: `doctor: merge again ${[...fixes.keys()].join(', ')} (conflict markers)`,
          trailers: [['Tack-Op', 'doctor']],
        },
        value: null,
      };
    },
    { treeRoot: true },
  );
  // The markers were what did not parse: merged again, the file parses.
  for (const f of all)
    if (f.path && fixes.has(f.path) && (f.check === 'conflict_markers' || f.check === 'parse')) f.fixed = true;
  return res.commit;
}

/** Archive/comment races (the same ticket in tickets/ and archive/) settled in one commit. */
export async function fixArchiveRaces(
  ctx: OpContext,
  store: Store,
  head: string,
  tickets: ScannedTicket[],
  findings: Finding[],
): Promise<string | null> {
  const races = archiveRaces(store, tickets);
  if (races.length === 0) return null;
  const res = await commitWrite(
    ctx,
    (now) => {
      refuseIfChanged(
        store,
        now,
        races.flatMap((r) => [r.live, r.archived]),
      );
      return {
        changeSet: {
          changes: races.flatMap((r) => settleArchiveRace(store, head, r)),
          subject: `doctor: merge ${races.map((r) => r.id).join(', ')} into the archive (edited while archived)`,
          trailers: [['Tack-Op', 'doctor'], ...races.map((r) => ['Tack-Ticket', r.id] as [string, string])],
        },
        value: null,
      };
    },
    { treeRoot: true },
  );
  markRaceFixed(findings, races);
  return res.commit;
}
