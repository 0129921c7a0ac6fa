import { readBlobs } from './objects.js';
import { logFields } from './log.js';
import { git } from './run.js';
import type { Repo } from './repo.js';

/**
 * git's verdict on a commit's signature (`%G?`): G good, U good but of unknown trust,
 * X/Y good but expired (signature/key), R revoked key, E cannot be checked (missing key,
 * no allowed-signers file), B bad, N none.
 */
export type SignatureCode = 'G' | 'U' | 'X' | 'Y' | 'R' | 'E' | 'B' | 'N';

export interface CommitSignature {
  sha: string;
  code: SignatureCode;
  /** Who signed, as git reports it (key owner or principal); empty when unknown. */
  signer: string;
  key: string;
  subject: string;
  /** The commit's Tack-Op trailer, if any (plain git commits have none). */
  op: string | null;
}

/**
 * The signature of every commit reachable by `range` (newest first). git checks each one
 * with the user's own setup (gpg keyring, gpg.ssh.allowedSignersFile), as `git log
 * --show-signature` would.
 */
export function commitSignatures(repo: Repo, range: string[], paths: string[] = []): CommitSignature[] {
  const rows: CommitSignature[] = logFields(
    repo.workTree,
    ['%H', '%G?', '%GS', '%GK', '%s', '%(trailers:key=Tack-Op,valueonly,separator=%x2c)'],
    ['--end-of-options', ...range, '--', ...paths],
  ).map(([sha, code, signer, key, subject, op]) => ({
    sha,
    code: (code || 'N') as SignatureCode,
    signer,
    key,
    subject,
    op: op.trim() || null,
  }));
  // Without a way to check (e.g. no allowed-signers file for ssh) git says N of a signed
  // commit: the commit object tells whether a signature is there at all.
  const unsigned = rows.filter((r) => r.code === 'N');
  const objects = readBlobs(
    repo,
    unsigned.map((r) => r.sha),
  );
  for (const r of unsigned) {
    const raw = objects.get(r.sha)?.toString('latin1') ?? '';
    const head = raw.slice(0, raw.indexOf('\n\n') + 1);
    if (/\ngpgsig(-sha256)? /.test(head)) r.code = 'E';
  }
  return rows;
}

/** The commits of `range` (rev-list), as a set. */
export function commitSet(repo: Repo, range: string[], paths: string[] = []): Set<string> {
  const out = git(['rev-list', '--end-of-options', ...range, '--', ...paths], { cwd: repo.workTree });
  return new Set(out.split('\n').filter(Boolean));
}
