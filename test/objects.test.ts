import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TACK_BIN } from './helpers.js';
import { inProcess, runInProcess } from './inProcessCli.js';

/*
 * Every object Tack writes is one git accepts: the write paths run over repository
 * variants (SHA-1 and SHA-256, loose and packed, alternates, a linked worktree, inline
 * mode, the fast tree patcher and the plumbing fallback, odd identities, an agent's
 * provenance trailers, reservation refs), then `git fsck --strict` must pass and a remote
 * with receive.fsckObjects must take every ref.
 */

type Format = 'sha1' | 'sha256';
interface Variant {
  name: string;
  format: Format;
  inline?: boolean;
  /** TACK_FAULT=plumbing: trees built by git plumbing instead of the fast patcher. */
  plumbing?: boolean;
  place?: 'worktree' | 'alternates';
  /** The odd identity comes from the repository's config instead of the environment. */
  configIdentity?: boolean;
  /** Another clone writes too, so a sync commits a merge. */
  merge?: boolean;
}

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

/** Env with no identity of its own: each variant supplies one (or leaves it to config). */
function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    NO_COLOR: '1',
    TACK_USER: 'tester',
    ...extra,
  };
  for (const k of [
    'GIT_AUTHOR_NAME',
    'GIT_AUTHOR_EMAIL',
    'GIT_COMMITTER_NAME',
    'GIT_COMMITTER_EMAIL',
    'EMAIL',
    'TACK_FAULT',
  ]) {
    if (!(k in extra)) delete env[k];
  }
  return env;
}

const ODD_ENV = {
  GIT_AUTHOR_NAME: ' <Zoë> "Z" Ünïcode, ',
  GIT_AUTHOR_EMAIL: '<a@b>',
  GIT_COMMITTER_NAME: 'Jo <x> Do Jr.',
  GIT_COMMITTER_EMAIL: ' <<c@d>> ;',
};
const ODD_CONFIG = { name: '<Al> ; ', email: '<al@x>' };

