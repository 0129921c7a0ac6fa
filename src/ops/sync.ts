import { z } from 'zod';
import { TackError } from '../model/errors.js';
import { formatMessage } from '../git/log.js';
import { pushRefs } from '../git/refExchange.js';
import { commitsBetween, countCommits, countNotOnRemote, trackingRef } from '../git/remote.js';
import { readSettings, storeHead, type Store } from '../store/store.js';
import { withProvenance } from '../store/storeProvenance.js';
import { spoolPulled } from '../store/triggerSpool.js';
import type { FileConflicts } from '../store/storeMerge.js';
import { mergeInto } from './mergeInto.js';
import { refuseMarkerPush } from './conflictMarkers.js';
import { branchName, chooseRemote, INLINE_MESSAGE, NO_REMOTE_MESSAGE } from './syncShared.js';
import type { NotesSyncReport } from './notesShared.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';
import { conflictRecordShape } from '../model/settingsShapes.js';
import { fetchAgain, fetchFirst, NotesRound, pushNotesOnly } from './syncExchange.js';

export const syncReportShape = lazyShape(() =>
  z.strictObject({
    mode: z.enum(['branch', 'inline']),
    remote: z.string().nullable(),
    /** Commits brought in from the remote. */
    pulled: z.number(),
    /** Commits the remote received. */
    pushed: z.number(),
    /** Files changed on both sides and merged by content. */
    merged: z.number(),
    /** Values that lost a merge (kept in the tickets' `conflicts` field). */
    conflicts: z.number(),
    conflictFiles: z.array(z.strictObject({ path: z.string(), conflicts: z.array(conflictRecordShape()) })),
    /** After the sync: commits here the remote lacks, and the reverse. */
    ahead: z.number(),
    behind: z.number(),
    attempts: z.number(),
    /** refs/notes/tack (reviews and metadata on commits): merged in from the remote, pushed to it. */
    notes: z.strictObject({ pulled: z.boolean(), pushed: z.boolean(), error: z.string().optional() }),
    /** The remote's claim leases were mirrored here (so expired claims show in `ready`); else why not. */
    claims: z.strictObject({ fetched: z.boolean(), error: z.string().optional() }),
    message: z.string(),
  }),
);

export type SyncReport = z.infer<ReturnType<typeof syncReportShape>>;

const MAX_ATTEMPTS = 5;

function mergeMessage(store: Store, remote: string, merged: string[], conflicts: FileConflicts[]): string {
  const lines = conflicts.flatMap((f) => f.conflicts.map((c) => `${f.path}: ${c.field} kept from ${c.keptSide}`));
  return formatMessage(
    `tack: sync with ${remote}`,
    withProvenance(store, [
      ['Tack-Op', 'sync'],
      ['Tack-Merged', String(merged.length)],
      ...lines.map((l) => ['Tack-Conflict', l] as [string, string]),
    ]),
    merged.length ? `Merged: ${merged.join(', ')}` : '',
  );
}

interface Round {
  pulled: number;
  merged: string[];
  conflicts: FileConflicts[];
}

/** Bring `theirs` into the local ref (fast-forward, or merge in memory), counting what came in. */
function integrate(store: Store, remote: string, theirs: string, round: Round): void {
  const before = storeHead(store)!;
  const res = mergeInto(store, theirs, (m) => mergeMessage(store, remote, m.merged, m.conflicts));
  if (res.upToDate) return;
  round.pulled += countCommits(store.repo, before, theirs);
  spoolPulled(store, readSettings(store.repo), commitsBetween(store.repo, before, theirs));
  round.merged.push(...res.merged);
  round.conflicts.push(...res.conflicts);
}

function summary(r: Omit<SyncReport, 'message' | 'mode' | 'notes' | 'claims'>): string {
  const conflictText = r.conflicts
    ? `, ${r.conflicts} conflict${r.conflicts === 1 ? '' : 's'} resolved (see \`tack conflicts\`)`
    : '';
  const state = r.ahead === 0 && r.behind === 0 ? 'in sync' : `${r.ahead} commit(s) not pushed, ${r.behind} not pulled`;
  return `${r.remote}: pulled ${r.pulled}, pushed ${r.pushed}, merged ${r.merged} file${r.merged === 1 ? '' : 's'}${conflictText}; ${state}`;
}

