import { z } from 'zod';
import { TackError } from '../model/errors.js';
import { isGuarding, isLive } from '../model/lease.js';
import { listLeaseRefs } from '../git/leaseRefs.js';
import { deleteLease, readLeaseCommits } from '../git/leases.js';
import { findLeftovers, removeLeftover } from '../git/leftovers.js';
import { checkIndex } from '../index/indexCheck.js';
import { leanHeap } from '../index/leanBuild.js';
import { rebuildIndex } from '../index/rebuildIndex.js';
import type { Repo } from '../git/repo.js';
import { storeHead, type Store } from '../store/store.js';
import { readStoreFile } from '../store/storeReader.js';
import { readWorkTreeFile } from '../store/workTreeFile.js';
import { indexedSchema, type DB } from '../index/indexDb.js';
import { fileProblem, uncommittedFiles } from '../index/eventQueries.js';
import { idFromTicketPath } from '../store/store.js';
import { schemaOrLastGood } from '../index/schemaFallback.js';
import type { Schema } from '../model/schema.js';
import {
  checkCycles,
  checkReferences,
  checkSigning,
  scanTickets,
  withTexts,
  type Finding,
  type Resolve,
  type ScannedTicket,
} from './doctorChecks.js';
import type { TicketEditor } from './ticketEditor.js';
import { checkAgentDocs, commandTable } from './agentDocsCheck.js';
import { commitWrite, mutate } from './mutate.js';
import { unassignTicket } from './claimShared.js';
import { archiveRaces, markRaceFixed, settleArchiveRace } from './archiveRace.js';
import { readFileAt } from '../git/objects.js';
import { driverFinding, repairMarkers } from './conflictMarkers.js';
import { defineOp, type OpContext } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';
import { idResolver } from '../model/ids.js';
import { nextPage, pageInfo, pageInputs, pageOfAll } from './page.js';
import { pageNote } from './pageNote.js';

/**
 * Findings listed unless asked for more: a store of 20,000 tickets pointing nowhere printed
 * 20,000 lines, twice in `--json` (the message and the list). Counts and --fix cover them all.
 */
const FINDINGS_LIMIT = 100;

interface StaleLease {
  finding: Finding;
  sha: string;
  /** An expired claim on a started ticket still assigned to its holder: unassigned by --fix, so `ready` offers it again. */
  resurface: boolean;
}

