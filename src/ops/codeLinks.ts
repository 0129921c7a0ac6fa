import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseMentions } from '../model/commitMentions.js';
import type { Repo } from '../git/repo.js';
import { codeBranches, commitMessages, defaultBranch, existingCommits } from '../git/codeHistory.js';
import { readRef } from '../git/refs.js';
import { resolveId } from '../index/queries.js';
import type { DB } from '../index/indexDb.js';
import { tackDir, type Store } from '../store/store.js';

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

interface ScanState {
  tips: Record<string, string>;
}

function statePath(repo: Repo): string {
  return join(tackDir(repo), 'code-links.json');
}

export function readScanState(repo: Repo): ScanState {
  try {
    const s = JSON.parse(readFileSync(statePath(repo), 'utf8')) as ScanState;
    return s && typeof s.tips === 'object' ? s : { tips: {} };
  } catch {
    return { tips: {} };
  }
}

export function writeScanState(repo: Repo, state: ScanState): void {
  mkdirSync(tackDir(repo), { recursive: true });
  const tmp = `${statePath(repo)}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2) + '\n');
  renameSync(tmp, statePath(repo));
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

/**
 * Read the commits new since the last scan (all of them with `all`) and what they say
 * about the tickets in `db`. Commits made by Tack itself (inline mode) are skipped.
 */
export function scanCode(store: Store, db: DB, prefixes: string[], all: boolean): ScanResult {
  const repo = store.repo;
  const def = defaultBranch(repo);
  const defRef = def ? `refs/heads/${def}` : null;
  const refs = codeBranches(repo, new Set());
  const skip = tackRefs(store, refs.map((r) => r.name));
  const branches = refs.filter((r) => !skip.has(r.name)).sort((a, b) => (a.name === defRef ? -1 : b.name === defRef ? 1 : 0));
  // What a fetch brought to origin's default branch (a pull request merged there) counts too.
  const originSha = def ? readRef(repo, `refs/remotes/origin/${def}`) : null;
  const originDef = originSha ? { name: `refs/remotes/origin/${def}`, sha: originSha } : undefined;
  if (originDef) branches.splice(defRef && branches[0]?.name === defRef ? 1 : 0, 0, originDef);
  const state = all ? { tips: {} } : readScanState(repo);
  const links = new Map<string, TicketLinks>();
  const tips = Object.fromEntries(branches.map((b) => [b.name, b.sha]));
  // A checkout or a fetch of other branches moves no branch here: nothing to read.
  if (branches.every((b) => state.tips[b.name] === b.sha)) return { defaultBranch: def, scanned: 0, links, tips };
  const known = existingCommits(repo, Object.values(state.tips));
  const remembered = Object.values(state.tips).filter((s) => known.has(s));
  const defTips = branches.filter((b) => b.name === defRef || b.name === originDef?.name).map((b) => b.sha);
  const grep = prefixes.map((p) => `${p}-[0-9a-z]{4}`);
  let scanned = 0;
  for (const b of branches) {
    const prev = state.tips[b.name];
    if (prev === b.sha) continue;
    const isDefault = b.name === defRef || b.name === originDef?.name;
    const exclude = prev && known.has(prev) ? [prev] : isDefault ? [] : [...remembered];
    // Commits of the default branch belong to it, not to a branch that merged it in; and
    // origin's default branch needs only what the local one lacks.
    if (b.name !== defRef) exclude.push(...defTips.filter((t) => t !== b.sha));
    const short = isDefault ? def! : b.name.replace(/^refs\/heads\//, '');
    for (const c of commitMessages(repo, [b.sha], exclude, grep)) {
      scanned++;
      if (/^Tack-Op:/m.test(c.message)) continue;
      for (const m of parseMentions(c.message, prefixes)) {
        const id = resolveQuietly(db, m.id);
        if (!id) continue;
        const l = links.get(id) ?? { commits: [], branches: [], close: null };
        links.set(id, l);
        const sha = c.sha.slice(0, SHORT_SHA);
        if (!l.commits.includes(sha)) l.commits.push(sha);
        if (!isDefault && !l.branches.includes(short)) l.branches.push(short);
        if (isDefault && m.closes && !l.close) l.close = { commit: sha, branch: short };
      }
    }
  }
  return { defaultBranch: def, scanned, links, tips };
}
