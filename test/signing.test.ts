import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, tack, tackFail, tackJson, tempStore, trackCleanups } from './helpers.js';

/*
 * `tack config sign true` makes every Tack commit signed with git's own signing setup;
 * `tack verify` and `tack doctor` report what is not. Tested with SSH signing, which needs
 * only ssh-keygen (no gpg agent).
 */

const hasSshKeygen = spawnSync('ssh-keygen', ['-?'], { encoding: 'utf8' }).error === undefined;
const track = trackCleanups();

/** A store whose repository signs with a fresh SSH key that it also trusts for verification. */
function signingStore(): string {
  const r = tempStore();
  track(r.cleanup);
  const keys = mkdtempSync(join(tmpdir(), 'tack-keys-'));
  track(() => rmSync(keys, { recursive: true, force: true }));
  const key = join(keys, 'id');
  spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'test@example.com', '-f', key]);
  writeFileSync(join(keys, 'allowed'), `test@example.com ${readFileSync(`${key}.pub`, 'utf8')}`);
  git(r.dir, 'config', 'gpg.format', 'ssh');
  git(r.dir, 'config', 'user.signingKey', `${key}.pub`);
  git(r.dir, 'config', 'gpg.ssh.allowedSignersFile', join(keys, 'allowed'));
  return r.dir;
}

/** A commit on the tack branch made with plain git (unsigned), as a hand edit would be. */
function plainCommit(dir: string): string {
  const tree = git(dir, 'rev-parse', 'tack^{tree}');
  const commit = git(dir, 'commit-tree', tree, '-p', 'tack', '-m', 'hand-made change');
  git(dir, 'update-ref', 'refs/heads/tack', commit);
  return commit;
}

const signature = (dir: string, rev: string) => git(dir, 'log', '-1', '--format=%G?', rev);

const title = hasSshKeygen
  ? 'signed changes'
  : 'signed changes — SKIPPED: ssh-keygen not found (apt-get install openssh-client)';
describe.skipIf(!hasSshKeygen)(title, () => {
  it('config shows and changes the local sign setting', () => {
    const dir = signingStore();
    expect(tackJson(dir, 'config').settings.sign).toBe(false);
    expect(tackJson(dir, 'config', 'sign', 'true').settings.sign).toBe(true);
    expect(tack(dir, 'config')).toMatch(/sign\s+true/);
    expect(tackFail(dir, 'config', 'sign', 'maybe').error.code).toBe('invalid_input');
    expect(tackJson(dir, 'config', 'sign', 'false').settings.sign).toBe(false);
  });

  it('signs every Tack commit once sign is on, and verify passes', () => {
    const dir = signingStore();
    tack(dir, 'create', 'Before signing');
    expect(signature(dir, 'tack')).toBe('N');
    tack(dir, 'config', 'sign', 'true');
    const id = tackJson(dir, 'create', 'Signed one').id as string;
    expect(signature(dir, 'tack')).toBe('G');
    tack(dir, 'update', id, '--status', 'in-progress');
    expect(signature(dir, 'tack')).toBe('G');
    tack(dir, 'revert', 'tack');
    expect(signature(dir, 'tack')).toBe('G');
    const v = tackJson(dir, 'verify');
    expect(v.ok).toBe(true);
    expect(v.counts.good).toBe(3);
    // Commits from before signing was turned on are reported, and fail only --strict.
    expect(v.counts.unsigned).toBeGreaterThanOrEqual(2);
    expect(tackFail(dir, 'verify', '--strict').error.code).toBe('check_failed');
    expect(tackJson(dir, 'doctor').ok).toBe(true);
    // A range checks only its commits; anything else must name commits.
    expect(tackJson(dir, 'verify', 'tack~2..tack').commits).toHaveLength(2);
    expect(tackFail(dir, 'verify', 'no-such-rev').error.code).toBe('not_found');
  });

  it('reports an unsigned commit made after signing was turned on; doctor warns', () => {
    const dir = signingStore();
    tack(dir, 'config', 'sign', 'true');
    tack(dir, 'create', 'Signed');
    const plain = plainCommit(dir);
    const f = tackFail(dir, 'verify');
    expect(f.error.code).toBe('check_failed');
    const problems = (f.error.details as { problems: Array<{ sha: string; verdict: string }> }).problems;
    expect(problems.map((p) => [p.sha, p.verdict])).toEqual([[plain, 'unsigned']]);
    const d = tackJson(dir, 'doctor');
    expect(
      d.findings.filter((x: { check: string }) => x.check === 'signature').map((x: { id: string }) => x.id),
    ).toEqual([plain]);
    expect(tack(dir, 'doctor')).toMatch(/warning: .*signature.*unsigned/);
  });

  it('a signature git cannot check counts as unverifiable, not as good', () => {
    const dir = signingStore();
    tack(dir, 'config', 'sign', 'true');
    tack(dir, 'create', 'Signed');
    git(dir, 'config', '--unset', 'gpg.ssh.allowedSignersFile');
    const f = tackFail(dir, 'verify');
    const problems = (f.error.details as { problems: Array<{ verdict: string }> }).problems;
    expect(problems.map((p) => p.verdict)).toEqual(['unknown']);
  });
});