function runner(env: NodeJS.ProcessEnv) {
  const run = (cwd: string, cmd: string, args: string[]) => {
    const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8' });
    return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  };
  const git = (cwd: string, ...args: string[]) => {
    const r = run(cwd, 'git', args);
    if (r.status !== 0) throw new Error(`git ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    return r.stdout.trim();
  };
  // In the test's CLI worker where it can (test/inProcessCli.ts): the same code, no Node to start.
  const runTack = (cwd: string, args: string[]) =>
    inProcess(args, env) ? runInProcess(cwd, args, env) : run(cwd, process.execPath, [TACK_BIN, ...args]);
  const tack = (cwd: string, ...args: string[]) => {
    const r = runTack(cwd, args);
    if (r.status !== 0) throw new Error(`tack ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    return r.stdout;
  };
  const tackError = (cwd: string, ...args: string[]) => {
    const r = runTack(cwd, [...args, '--json']);
    expect(r.status, `tack ${args.join(' ')} should fail`).not.toBe(0);
    return (
      JSON.parse(
        r.stderr
          .trim()
          .split('\n')
          .find((l) => l.startsWith('{"error"'))!,
      ) as { error: { code: string; message: string; details?: Record<string, unknown> } }
    ).error;
  };
  return { git, tack, tackError, run };
}

/** The repository a variant writes in, with its fsck-checking bare remote as origin. */
function setup(v: Variant, r: ReturnType<typeof runner>): { root: string; dir: string; remote: string } {
  const root = mkdtempSync(join(tmpdir(), `tack-objects-${v.format}-`));
  roots.push(root);
  const remote = join(root, 'remote.git');
  r.git(root, 'init', '-q', '--bare', `--object-format=${v.format}`, remote);
  r.git(remote, 'config', 'receive.fsckObjects', 'true');
  const repo = join(root, 'repo');
  r.git(root, 'init', '-q', '-b', 'main', `--object-format=${v.format}`, repo);
  r.git(repo, 'config', 'user.name', v.configIdentity ? ODD_CONFIG.name : 'Plain');
  r.git(repo, 'config', 'user.email', v.configIdentity ? ODD_CONFIG.email : 'plain@x');
  r.git(repo, 'commit', '-q', '--allow-empty', '-m', 'initial');
  r.git(repo, 'remote', 'add', 'origin', remote);
  if (v.place === 'worktree') {
    const wt = join(root, 'wt');
    r.git(repo, 'worktree', 'add', '-q', '-b', 'side', wt);
    return { root, dir: wt, remote };
  }
  if (v.place === 'alternates') {
    // A store made elsewhere and packed; this clone reads those objects through
    // objects/info/alternates and writes its own next to them.
    r.tack(repo, 'init');
    r.tack(repo, 'create', 'made in the source repository');
    r.git(repo, 'gc', '-q');
    const alt = join(root, 'alt');
    r.git(root, 'clone', '-q', '--shared', repo, alt);
    r.git(alt, 'config', 'user.name', v.configIdentity ? ODD_CONFIG.name : 'Plain');
    r.git(alt, 'config', 'user.email', v.configIdentity ? ODD_CONFIG.email : 'plain@x');
    r.git(alt, 'remote', 'set-url', 'origin', remote);
    r.tack(alt, 'setup');
    return { root, dir: alt, remote };
  }
  return { root, dir: repo, remote };
}

/** An agent's settings with values that try to break a commit message: newlines, a forged trailer, bidi. */
const ODD_AGENT = {
  TACK_AGENT: 'fixer\n-1 <x>',
  TACK_HARNESS: 'claude-code\r\nTack-Actor: human',
  TACK_MODEL: 'm"o"del\u202e \u2028x',
  TACK_SESSION: `s\t${'e'.repeat(300)}`,
};

function exercise(v: Variant): void {
  const variantEnv = { ...(v.configIdentity ? {} : ODD_ENV), ...(v.plumbing ? { TACK_FAULT: 'plumbing' } : {}) };
  const r = runner(baseEnv(variantEnv));
  const agent = runner(baseEnv({ ...variantEnv, ...ODD_AGENT, TACK_USER: 'fixer-1' }));
  const { root, dir, remote } = setup(v, r);
  const storeRef = v.inline ? 'HEAD' : 'tack';
  if (v.place !== 'alternates') r.tack(dir, 'init', ...(v.inline ? ['--inline'] : []));
  const id = (out: string) => (JSON.parse(out) as { id: string }).id;
  const a = id(r.tack(dir, 'create', 'first', '--json'));
  const b = id(r.tack(dir, 'create', 'second', '--json'));
  r.tack(dir, 'update', a, '--priority', 'high');
  // Packed from here on: the next write finds its parent's trees in a pack.
  r.git(dir, 'gc', '-q');
  r.tack(dir, 'comment', a, 'a comment');
  r.tack(dir, 'label', 'add', a, 'x');
  r.tack(dir, 'link', a, 'blocks', b);
  r.tack(dir, 'close', b, '--reason', 'done');
  r.tack(dir, 'docs', 'add', 'docs/specs/a.md', '-t', '# A');
  r.tack(dir, 'docs', 'add', 'docs/specs/a.md-notes.md', '-t', '# A, notes');
  r.tack(dir, 'docs', 'add', 'docs/specs/b.md/inner.md', '-t', '# inner');
  r.tack(dir, 'archive', '--done-before', '2999-01-01');
  r.tack(dir, 'claim', a, '--remote', 'origin');
  r.tack(dir, 'note', r.git(dir, 'rev-parse', 'main'), '--review', 'approve', '-m', 'looks right');
  // An agent's writes carry provenance trailers; reservations are commits on their own ref,
  // published to the remote (which checks them on receive) and local.
  agent.tack(dir, 'comment', a, 'by an agent');
  const trailers = r.git(dir, 'log', '-1', '--format=%(trailers:only,unfold)', storeRef);
  expect(trailers).toContain('Tack-Actor: agent');
  expect(trailers).toMatch(/^Tack-Agent: fixer -1 <x>$/m);
  expect(trailers).not.toMatch(/^Tack-Actor: human/m);
  agent.tack(dir, 'reserve', 'src/**', 'docs/<x>.md', '--ticket', a, '--remote', 'origin');
  agent.tack(dir, 'reserve', 'lib/a b.ts', '--local');
  agent.tack(dir, 'reserve', 'src/**', '--release', '--remote', 'origin');
  expect(r.git(dir, 'for-each-ref', '--format=%(refname)', 'refs/tack/')).toContain('refs/tack/reservations');

  // Refused, with the path and the rule named, and nothing written.
  const before = r.git(dir, 'rev-parse', storeRef);
  expect(r.tackError(dir, 'docs', 'add', 'docs/GIT~1/x.md', '-t', 'x')).toMatchObject({
    code: 'invalid_input',
    details: { rule: 'hasDotgit' },
  });
  expect(r.tackError(dir, 'docs', 'add', 'docs/specs/a.md/x.md', '-t', 'x')).toMatchObject({
    code: 'conflict',
    details: { path: `${v.inline ? '.tack/' : ''}docs/specs/a.md` },
  });
  expect(r.tackError(dir, 'docs', 'add', 'docs/specs/b.md', '-t', 'x')).toMatchObject({
    code: 'conflict',
    details: { rule: 'fileDirectoryCollision' },
  });
  expect(r.git(dir, 'rev-parse', storeRef)).toBe(before);

  if (v.inline) r.git(dir, 'push', '-q', 'origin', 'HEAD');
  else r.tack(dir, 'sync');
  if (v.merge) {
    const other = join(root, 'other');
    r.git(root, 'clone', '-q', remote, other);
    r.git(other, 'config', 'user.name', 'Other');
    r.git(other, 'config', 'user.email', 'other@x');
    r.tack(other, 'setup');
    r.tack(other, 'create', 'from the other clone');
    r.tack(other, 'sync');
    r.tack(dir, 'comment', a, 'meanwhile');
    r.tack(dir, 'sync');
    expect(r.git(dir, 'log', '-1', '--format=%P', 'tack').split(' ')).toHaveLength(2);
  }
  r.git(
    dir,
    'push',
    '-q',
    'origin',
    '+refs/heads/*:refs/heads/*',
    '+refs/notes/*:refs/notes/*',
    '+refs/tack/*:refs/tack/*',
  );

  // Identities as git records them.
  const who = r.git(dir, 'log', '-1', '--format=%an <%ae>|%cn <%ce>', storeRef);
  expect(who).toBe(v.configIdentity ? 'Al <al@x>|Al <al@x>' : 'Zoë "Z" Ünïcode <a@b>|Jo x Do Jr. <c@d>');
  // The whole repository and the remote's copy pass a strict fsck.
  const fsck = r.run(dir, 'git', ['fsck', '--strict', '--no-dangling']);
  expect({ status: fsck.status, stderr: fsck.stderr.replace(/^notice:.*\n/gm, '') }).toEqual({ status: 0, stderr: '' });
  const remoteFsck = r.run(remote, 'git', ['fsck', '--strict', '--no-dangling']);
  expect(remoteFsck.status, remoteFsck.stderr).toBe(0);
}

// Every write path once per variant; the merge (a second clone) where it adds a tree
// writer or a hash: a minute of runtime in all.
const VARIANTS: Variant[] = [
  { name: 'SHA-1, branch mode, fast path then packed, merge', format: 'sha1', merge: true },
  {
    name: 'SHA-1, branch mode, plumbing, identity from config, merge',
    format: 'sha1',
    plumbing: true,
    configIdentity: true,
    merge: true,
  },
  { name: 'SHA-256, branch mode, fast path then packed, merge', format: 'sha256', merge: true },
  { name: 'SHA-256, branch mode, plumbing, in a linked worktree', format: 'sha256', plumbing: true, place: 'worktree' },
  { name: 'SHA-1, branch mode, objects through alternates', format: 'sha1', place: 'alternates' },
  { name: 'SHA-1, inline mode, in a linked worktree', format: 'sha1', inline: true, place: 'worktree' },
  { name: 'SHA-256, inline mode, plumbing', format: 'sha256', inline: true, plumbing: true, configIdentity: true },
];

describe('every object Tack writes passes git fsck --strict and a receive.fsckObjects push', () => {
  for (const v of VARIANTS) it(v.name, () => exercise(v), 120_000);
});
