import { z } from 'zod';
import { TackError } from '../model/errors.js';
import { deleteLease } from '../git/leases.js';
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
import { checkCycles, checkReferences, checkSigning, scanTickets, type Finding, type Resolve } from './doctorChecks.js';
import { checkAgentDocs, commandTable } from './agentDocsCheck.js';
import { driverFinding } from './conflictMarkers.js';
import { fixArchiveRaces, fixMarkers, fixTickets, leaseFindings } from './doctorRepairs.js';
import { defineOp, type OpContext } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';
import { idResolver } from '../model/ids.js';
import { pageInputs, pageOfList } from './page.js';
import { pageNote } from './pageNote.js';

/**
 * Findings listed unless asked for more: a store of 20,000 tickets pointing nowhere printed
 * 20,000 lines, twice in `--json` (the message and the list). Counts and --fix cover them all.
 */
const FINDINGS_LIMIT = 100;

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
    const page = pageOfList(findings, input, FINDINGS_LIMIT);
    const more = pageNote(page.info, 'findings');
    const out = {
      ok: open.length === 0,
      index: ix.state,
      findings: page.items,
      findings_total: findings.length,
      next_offset: page.next?.offset ?? null,
      commit,
    };
    const listed = (fixing: boolean) => [report(page.items, fixing), ...(more ? [more] : [])].join('\n');
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
