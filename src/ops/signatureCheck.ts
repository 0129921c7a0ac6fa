import { commitSet, commitSignatures, type CommitSignature, type SignatureCode } from '../git/signatures.js';
import { listRefs, requireRange } from '../git/refs.js';
import { readSettings, storeHead, type Store } from '../store/store.js';

/*
 * Shared by `tack verify` and `tack doctor`: which commits of the store's history are
 * signed, and which of them should have been.
 */

export type Verdict = 'good' | 'expired' | 'unknown' | 'bad' | 'unsigned';

const VERDICT: Record<SignatureCode, Verdict> = {
  G: 'good',
  U: 'good',
  X: 'expired',
  Y: 'expired',
  E: 'unknown',
  R: 'bad',
  B: 'bad',
  N: 'unsigned',
};

export interface CheckedCommit extends CommitSignature {
  verdict: Verdict;
  /** Made after signing was turned on here, so it must carry a good signature. */
  required: boolean;
  /** Why this commit fails the check (null: it passes). */
  problem: string | null;
}

export interface SignatureReport {
  ok: boolean;
  sign: boolean;
  /** The store head when signing was turned on (commits after it are required to be signed). */
  sign_since: string | null;
  refs: string[];
  counts: Record<Verdict, number>;
  commits: CheckedCommit[];
  problems: CheckedCommit[];
}

function problemOf(c: { verdict: Verdict; required: boolean }, strict: boolean): string | null {
  if (c.verdict === 'bad') return 'bad signature';
  if (c.verdict === 'good' || c.verdict === 'expired') return null;
  const what =
    c.verdict === 'unsigned'
      ? 'unsigned'
      : 'signature cannot be checked (key unknown to git: gpg keyring or gpg.ssh.allowedSignersFile)';
  if (c.required) return `${what}, made after signing was turned on`;
  return strict ? what : null;
}

/** The tips to check: the store's ref, and with `all` its plan branches. */
export function verifyRefs(store: Store, rev: string | undefined, all: boolean): string[] {
  // Resolved to commit ids first, so nothing typed reaches git log as an option.
  if (rev) {
    const { from, to } = requireRange(store.repo, rev);
    return from ? [`^${from}`, to] : [to];
  }
  const refs = [store.ref];
  if (all && store.mode === 'branch') refs.push(...listRefs(store.repo, `${store.ref}-*`).map((r) => r.name));
  return refs;
}

export function checkSignatures(store: Store, refs: string[], strict: boolean): SignatureReport {
  const settings = readSettings(store.repo);
  const sign = settings?.sign === true;
  const since = sign ? (settings?.signSince ?? null) : null;
  const paths = store.prefix ? [store.prefix.replace(/\/$/, '')] : [];
  const head = storeHead(store);
  const commits = head ? commitSignatures(store.repo, refs, paths) : [];
  const required = sign ? commitSet(store.repo, since ? [...refs, `^${since}`] : refs, paths) : new Set<string>();
  const counts: Record<Verdict, number> = { good: 0, expired: 0, unknown: 0, bad: 0, unsigned: 0 };
  const checked = commits.map((c) => {
    const verdict = VERDICT[c.code] ?? 'unknown';
    counts[verdict]++;
    const base = { ...c, verdict, required: required.has(c.sha) };
    return { ...base, problem: problemOf(base, strict) };
  });
  const problems = checked.filter((c) => c.problem !== null);
  return { ok: problems.length === 0, sign, sign_since: since, refs, counts, commits: checked, problems };
}