function leaseFindings(store: Store, tickets: ScannedTicket[], now: string): StaleLease[] {
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

async function fixTickets(
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
async function fixMarkers(
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
async function fixArchiveRaces(
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

function report(findings: Finding[], fixing: boolean): string {
  const lines = findings.map(
    (f) =>
      `${f.fixed ? 'fixed: ' : f.warning ? 'warning: ' : ''}${f.path ? `${f.path}${f.line ? `:${f.line}` : ''}: ` : ''}[${f.check}] ${f.message}${!f.fixed && f.fixable && !fixing ? ' (--fix repairs this)' : ''}`,
  );
  return lines.join('\n');
}

export default defineOp({
  name: 'doctor',
  summary:
    'Find (and with --fix repair) broken files, duplicate ids, dangling references, cycles, stale claims, a stale index, leftovers',
  kind: 'write',
  input: z.object({
    fix: z.boolean().optional().describe('repair what is safe to repair (one commit for ticket repairs)'),
    ...pageInputs(FINDINGS_LIMIT),
  }),
  output: lazyShape(() =>
    z.strictObject({
      ok: z.boolean(),
      index: z.string(),
      findings: z.array(
        z.strictObject({
          check: z.string(),
          message: z.string(),
          path: z.string().optional(),
          line: z.number().optional(),
          id: z.string().optional(),
          field: z.string().optional(),
          target: z.string().optional(),
          fixable: z.boolean(),
          fixed: z.boolean().optional(),
          warning: z.boolean().optional(),
        }),
      ),
      /** Findings in all: `findings` is a page of them (--limit, --offset). */
      findings_total: z.number(),
      /** Where the next page of findings starts (--offset), null after the last. */
      next_offset: z.number().nullable(),
      commit: z.string().nullable(),
      message: z.string(),
    }),
  ),
  async run(ctx, input) {
    const store = ctx.store();
    const findings: Finding[] = [];
    // The index is inspected before anything opens (and so refreshes) it.
    const ix = checkIndex(store);
    const leftovers = findLeftovers(store.repo, [store.ref]);
    for (const l of leftovers) {
      // Removed first: a stale ref lock would make the repair commit fail.
      if (input.fix) removeLeftover(l);
      findings.push({ check: 'leftover', path: l.path, message: l.reason, fixable: true, fixed: input.fix });
    }
    if (ix.state === 'differs' || ix.state === 'unreadable') {
      if (input.fix) rebuildIndex(store);
      findings.push({ check: 'index', message: ix.message, fixable: true, fixed: input.fix });
    }
    findings.push(...driverFinding(store, input.fix === true, ctx.effects.tack));
    const head = storeHead(store);
    let commit: string | null = null;
    if (head) {
      const schema = await doctorSchema(ctx, store, head, findings);
      const restore = leanHeap(); // every ticket is read once: little of it stays
      let scan: ReturnType<typeof scanTickets>;
      let resolve: Resolve;
      try {
        scan = scanTickets(store, head, schema);
        resolve = idResolver(scan.tickets.map((t) => t.id));
        // Appended one by one: a list of 200,000 findings spread into push() overflowed the stack.
        for (const list of [
          scan.findings,
          checkReferences(store, scan.tickets, scan.docs, resolve),
          checkCycles(schema, scan.tickets, resolve),
        ])
          for (const f of list) findings.push(f);
      } finally {
        restore();
      }
      const leases = leaseFindings(store, scan.tickets, ctx.now());
      findings.push(...leases.map((l) => l.finding), ...checkSigning(store));
      const markers = scan.findings.filter((f) => f.check === 'conflict_markers');
      if (input.fix) {
        commit = await fixMarkers(ctx, store, head, scan.tickets, markers, findings);
        commit = (await fixArchiveRaces(ctx, store, storeHead(store)!, scan.tickets, findings)) ?? commit;
        commit = (await fixTickets(ctx, resolve, findings, leases)) ?? commit;
        for (const l of leases) l.finding.fixed = deleteLease(store.repo, l.finding.id!, l.sha);
      }
    }
    findings.push(...(await agentDocFindings(store.repo)));
    // A merely behind index is brought up to date, as any command would. Only a store with
    // checked-out files has hand edits (elsewhere every committed file would read as removed:
    // 100,000 paths read for nothing).
    const { db } = await ctx.index();
    if (store.filesDir) findings.push(...uncommittedFindings(db));
    const open = findings.filter((f) => !f.fixed && !f.warning);
    const shown = pageOfAll(findings, input, FINDINGS_LIMIT);
    const more = pageNote(pageInfo(shown), 'findings');
    const out = {
      ok: open.length === 0,
      index: ix.state,
      findings: [...shown],
      findings_total: findings.length,
      next_offset: nextPage(pageInfo(shown))?.offset ?? null,
      commit,
    };
    const listed = (fixing: boolean) => [report(shown, fixing), ...(more ? [more] : [])].join('\n');
    if (open.length > 0) {
      const head = `tack doctor found ${open.length} problem${open.length === 1 ? '' : 's'}${input.fix ? ' it could not fix' : ''}:`;
      throw new TackError('check_failed', `${head}\n${listed(input.fix === true)}`, out);
    }
    const warned = findings.some((f) => f.warning);
    const tail = findings.some((f) => f.fixed) ? 'all fixed' : warned ? 'warnings only' : '';
    return {
      ...out,
      message: findings.length ? `${listed(true)}\n${tail}` : `no problems found (index ${ix.state})`,
    };
  },
});

/**
 * Checked-out store files (inline `.tack/`, a mount) edited by hand into something that
 * does not read: every command warns about them and `tack commit` leaves them out, so they
 * are problems, with the way to repair them.
 */
function uncommittedFindings(db: DB): Finding[] {
  return uncommittedFiles(db).changed.flatMap((path) => {
    const problem = fileProblem(db, path);
    if (!problem) return [];
    const id = idFromTicketPath(path);
    const fix = id ? `repair it with \`tack edit ${id}\`` : 'repair it in your editor';
    return [
      { check: 'uncommitted' as const, message: `uncommitted edit does not read: ${problem}; ${fix}`, fixable: false },
    ];
  });
}

/** AGENTS.md / CLAUDE.md naming a `tack` command or flag that does not exist: an agent would run it. */
async function agentDocFindings(repo: Repo): Promise<Finding[]> {
  const docs = ['AGENTS.md', 'CLAUDE.md'].flatMap((path) => {
    const text = readWorkTreeFile(repo, path);
    return text === null ? [] : [{ path, text }];
  });
  if (docs.length === 0) return [];
  const table = await commandTable();
  return docs.flatMap(({ path, text }) =>
    checkAgentDocs(text, table).map(
      (m): Finding => ({ check: 'agent_docs', path, line: m.line, message: m.message, fixable: false }),
    ),
  );
}

/** The schema at `head`; a broken one is a finding, and the last good schema checks the tickets. */
async function doctorSchema(ctx: OpContext, store: Store, head: string, findings: Finding[]): Promise<Schema> {
  const path = `${store.prefix}schema.yaml`;
  const text = readStoreFile(store, head, 'schema.yaml');
  if (text === null)
    throw new TackError('no_store', `the store has no ${path} at ${head}; expected one (run \`tack init\`)`);
  const first = schemaOrLastGood(text, path, null);
  if (!first.problem) return first.schema;
  findings.push({ check: 'parse', path, line: first.problem.line, message: first.problem.message, fixable: false });
  const indexed = indexedSchema((await ctx.index()).db);
  return indexed ?? first.schema;
}
