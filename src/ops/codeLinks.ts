import { parseMentions } from '../model/commitMentions.js';
import { codeBranches, commitMessages, defaultBranch, existingCommits, type CodeCommit } from '../git/codeHistory.js';
import { readRef } from '../git/refs.js';
import { resolveId } from '../index/ticketIds.js';
import type { DB } from '../index/indexDb.js';
import { readScanState } from '../store/scanState.js';
import type { Store } from '../store/store.js';

/*
 * What the code history says about tickets: which commits and branches mention them and
 * which commit on the default branch closes them. Incremental: the branch tips already
 * scanned are remembered in .git/tack/code-links.json (reflogs play no part), so a hook
 * only reads the commits that are new since the last scan.
 */

/** Stored form of a code commit in a ticket: 12 hex digits (deterministic, unlike `--short`). */
export const SHORT_SHA = 12;

export interface TicketLinks {
  commits: string[];
  branches: string[];
  /** The first closing commit that reached the default branch. */
  close: { commit: string; branch: string } | null;
}

export interface ScanResult {
  defaultBranch: string | null;
  /** Commits read (those whose message mentions an id-like word). */
  scanned: number;
  links: Map<string, TicketLinks>;
  /** Branch tips to remember once the links are written. */
  tips: Record<string, string>;
}

/** Branches that are Tack's, not code: the store branch and its plan branches. */
function tackRefs(store: Store, refs: string[]): Set<string> {
  if (store.mode === 'inline') return new Set();
  return new Set(refs.filter((r) => r === store.ref || r.startsWith(`${store.ref}-`)));
}

function resolveQuietly(db: DB, id: string): string | null {
  try {
    return resolveId(db, id);
  } catch {
    return null;
  }
}

/** What one commit on `branch` says about tickets, added to `links`. */
function addMentions(
  links: Map<string, TicketLinks>,
  db: DB,
  prefixes: string[],
  c: CodeCommit,
  branch: string,
  isDefault: boolean,
): void {
  const sha = c.sha.slice(0, SHORT_SHA);
  for (const m of parseMentions(c.message, prefixes)) {
    const id = resolveQuietly(db, m.id);
    if (!id) continue;
    const l = links.get(id) ?? { commits: [], branches: [], close: null };
    links.set(id, l);
    if (!l.commits.includes(sha)) l.commits.push(sha);
    if (!isDefault && !l.branches.includes(branch)) l.branches.push(branch);
    if (isDefault && m.closes && !l.close) l.close = { commit: sha, branch };
  }
}

interface Line {
  name: string;
  sha: string;
  /** On the default branch (local or origin's): closing words complete here. */
  isDefault: boolean;
}

/**
 * The branches to read, default first: local branches but Tack's, and what a fetch
 * brought to origin's default branch (a pull request merged there).
 */
function linesToScan(store: Store, def: string | null): Line[] {
  const defRef = def ? `refs/heads/${def}` : null;
  const refs = codeBranches(store.repo, new Set());
  const skip = tackRefs(
    store,
    refs.map((r) => r.name),
  );
  const lines = refs.filter((r) => !skip.has(r.name)).map((r) => ({ ...r, isDefault: r.name === defRef }));
  const originSha = def ? readRef(store.repo, `refs/remotes/origin/${def}`) : null;
  if (originSha) lines.push({ name: `refs/remotes/origin/${def}`, sha: originSha, isDefault: true });
  return lines.sort(
    (a, b) => Number(b.name === defRef) - Number(a.name === defRef) || Number(b.isDefault) - Number(a.isDefault),
  );
}

/**
 * Read the commits new since the last scan (all of them with `all`) and what they say
 * about the tickets in `db`. Commits made by Tack itself (inline mode) are skipped.
 */
export function scanCode(store: Store, db: DB, prefixes: string[], all: boolean): ScanResult {
  const repo = store.repo;
  const def = defaultBranch(repo);
  const defRef = def ? `refs/heads/${def}` : null;
  const branches = linesToScan(store, def);
  const state = all ? { tips: {} } : readScanState(repo);
  const links = new Map<string, TicketLinks>();
  const tips = Object.fromEntries(branches.map((b) => [b.name, b.sha]));
  // A checkout or a fetch of other branches moves no branch here: nothing to read.
  if (branches.every((b) => state.tips[b.name] === b.sha)) return { defaultBranch: def, scanned: 0, links, tips };
  const known = existingCommits(repo, Object.values(state.tips));
  const remembered = Object.values(state.tips).filter((s) => known.has(s));
  const defTips = branches.filter((b) => b.isDefault).map((b) => b.sha);
  const grep = prefixes.map((p) => `${p}-[0-9a-z]{4}`);
  let scanned = 0;
  for (const b of branches) {
    const prev = state.tips[b.name];
    if (prev === b.sha) continue;
    const exclude = prev && known.has(prev) ? [prev] : b.isDefault ? [] : [...remembered];
    // Commits of the default branch belong to it, not to a branch that merged it in; and
    // origin's default branch needs only what the local one lacks.
    if (b.name !== defRef) exclude.push(...defTips.filter((t) => t !== b.sha));
    const short = b.isDefault ? def! : b.name.replace(/^refs\/heads\//, '');
    for (const c of commitMessages(repo, [b.sha], exclude, grep)) {
      scanned++;
      if (!/^Tack-Op:/m.test(c.message)) addMentions(links, db, prefixes, c, short, b.isDefault);
    }
  }
  return { defaultBranch: def, scanned, links, tips };
}