const claimsText = (c: SyncReport['claims']): string => (c.error ? `; claims not fetched: ${c.error}` : '');

function notesText(n: NotesSyncReport): string {
  const did = [n.pulled ? 'merged' : '', n.pushed ? 'pushed' : ''].filter(Boolean);
  if (n.error) return `; notes not synced: ${n.error}`;
  return did.length ? `; notes ${did.join(' and ')}` : '';
}

export default defineOp({
  name: 'sync',
  summary: 'Fetch the store branch, merge in memory, commit the merge, push (retries when the push is rejected)',
  kind: 'write',
  cli: { args: ['remote'] },
  input: z.object({
    remote: z
      .string()
      .min(1)
      .optional()
      .describe(
        "remote to sync with: a configured remote's name (default: git config tack.remote, origin, or the first remote)",
      ),
  }),
  output: syncReportShape,
  async run(ctx, input): Promise<SyncReport> {
    const store = ctx.store();
    const empty = {
      pulled: 0,
      pushed: 0,
      merged: 0,
      conflicts: 0,
      conflictFiles: [],
      ahead: 0,
      behind: 0,
      attempts: 0,
      notes: { pulled: false, pushed: false },
      claims: { fetched: false },
    };
    const remote = chooseRemote(store, input.remote);
    if (store.mode === 'inline') {
      // Tickets travel with the user's own pushes; git notes do not, so they are synced here.
      if (!remote) return { mode: 'inline', remote: null, ...empty, message: INLINE_MESSAGE };
      const got = fetchFirst(ctx, store, remote, null);
      const notesRound = new NotesRound(store, remote);
      if (got.notesError) notesRound.failed(got.notesError);
      pushNotesOnly(store, remote, notesRound, notesRound.merge(got.theirsNotes));
      const notes = notesRound.finish();
      return {
        mode: 'inline',
        remote: null,
        ...empty,
        notes,
        claims: got.claims,
        message: INLINE_MESSAGE + notesText(notes) + claimsText(got.claims),
      };
    }
    if (!remote) return { mode: 'branch', remote: null, ...empty, message: NO_REMOTE_MESSAGE };
    const branch = branchName(store);
    const round: Round = { pulled: 0, merged: [], conflicts: [] };
    const notesRound = new NotesRound(store, remote);
    const first = fetchFirst(ctx, store, remote, branch);
    let pushed = 0;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const got = attempt === 1 ? first : fetchAgain(store, remote, branch, !notesRound.settled);
      const theirs = got.theirs;
      const ours = storeHead(store);
      if (!ours) throw new TackError('no_store', `${store.ref} has no commits; expected a store (run \`tack init\`)`);
      if (theirs) integrate(store, remote, theirs, round);
      const head = storeHead(store)!;
      const notesUpdate = notesRound.merge(got.theirsNotes);
      if (head !== theirs) {
        refuseMarkerPush(store, head, theirs);
        const toSend = countNotOnRemote(store.repo, head, remote);
        const dst = `refs/heads/${branch}`;
        const update = { sha: head, dst, track: trackingRef(remote, branch) };
        // One push for the branch and the notes; each is taken or refused on its own.
        const res = pushRefs(store.repo, remote, notesUpdate ? [update, notesUpdate] : [update]);
        notesRound.pushed(res);
        if (!res.get(dst)!.ok) continue; // someone pushed first: fetch and merge again
        pushed += toSend;
      } else pushNotesOnly(store, remote, notesRound, notesUpdate);
      await ctx.index();
      const after = storeHead(store)!;
      const track = trackingRef(remote, branch);
      const counts = {
        remote,
        pulled: round.pulled,
        pushed,
        merged: new Set(round.merged).size,
        conflicts: round.conflicts.reduce((n, f) => n + f.conflicts.length, 0),
        conflictFiles: round.conflicts,
        ahead: countCommits(store.repo, track, after),
        behind: countCommits(store.repo, after, track),
        attempts: attempt,
      };
      const notes = notesRound.finish();
      return {
        mode: 'branch',
        ...counts,
        notes,
        claims: first.claims,
        message: summary(counts) + notesText(notes) + claimsText(first.claims),
      };
    }
    throw new TackError(
      'conflict',
      `${remote} kept changing while syncing ${branch}; gave up after ${MAX_ATTEMPTS} attempts (run \`tack sync\` again)`,
      { remote, branch },
    );
  },
});
